package io.github.sparkarrow.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Spark DDL ({@code `id` BIGINT NOT NULL, tags ARRAY<STRING>}) as the Arrow schema Spark 3.5's
 * {@code ArrowUtils.toArrowSchema(StructType.fromDDL(ddl), "UTC", true, false)} builds, without
 * Spark: for engines and programs that take a schema as DDL but do not run Spark. It reads the
 * types of the type table (and Spark's aliases: {@code LONG}, {@code INTEGER}, {@code
 * DEC}/{@code NUMERIC}, {@code VARCHAR(n)} as STRING, {@code TIMESTAMP_LTZ}, {@code INTERVAL DAY TO
 * SECOND}, ...), {@code NOT NULL}, {@code
 * COMMENT '…'}, backquoted names, and {@code STRUCT<a: INT, b INT>} with or without colons.
 */
public final class SparkDdl {

  private static final Map<String, ArrowType> SIMPLE =
      Map.ofEntries(
          Map.entry("BOOLEAN", ArrowType.Bool.INSTANCE),
          Map.entry("TINYINT", new ArrowType.Int(8, true)),
          Map.entry("BYTE", new ArrowType.Int(8, true)),
          Map.entry("SMALLINT", new ArrowType.Int(16, true)),
          Map.entry("SHORT", new ArrowType.Int(16, true)),
          Map.entry("INT", new ArrowType.Int(32, true)),
          Map.entry("INTEGER", new ArrowType.Int(32, true)),
          Map.entry("BIGINT", new ArrowType.Int(64, true)),
          Map.entry("LONG", new ArrowType.Int(64, true)),
          Map.entry("FLOAT", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
          Map.entry("REAL", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
          Map.entry("DOUBLE", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
          Map.entry("STRING", ArrowType.Utf8.INSTANCE),
          Map.entry("BINARY", ArrowType.Binary.INSTANCE),
          Map.entry("DATE", new ArrowType.Date(DateUnit.DAY)),
          Map.entry("TIMESTAMP", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
          Map.entry("TIMESTAMP_LTZ", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
          Map.entry("TIMESTAMP_NTZ", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)));

  private final String ddl;
  private int at;

  private SparkDdl(String ddl) {
    this.ddl = ddl;
  }

  /**
   * The Arrow schema of {@code ddl}, a comma-separated list of columns.
   *
   * @throws IllegalArgumentException naming the position and what was expected there
   */
  public static Schema toArrowSchema(String ddl) {
    SparkDdl parser = new SparkDdl(ddl);
    List<Field> fields = parser.fields(true);
    parser.skipSpace();
    if (parser.at < ddl.length()) {
      throw parser.error("a ',' or the end");
    }
    return new Schema(fields);
  }

  private List<Field> fields(boolean topLevel) {
    List<Field> fields = new ArrayList<>();
    do {
      String name = name();
      skipSpace();
      if (!topLevel && peek() == ':') {
        at++;
      }
      fields.add(field(name, true));
    } while (take(','));
    return fields;
  }

  /** A type with its NOT NULL and COMMENT. */
  private Field field(String name, boolean nullable) {
    Field typed = type(name, nullable);
    boolean notNull = false;
    while (true) {
      if (keyword("NOT")) {
        if (!keyword("NULL")) {
          throw error("NULL after NOT");
        }
        notNull = true;
      } else if (keyword("COMMENT")) {
        string();
      } else {
        break;
      }
    }
    return notNull
        ? new Field(name, new FieldType(false, typed.getType(), null), typed.getChildren())
        : typed;
  }

  private Field type(String name, boolean nullable) {
    skipSpace();
    int start = at;
    while (at < ddl.length() && (Character.isLetterOrDigit(ddl.charAt(at)) || ddl.charAt(at) == '_')) {
      at++;
    }
    String word = ddl.substring(start, at).toUpperCase(Locale.ROOT);
    if (word.isEmpty()) {
      throw error("a type");
    }
    switch (word) {
      case "ARRAY" -> {
        expect('<');
        Field element = field("element", true);
        expect('>');
        return new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null), List.of(element));
      }
      case "MAP" -> {
        expect('<');
        Field key = type("key", false);
        expect(',');
        Field value = field("value", true);
        expect('>');
        Field entries =
            new Field("entries", new FieldType(false, ArrowType.Struct.INSTANCE, null), List.of(key, value));
        return new Field(name, new FieldType(nullable, new ArrowType.Map(false), null), List.of(entries));
      }
      case "STRUCT" -> {
        expect('<');
        skipSpace();
        List<Field> children = peek() == '>' ? List.of() : fields(false);
        expect('>');
        return new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null), children);
      }
      case "DECIMAL", "DEC", "NUMERIC" -> {
        int precision = 10;
        int scale = 0;
        if (take('(')) {
          precision = number();
          if (take(',')) {
            scale = number();
          }
          expect(')');
        }
        if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
          throw new IllegalArgumentException(
              "DECIMAL(" + precision + "," + scale + ") in '" + ddl + "': Spark's decimals have a"
                  + " precision of 1 to 38 and a scale of 0 to the precision");
        }
        return new Field(
            name, new FieldType(nullable, new ArrowType.Decimal(precision, scale, 128), null), null);
      }
      case "INTERVAL" -> {
        String from = word().toUpperCase(Locale.ROOT);
        if (keyword("TO")) {
          word();
        }
        ArrowType interval =
            switch (from) {
              case "YEAR", "MONTH" -> new ArrowType.Interval(IntervalUnit.YEAR_MONTH);
              case "DAY", "HOUR", "MINUTE", "SECOND" -> new ArrowType.Duration(TimeUnit.MICROSECOND);
              default -> throw error("YEAR, MONTH, DAY, HOUR, MINUTE or SECOND after INTERVAL");
            };
        return new Field(name, new FieldType(nullable, interval, null), null);
      }
      case "VARCHAR", "CHAR" -> {
        expect('(');
        number();
        expect(')');
        return new Field(name, new FieldType(nullable, ArrowType.Utf8.INSTANCE, null), null);
      }
      default -> {
        ArrowType simple = SIMPLE.get(word);
        if (simple == null) {
          at = start;
          throw error("a Spark type (for example BIGINT, STRING, DECIMAL(10,2), ARRAY<INT>), not '" + word + "'");
        }
        return new Field(name, new FieldType(nullable, simple, null), null);
      }
    }
  }

  private String word() {
    skipSpace();
    int start = at;
    while (at < ddl.length() && Character.isLetter(ddl.charAt(at))) {
      at++;
    }
    return ddl.substring(start, at);
  }

  private String name() {
    skipSpace();
    if (take('`')) {
      StringBuilder name = new StringBuilder();
      while (true) {
        if (at >= ddl.length()) {
          throw error("a closing '`'");
        }
        char c = ddl.charAt(at++);
        if (c == '`') {
          if (at < ddl.length() && ddl.charAt(at) == '`') {
            at++;
          } else {
            return name.toString();
          }
        }
        name.append(c);
      }
    }
    int start = at;
    while (at < ddl.length() && (Character.isLetterOrDigit(ddl.charAt(at)) || ddl.charAt(at) == '_')) {
      at++;
    }
    if (start == at) {
      throw error("a column name");
    }
    return ddl.substring(start, at);
  }

  private void string() {
    skipSpace();
    char quote = peek();
    if (quote != '\'' && quote != '"') {
      throw error("a quoted comment");
    }
    at++;
    while (at < ddl.length() && ddl.charAt(at) != quote) {
      at += ddl.charAt(at) == '\\' ? 2 : 1;
    }
    if (at >= ddl.length()) {
      throw error("the end of the comment");
    }
    at++;
  }

  private int number() {
    skipSpace();
    int start = at;
    while (at < ddl.length() && Character.isDigit(ddl.charAt(at))) {
      at++;
    }
    if (start == at) {
      throw error("a number");
    }
    return Integer.parseInt(ddl.substring(start, at));
  }

  private boolean keyword(String word) {
    skipSpace();
    int end = at + word.length();
    if (end <= ddl.length()
        && ddl.substring(at, end).equalsIgnoreCase(word)
        && (end == ddl.length() || !Character.isLetterOrDigit(ddl.charAt(end)))) {
      at = end;
      return true;
    }
    return false;
  }

  private boolean take(char c) {
    skipSpace();
    if (peek() == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!take(c)) {
      throw error("'" + c + "'");
    }
  }

  private char peek() {
    return at < ddl.length() ? ddl.charAt(at) : '\0';
  }

  private void skipSpace() {
    while (at < ddl.length() && Character.isWhitespace(ddl.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException(
        "not Spark DDL: expected " + expected + " at position " + at + " of '" + ddl + "'");
  }
}

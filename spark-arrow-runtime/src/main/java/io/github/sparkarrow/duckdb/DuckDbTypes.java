package io.github.sparkarrow.duckdb;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.runtime.ArrowSchemas;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * DuckDB's types and Spark's, through Arrow: the DuckDB type to cast to for a Spark-style Arrow
 * field, and the Spark-style Arrow schema of what DuckDB exports (same buffers, Spark's names
 * and time zone label), or the columns Spark has no type for.
 */
final class DuckDbTypes {

  private DuckDbTypes() {}

  /** The DuckDB SQL type of a field of the type table. */
  static String sql(Field field) {
    ArrowType type = field.getType();
    List<Field> children = field.getChildren();
    if (type instanceof ArrowType.Bool) {
      return "BOOLEAN";
    } else if (type instanceof ArrowType.Int i && i.getIsSigned()) {
      return switch (i.getBitWidth()) {
        case 8 -> "TINYINT";
        case 16 -> "SMALLINT";
        case 32 -> "INTEGER";
        default -> "BIGINT";
      };
    } else if (type instanceof ArrowType.FloatingPoint f) {
      return f.getPrecision() == FloatingPointPrecision.SINGLE ? "FLOAT" : "DOUBLE";
    } else if (type instanceof ArrowType.Decimal d) {
      return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
    } else if (type instanceof ArrowType.Utf8) {
      return "VARCHAR";
    } else if (type instanceof ArrowType.Binary) {
      return "BLOB";
    } else if (type instanceof ArrowType.Date) {
      return "DATE";
    } else if (type instanceof ArrowType.Timestamp t && t.getUnit() == TimeUnit.MICROSECOND) {
      return t.getTimezone() == null ? "TIMESTAMP" : "TIMESTAMPTZ";
    } else if (type instanceof ArrowType.List) {
      return sql(children.get(0)) + "[]";
    } else if (type instanceof ArrowType.Map) {
      List<Field> entry = children.get(0).getChildren();
      return "MAP(" + sql(entry.get(0)) + ", " + sql(entry.get(1)) + ")";
    } else if (type instanceof ArrowType.Struct) {
      List<String> parts = new ArrayList<>();
      for (Field child : children) {
        parts.add(quote(child.getName()) + " " + sql(child));
      }
      return "STRUCT(" + String.join(", ", parts) + ")";
    }
    throw new IllegalArgumentException(
        "'" + field.getName() + "' is " + type + ", which has no DuckDB type here");
  }

  /**
   * The type to {@code CAST} a column of {@code have} (which {@code ArrowSchemas.fit}s {@code
   * want}) to, so that its structs hold {@code want}'s fields in {@code want}'s order: DuckDB casts
   * a struct to a struct by field name. The leaves keep {@code have}'s types, so no value changes.
   */
  static String layoutOf(Field want, Field have) {
    ArrowType type = want.getType();
    List<Field> wc = want.getChildren();
    List<Field> hc = have.getChildren();
    if (type instanceof ArrowType.List) {
      return layoutOf(wc.get(0), hc.get(0)) + "[]";
    } else if (type instanceof ArrowType.Map) {
      List<Field> we = wc.get(0).getChildren();
      List<Field> he = hc.get(0).getChildren();
      return "MAP(" + layoutOf(we.get(0), he.get(0)) + ", " + layoutOf(we.get(1), he.get(1)) + ")";
    } else if (type instanceof ArrowType.Struct) {
      List<String> parts = new ArrayList<>();
      for (Field child : wc) {
        parts.add(quote(child.getName()) + " " + layoutOf(child, ArrowSchemas.byName(hc, child.getName())));
      }
      return "STRUCT(" + String.join(", ", parts) + ")";
    }
    return sql(have);
  }

  /** An identifier in double quotes. */
  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** A string literal in single quotes. */
  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /**
   * A file's path as a literal DuckDB's readers take as it is. They expand {@code *}, {@code ?}
   * and {@code [} in any path they are given, so a file under {@code data[1]/} read {@code
   * data1/}'s files without a word; a local file that exists has them escaped (each as a class of
   * itself, {@code [[]}). Another path (a remote one) is given as it is.
   */
  static String fileLiteral(String path) {
    return literal(!Reads.existsLocally(path) ? path
        : path.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]"));
  }

  /**
   * The schema DuckDB's export {@code exported} is as Spark would have it: the same types and
   * layout, with Spark's names for list elements and map entries and timestamps labelled {@code
   * zone}. Adds a problem for each column of a type Spark lacks (unsigned integers, times,
   * intervals, nanosecond timestamps, fixed-size arrays, ...).
   */
  static Schema sparkStyle(Schema exported, String zone, List<String> problems) {
    List<Field> fields = new ArrayList<>();
    for (Field field : exported.getFields()) {
      fields.add(sparkStyle(field, field.getName(), field.getName(), zone, problems));
    }
    return new Schema(fields);
  }

  private static Field sparkStyle(
      Field field, String name, String path, String zone, List<String> problems) {
    ArrowType type = field.getType();
    List<Field> children = new ArrayList<>();
    if (type instanceof ArrowType.List) {
      children.add(sparkStyle(field.getChildren().get(0), "element", path + "[]", zone, problems));
    } else if (type instanceof ArrowType.Map) {
      List<Field> entry = field.getChildren().get(0).getChildren();
      Field key = sparkStyle(entry.get(0), "key", path + "{key}", zone, problems);
      Field value = sparkStyle(entry.get(1), "value", path + "{value}", zone, problems);
      children.add(new Field("entries", new FieldType(false, ArrowType.Struct.INSTANCE, null),
          List.of(key, value)));
      type = new ArrowType.Map(false);
    } else if (type instanceof ArrowType.Struct) {
      for (Field child : field.getChildren()) {
        children.add(sparkStyle(child, child.getName(), path + "." + child.getName(), zone, problems));
      }
    } else if (type instanceof ArrowType.Timestamp t && t.getUnit() == TimeUnit.MICROSECOND) {
      type = new ArrowType.Timestamp(TimeUnit.MICROSECOND, t.getTimezone() == null ? null : zone);
    } else if (!sparkHas(type)) {
      problems.add(
          "'" + path + "' is " + type + ", which Spark has no type for: CAST it in the SQL to one"
              + " it has (BIGINT, DECIMAL(38,0), STRING, TIMESTAMP, ...)");
    }
    return new Field(name, new FieldType(field.isNullable(), type, null), children);
  }

  private static boolean sparkHas(ArrowType type) {
    return type instanceof ArrowType.Bool
        || type instanceof ArrowType.Int i && i.getIsSigned()
        || type instanceof ArrowType.FloatingPoint f && f.getPrecision() != FloatingPointPrecision.HALF
        || type instanceof ArrowType.Decimal d && d.getBitWidth() == 128
        || type instanceof ArrowType.Utf8
        || type instanceof ArrowType.Binary
        || type instanceof ArrowType.Date d2 && d2.getUnit() == DateUnit.DAY
        || type instanceof ArrowType.Null;
  }

  /**
   * Throws, naming them, if {@code schema} has interval columns at any depth: DuckDB's INTERVAL
   * (months, days and microseconds in one) reaches Java as Arrow's MonthDayNano interval, which
   * Arrow Java 12.0.1 (the version Spark 3.5 pins) cannot import, and Spark reads neither it nor
   * DuckDB's Parquet INTERVAL.
   */
  static void requireNoIntervals(Schema schema, String what) {
    List<String> intervals = new ArrayList<>();
    for (Field field : schema.getFields()) {
      intervals(field, field.getName(), intervals);
    }
    if (!intervals.isEmpty()) {
      throw new EngineException(DuckDbEngine.NAME,
          what + " has interval columns, which the DuckDB engine cannot hand to Java: "
              + String.join(", ", intervals) + ". DuckDB's INTERVAL arrives as Arrow's"
              + " MonthDayNano interval, which Arrow Java 12.0.1 (Spark 3.5's) cannot import."
              + " Keep such a column as a number (Duration as BIGINT microseconds, Period as INT"
              + " months), or run this pipeline on Spark.", null);
    }
  }

  private static void intervals(Field field, String path, List<String> found) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.Duration || type instanceof ArrowType.Interval) {
      found.add("'" + path + "' (" + ArrowSchemas.describe(field) + ")");
    }
    for (Field child : field.getChildren()) {
      intervals(child, path + "." + child.getName(), found);
    }
  }
}

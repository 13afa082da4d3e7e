package io.github.sparkarrow.duckdb;

import static io.github.sparkarrow.duckdb.DuckDbTypes.literal;
import static io.github.sparkarrow.duckdb.DuckDbTypes.quote;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.runtime.ArrowSchemas;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * DuckDB SQL that reads CSV text, JSON values and partition directory names as Spark parses them,
 * where DuckDB's own casts would take more (or read other values): each builder returns an SQL
 * expression over a column, which is the value as Spark reads it, or an {@code error(…)} naming
 * the value, its column and the source where Spark would fail on it. Nothing here runs SQL.
 * DuckDB's functions that {@link SparkFunctions} gives Spark's meaning are called by their full
 * names ({@code system.main.concat}): this SQL means DuckDB's.
 */
final class SparkParsing {

  private SparkParsing() {}

  /**
   * {@code column} (read as text from CSV, as JSON from JSON) parsed as Spark parses a value of
   * {@code field}'s type, where DuckDB alone would take more. In CSV: a BOOLEAN of {@code yes},
   * {@code 1} or {@code t}; an INT of {@code 7.0}, {@code  7} or {@code 1e3}; a DOUBLE of {@code
   * inf}, {@code nan} or {@code 1_000}; a DECIMAL of {@code  1.5}; a DATE or TIMESTAMP of {@code
   * 2024/01/05}; a TIMESTAMP_NTZ with a zone ({@code Z}), which DuckDB would drop. In JSON, see
   * {@link #fromJson}. A value Spark would fail on fails the read, naming it and its column. Null
   * for the types whose values both engines read alike (or that are not checked).
   */
  static String asSparkParses(Source source, Field field, String column) {
    if (source.format() == Source.Format.JSON) {
      return jsonReadType(field).equals(DuckDbTypes.sql(field)) ? null
          : fromJson(source, field, column, field.getName(), 0);
    }
    ArrowType type = field.getType();
    String number = "([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?";
    String syntax = type instanceof ArrowType.Bool ? "(?i)true|false" // Scala's toBoolean
        : type instanceof ArrowType.Int ? "[+-]?[0-9]+" // Java's parseInt: no space, no fraction
        // Java's parseDouble (no hexadecimal), and the CSV options' default NaN and infinities
        : type instanceof ArrowType.FloatingPoint
            ? "\\s*[+-]?(NaN|Infinity|" + number + "[fFdD]?)\\s*|Inf|-Inf"
        : type instanceof ArrowType.Decimal ? "[+-]?" + number // Java's BigDecimal
        : dateSyntax(type);
    if (syntax == null && !(type instanceof ArrowType.Timestamp)) {
      return null;
    }
    // A timestamp's text is checked as it is read (null if not of Spark's syntax)
    String error = notRead(source, column, field.getName(), type);
    return "CASE WHEN " + column + " IS NULL THEN NULL" + (syntax == null ? ""
        : " WHEN NOT regexp_full_match(" + column + ", " + literal(syntax) + ") THEN " + error)
        + " ELSE coalesce(" + fromText(field, column) + ", " + error + ") END";
  }

  /**
   * A CSV text {@code column} as Spark's engine reads it: a value holding U+FFFD an error, as
   * there (Spark reads bytes that are not UTF-8 as U+FFFD, where DuckDB fails on them); with line
   * breaks (which only a quoted value holds) without {@code multiLine} an error, as Spark fails on
   * the broken record, and with it a CRLF read as LF, as Spark reads it from a CRLF file.
   */
  static String csvText(Source source, String name, String column) {
    String replacement = "WHEN contains(" + column + ", chr(65533)) THEN error(system.main.concat("
        + literal(EngineException.replacementCharacter(source, name)) + ", " + column + ", "
        + literal("')") + ")) ";
    if (source.multiLine()) {
      return "CASE " + replacement + "ELSE replace(" + column + ", chr(13) || chr(10), chr(10)) END";
    }
    return "CASE " + replacement + "WHEN contains(" + column + ", chr(10)) OR contains(" + column
        + ", chr(13)) THEN error(system.main.concat("
        + literal(source + ": a quoted value in column " + name
            + " holds a line break, which Spark reads only with multiLine: read the source"
            + " withMultiLine(true) (the value's first line: '")
        + ", system.main.regexp_extract(" + column
        + ", '^[^\\r\\n]*'), " + literal("')") + ")) ELSE " + column + " END";
  }

  /**
   * The syntax of a date text Spark reads (its stringToDate): a year, then month and day, then
   * anything after a space or {@code T}; null for other types. (A timestamp's text is checked as
   * {@link #sparkTimestamp} reads it.)
   */
  private static String dateSyntax(ArrowType type) {
    return type instanceof ArrowType.Date
        ? "\\s*[+-]?[0-9]{4,7}(-[0-9]{1,2}(-[0-9]{1,2}([ T].*)?)?)?\\s*" : null;
  }

  /**
   * A timestamp text as Spark's stringToTimestamp reads it (CSV and JSON without a format): a year
   * of 4 to 6 digits, then month and day, then after a space or {@code T} hours, minutes, seconds
   * and a fraction, each optional from the month on, and after the seconds a zone. Its groups are
   * the parts, in that order.
   */
  private static final String TIMESTAMP_TEXT = "\\s*\\+?([0-9]{4,6})(?:-([0-9]{1,2})(?:-([0-9]{1,2})"
      + "(?:[ T]([0-9]{1,2})(?::([0-9]{1,2})(?::([0-9]{1,2})(?:\\.([0-9]*))?(.*?))?)?)?)?)?\\s*";

  /** The common timestamp text: DuckDB casts it as Spark reads it (the day checked by the cast). */
  private static final String PLAIN_TIMESTAMP = "\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[ T]([01][0-9]|2[0-3])"
      + ":[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,6})?)?";

  /** A zone offset as Java's ZoneId.of reads it, after Spark's rewrites: its sign, and digits. */
  private static final String OFFSET =
      "(?:UTC|GMT|UT)?([+-])([0-9]{1,2}|[0-9]{2}:?[0-9]{2}|[0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{6})";

  /**
   * Java's short zone ids, which Spark's zone names take ({@code PST} is America/Los_Angeles, {@code
   * EST} -05:00), as the names or offsets DuckDB takes; and {@code UT}, which DuckDB calls UTC.
   */
  private static final String SHORT_ZONES;

  static {
    StringBuilder zones = new StringBuilder("CASE trim(ts__.z) WHEN 'UT' THEN 'UTC'");
    new java.util.TreeMap<>(java.time.ZoneId.SHORT_IDS).forEach((id, zone) ->
        zones.append(" WHEN ").append(literal(id)).append(" THEN ").append(literal(zone)));
    SHORT_ZONES = zones.append(" ELSE trim(ts__.z) END").toString();
  }

  /**
   * A timestamp text read as Spark reads it ({@link #TIMESTAMP_TEXT}), or null where Spark fails on
   * it (another syntax; a day, hour or offset out of range; a zone in a TIMESTAMP_NTZ). An
   * instant's zone is an offset ({@code Z}, {@code +1}, {@code +01:00}, {@code -0130}, {@code
   * UTC+1}, {@code GMT-1:30}), one of Java's short ids ({@code PST}) or a region ({@code
   * Europe/Paris}, whose local time that occurs twice is the earlier instant, as in java.time);
   * without one the text is a local time of the engine's zone ({@link #localInstant}, as a
   * region's). The common text is cast; the rest is taken apart.
   */
  private static String sparkTimestamp(ArrowType type, String text) {
    String parts = "system.main.regexp_extract(" + text + ", " + literal("^" + TIMESTAMP_TEXT + "$")
        + ", ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z'])";
    String hour = "coalesce(TRY_CAST(ts__.h AS BIGINT), 0)";
    String minute = "coalesce(TRY_CAST(ts__.mi AS BIGINT), 0)";
    String second = "coalesce(TRY_CAST(ts__.s AS BIGINT), 0)";
    String local = "CASE WHEN " + hour + " < 24 AND " + minute + " < 60 AND " + second + " < 60"
        + " THEN CAST(TRY_CAST(system.main.concat(ts__.y, '-',"
        + " coalesce(nullif(ts__.mo, ''), '1'), '-',"
        + " coalesce(nullif(ts__.d, ''), '1')) AS DATE) AS TIMESTAMP) + to_microseconds(((" + hour
        + " * 60 + " + minute + ") * 60 + " + second + ") * 1000000"
        + " + CAST(rpad(system.main.\"left\"(ts__.f, 6), 6, '0') AS BIGINT)) END";
    if (!isInstant(type)) {
      return "CASE WHEN regexp_full_match(" + text + ", " + literal(PLAIN_TIMESTAMP + "\\s*")
          + ") THEN TRY_CAST(" + text + " AS TIMESTAMP) ELSE list_transform([" + parts
          + "], lambda ts__: CASE WHEN trim(ts__.z) = '' THEN " + local + " END)[1] END";
    }
    // Spark's rewrites of +h:mm and +hh:m, then the offset's sign and digits
    String zone = "system.main.regexp_replace(system.main.regexp_replace(" + SHORT_ZONES
        + ", '([+-])([0-9]):', '\\10\\2:'),"
        + " '([+-][0-9][0-9]):([0-9])$', '\\1:0\\2')";
    String offset = "system.main.regexp_extract(tz__.z, " + literal("^" + OFFSET + "$")
        + ", ['sign', 'd'])";
    String digits = "replace(o__.d, ':', '')";
    String hours = "CAST(CASE WHEN length(" + digits + ") <= 2 THEN " + digits
        + " ELSE system.main.\"left\"(" + digits + ", 2) END AS BIGINT)";
    String minutes = "coalesce(TRY_CAST(system.main.substr(" + digits + ", 3, 2) AS BIGINT), 0)";
    String seconds = "coalesce(TRY_CAST(system.main.substr(" + digits + ", 5, 2) AS BIGINT), 0)";
    String total = "(" + hours + " * 3600 + " + minutes + " * 60 + " + seconds + ")";
    String fromOffset = "list_transform([" + offset + "], lambda o__: CASE WHEN " + hours + " <= 18"
        + " AND " + minutes + " < 60 AND " + seconds + " < 60 AND " + total + " <= 64800 THEN"
        + " timezone('UTC', tz__.l) - to_seconds(CASE WHEN o__.sign = '-' THEN -1 ELSE 1 END * "
        + total + ") END)[1]";
    String instant = "CASE WHEN tz__.z = '' THEN " + localInstant("tz__.l", null)
        + " WHEN tz__.z = 'Z' THEN timezone('UTC', tz__.l) WHEN regexp_full_match(tz__.z, "
        + literal(OFFSET) + ") THEN " + fromOffset + " WHEN tz__.l IS NULL THEN NULL ELSE "
        + localInstant("tz__.l", "tz__.z") + " END";
    // The common text is cast (DuckDB's cast takes the spaces around it).
    return "CASE WHEN regexp_full_match(" + text + ", " + literal(PLAIN_TIMESTAMP + "\\s*") + ") THEN "
        + localInstant("TRY_CAST(" + text + " AS TIMESTAMP)", null) + " WHEN regexp_full_match(" + text
        + ", " + literal(PLAIN_TIMESTAMP + "(Z|[+-](0[0-9]|1[0-7]):[0-5][0-9])\\s*") + ") THEN"
        + " TRY_CAST(" + text + " AS TIMESTAMPTZ) ELSE list_transform([" + parts
        + "], lambda ts__: list_transform([struct_pack(l := " + local + ", z := " + zone
        + ")], lambda tz__: " + instant + ")[1])[1] END";
  }

  /**
   * The date of a text of {@link #dateSyntax} as Spark's stringToDate reads it, in the form DuckDB
   * casts: a year alone is its first day, a year and month the month's, a leading {@code +} and
   * anything after the day (a time, from {@code T} or a space on) are dropped.
   */
  private static String sparkDate(String text) {
    String date = "system.main.regexp_extract(" + text
        + ", '^\\s*\\+?([0-9]{4,7}(-[0-9]{1,2}){0,2})', 1)";
    return "system.main.concat(" + date + ", CASE WHEN regexp_full_match(" + date + ", '[0-9]+')"
        + " THEN '-01-01'"
        + " WHEN regexp_full_match(" + date + ", '[0-9]+-[0-9]+') THEN '-01' ELSE '' END)";
  }

  /**
   * {@code text}, of the syntax Spark reads as {@code field}'s type, read as Spark reads it: a
   * timestamp by {@link #sparkTimestamp}, a date by {@link #sparkDate} (both null where Spark fails
   * on the value), a double without Java's type suffix ({@code 2.5d}, which DuckDB does not take),
   * the rest cast.
   */
  private static String fromText(Field field, String text) {
    ArrowType type = field.getType();
    return type instanceof ArrowType.Timestamp ? sparkTimestamp(type, text)
        : type instanceof ArrowType.Date ? "TRY_CAST(" + sparkDate(text) + " AS DATE)"
        : "CAST(" + (type instanceof ArrowType.FloatingPoint
                ? "system.main.regexp_replace(" + text + ", '([0-9.])[fFdD]', '\\1')" : text)
        + " AS " + DuckDbTypes.sql(field) + ")";
  }

  /**
   * The value of a partition column, {@code column} the text of its directories: cast to the
   * declared type as Spark casts it with ANSI SQL, a local time as an instant of the engine's zone
   * as Spark reads it (the earlier one where a DST change repeats the hour; DuckDB's cast would
   * take the later).
   */
  static String partitionValue(Field field, String column, Source source) {
    String refused = "error(system.main.concat(" + literal(source + ": '") + ", " + column + ", "
        + literal("' in partition column " + field.getName() + " is no "
            + ArrowSchemas.sqlName(field.getType()) + " (Spark fails to cast it too, with ANSI"
            + " SQL): rename its directory, or declare the column STRING") + "))";
    if (isInstant(field.getType())) {
      return "coalesce(" + fromText(field, column) + ", " + refused + ")";
    }
    String cast = "CAST(" + column + " AS " + DuckDbTypes.sql(field) + ")";
    // An integer as Spark's Integer.parseInt and Long.parseLong take it (DuckDB's cast takes 1.0).
    return field.getType() instanceof ArrowType.Int
        ? "CASE WHEN regexp_full_match(" + column + ", '[+-]?[0-9]+') THEN " + cast
            + " WHEN " + column + " IS NOT NULL THEN " + refused + " END"
        : cast;
  }

  private static boolean isInstant(ArrowType type) {
    return type instanceof ArrowType.Timestamp t && t.getTimezone() != null;
  }

  /**
   * The type {@code read_json} reads a column of {@code field}'s type as: its SQL type, with JSON
   * for each boolean, integer, double, decimal, date and timestamp in it, at every depth, which
   * {@link #fromJson} then reads as Spark reads them. DuckDB itself reads the rest: struct fields by name
   * (case-sensitively, as Spark), a missing one as null, a key given twice or a value of another
   * kind (a number for a list) as an error.
   */
  static String jsonReadType(Field field) {
    ArrowType type = field.getType();
    List<Field> children = field.getChildren();
    if (type instanceof ArrowType.Bool || type instanceof ArrowType.Int
        || type instanceof ArrowType.Decimal || type instanceof ArrowType.FloatingPoint
        || type instanceof ArrowType.Date || type instanceof ArrowType.Timestamp) {
      return "JSON";
    } else if (type instanceof ArrowType.List) {
      return jsonReadType(children.get(0)) + "[]";
    } else if (type instanceof ArrowType.Map) {
      List<Field> entry = children.get(0).getChildren();
      return "MAP(" + DuckDbTypes.sql(entry.get(0)) + ", " + jsonReadType(entry.get(1)) + ")";
    } else if (type instanceof ArrowType.Struct) {
      List<String> parts = new ArrayList<>();
      for (Field child : children) {
        parts.add(quote(child.getName()) + " " + jsonReadType(child));
      }
      return "STRUCT(" + String.join(", ", parts) + ")";
    }
    return DuckDbTypes.sql(field);
  }

  /**
   * {@code value}, read as {@link #jsonReadType}, as Spark reads JSON of {@code field}'s type,
   * where DuckDB alone would take more: an INT of {@code 7.5} (rounded), {@code "7"} or {@code
   * true}, a BOOLEAN of {@code 1} or {@code "true"}, a DOUBLE of {@code "7.5"} or {@code "inf"}
   * (Spark takes {@code "NaN"} and {@code "-INF"}), a DATE of {@code "2024/01/05"}. A DECIMAL is
   * read from the number's text, not through a double ({@code 1.005} is 1.01 as on Spark, not
   * 1.00); a TIMESTAMP from a whole number as epoch seconds, as Spark reads it. {@code path}
   * names the value in errors ({@code l[]}, {@code s.a}, {@code m{value}}), {@code depth} keeps
   * lambda names apart.
   */
  private static String fromJson(Source source, Field field, String value, String path, int depth) {
    ArrowType type = field.getType();
    String sql = DuckDbTypes.sql(field);
    List<Field> children = field.getChildren();
    if (jsonReadType(field).equals(sql)) {
      return value; // nothing in it to check
    } else if (type instanceof ArrowType.List) {
      String x = "x" + depth;
      return "list_transform(" + value + ", lambda " + x + ": "
          + fromJson(source, children.get(0), x, path + "[]", depth + 1) + ")";
    } else if (type instanceof ArrowType.Map) {
      String e = "e" + depth;
      return "CASE WHEN " + value + " IS NOT NULL THEN map_from_entries(list_transform(map_entries("
          + value + "), lambda " + e + ": struct_pack(k := " + e + ".key, v := " + fromJson(source,
              children.get(0).getChildren().get(1), e + ".value", path + "{value}", depth + 1)
          + "))) END";
    } else if (type instanceof ArrowType.Struct) {
      List<String> fields = new ArrayList<>();
      for (Field child : children) {
        fields.add(quote(child.getName()) + " := " + fromJson(source, child, "struct_extract("
            + value + ", " + literal(child.getName()) + ")", path + "." + child.getName(), depth + 1));
      }
      return "CASE WHEN " + value + " IS NOT NULL THEN struct_pack(" + String.join(", ", fields)
          + ") END";
    }
    // The value's JSON text as DuckDB writes it (no spaces, a number as parsed) tells its kind
    // without parsing it again: a string starts with a quote, an integer is digits.
    String json = "CAST(" + value + " AS VARCHAR)";
    String isString = "starts_with(" + json + ", '\"')";
    String isInteger = "regexp_full_match(" + json + ", '-?[0-9]+')";
    String text = "json_extract_string(" + value + ", '$')";
    String read; // the kinds (and texts) Spark reads as this type
    String as = "CAST(" + json + " AS " + sql + ")"; // a value of those, read
    String also = ""; // more WHEN clauses: other kinds Spark reads
    if (type instanceof ArrowType.Date || type instanceof ArrowType.Timestamp) {
      // a text of Spark's syntax (a timestamp's checked as it is read); an instant also epoch seconds
      read = isString + (dateSyntax(type) == null ? ""
          : " AND regexp_full_match(" + text + ", " + literal(dateSyntax(type)) + ")");
      as = "coalesce(" + fromText(field, text) + ", " + notRead(source, value, path, type) + ")";
      also = isInstant(type)
          ? " WHEN " + isInteger + " THEN to_timestamp(CAST(" + json + " AS BIGINT))" : "";
    } else if (type instanceof ArrowType.Bool) {
      read = json + " IN ('true', 'false')";
    } else if (type instanceof ArrowType.Int) {
      read = isInteger;
    } else { // a double or decimal, from the number's own text
      read = "regexp_full_match(" + json + ", '-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?')";
      also = type instanceof ArrowType.Decimal // Spark reads a decimal from a string too
          ? " WHEN " + isString + " THEN CAST(" + text + " AS " + sql + ")"
          // and these strings as a double, and these unquoted (Spark's allowNonNumericNumbers;
          // DuckDB's parser refuses +Infinity and +INF unquoted)
          : " WHEN " + json + " IN ('\"NaN\"', '\"Infinity\"', '\"+Infinity\"', '\"+INF\"',"
              + " '\"-Infinity\"', '\"-INF\"', 'NaN', 'Infinity', '-Infinity', '-INF') THEN"
              + " CAST(CASE WHEN " + json + " IN ('\"NaN\"', 'NaN') THEN 'nan' WHEN starts_with("
              + "ltrim(" + json + ", '\"'), '-') THEN '-inf' ELSE 'inf' END AS " + sql + ")";
    }
    // JSON's null is null here
    return "CASE WHEN " + value + " IS NULL THEN NULL WHEN " + read + " THEN " + as + also
        + " ELSE " + notRead(source, value, path, type) + " END";
  }

  /** An SQL error naming {@code value}, not read as {@code type} at {@code path} as Spark reads it. */
  private static String notRead(Source source, String value, String path, ArrowType type) {
    return "error(system.main.concat(" + literal(source + ": '") + ", CAST(" + value
        + " AS VARCHAR), "
        + literal("' in column " + path + " is no " + ArrowSchemas.sqlName(type) + " as Spark reads "
            + source.format() + " (Spark's FAILFAST mode fails on it)") + "))";
  }

  /**
   * The instant of {@code local}, a TIMESTAMP, as a local time of {@code zone} (an SQL text of a
   * zone name), or of the engine's zone if it is null, where a local time that occurs twice (the
   * hour a DST change repeats) is the earlier instant, as in {@code java.time} and Spark (DuckDB
   * alone would take the later one).
   */
  private static String localInstant(String local, String zone) {
    String later = zone == null ? "CAST(" + local + " AS TIMESTAMPTZ)"
        : "timezone(" + zone + ", " + local + ")";
    String earlier = "(" + later + " - INTERVAL 1 HOUR)";
    String earlierLocal = zone == null ? "CAST(" + earlier + " AS TIMESTAMP)"
        : "timezone(" + zone + ", " + earlier + ")";
    return "CASE WHEN " + earlierLocal + " = " + local + " THEN " + earlier + " ELSE " + later
        + " END";
  }

}

package io.github.sparkarrow.engine;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * A pipeline step failed on an engine: SQL it rejected, a source that does not fit its schema, a
 * typed function that threw (the function's exception is the cause, on both engines), or a
 * table that does not fit a record. The message names the engine and what to fix.
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An escape of a byte of UTF-8 that is no ASCII character ({@code %C3}). */
  private static final Pattern UTF8_ESCAPE = Pattern.compile("%[89a-fA-F][0-9a-fA-F]");

  private final String engine;

  public EngineException(String engine, String message, Throwable cause) {
    super(engine + ": " + message, cause);
    this.engine = engine;
  }

  /**
   * Data files beside a source's partition directories, which both engines refuse: Spark would
   * skip them without a word ({@code example} is one of them, {@code columns} the partitions').
   */
  public static EngineException filesOutsidePartitions(
      String engine, Source source, int count, String example, List<String> columns) {
    return new EngineException(engine, source + ": " + count + " data file(s) outside the partition"
        + " directories " + columns + ", for example " + example + ". Spark would skip them without"
        + " a word, so the engines refuse them. Move them into a partition directory ("
        + columns.get(0) + "=...), or read them as a source of their own.", null);
  }

  /**
   * Data files in subdirectories of a source that has no partition directories, which both engines
   * refuse: Spark reads only the files directly in each directory it is given then, and would skip
   * them without a word ({@code example} is one of them).
   */
  public static EngineException filesInSubdirectories(
      String engine, Source source, int count, String example) {
    return new EngineException(engine, source + ": " + count + " data file(s) in subdirectories that"
        + " are not partition directories (key=value), for example " + example + ". Spark reads only"
        + " the files directly in the directory it is given, and would skip them without a word, so"
        + " the engines refuse them. Read the subdirectories with a glob (" + source.path()
        + "/*), name them as partitions (year=2024), or move the files up.", null);
  }

  /**
   * A partition directory of a source whose name escapes the bytes of a character's UTF-8 ({@code
   * shop=%C3%A9} for {@code é}, as DuckDB's own {@code PARTITION_BY} and URL encoders write it),
   * which Spark reads back as other characters (each {@code %XX} one character: {@code Ã©}), and
   * DuckDB as written: both engines refuse it. Null if {@code directory}'s name is not one.
   */
  public static EngineException utf8EscapedPartition(String engine, Source source, String directory) {
    Matcher escape = UTF8_ESCAPE.matcher(directory);
    if (!escape.find()) {
      return null;
    }
    return new EngineException(engine, source + ": the partition directory '" + directory
        + "' escapes a character as bytes of UTF-8 (" + escape.group() + ", as DuckDB's own"
        + " PARTITION_BY and pyarrow's write_to_dataset write it), which Spark reads back as"
        + " other characters (each %XX one character) and DuckDB as written, so the engines"
        + " refuse it. Write the table again"
        + " with the engine's writeParquet(path, partitionBy...), which names directories as"
        + " Spark does, or rename the directory (Spark writes such characters as they are).", null);
  }

  /**
   * The words both engines fail with on a CSV value of {@code column} that holds U+FFFD, Spark's
   * stand-in for bytes that are not UTF-8; the value and {@code "')"} follow them.
   */
  public static String replacementCharacter(Source source, String column) {
    return source + ": a value in column " + column + " holds U+FFFD, the replacement character:"
        + " the file is not UTF-8 (Spark reads such bytes as U+FFFD without a word), or holds that"
        + " character itself: save the file as UTF-8 (iconv -f windows-1252 -t utf-8; Excel's"
        + " \"CSV UTF-8\") (the value: '";
  }

  /**
   * The words both engines fail with on a value of a Parquet BINARY column read as STRING that is
   * not UTF-8 text; {@code path} names the column, or the field in it ({@code tags[]}, {@code a.b}).
   */
  public static String notUtf8(Source source, String path) {
    return source + ": a value of " + path + " is not UTF-8 text. The files hold " + path + " as"
        + " bytes (Parquet BINARY without the UTF8 annotation, as Impala and older writers write"
        + " text) and it is declared STRING: declare it BINARY (byte[]) to read the bytes as they"
        + " are, or rewrite the files with the text in UTF-8.";
  }

  /**
   * The problem both engines name for a Parquet value at {@code path} of a {@code type} Spark
   * 3.5's reader has no type for: {@code TIMESTAMP(NANOS)}, {@code TIME(MILLIS)}, {@code
   * TIME(MICROS)}, {@code TIME(NANOS)}, {@code UUID}, a {@code DECIMAL(p,s)} of more than 38
   * digits (which it reads as their raw values where declared so, see {@link #rawParquetType}), or
   * another, in Spark's words.
   */
  public static String unreadableParquetType(String path, String type) {
    boolean decimal = type.startsWith("DECIMAL(");
    String raw = decimal ? "BINARY to read its unscaled value's bytes (big-endian two's complement)"
        : switch (type) {
          case "TIMESTAMP(NANOS)" -> "BIGINT to read its nanoseconds since 1970-01-01";
          case "TIME(MILLIS)" -> "INT to read its milliseconds since midnight";
          case "TIME(MICROS)" -> "BIGINT to read its microseconds since midnight";
          case "TIME(NANOS)" -> "BIGINT to read its nanoseconds since midnight";
          case "UUID" -> "BINARY to read its 16 bytes";
          default -> null;
        };
    return path + ": written as Parquet's " + type + ", which Spark 3.5 has no type for ("
        + (decimal ? "\"Decimal precision exceeds max precision 38\"" : "\"Illegal Parquet type\"")
        + "). " + (raw == null ? "" : "Declare it " + raw + ", as Spark reads it; or ")
        + (raw == null ? "W" : "w") + "rite it as a type Spark reads (a UUID as text, a time of day"
        + " or an interval as a number, a nanosecond timestamp in microseconds: pyarrow's"
        + " coerce_timestamps='us'; a decimal of at most 38 digits); or leave it out of the declared"
        + " schema: the other columns read.";
  }

  /**
   * The type a value of a Parquet {@code type} Spark 3.5 has no type for ({@link
   * #unreadableParquetType}) is read as where declared so, as Spark's reader reads it: its raw
   * value (a nanosecond timestamp's or a time of day's number, a UUID's or a wide decimal's bytes);
   * null for another.
   */
  public static ArrowType rawParquetType(String type) {
    if (type.startsWith("DECIMAL(")) {
      return ArrowType.Binary.INSTANCE;
    }
    return switch (type) {
      case "TIMESTAMP(NANOS)", "TIME(MICROS)", "TIME(NANOS)" -> new ArrowType.Int(64, true);
      case "TIME(MILLIS)" -> new ArrowType.Int(32, true);
      case "UUID" -> ArrowType.Binary.INSTANCE;
      default -> null;
    };
  }

  /**
   * A subscript of the query ({@code subscript}, as written) whose index is not a text in quotes:
   * an array's {@code a[i]} counts from 0 on Spark and from 1 on DuckDB, and neither engine can
   * tell an array's subscript from a map's before the query runs.
   */
  public static EngineException subscript(String engine, String subscript, String query) {
    return new EngineException(engine, subscript + ": a subscript whose index is not a text in"
        + " quotes reads another element on each engine where it is an array's (a[i] counts from 0"
        + " on Spark and from 1 on DuckDB), so the engines refuse it. Write element_at(a, i + 1) for"
        + " an array's element (from 1 on both; from the end for -1) and element_at(m, key) for a"
        + " map's value; m['key'] and s['field'] read alike on both.\nquery: " + query, null);
  }

  /**
   * A source read, or a path written ({@code writing}), at or inside the Delta table {@code
   * table} (see {@link Reads#deltaTable}).
   */
  public static EngineException deltaTable(String engine, String what, String table, boolean writing) {
    return new EngineException(engine, what + ": " + table + " is a Delta table (it holds"
        + " _delta_log), " + (writing
            ? "which writing Parquet there would break: writeParquet replaces the directory, its"
                + " log with it, and overwritePartitions adds files its log does not know. Write"
                + " it with Delta, or write the Parquet elsewhere."
            : "whose Parquet files hold rows the table has since deleted or replaced, which only"
                + " its log tells apart: read as Parquet it would give them all without a word"
                + " (Delta's own check refuses it too). Read it with Delta"
                + " (spark.read().format(\"delta\"), then SparkArrow's functions on the DataFrame),"
                + " or a copy exported as Parquet."), null);
  }

  /**
   * A CSV source whose lines hold {@code found} fields ({@code where}: the first line of a file)
   * where {@code declared} columns are declared, partition columns aside.
   */
  public static EngineException csvFields(
      String engine, Source source, String where, int found, int declared) {
    return new EngineException(engine, source + ": " + where + " holds " + found + " field(s), the"
        + " declared schema " + declared + " column(s) (partition columns aside). CSV is read by"
        + " position: declare every column of the files, in their order.", null);
  }

  /**
   * A CSV source whose header ({@code where}: a file's first line) names a {@code column} that is
   * also a partition column (the name of the files' {@code key=value} directories).
   */
  public static EngineException csvPartitionColumn(
      String engine, Source source, String where, String column) {
    return new EngineException(engine, source + ": " + where + " has a column '" + column + "',"
        + " which is also the name of its partition directories (" + column + "=...): Spark takes"
        + " that column's value from the directory and the CSV's fields by position into the other"
        + " columns, so they would shift (plain Spark reads them into the wrong columns without a"
        + " word). Leave the column out of the files, or name the directories otherwise.", null);
  }

  /**
   * A CSV header ({@code header}, the fields of a file's first line) that does not name the {@code
   * declared} columns (partition columns aside) in their order, in any case, as Spark checks it
   * ({@code enforceSchema=false}): both engines read CSV by position, so its values would be read
   * under other columns' names without a word. Null if it names them.
   */
  public static EngineException csvHeader(
      String engine, Source source, String file, List<String> header, List<String> declared) {
    for (int i = 0; i < header.size() && i < declared.size(); i++) {
      if (!header.get(i).equalsIgnoreCase(declared.get(i))) {
        return new EngineException(engine, source + ": CSV header does not conform to the schema."
            + "\n Header: " + String.join(", ", header) + "\n Schema: " + String.join(", ", declared)
            + "\nExpected: " + declared.get(i) + " but found: " + header.get(i) + "\nCSV file: " + file
            + "\nCSV is read by position, so the values would be read as other columns: declare the"
            + " columns in the header's order (the names in any case), or read the files"
            + " withHeader(false) and name the columns yourself.", null);
      }
    }
    return null;
  }

  /** The engine it happened on: {@code "duckdb"} or {@code "spark"}. */
  public String engine() {
    return engine;
  }
}

package io.github.sparkarrow.engine;

import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.SparkDdl;
import java.util.Objects;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Files to read, and the schema to read them with: a record type's, or Spark DDL. A path is a
 * file, a directory of files of the format, as Spark writes them, or a glob ({@code data/*.csv},
 * {@code data/{a,b}}, matched as Spark's globbing matches it): names starting with {@code _}
 * or {@code .} are skipped, and partition directories ({@code key=value}, as {@code partitionBy}
 * writes them) give a declared column of that name the directory's value, cast to its type
 * ({@code __HIVE_DEFAULT_PARTITION__} is null); layouts Spark's partition discovery refuses, and
 * data files beside the partition directories (which Spark would skip), are refused. Immutable.
 *
 * <ul>
 *   <li>Parquet: columns by name in each file (a column a file lacks reads as null); the types
 *       must be readable as declared by the rules Spark's Parquet reader applies (INT as BIGINT, a
 *       decimal within its storage width, TIMESTAMP_NTZ as TIMESTAMP, ...).
 *   <li>CSV: columns by position (partition columns aside), a header line unless {@link
 *       #withHeader(boolean) withHeader(false)}, which must name the declared columns in their
 *       order (in any case; every file's header is checked, as Spark's {@code
 *       enforceSchema=false} checks it), null for an empty field or a {@link
 *       #withNullValue(String) null text}, line breaks in quoted values only {@link
 *       #withMultiLine(boolean) withMultiLine(true)}; flat columns only, as many as the first line
 *       holds fields (checked up front). A value that does not parse fails the read on both engines
 *       (Spark's {@code FAILFAST} mode), nothing is read as null instead; booleans, numbers, dates
 *       and timestamps by the syntax Spark parses.
 *   <li>JSON: one object per line (or each file one array of objects, {@link
 *       #withMultiLine(boolean) withMultiLine(true)}), columns by key; a value that does not parse
 *       fails the read;
 *       booleans, numbers, dates and timestamps, at every depth, as Spark reads them (see the
 *       README's "Reading files" for what still differs).
 * </ul>
 *
 * Every column is read as nullable, as Spark reads files; NOT NULL components are checked as the
 * values arrive. A timestamp without zone in CSV or JSON is a local time of the engine's zone.
 */
public final class Source {

  /** The file formats. */
  public enum Format {
    PARQUET,
    CSV,
    JSON
  }

  private final Format format;
  private final String path;
  private final Schema schema;
  private final boolean header;
  private final char delimiter;
  private final String nullValue;
  private final boolean multiLine;

  private Source(Format format, String path, Schema schema, boolean header, char delimiter,
      String nullValue, boolean multiLine) {
    this.format = format;
    this.path = Objects.requireNonNull(path, "path");
    this.schema = schema;
    this.header = header;
    this.delimiter = delimiter;
    this.nullValue = nullValue;
    this.multiLine = multiLine;
    if (format == Format.CSV) {
      for (Field field : schema.getFields()) {
        ArrowType type = field.getType();
        if (type instanceof ArrowType.List || type instanceof ArrowType.Map
            || type instanceof ArrowType.Struct) {
          throw new IllegalArgumentException(
              "CSV holds flat columns only, and '" + field.getName() + "' is "
                  + ArrowSchemas.describe(field) + ": read it from Parquet or JSON");
        }
      }
    }
  }

  private static Source of(Format format, String path, Schema schema) {
    return new Source(format, path, schema, true, ',', null, false);
  }

  public static Source parquet(String path, ArrowRecordType<?> type) {
    return of(Format.PARQUET, path, type.arrowSchema());
  }

  /** Parquet with the schema of Spark DDL: {@code "id BIGINT, name STRING"}. */
  public static Source parquet(String path, String ddl) {
    return of(Format.PARQUET, path, SparkDdl.toArrowSchema(ddl));
  }

  public static Source csv(String path, ArrowRecordType<?> type) {
    return of(Format.CSV, path, type.arrowSchema());
  }

  public static Source csv(String path, String ddl) {
    return of(Format.CSV, path, SparkDdl.toArrowSchema(ddl));
  }

  public static Source json(String path, ArrowRecordType<?> type) {
    return of(Format.JSON, path, type.arrowSchema());
  }

  public static Source json(String path, String ddl) {
    return of(Format.JSON, path, SparkDdl.toArrowSchema(ddl));
  }

  /** CSV: whether the first line of each file is a header (default true). */
  public Source withHeader(boolean header) {
    return new Source(format, path, schema, header, delimiter, nullValue, multiLine);
  }

  /** CSV: the field delimiter (default {@code ','}). */
  public Source withDelimiter(char delimiter) {
    return new Source(format, path, schema, header, delimiter, nullValue, multiLine);
  }

  /**
   * CSV: the text of a null value, such as {@code NA} or {@code \N} (Spark's {@code nullValue}
   * option), read as null in every column, quoted or not. An unquoted empty field is still null; a
   * quoted empty one ({@code ""}) is then an empty string, as Spark reads it (without a null text,
   * both are null). {@code ""} is the default: empty fields only.
   */
  public Source withNullValue(String nullValue) {
    Objects.requireNonNull(nullValue, "nullValue");
    if (format != Format.CSV) {
      throw new IllegalArgumentException("a null text is a CSV option, and " + this + " is "
          + format + ": in JSON, null is null");
    }
    return new Source(format, path, schema, header, delimiter, nullValue.isEmpty() ? null : nullValue,
        multiLine);
  }

  /**
   * Spark's {@code multiLine} (default false, as Spark's); each file is then read whole by one
   * Spark task (Spark cannot split it). CSV: whether a quoted value may hold line breaks. Without
   * it a line break in a value fails the read on both engines, as on Spark; with it a CRLF inside
   * a quoted value of a CRLF file reads as LF on both, as Spark reads it. JSON: whether each file
   * is one JSON array of objects, over any number of lines (as APIs and exports write them),
   * rather than one object per line. (Spark also reads a file of one object as one row, and of
   * several as its first object only; the DuckDB engine refuses such files.)
   */
  public Source withMultiLine(boolean multiLine) {
    if (format == Format.PARQUET) {
      throw new IllegalArgumentException("multiLine is a CSV and JSON option, and " + this
          + " is Parquet");
    }
    return new Source(format, path, schema, header, delimiter, nullValue, multiLine);
  }

  public Format format() {
    return format;
  }

  public String path() {
    return path;
  }

  /** The declared schema (the engines read every column as nullable). */
  public Schema schema() {
    return schema;
  }

  public boolean header() {
    return header;
  }

  public char delimiter() {
    return delimiter;
  }

  /** CSV: whether a quoted value may hold line breaks; JSON: whether a file is one array. */
  public boolean multiLine() {
    return multiLine;
  }

  /** CSV: the text of a null value besides an empty field, or null for empty fields only. */
  public String nullValue() {
    return nullValue;
  }

  @Override
  public String toString() {
    return format + " " + path;
  }
}

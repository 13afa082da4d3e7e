package io.github.sparkarrow.duckdb;

import static io.github.sparkarrow.duckdb.DuckDbTypes.literal;
import static io.github.sparkarrow.duckdb.DuckDbTypes.quote;

import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.SqlText;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowBatches;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.BatchFunctionReader;
import io.github.sparkarrow.runtime.SchemaCompatibility;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * The pipeline on embedded DuckDB ({@code org.duckdb:duckdb_jdbc}, an optional dependency: add it
 * to use this engine): an in-memory database in this process, no server, nothing to install.
 *
 * <p>A query is a DuckDB view. When an action reads a table of functions, they run over the
 * query's result as an Arrow stream ({@code DuckDBResultSet.arrowExportStream}, read through a
 * second connection to the same database, streamed as DuckDB makes it rather than held whole) on
 * a worker thread per core, one function after another on the same batch, and their output goes
 * back to DuckDB through the Arrow C Data Interface ({@code registerArrowStream}) straight into
 * the action's statement ({@code COPY … TO}, a count, the query a collect reads), or into a table
 * where {@code createView} keeps it. The engine is not thread-safe: one step at a time. Arrow
 * memory comes from the engine's allocator; each step frees what it took, and {@link #close()}
 * fails if anything leaked.
 *
 * <p>Timestamps: the engine sets DuckDB's {@code TimeZone} to its zone (the JVM's by default, as
 * Spark's session time zone is), so a TIMESTAMP is a {@code TIMESTAMPTZ} shown, cast and
 * truncated in that zone on both engines.
 */
public final class DuckDbEngine implements Engine {

  /** Rows per Arrow batch by default: Spark's {@code spark.sql.execution.arrow.maxRecordsPerBatch}. */
  public static final int DEFAULT_BATCH_SIZE = 10_000;

  static final String NAME = "duckdb";

  private final DuckDBConnection connection;
  /** Reads the input of a typed function while {@link #connection} stores its output. */
  private final DuckDBConnection input;
  private final BufferAllocator allocator;
  private final ZoneId zone;
  private final int batchSize;
  private int stages;
  /** What each view made by {@link Table#createView} reads, by {@link Reads#viewKey}. */
  private final Map<String, Reads> views = new HashMap<>();

  private DuckDbEngine(DuckDBConnection connection, ZoneId zone, int batchSize) throws SQLException {
    this.connection = connection;
    this.input = connection.duplicate();
    this.zone = zone;
    this.batchSize = batchSize;
    this.allocator = new RootAllocator();
    for (Connection c : List.of(connection, input)) {
      try (Statement statement = c.createStatement()) {
        statement.execute("SET TimeZone = " + literal(zone.getId()));
      }
    }
    // A function's input is read as DuckDB makes it: the JDBC driver would otherwise run the whole
    // query into memory (a copy of all of it, outside DuckDB's memory limit) before the first
    // batch. One result at a time on this connection, which is how stream() uses it.
    try (Statement statement = input.createStatement()) {
      statement.execute("SET jdbc_stream_results = true");
    }
  }

  /** A new in-memory database, in the JVM's time zone. */
  public static DuckDbEngine open() {
    return open(ZoneId.systemDefault(), DEFAULT_BATCH_SIZE);
  }

  /** A new in-memory database whose timestamps are shown in {@code zone}. */
  public static DuckDbEngine open(ZoneId zone, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
    }
    try {
      Connection connection = DriverManager.getConnection("jdbc:duckdb:");
      return new DuckDbEngine(connection.unwrap(DuckDBConnection.class), zone, batchSize);
    } catch (SQLException e) {
      throw error("could not open an in-memory database: " + e.getMessage(), e);
    }
  }

  /** The engine's JDBC connection, for what the engine does not cover (the caller must not close it). */
  public Connection connection() {
    return connection;
  }

  /** Bytes of Arrow memory the engine holds now: 0 between steps. */
  public long allocatedBytes() {
    return allocator.getAllocatedMemory();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Table read(Source source) {
    String path = source.path();
    Reads reads = Reads.path(Reads.localPath(path));
    Path root = Path.of(path); // a directory read as Spark reads one, or the file
    String file = path; // the file, as given (DuckDB may read more than local paths)
    List<Path> listed = null; // the files, absolute, if not only that file
    // Partition directories (key=value, as Spark's partitionBy writes them) give columns, read as
    // text (url-decoded) and cast to the declared type, as Spark does.
    // Each column's name as Spark reads it (its escapes undone) -> as DuckDB names it (as written).
    Map<String, String> partitions = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (DataFiles.isGlob(path) && !Files.exists(root)) { // matched as Spark matches it
      List<Path> matches = DataFiles.matches(path, source);
      if (matches.size() == 1) {
        root = matches.get(0);
        file = root.toString();
      } else {
        listed = DataFiles.files(matches, source);
      }
    }
    if (Files.isDirectory(root)) {
      Path directory = root;
      List<Path> relative = DataFiles.list(directory, source);
      DataFiles.partitionColumns(relative, source)
          .forEach(name -> partitions.put(PartitionDirectories.unescapeAsSpark(name), name));
      listed = relative.stream().map(directory::resolve).toList();
    }
    Schema declared = ArrowSchemas.asNullable(source.schema());
    DuckDbTypes.requireNoIntervals(declared, source.toString());
    if (listed != null && listed.isEmpty()) { // a directory without data files: no rows, as on Spark
      return new DuckDbTable(this, "SELECT " + String.join(", ", declared.getFields().stream()
          .map(f -> "CAST(NULL AS " + DuckDbTypes.sql(f) + ") AS " + quote(f.getName())).toList())
          + " LIMIT 0", reads);
    }
    List<String> paths = listed == null ? List.of(file) : listed.stream().map(Path::toString).toList();
    String files = listed == null ? literal(file)
        : "[" + String.join(", ", paths.stream().map(DuckDbTypes::literal).toList()) + "]";
    String hive = partitions.isEmpty() ? "hive_partitioning = false"
        : "hive_partitioning = true, hive_types_autocast = false";
    List<String> columns = new ArrayList<>();
    switch (source.format()) {
      case PARQUET -> {
        // Each file's columns by name, as Spark reads them: DuckDB would otherwise take the first
        // file's columns for all, and a column added to later files would read as null.
        String scan = "read_parquet(" + files + ", union_by_name = true, " + hive + ")";
        List<String> schemas = filesOfEachSchema(files, source);
        Schema written = parquetSchema(scan, schemas, source, declared, partitions);
        Map<String, Boolean> int96 = int96Columns(schemas, source, declared);
        for (Field field : declared.getFields()) {
          Field found = ArrowSchemas.byName(written.getFields(),
              partitions.getOrDefault(field.getName(), field.getName()));
          String column = found == null ? "NULL" : quote(found.getName());
          Boolean topLevel = found == null ? null : int96.get(found.getName());
          if (topLevel != null && hasInstant(field)) {
            if (!topLevel) {
              throw error(source + ": '" + found.getName() + "' holds INT96"
                  + " timestamps (Spark's default Parquet timestamps) inside a nested column,"
                  + " which the DuckDB engine cannot read as instants exactly. Write the files with"
                  + " spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS.", null);
            }
            // INT96 holds UTC wall time, which DuckDB reads as a TIMESTAMP without zone.
            column = "timezone('UTC', " + column + ")";
          }
          columns.add((partitions.containsKey(field.getName()) && found != null
              ? partitionValue(field, column, source)
              : "CAST(" + column + " AS " + DuckDbTypes.sql(field) + ")") + " AS " + quote(field.getName()));
        }
        return new DuckDbTable(this, "SELECT " + String.join(", ", columns) + " FROM " + scan, reads);
      }
      case CSV, JSON -> {
        List<String> types = new ArrayList<>();
        for (Field field : declared.getFields()) {
          String column = quote(field.getName());
          if (partitions.containsKey(field.getName())) { // not in the files: text from the directories
            column = partitionValue(field, quote(partitions.get(field.getName())), source);
          } else {
            if (source.nullValue() != null) { // quoted too, as Spark (see the options below)
              column = "nullif(" + column + ", " + literal(source.nullValue()) + ")";
            }
            String checked = asSparkParses(source, field, column);
            if (checked == null && source.format() == Source.Format.CSV
                && field.getType() instanceof ArrowType.Utf8) {
              checked = lineBreaks(source, field.getName(), column);
            }
            String text = source.format() == Source.Format.JSON ? jsonReadType(field) : "VARCHAR";
            types.add(literal(field.getName()) + ": "
                + literal(checked != null ? text : DuckDbTypes.sql(field)));
            column = checked != null ? checked : column;
          }
          columns.add(column + " AS " + quote(field.getName()));
        }
        String csv = "header = " + source.header() + ", delim = "
            + literal(String.valueOf(source.delimiter()));
        if (source.nullValue() != null) {
          // As Spark: the text and an unquoted empty field are null, a quoted "" is empty text.
          // DuckDB takes quoted nulls for both or neither: neither here, and the text's quoted
          // form is made null above.
          csv += ", nullstr = [" + literal(source.nullValue()) + ", ''], allow_quoted_nulls = false";
        }
        if (source.format() == Source.Format.CSV) {
          requireCsvFields(paths, declared.getFields().stream().map(Field::getName)
              .filter(name -> !partitions.containsKey(name)).toList(), source);
        }
        String options = source.format() == Source.Format.CSV ? csv + ", auto_detect = false"
            : source.multiLine() ? "format = 'array'" : "format = 'newline_delimited'";
        // JSON by key: with only partition columns declared, no file column is named.
        String named = types.isEmpty() ? "" : ", columns = {" + String.join(", ", types) + "}";
        String scan = (source.format() == Source.Format.CSV ? "read_csv(" : "read_json(") + files
            + ", " + options + ", " + hive + named + ")";
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + scan;
        prepare(sql);
        return new DuckDbTable(this, sql, reads);
      }
      default -> throw new IllegalArgumentException(source.format().toString());
    }
  }

  /**
   * {@code column} (read as text from CSV, as JSON from JSON) parsed as Spark parses a value of
   * {@code field}'s type, where DuckDB alone would take more. In CSV: a BOOLEAN of {@code yes},
   * {@code 1} or {@code t}; an INT of {@code 7.0}, {@code  7} or {@code 1e3}; a DOUBLE of {@code
   * inf}, {@code nan} or {@code 1_000}; a DECIMAL of {@code  1.5}; a DATE or TIMESTAMP of {@code
   * 2024/01/05}; a TIMESTAMP_NTZ with a zone ({@code Z}), which DuckDB would drop. In JSON, see
   * {@link #fromJson}. A value Spark would fail on fails the read, naming it and its column. Null
   * for the types whose values both engines read alike (or that are not checked).
   */
  private static String asSparkParses(Source source, Field field, String column) {
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
   * A CSV text {@code column} with line breaks (which only a quoted value holds) as Spark reads
   * it: without {@code multiLine} an error, as Spark fails on the broken record; with it a CRLF
   * read as LF, as Spark reads it from a CRLF file.
   */
  private static String lineBreaks(Source source, String name, String column) {
    if (source.multiLine()) {
      return "replace(" + column + ", chr(13) || chr(10), chr(10))";
    }
    return "CASE WHEN contains(" + column + ", chr(10)) OR contains(" + column + ", chr(13)) THEN"
        + " error(concat(" + literal(source + ": a quoted value in column " + name + " holds a line"
            + " break, which Spark reads only with multiLine: read the source withMultiLine(true)"
            + " (the value's first line: '") + ", regexp_extract(" + column + ", '^[^\\r\\n]*'), "
        + literal("')") + ")) ELSE " + column + " END";
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
    String parts = "regexp_extract(" + text + ", " + literal("^" + TIMESTAMP_TEXT + "$")
        + ", ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z'])";
    String hour = "coalesce(TRY_CAST(ts__.h AS BIGINT), 0)";
    String minute = "coalesce(TRY_CAST(ts__.mi AS BIGINT), 0)";
    String second = "coalesce(TRY_CAST(ts__.s AS BIGINT), 0)";
    String local = "CASE WHEN " + hour + " < 24 AND " + minute + " < 60 AND " + second + " < 60"
        + " THEN CAST(TRY_CAST(concat(ts__.y, '-', coalesce(nullif(ts__.mo, ''), '1'), '-',"
        + " coalesce(nullif(ts__.d, ''), '1')) AS DATE) AS TIMESTAMP) + to_microseconds(((" + hour
        + " * 60 + " + minute + ") * 60 + " + second + ") * 1000000"
        + " + CAST(rpad(left(ts__.f, 6), 6, '0') AS BIGINT)) END";
    if (!isInstant(type)) {
      return "CASE WHEN regexp_full_match(" + text + ", " + literal(PLAIN_TIMESTAMP + "\\s*")
          + ") THEN TRY_CAST(" + text + " AS TIMESTAMP) ELSE list_transform([" + parts
          + "], lambda ts__: CASE WHEN trim(ts__.z) = '' THEN " + local + " END)[1] END";
    }
    // Spark's rewrites of +h:mm and +hh:m, then the offset's sign and digits
    String zone = "regexp_replace(regexp_replace(" + SHORT_ZONES + ", '([+-])([0-9]):', '\\10\\2:'),"
        + " '([+-][0-9][0-9]):([0-9])$', '\\1:0\\2')";
    String offset = "regexp_extract(tz__.z, " + literal("^" + OFFSET + "$") + ", ['sign', 'd'])";
    String digits = "replace(o__.d, ':', '')";
    String hours = "CAST(CASE WHEN length(" + digits + ") <= 2 THEN " + digits + " ELSE left("
        + digits + ", 2) END AS BIGINT)";
    String minutes = "coalesce(TRY_CAST(substr(" + digits + ", 3, 2) AS BIGINT), 0)";
    String seconds = "coalesce(TRY_CAST(substr(" + digits + ", 5, 2) AS BIGINT), 0)";
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
    String date = "regexp_extract(" + text + ", '^\\s*\\+?([0-9]{4,7}(-[0-9]{1,2}){0,2})', 1)";
    return "concat(" + date + ", CASE WHEN regexp_full_match(" + date + ", '[0-9]+') THEN '-01-01'"
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
                ? "regexp_replace(" + text + ", '([0-9.])[fFdD]', '\\1')" : text)
        + " AS " + DuckDbTypes.sql(field) + ")";
  }

  /**
   * The value of a partition column, {@code column} the text of its directories: cast to the
   * declared type as Spark casts it with ANSI SQL, a local time as an instant of the engine's zone
   * as Spark reads it (the earlier one where a DST change repeats the hour; DuckDB's cast would
   * take the later).
   */
  private static String partitionValue(Field field, String column, Source source) {
    String refused = "error(concat(" + literal(source + ": '") + ", " + column + ", "
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
  private static String jsonReadType(Field field) {
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
    return "error(concat(" + literal(source + ": '") + ", CAST(" + value + " AS VARCHAR), "
        + literal("' in column " + path + " is no " + ArrowSchemas.sqlName(type) + " as Spark reads "
            + source.format() + " (Spark's FAILFAST mode fails on it)") + "))";
  }

  /**
   * The CSV files' first lines checked against the {@code declared} columns (partition columns
   * aside), in the words Spark's engine uses: CSV is read by position, so a line of another number
   * of fields would be read under other columns or fail in DuckDB's words, and a header of other
   * names (or in another order) would put values under other columns' names. Without a header, the
   * first file's first line is counted (as Spark's engine counts the fields Spark infers from it);
   * with one, every file's header, as Spark checks each file's ({@code enforceSchema=false}).
   * Empty files have no line to check.
   */
  private void requireCsvFields(List<String> files, List<String> declared, Source source) {
    for (String file : files) {
      if (new File(file).length() == 0) {
        continue;
      }
      List<String> fields = csvFields(firstLine(file, source), source.delimiter());
      if (fields.size() != declared.size()) {
        throw EngineException.csvFields(NAME, source, "the first line of " + file, fields.size(),
            declared.size());
      }
      if (!source.header()) {
        return;
      }
      EngineException header = EngineException.csvHeader(NAME, source, file, fields, declared);
      if (header != null) {
        throw header;
      }
    }
  }

  /**
   * The first line of a CSV file, whole: read here from a plain local file (a directory of many
   * files is read quickly), else by DuckDB, which decompresses it.
   */
  private String firstLine(String file, Source source) {
    Path path = Path.of(file);
    if (Files.isRegularFile(path) && !file.endsWith(".gz") && !file.endsWith(".zst")) {
      try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path))) {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
          line.write(b);
        }
        return line.toString(java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw error("cannot read " + file + " of " + source + ": " + e, e);
      }
    }
    String sql = "SELECT * FROM read_csv(" + literal(file) + ", header = false, auto_detect = false,"
        + " columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '',"
        + " strict_mode = false, hive_partitioning = false) LIMIT 1";
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
    } catch (SQLException e) {
      throw error("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** The fields of a CSV line: RFC 4180 quoting, a byte order mark and a {@code \r} left out. */
  private static List<String> csvFields(String line, char delimiter) {
    line = line.startsWith("\uFEFF") ? line.substring(1) : line;
    line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        field.append(c); // a doubled quote inside a quoted field
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == delimiter && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
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

  /**
   * One file of each schema the Parquet {@code files} have (the first by name), in order: a
   * directory written over time holds several.
   */
  private List<String> filesOfEachSchema(String files, Source source) {
    String sql = "SELECT min(file_name) FROM (SELECT file_name, list_sort(list(concat_ws(':', name,"
        + " type, repetition_type, num_children, converted_type, scale, precision, logical_type)))"
        + " AS signature FROM parquet_schema(" + files + ") GROUP BY file_name) GROUP BY signature"
        + " ORDER BY 1";
    List<String> found = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        found.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw error("cannot read " + source + ": " + e.getMessage(), e);
    }
    return found;
  }

  /**
   * The columns of the Parquet files ({@code scan}, all of them by name) that the declared schema
   * reads; each schema among them (one file of each, {@code schemas}) checked against the declared
   * one by Spark's rules, as Spark reads each file.
   */
  private Schema parquetSchema(String scan, List<String> schemas, Source source, Schema declared,
      Map<String, String> partitions) {
    List<String> problems = new ArrayList<>();
    for (String file : schemas) {
      List<String> found = new ArrayList<>();
      Schema written = sparkStyle(exportedParquetSchema(
          "read_parquet(" + literal(file) + ", hive_partitioning = false)", source), declared, found);
      found.addAll(SchemaCompatibility.canRead(declared, written).problems());
      String where = schemas.size() > 1 ? "in " + file + ": " : "";
      found.forEach(problem -> problems.add(where + problem));
    }
    if (!problems.isEmpty()) {
      throw error(source + " cannot be read with the declared schema:\n  "
          + String.join("\n  ", problems), null);
    }
    // The scan's partition columns are named as their directories (escapes and all).
    Schema asScanned = new Schema(declared.getFields().stream()
        .map(f -> new Field(partitions.getOrDefault(f.getName(), f.getName()), f.getFieldType(), f.getChildren()))
        .toList());
    return sparkStyle(exportedParquetSchema(scan, source), asScanned, new ArrayList<>());
  }

  private Schema exportedParquetSchema(String scan, Source source) {
    try {
      return exportedSchema("SELECT * FROM " + scan + " LIMIT 0");
    } catch (EngineException e) {
      throw error("cannot read " + source + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The columns of {@code exported} that {@code declared} reads, as Spark types; problems added. */
  private static Schema sparkStyle(Schema exported, Schema declared, List<String> problems) {
    List<Field> read = new ArrayList<>();
    for (Field field : exported.getFields()) {
      if (ArrowSchemas.byName(declared.getFields(), field.getName()) != null) {
        read.add(field);
      }
    }
    return DuckDbTypes.sparkStyle(new Schema(read), "UTC", problems);
  }

  /**
   * The top-level columns of the Parquet files (one of each schema) that hold INT96 timestamps:
   * true if the column is one, false if one is nested inside it. A column {@code declared} reads
   * that holds them in some files and not in others is refused: DuckDB reads the two as different
   * types.
   */
  private Map<String, Boolean> int96Columns(List<String> schemas, Source source, Schema declared) {
    Map<String, Boolean> int96 = new HashMap<>(); // a column's value in the first file that has it
    Map<String, String> firstFile = new HashMap<>();
    for (String file : schemas) {
      for (Map.Entry<String, Boolean> column : int96Columns(file).entrySet()) {
        String name = column.getKey();
        if (!firstFile.containsKey(name)) {
          firstFile.put(name, file);
          int96.put(name, column.getValue());
        } else if (!java.util.Objects.equals(int96.get(name), column.getValue())
            && ArrowSchemas.byName(declared.getFields(), name) != null) {
          throw error(source + ": '" + name + "' holds INT96 timestamps"
              + " (Spark's default Parquet timestamps) in some files and other timestamps in others ("
              + firstFile.get(name) + ", " + file + "), which the DuckDB engine cannot read as one"
              + " column. Rewrite the files with spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS,"
              + " or read them on Spark.", null);
        }
      }
    }
    int96.values().removeIf(java.util.Objects::isNull);
    return int96;
  }

  /**
   * Every top-level column of a Parquet file: true if it holds INT96 timestamps, false if one is
   * nested inside it, null if it holds none.
   */
  private Map<String, Boolean> int96Columns(String file) {
    List<String[]> nodes = new ArrayList<>();
    String sql = "SELECT name, type, num_children FROM parquet_schema(" + literal(file) + ")";
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        nodes.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      }
    } catch (SQLException e) {
      throw error(e.getMessage() + "\nquery: " + sql, e);
    }
    Map<String, Boolean> int96 = new HashMap<>();
    int[] at = {1};
    int columns = nodes.isEmpty() || nodes.get(0)[2] == null ? 0 : Integer.parseInt(nodes.get(0)[2]);
    for (int i = 0; i < columns && at[0] < nodes.size(); i++) {
      String[] column = nodes.get(at[0]);
      if ("INT96".equals(column[1])) {
        int96.put(column[0], true);
        at[0]++;
      } else {
        int96.put(column[0], skipHasInt96(nodes, at) ? false : null);
      }
    }
    return int96;
  }

  /** Skips the subtree at {@code at}; whether it holds an INT96 leaf. */
  private static boolean skipHasInt96(List<String[]> nodes, int[] at) {
    String[] node = nodes.get(at[0]++);
    boolean found = "INT96".equals(node[1]);
    int children = node[2] == null ? 0 : Integer.parseInt(node[2]);
    for (int i = 0; i < children && at[0] < nodes.size(); i++) {
      found |= skipHasInt96(nodes, at);
    }
    return found;
  }

  private static boolean hasInstant(Field field) {
    if (field.getType() instanceof ArrowType.Timestamp t && t.getTimezone() != null) {
      return true;
    }
    for (Field child : field.getChildren()) {
      if (hasInstant(child)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Table sql(String query) {
    String trimmed = SqlText.of(NAME, query);
    prepare(trimmed);
    return new DuckDbTable(this, trimmed, Reads.views(tableNames(trimmed)));
  }

  /** Checks {@code query} as DuckDB prepares it: unknown tables, columns, functions fail here. */
  private void prepare(String query) {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      // prepared: nothing run
    } catch (SQLException e) {
      throw error("DuckDB rejected the query: " + e.getMessage()
          + "\nquery: " + query + "\n(see the README's \"SQL on both engines\")", e);
    }
  }

  /**
   * The names of the tables and views {@code query} (one DuckDB has prepared) reads, at any depth,
   * as DuckDB's parser finds them; every view's name if it cannot tell.
   */
  private Set<String> tableNames(String query) {
    if (views.isEmpty()) {
      return Set.of(); // none to name: a query naming a view made later would not prepare
    }
    String sql = "SELECT json_extract_string(j, '$.error') = 'true',"
        + " json_extract_string(j, '$..table_name') FROM (SELECT json_serialize_sql(?) AS j)";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, query);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          return views.keySet();
        }
        Set<String> names = new HashSet<>();
        for (Object name : (Object[]) rs.getArray(2).getArray()) {
          names.add(String.valueOf(name));
        }
        return names;
      }
    } catch (SQLException e) { // DuckDB prepared it: never fail a query for this
      return views.keySet();
    }
  }

  @Override
  public Table range(long end) {
    return new DuckDbTable(this, "SELECT range AS id FROM range(" + end + ")", Reads.NONE);
  }

  @Override
  public <T extends Record> Table fromRecords(ArrowRecordType<T> type, List<T> records) {
    DuckDbTypes.requireNoIntervals(type.arrowSchema(), type.recordClass().getName());
    return store(
        "writing the records of " + type.recordClass().getSimpleName(),
        child -> new BatchFunctionReader(child, type.arrowSchema(),
            context -> ArrowBatches.write(
                records.iterator(), context.closeAtEnd(type.newWriter(context.allocator())), batchSize),
            null));
  }

  @Override
  public void close() {
    try {
      input.close();
      connection.close();
    } catch (SQLException e) {
      throw error("closing the database failed: " + e.getMessage(), e);
    } finally {
      allocator.close();
    }
  }

  // ---- for DuckDbTable

  String zone() {
    return zone.getId();
  }

  /** Runs a statement that returns nothing. */
  void execute(String sql) {
    execute(sql, () -> {});
  }

  /**
   * Runs a statement that returns nothing, after {@code beforeRunning}, which runs only if DuckDB
   * accepts the statement.
   */
  void execute(String sql, Runnable beforeRunning) {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      beforeRunning.run();
      statement.execute();
    } catch (SQLException e) {
      throw error(e.getMessage() + "\nstatement: " + sql, e);
    }
  }

  /** The one number {@code sql} returns. */
  long queryLong(String sql) {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw error(e.getMessage() + "\nquery: " + sql, e);
    }
  }

  /** The Arrow schema DuckDB exports for {@code sql}'s result. */
  Schema exportedSchema(String sql) {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql);
        ArrowReader reader =
            (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, 1)) {
      return reader.getVectorSchemaRoot().getSchema();
    } catch (UnsupportedOperationException e) {
      throw error("the result has a column Arrow Java 12.0.1 cannot import ("
          + e.getMessage() + "; DuckDB's INTERVAL is one): CAST it in the SQL. query: " + sql, e);
    } catch (SQLException | IOException e) {
      throw error(e.getMessage() + "\nquery: " + sql, e);
    }
  }

  /**
   * Runs {@code sql} and hands its result, as Arrow batches of {@code schema} (the same layout as
   * DuckDB's, relabelled), to {@code consumer}; the reader is closed after it.
   */
  <R> R query(String sql, Schema schema, Function<ArrowReader, R> consumer) {
    try (BufferAllocator child = allocator.newChildAllocator("query", 0, Long.MAX_VALUE);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql);
        ArrowReader reader = new RelabeledReader(child,
            (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(child, batchSize),
            schema)) {
      return consumer.apply(reader);
    } catch (SQLException | IOException e) {
      throw error(e.getMessage() + "\nquery: " + sql, e);
    }
  }

  /**
   * Runs {@code function} over the result of {@code inputSql}, read through the second connection
   * as batches of {@code inputSchema}, on a worker per core, and hands a query of its output
   * (batches of {@code outSchema}, registered with DuckDB as a view) to {@code use}: SQL that
   * reads it once (to store, count, write or select it), run on the engine's connection while the
   * function runs. The function's exception is the cause of the one thrown.
   */
  <R> R stream(String what, String inputSql, Schema inputSchema, ArrowBatchFunction function,
      Schema outSchema, Function<String, R> use) {
    String name = newTableName();
    try (BufferAllocator child = allocator.newChildAllocator(name, 0, Long.MAX_VALUE);
        Statement statement = input.createStatement();
        ResultSet rs = statement.executeQuery(inputSql)) {
      ArrowReader in = new RelabeledReader(child,
          (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(child, batchSize),
          inputSchema);
      ParallelFunctionReader reader = new ParallelFunctionReader(
          child, in, function, outSchema, Runtime.getRuntime().availableProcessors(), name);
      return scan(what, name + "_stream", child, reader, reader::failure, use);
    } catch (SQLException e) {
      throw error(what + " failed: " + e.getMessage() + "\nquery: " + inputSql, e);
    }
  }

  /** Stores the batches {@code output} makes as a new DuckDB table, and returns it. */
  DuckDbTable store(String what, Function<BufferAllocator, BatchFunctionReader> output) {
    String table = newTableName();
    try (BufferAllocator child = allocator.newChildAllocator(table, 0, Long.MAX_VALUE)) {
      BatchFunctionReader reader = output.apply(child);
      scan(what, table + "_stream", child, reader, reader::failure, storeAs(table));
    }
    return new DuckDbTable(this, "SELECT * FROM " + quote(table), Reads.NONE);
  }

  /** What each view made by {@link Table#createView} reads now. */
  Map<String, Reads> views() {
    return views;
  }

  /** SQL that stores the rows of a query as a new table {@code table}. */
  Function<String, Void> storeAs(String table) {
    return rows -> {
      execute("CREATE TABLE " + quote(table) + " AS " + rows);
      return null;
    };
  }

  /**
   * SQL that stores the output of functions as a new table {@code table}, letting DuckDB store
   * the rows in any order: they have none (the workers interleave their batches), and so DuckDB
   * inserts them on every core. The database's {@code preserve_insertion_order} (a global
   * setting) is set back after.
   */
  Function<String, Void> storeUnordered(String table) {
    return rows -> {
      boolean preserve;
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery("SELECT current_setting('preserve_insertion_order')")) {
        rs.next();
        preserve = rs.getBoolean(1);
      } catch (SQLException e) {
        throw error(e.getMessage(), e);
      }
      execute("SET preserve_insertion_order = false");
      try {
        return storeAs(table).apply(rows);
      } finally {
        execute("SET preserve_insertion_order = " + preserve);
      }
    };
  }

  /** A new name for a table or a stream the engine makes. */
  String newTableName() {
    return "__sparkarrow_" + (++stages);
  }

  /**
   * The schema DuckDB gives a stream of {@code schema}'s batches: registers an empty one and
   * asks.
   */
  Schema importedSchema(Schema schema) {
    String name = newTableName();
    try (BufferAllocator child = allocator.newChildAllocator(name, 0, Long.MAX_VALUE)) {
      BatchFunctionReader empty = new BatchFunctionReader(
          child, schema, context -> Collections.emptyIterator(), null);
      return scan("reading the schema", name + "_stream", child, empty, empty::failure,
          rows -> exportedSchema(rows + " LIMIT 0"));
    }
  }

  /**
   * Hands {@code reader} to DuckDB through the C Data Interface as view {@code view}, hands a
   * query of it to {@code use} (SQL that reads it once) and closes the reader. A failure of the
   * reader (which DuckDB only has as text) is thrown as the cause.
   */
  private <R> R scan(String what, String view, BufferAllocator allocator, ArrowReader reader,
      Supplier<Throwable> failure, Function<String, R> use) {
    R result;
    try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      Data.exportArrayStream(allocator, reader, stream);
      connection.registerArrowStream(view, stream);
      result = use.apply("SELECT * FROM " + quote(view));
    } catch (RuntimeException e) {
      Throwable cause = failure.get();
      if (cause != null) {
        throw error(what + " failed: " + cause, cause);
      }
      String message = e instanceof EngineException ? e.getMessage().replaceFirst("^" + NAME + ": ", "")
          : e.getMessage();
      throw error(what + " failed: " + message, e);
    } finally {
      dropQuietly(view);
      closeQuietly(reader); // if DuckDB did not release the stream
    }
    Throwable cause = failure.get(); // closing it: a leak, which DuckDB's release swallows
    if (cause != null) {
      throw error(what + " failed: " + cause, cause);
    }
    return result;
  }

  /**
   * An error of this engine, without the advice DuckDB's file readers add ("Try setting
   * 'ignore_errors' to true", "Possible fixes: ... null_padding=true"): options the engine does not
   * take, most of which would skip or null what does not fit.
   */
  static EngineException error(String message, Throwable cause) {
    String advice = "\\R(Try (setting|increasing) [^\\n]*|Possible fixes:(\\R([*\\s].*)?)*)";
    String cleaned = message.replaceAll(advice, "\n(The engine reads files as Spark's FAILFAST mode"
        + " does, with the declared schema: fix the file, or declare the schema it has.)\n");
    cleaned = cleaned.equals(message) ? message : cleaned.replaceAll("\\R{2,}", "\n").strip();
    if (cleaned.contains("Expected top-level JSON array")) {
      cleaned += "\n(A JSON source read withMultiLine(true) is one array of objects per file on"
          + " the DuckDB engine; read files of one object per line without it.)";
    }
    if (cleaned.contains("unexpected content after document")) { // DuckDB's advice: its option
      cleaned = cleaned.replace(" Try auto-detecting the JSON format", "") + "\n(The engine reads"
          + " one JSON object per line, or withMultiLine(true) one array per file; Spark would read"
          + " the first object of such a line and drop the rest without a word.)";
    }
    if (cleaned.contains("byte order mark (BOM) is not supported")) {
      cleaned += "\n(Spark skips the mark; DuckDB's JSON reader refuses it: save the file as UTF-8"
          + " without a byte order mark.)";
    }
    return new EngineException(NAME, cleaned, cause);
  }

  /** Drops a table the engine made for one action, if it is there. */
  void dropTable(String table) {
    execute("DROP TABLE IF EXISTS " + quote(table));
  }

  private void dropQuietly(String view) {
    try (Statement drop = connection.createStatement()) {
      drop.execute("DROP VIEW IF EXISTS " + quote(view));
    } catch (SQLException e) {
      // the view was never created
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        // nothing left to free
      }
    }
  }
}

package io.github.sparkarrow.spark;

import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.SqlText;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowRecordType;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedExtractValue;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.trees.Origin;
import org.apache.spark.sql.types.StringType;
import scala.collection.JavaConverters;

/**
 * The pipeline on Spark, over a {@code SparkSession} (local or a cluster), through {@link
 * SparkArrow}: a table is a DataFrame, a view a temporary view, a typed function {@code
 * SparkArrow.mapBatches}. Nothing runs before an action ({@code writeParquet}, {@code collect},
 * {@code count}); a failed job is an {@link EngineException} whose cause is the first exception
 * that is not Spark's own (a typed function's, with its partition and row).
 */
public final class SparkEngine implements Engine {

  static final String NAME = "spark";

  private final SparkSession spark;
  private final boolean owned;
  /** What each view made by {@link Table#createView} reads, by {@link Reads#viewKey}. */
  private final Map<String, Reads> views = new HashMap<>();

  private SparkEngine(SparkSession spark, boolean owned) {
    this.spark = spark;
    this.owned = owned;
  }

  /**
   * An engine over {@code spark}, which stays the caller's: {@link #close()} leaves it running.
   * The session must have the {@link #SQL_SETTINGS} (set them with {@code spark.conf().set}):
   * {@link #read} and {@link #sql} refuse it otherwise, saying which are missing.
   */
  public static SparkEngine of(SparkSession spark) {
    return new SparkEngine(spark, false);
  }

  /**
   * An engine over a new Spark session in local mode ({@code local[*]}, no UI, the driver on
   * 127.0.0.1, a shuffle partition per core), stopped by {@link #close()}. It writes Parquet as other engines read it:
   * timestamps as {@code TIMESTAMP_MICROS} (not Spark's default INT96), and dates before 1582 as
   * they are (proleptic Gregorian, {@code CORRECTED}), where Spark 3.5 otherwise refuses. It reads
   * SQL as DuckDB does: {@link #SQL_SETTINGS}.
   */
  public static SparkEngine local() {
    if (SparkSession.getDefaultSession().isDefined()) {
      throw new IllegalStateException("a Spark session already runs in this JVM, and local() would"
          + " stop it at close: use SparkEngine.of(spark)");
    }
    return new SparkEngine(
        SparkSession.builder()
            .appName("spark-arrow-java")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            // One machine: as many shuffle partitions as cores, not Spark's cluster default of 200.
            .config("spark.sql.shuffle.partitions", Runtime.getRuntime().availableProcessors())
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .config("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED")
            .config("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED")
            .config(SQL_SETTINGS)
            .getOrCreate(),
        true);
  }

  /**
   * The session settings under which Spark reads SQL as DuckDB does, which the engine requires:
   * ANSI SQL (a value that does not cast, an overflow, a division by zero fail, where Spark 3.5
   * would give NULL or a wrapped value); double quotes name a column (Spark otherwise reads them
   * as a string), so one SQL text quotes a keyword the same way on both; a backslash in a string
   * is itself, as in standard SQL ({@code 'C:\temp'}, {@code '\d+'}; Spark otherwise reads
   * escapes, {@code '\t'} a tab, and drops other backslashes); names in any case ({@code ID}
   * finds {@code id}, as in DuckDB; Spark's default, which a session may have turned off).
   */
  public static final Map<String, Object> SQL_SETTINGS = Collections.unmodifiableMap(new TreeMap<>(
      Map.of("spark.sql.ansi.enabled", true,
          "spark.sql.ansi.doubleQuotedIdentifiers", true,
          "spark.sql.parser.escapedStringLiterals", true,
          "spark.sql.caseSensitive", false)));

  /**
   * Refuses a session without {@link #SQL_SETTINGS} (one given to {@link #of}, or changed since):
   * the same SQL, and the same files, would give other results on Spark than on DuckDB, without
   * a word.
   */
  void requireSqlSettings() {
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Object> setting : SQL_SETTINGS.entrySet()) {
      if (!String.valueOf(setting.getValue()).equalsIgnoreCase(
          spark.conf().get(setting.getKey(), "false"))) {
        missing.add(setting.getKey() + "=" + setting.getValue());
      }
    }
    if (!missing.isEmpty()) {
      throw new EngineException(NAME, "the session does not read SQL as the engine does: set "
          + String.join(", ", missing) + " on it (SparkEngine.local() sets them; see"
          + " SparkEngine.SQL_SETTINGS). Without them the same SQL gives other results on Spark than"
          + " on DuckDB: a value that does not cast reads as NULL, \"text\" is a string, '\\t'"
          + " a tab, a column named in another case is not found.", null);
    }
  }

  public SparkSession session() {
    return spark;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Table read(Source source) {
    return new SparkSourceReader(this).read(source);
  }

  @Override
  public Table sql(String query) {
    requireSqlSettings();
    String trimmed = SqlText.of(NAME, query);
    try {
      Set<String> names = tableNames(trimmed); // parsed: a subscript refused before Spark binds it
      Dataset<Row> df = spark.sql(trimmed);
      // Spark binds the views a query names now: what they read now is what it reads.
      return new SparkTable(this, df, Reads.views(names).resolve(views));
    } catch (EngineException e) {
      throw e;
    } catch (Exception e) { // AnalysisException, ParseException
      throw new EngineException(NAME, "Spark rejected the query: " + e.getMessage()
          + "\nquery: " + trimmed + "\n(see the README's \"SQL on both engines\")", e);
    }
  }

  @Override
  public Table range(long end) {
    return new SparkTable(this, spark.range(end).toDF("id"), Reads.NONE);
  }

  @Override
  public <T extends Record> Table fromRecords(ArrowRecordType<T> type, List<T> records) {
    return new SparkTable(this, SparkArrow.createDataFrame(spark, records, type), Reads.NONE);
  }

  @Override
  public void close() {
    if (owned) {
      spark.stop();
    }
  }

  /**
   * The names of the tables and views {@code query} (one Spark has parsed) reads, at any depth: in
   * its subqueries and common table expressions too. A subscript whose index is not a text in
   * quotes is refused ({@link EngineException#subscript}), as the DuckDB engine refuses it.
   */
  private Set<String> tableNames(String query) throws ParseException {
    Set<String> names = new HashSet<>();
    List<LogicalPlan> pending = new ArrayList<>();
    pending.add(spark.sessionState().sqlParser().parsePlan(query));
    while (!pending.isEmpty()) {
      LogicalPlan plan = pending.remove(pending.size() - 1);
      if (plan instanceof UnresolvedRelation relation) {
        names.add(relation.multipartIdentifier().last());
      }
      JavaConverters.seqAsJavaList(plan.expressions()).forEach(e -> requireTextSubscripts(e, query));
      pending.addAll(JavaConverters.seqAsJavaList(plan.children()));
      for (Object inner : JavaConverters.seqAsJavaList(plan.innerChildren())) {
        if (inner instanceof LogicalPlan innerPlan) { // subqueries, a WITH's expressions
          pending.add(innerPlan);
        }
      }
    }
    return names;
  }

  private static void requireTextSubscripts(Expression expression, String query) {
    if (expression instanceof UnresolvedExtractValue subscript
        && !(subscript.extraction() instanceof Literal index
            && index.dataType() instanceof StringType)) {
      Origin origin = subscript.origin();
      String text = origin.startIndex().isDefined() && origin.stopIndex().isDefined()
          ? query.substring((Integer) origin.startIndex().get(), (Integer) origin.stopIndex().get() + 1)
          : subscript.toString();
      throw EngineException.subscript(NAME, text, query);
    }
    JavaConverters.seqAsJavaList(expression.children()).forEach(e -> requireTextSubscripts(e, query));
  }

  // ---- for SparkTable

  /** What each view made by {@link Table#createView} reads, by {@link Reads#viewKey}. */
  Map<String, Reads> views() {
    return views;
  }

  /**
   * {@code path} as {@link Reads} compares paths: qualified by its file system, a local one
   * through symbolic links, read ({@link Reads#localPath}) or {@code written} ({@link
   * Reads#writtenPath}).
   */
  String pathKey(org.apache.hadoop.fs.Path path, boolean written) {
    try {
      URI uri = path.getFileSystem(spark.sessionState().newHadoopConf()).makeQualified(path).toUri();
      return !"file".equals(uri.getScheme()) ? uri.toString()
          : written ? Reads.writtenPath(uri.getPath()) : Reads.localPath(uri.getPath());
    } catch (IOException | RuntimeException e) { // no such file system: the path as given
      return path.toString();
    }
  }

  /**
   * Refuses {@code path}, for {@code what} (a read or a write), if it or a directory above it on
   * its file system is a Delta table ({@link Reads#deltaTable}); {@code itself}: only if it is one
   * (a directory a glob matched, whose parents are the glob's).
   */
  void requireNotDelta(String path, String what, boolean writing, boolean itself) {
    String delta;
    try {
      org.apache.hadoop.fs.Path given = new org.apache.hadoop.fs.Path(path);
      org.apache.hadoop.fs.FileSystem fs = given.getFileSystem(spark.sessionState().newHadoopConf());
      java.util.function.Predicate<String> isDirectory = directory -> {
        try {
          return fs.getFileStatus(new org.apache.hadoop.fs.Path(directory)).isDirectory();
        } catch (IOException | RuntimeException e) { // none there
          return false;
        }
      };
      String qualified = fs.makeQualified(given).toString();
      delta = !itself ? Reads.deltaTable(qualified, isDirectory)
          : isDirectory.test(qualified + "/_delta_log") ? qualified : null;
    } catch (IOException | RuntimeException e) { // no such file system: Spark says so
      return;
    }
    if (delta != null) {
      throw EngineException.deltaTable(NAME, what, delta, writing);
    }
  }

  String zone() {
    return spark.sessionState().conf().sessionLocalTimeZone();
  }

  /** Runs an action; a failed job is thrown with its first cause that is not Spark's own. */
  <R> R action(String what, Supplier<R> action) {
    try {
      return action.get();
    } catch (Exception e) { // SparkException is checked in Java, and thrown all the same
      if (e instanceof IllegalArgumentException) {
        throw new EngineException(NAME, what + ": " + e.getMessage(), e);
      }
      Throwable cause = e;
      while (cause.getCause() != null && isSpark(cause)) {
        cause = cause.getCause();
      }
      String message = String.valueOf(cause.getMessage());
      String advice = message.contains("MALFORMED_CSV_RECORD")
          ? " (a CSV line Spark cannot split into fields: a quoted value that holds a line break,"
              + " which Spark reads only with Source.withMultiLine(true), or a line of another"
              + " number of fields)"
          : message.contains("Unsupported encoding: BYTE_STREAM_SPLIT")
          ? " (" + fileRead(e) + "Spark 3.5's vectorized Parquet reader cannot read floats and"
              + " doubles written in the BYTE_STREAM_SPLIT encoding, as DuckDB writes them with"
              + " PARQUET_VERSION V2 and pyarrow with use_byte_stream_split; the DuckDB engine reads"
              + " them. Rewrite the files without it (DuckDB: PARQUET_VERSION V1), or set"
              + " spark.sql.parquet.enableVectorizedReader=false on the session, which reads them"
              + " more slowly)"
          : unknownParquetLogicalType(e) ? " (" + fileRead(e) + "a file read holds "
              + UNKNOWN_PARQUET_LOGICAL_TYPE + ")"
          : "";
      throw new EngineException(NAME, what + " failed: " + cause + advice, cause);
    }
  }

  /** What a Parquet file {@link #unknownParquetLogicalType} finds holds, and what to do. */
  static final String UNKNOWN_PARQUET_LOGICAL_TYPE = "a column of a Parquet logical type that"
      + " Spark 3.5's Parquet library (parquet-mr 1.13) does not know: FLOAT16 (pyarrow's float16,"
      + " pandas' float16), or a type newer still; Spark reads no column of a file that holds one."
      + " The DuckDB engine reads it (a FLOAT16 as FLOAT); or rewrite the column as a FLOAT.";

  /**
   * Whether {@code e} was caused by a Parquet footer holding a logical type Spark's Parquet
   * library does not know (it fails with a NullPointerException converting the footer).
   */
  static boolean unknownParquetLogicalType(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("org.apache.parquet.format.LogicalType.getSetField()")) {
        return true;
      }
    }
    return false;
  }

  /** The file a failed read of Spark's names ("Encountered error while reading file …"), if any. */
  private static String fileRead(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      int at = message.indexOf("Encountered error while reading file ");
      if (at >= 0) {
        String file = message.substring(at + "Encountered error while reading file ".length());
        int end = file.indexOf(". Details");
        return "in " + (end < 0 ? file.split("\\s")[0] : file.substring(0, end)) + ": ";
      }
    }
    return "";
  }

  private static boolean isSpark(Throwable e) {
    return e instanceof SparkException || e.getClass().getName().startsWith("org.apache.spark.");
  }
}

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
import io.github.sparkarrow.runtime.BatchFunctionReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.LinkedHashMap;
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
 *
 * <p>Functions: Spark's {@code split}, {@code regexp_extract}, {@code regexp_replace}, {@code
 * LIKE}'s escape, {@code dayofweek}, {@code concat}, {@code substring}, {@code element_at}, the
 * array functions and their kin compute what Spark's do, where DuckDB's own namesakes give other
 * values without a word, and Spark's functions DuckDB has not ({@code nvl}, {@code datediff},
 * {@code explode}, {@code collect_list}, …) are there: the engine's database holds macros of
 * those names, and types of Spark's names {@code TIMESTAMP_LTZ} and {@code TIMESTAMP_NTZ} (see
 * {@code SparkFunctions}; DuckDB's own functions stay callable as {@code system.main.split} and
 * so on, through {@link #connection()} too). A subscript whose index is not a text in quotes is
 * refused ({@code a[0]}: Spark counts from 0, DuckDB from 1).
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
        // Spark's order: NULLs first ascending, last descending (DuckDB's: last, both ways)
        statement.execute("SET default_null_order = 'nulls_first_on_asc_last_on_desc'");
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(SparkFunctions.script());
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

  /**
   * The engine's JDBC connection, for what the engine does not cover (the caller must not close
   * it). Its SQL has the engine's Spark functions (see the class comment).
   */
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
    return new SourceReader(this).read(source);
  }

  @Override
  public Table sql(String query) {
    String trimmed = SqlText.of(NAME, query);
    requireTextSubscripts(trimmed);
    prepare(trimmed);
    return new DuckDbTable(this, trimmed, Reads.views(tableNames(trimmed)));
  }

  /**
   * Refuses a subscript of {@code query} whose index is not a text in quotes, at any depth, as
   * DuckDB's parser finds them ({@link EngineException#subscript}); before DuckDB binds it.
   */
  private void requireTextSubscripts(String query) {
    String sql = "SELECT CAST(json_extract(value, '$.children[0].query_location') AS BIGINT),"
        + " CAST(json_extract(value, '$.query_location') AS BIGINT)"
        + " + CAST(json_extract(value, '$.query_location_length') AS BIGINT)"
        + " FROM json_tree(json_serialize_sql(?))"
        + " WHERE json_extract_string(value, '$.type') = 'ARRAY_EXTRACT'"
        + " AND coalesce(json_extract_string(value, '$.children[1].literal.kind'), '') <> 'STRING'"
        + " ORDER BY 1 LIMIT 1";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, query);
      try (ResultSet rs = statement.executeQuery()) {
        if (rs.next()) {
          byte[] bytes = query.getBytes(StandardCharsets.UTF_8); // DuckDB's places count bytes
          long start = rs.getLong(1);
          long end = rs.getLong(2);
          String text = rs.wasNull() || start < 0 || end > bytes.length || start >= end ? query
              : new String(bytes, (int) start, (int) (end - start), StandardCharsets.UTF_8);
          throw EngineException.subscript(NAME, text, query);
        }
      }
    } catch (SQLException e) {
      throw error(e.getMessage() + "\nquery: " + sql, e);
    }
  }

  /** Checks {@code query} as DuckDB prepares it: unknown tables, columns, functions fail here. */
  void prepare(String query) {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      // prepared: nothing run
    } catch (SQLException e) {
      throw error("DuckDB rejected the query: " + e.getMessage() + SparkFunctions.hint(e.getMessage())
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

  /** The rows {@code sql} returns, each column as text. */
  List<String[]> rows(String sql) {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      List<String[]> rows = new ArrayList<>();
      while (rs.next()) {
        String[] row = new String[columns];
        for (int i = 0; i < columns; i++) {
          row[i] = rs.getString(i + 1);
        }
        rows.add(row);
      }
      return rows;
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
        ResultSet rs = executeStreaming(statement, inputSql)) {
      ArrowReader in = new RelabeledReader(child,
          (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(child, batchSize),
          inputSchema);
      ParallelFunctionReader reader = new ParallelFunctionReader(
          child, in, function, outSchema, Runtime.getRuntime().availableProcessors(), name);
      return scan(what, name + "_stream", child, reader, reader::failure, use);
    } catch (SQLException e) {
      throw error(what + " failed: " + queryError(e.getMessage()) + "\nquery: " + inputSql, e);
    }
  }

  /**
   * Runs {@code sql} on the streaming connection. DuckDB's JDBC driver streaming a result reports
   * an error of the query's first rows only as "Invalid result set" (a value that does not cast,
   * the engine's checks of file values): the query is run again unstreamed, up to the error, for
   * DuckDB's words. (An error further on comes with its words through the Arrow stream.)
   */
  private ResultSet executeStreaming(Statement statement, String sql) throws SQLException {
    try {
      return statement.executeQuery(sql);
    } catch (SQLException streamed) {
      if (!String.valueOf(streamed.getMessage()).contains("Invalid result set")) {
        throw streamed;
      }
      try (Statement again = connection.createStatement();
          ResultSet rows = again.executeQuery(sql)) {
        // no error unstreamed: say what there is
      } catch (SQLException unstreamed) {
        unstreamed.addSuppressed(streamed);
        throw unstreamed;
      }
      throw streamed;
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
        throw error(what + " failed: " + failureText(cause), cause);
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
      throw error(what + " failed: " + failureText(cause), cause);
    }
    return result;
  }

  /**
   * A failure as the engine says it: an error of a function's input query, which DuckDB's Arrow
   * stream hands over as {@code IOException: [errno -1] …}, in DuckDB's words alone ({@link
   * #queryError}), as the same error reads without a function; any other (a function's) with
   * its class.
   */
  static String failureText(Throwable failure) {
    Throwable cause = failure instanceof java.io.UncheckedIOException unchecked
        ? unchecked.getCause() : failure;
    String message = String.valueOf(cause.getMessage());
    return cause instanceof IOException && message.matches("(?s)\\[errno -?[0-9]+\\] .*")
        ? queryError(message.substring(message.indexOf("] ") + 2)) : failure.toString();
  }

  /**
   * DuckDB's words for an error of a streamed query, without the wrapping its driver sometimes
   * puts around them, depending on when the error arrives ({@code Invalid Input Error: Attempting
   * to execute an unsuccessful or closed query result\nError: …}).
   */
  static String queryError(String message) {
    String wrapped = "Attempting to execute an unsuccessful or closed query result";
    int error = message.indexOf("\nError: ");
    return message.contains(wrapped) && error >= 0 ? message.substring(error + "\nError: ".length())
        : message;
  }

  /** DuckDB's words for file errors the engine can say more about, and what it says. */
  private static final Map<String, String> HINTS = new LinkedHashMap<>();

  static {
    HINTS.put("CSV Parser state machine reached an invalid state", "If the file's lines end in"
        + " both LF and CRLF, which Spark reads and DuckDB does not: give them one ending, as"
        + " dos2unix does.");
    HINTS.put("Maximum line size of", "DuckDB reads CSV lines of at most 2,000,000 bytes; Spark"
        + " reads longer ones. Read such a file on Spark, or keep long values out of CSV.");
    HINTS.put("This file is not utf-8 encoded", "Spark's engine fails on it too; save the file as"
        + " UTF-8: iconv -f windows-1252 -t utf-8, or Excel's \"CSV UTF-8\".");
    HINTS.put("Expected top-level JSON array", "A JSON source read withMultiLine(true) is one array"
        + " of objects per file on the DuckDB engine; read files of one object per line without"
        + " it.");
    HINTS.put("unexpected content after document", "The engine reads one JSON object per line, or"
        + " withMultiLine(true) one array per file; Spark would read the first object of such a"
        + " line and drop the rest without a word.");
    HINTS.put("Expected OBJECT, but got ARRAY", "Where a line is itself an array of objects, Spark"
        + " reads each object as a row; the DuckDB engine reads one object per line, or"
        + " withMultiLine(true) one array per file: write one object per line.");
    HINTS.put("byte order mark (BOM) is not supported", "Spark skips the mark; DuckDB's JSON reader"
        + " refuses it: save the file as UTF-8 without a byte order mark.");
  }

  /**
   * An error of this engine, without the advice DuckDB's file readers add ("Try setting
   * 'ignore_errors' to true", "Possible fixes: ... null_padding=true"): options the engine does not
   * take, most of which would skip or null what does not fit; with the engine's own hint
   * ({@link #HINTS}) where it has one.
   */
  static EngineException error(String message, Throwable cause) {
    // DuckDB's advice names its reader's options, which the engine sets as Spark reads files.
    String advice = "\\R(Try (setting|increasing) [^\\n]*|Possible fixes:(\\R([*\\s].*)?)*"
        + "|(Possible Solution: [^\\n]*\\R?)+(\\R([*\\s].*)?)*)";
    String cleaned = message.replaceAll(advice, "\n(The engine reads files as Spark's FAILFAST mode"
        + " does, with the declared schema: fix the file, or declare the schema it has.)\n");
    cleaned = cleaned.equals(message) ? message : cleaned.replaceAll("\\R{2,}", "\n").strip();
    cleaned = cleaned.replace(" Try auto-detecting the JSON format", ""); // its option, too
    for (Map.Entry<String, String> hint : HINTS.entrySet()) {
      if (cleaned.contains(hint.getKey())) {
        cleaned += "\n(" + hint.getValue() + ")";
      }
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

package io.github.sparkarrow.duckdb;

import static io.github.sparkarrow.duckdb.DuckDbTypes.literal;
import static io.github.sparkarrow.duckdb.DuckDbTypes.quote;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.PartitionColumns;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.ArrowStreams;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.FlatRecordFunction;
import io.github.sparkarrow.runtime.RecordFunction;
import io.github.sparkarrow.runtime.RecordMappers;
import io.github.sparkarrow.runtime.TypedBatchFunction;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table of a {@link DuckDbEngine}: a query (a view), run when used; or a query's result through
 * functions, which run when an action reads their output, as on Spark. Typed functions applied
 * one after another run fused, on the same workers, with no DuckDB table in between: each one
 * reads the previous one's batches, or, where its record is another shape, their columns picked by
 * name; their output goes to DuckDB only where SQL reads it (the action's statement, or {@link
 * #createView}, which keeps it as a table). A raw function after others reads their batches as
 * they are where DuckDB would give the same columns and types; else their output as DuckDB gives
 * it, from a table the action keeps while it runs.
 */
final class DuckDbTable implements Table {

  private final DuckDbEngine engine;
  /** The SQL of the rows, or, with a {@link #step}, of its input; null with an {@link #upstream}. */
  private final String query;
  /**
   * Functions whose output this table's step reads ({@link #upstreamColumns} of it, by name):
   * each action runs them first into a table it drops at the end. Null if the step reads {@link
   * #query}.
   */
  private final DuckDbTable upstream;
  private final String upstreamColumns;
  /** The functions the rows go through; null if none. */
  private final Step step;
  /** The files under it: a write must not replace them. */
  private final Reads reads;

  DuckDbTable(DuckDbEngine engine, String query, Reads reads) {
    this(engine, query, null, null, null, reads);
  }

  private DuckDbTable(DuckDbEngine engine, String query, DuckDbTable upstream,
      String upstreamColumns, Step step, Reads reads) {
    this.engine = engine;
    this.query = query;
    this.upstream = upstream;
    this.upstreamColumns = upstreamColumns;
    this.step = step;
    this.reads = reads;
  }

  /**
   * Functions over a query's result, fused into one: the result read as batches of {@code input},
   * the last function's batches of {@code output}; {@code what} names them in errors.
   */
  private record Step(String what, Schema input, ArrowBatchFunction function, Schema output) {

    Step then(Step next) {
      return new Step(what + ", then " + next.what, input, compose(function, next.function), next.output);
    }

    /** This step over batches of {@code from}: its input's columns picked from them by name. */
    Step pickingFrom(Schema from) {
      return new Step(what, from, compose(pick(from, input), function), output);
    }

    private static ArrowBatchFunction compose(ArrowBatchFunction first, ArrowBatchFunction second) {
      return (batches, context) -> second.apply(first.apply(batches, context), context);
    }
  }

  @Override
  public Schema schema() {
    Schema exported = step == null
        ? engine.exportedSchema("SELECT * FROM (" + query + ") LIMIT 0")
        : engine.importedSchema(step.output);
    List<String> problems = new ArrayList<>();
    Schema schema = DuckDbTypes.sparkStyle(exported, engine.zone(), problems);
    if (!problems.isEmpty()) {
      throw new EngineException(DuckDbEngine.NAME,
          "the table has columns Spark has no type for:\n  " + String.join("\n  ", problems)
              + "\nquery: " + query, null);
    }
    return schema;
  }

  /** Keeps a table of functions' output as a DuckDB table (running them), so views read that. */
  @Override
  public Table createView(String name) {
    String key = Reads.viewKey(name); // a name both engines take
    DuckDbTable table = this;
    if (step != null) {
      String stored = engine.newTableName();
      run(engine.storeUnordered(stored));
      // Still what it was read from, as on Spark, where a view runs its functions again.
      table = new DuckDbTable(engine, "SELECT * FROM " + quote(stored), reads);
    }
    engine.execute("CREATE OR REPLACE VIEW " + quote(name) + " AS " + table.query);
    engine.views().put(key, table.reads);
    return table;
  }

  @Override
  public <I extends Record, O extends Record> Table mapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, RecordFunction<I, O> function) {
    return typed("mapRecords", in, out, RecordMappers.map(function));
  }

  @Override
  public <I extends Record, O extends Record> Table flatMapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, FlatRecordFunction<I, O> function) {
    return typed("flatMapRecords", in, out, RecordMappers.flatMap(function));
  }

  @Override
  public <I extends Record, O extends Record, R extends ArrowRecordReader<I>, W extends ArrowRecordWriter<O>>
      Table mapBatches(ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<R, W> mapper) {
    return typed("mapBatches", in, out, mapper);
  }

  private <I extends Record, O extends Record> Table typed(
      String what, ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<?, ?> mapper) {
    DuckDbTypes.requireNoIntervals(in.arrowSchema(), in.recordClass().getName());
    DuckDbTypes.requireNoIntervals(out.arrowSchema(), out.recordClass().getName());
    Step next = new Step(
        what + "(" + in.recordClass().getSimpleName() + " -> " + out.recordClass().getSimpleName() + ")",
        in.arrowSchema(), new TypedBatchFunction<>(in, out, mapper), out.arrowSchema());
    if (step != null && step.output.equals(in.arrowSchema())) { // the batches as they are
      return new DuckDbTable(engine, query, upstream, upstreamColumns, step.then(next), reads);
    }
    if (step != null && pickable(in.arrowSchema(), step.output)) {
      // Its columns picked by name from the batches: still fused, no table between.
      return new DuckDbTable(engine, query, upstream, upstreamColumns, step.then(next.pickingFrom(step.output)), reads);
    }
    String picked = columns(in); // fails up front if the columns do not fit
    return step == null
        ? new DuckDbTable(engine, select(picked, query), null, null, next, reads)
        : new DuckDbTable(engine, null, this, picked, next, reads);
  }

  /**
   * Whether batches of {@code to} can be {@link #pick}ed from batches of {@code from}: {@code from}
   * fits {@code to} ({@link ArrowSchemas#fit}) with its structs' fields in the same order ({@link
   * ArrowSchemas#sameLayout}).
   */
  private static boolean pickable(Schema to, Schema from) {
    return ArrowSchemas.fit(to, from, false).isEmpty() && to.getFields().stream().allMatch(
        field -> ArrowSchemas.sameLayout(field, ArrowSchemas.byName(from.getFields(), field.getName())));
  }

  /**
   * Batches of {@code to} made of the columns of batches of {@code from} with the same names (in
   * {@code to}'s order, renamed): their buffers, not copies. {@code from} must be {@link
   * #pickable}, so the picked columns have {@code to}'s layout.
   */
  private static ArrowBatchFunction pick(Schema from, Schema to) {
    int[] columns = to.getFields().stream()
        .mapToInt(field -> from.getFields().indexOf(ArrowSchemas.byName(from.getFields(), field.getName())))
        .toArray();
    return (batches, context) -> {
      VectorSchemaRoot picked = context.closeAtEnd(VectorSchemaRoot.create(to, context.allocator()));
      return eachBatch(batches, batch -> {
        List<FieldVector> vectors = new ArrayList<>();
        for (int column : columns) {
          vectors.add(batch.getVector(column));
        }
        RelabeledReader.relabel(new VectorSchemaRoot(
            vectors.stream().map(FieldVector::getField).toList(), vectors, batch.getRowCount()), picked);
        return picked;
      });
    };
  }

  /** {@code batches}, each through {@code then} as it is taken. */
  private static Iterator<VectorSchemaRoot> eachBatch(
      Iterator<VectorSchemaRoot> batches, UnaryOperator<VectorSchemaRoot> then) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        return then.apply(batches.next());
      }
    };
  }

  /**
   * A raw function reads the batches DuckDB gives ({@link #schema()}): after other functions,
   * their batches relabelled, still fused, where those are what DuckDB would give (the same
   * columns, types and struct layout); else their output as DuckDB reads it back, from a table.
   */
  @Override
  public Table mapInArrow(Schema outSchema, ArrowBatchFunction function) {
    DuckDbTypes.requireNoIntervals(outSchema, "the output schema");
    Schema input = schema();
    Step next = new Step("mapInArrow", input, checked(function, outSchema), outSchema);
    if (step == null) {
      return new DuckDbTable(engine, query, null, null, next, reads);
    }
    return pickable(input, step.output)
        ? new DuckDbTable(engine, query, upstream, upstreamColumns, step.then(next.pickingFrom(step.output)), reads)
        : new DuckDbTable(engine, null, this, "*", next, reads);
  }

  /**
   * {@code function}, its batches checked against its declared {@code output} as they come: a
   * function after it in the same step reads them as they are, not through DuckDB.
   */
  private static ArrowBatchFunction checked(ArrowBatchFunction function, Schema output) {
    return (batches, context) -> eachBatch(function.apply(batches, context), batch -> {
      ArrowSchemas.requireMatches(output, batch.getSchema(), "the declared output of mapInArrow");
      return batch;
    });
  }

  /**
   * Hands {@code use} a query of the rows: this table's query, or, with functions, a query of
   * their output (read once, while they run).
   */
  private <R> R run(Function<String, R> use) {
    if (upstream != null) { // its functions first, into a table kept while this one's run
      String table = engine.newTableName();
      try {
        upstream.run(engine.storeUnordered(table));
        String input = select(upstreamColumns, "SELECT * FROM " + quote(table));
        return new DuckDbTable(engine, input, null, null, step, reads).run(use);
      } finally {
        engine.dropTable(table);
      }
    }
    if (step == null) {
      return use.apply(query);
    }
    return engine.stream(step.what, query, step.input, step.function, step.output, use);
  }

  /**
   * The columns {@code type} reads, by name, in its order, for a SELECT, each cast to the record's
   * struct layout where its struct fields are in another order or more; or every problem.
   */
  private String columns(ArrowRecordType<?> type) {
    Schema have = schema();
    List<String> problems = ArrowSchemas.fit(type.arrowSchema(), have, false);
    if (!problems.isEmpty()) {
      throw new EngineException(DuckDbEngine.NAME,
          "the table does not fit " + type.recordClass().getName() + ":\n  "
              + String.join("\n  ", problems) + "\nCAST or rename the columns in the SQL."
              + "\ntable:  " + describe(have) + "\nrecord: " + type.sparkDdl(), null);
    }
    List<String> columns = new ArrayList<>();
    for (Field field : type.arrowSchema().getFields()) {
      Field found = ArrowSchemas.byName(have.getFields(), field.getName());
      String column = ArrowSchemas.sameLayout(field, found) ? quote(found.getName())
          : "CAST(" + quote(found.getName()) + " AS " + DuckDbTypes.layoutOf(field, found) + ")";
      columns.add(column + " AS " + quote(field.getName()));
    }
    return String.join(", ", columns);
  }

  private static String select(String columns, String from) {
    return "SELECT " + columns + " FROM (" + from + ")";
  }

  private static String describe(Schema schema) {
    List<String> columns = new ArrayList<>();
    for (Field field : schema.getFields()) {
      columns.add(field.getName() + " " + ArrowSchemas.describe(field));
    }
    return String.join(", ", columns);
  }

  @Override
  public void writeParquet(String given, String... partitionBy) {
    String path = DataFiles.localPath(given, "cannot write " + given);
    DataFiles.requireNotDelta(Reads.writtenPath(path), "writing " + given, true);
    reads.requireNotReplaced(DuckDbEngine.NAME, Reads.writtenPath(path), engine.views());
    List<Field> partitions = PartitionColumns.of(DuckDbEngine.NAME, this::schema, path, partitionBy);
    requireNoBackslash(path, partitions);
    Path directory = Path.of(path);
    boolean[] replaced = {false};
    try {
      copy(directory, partitions, path, () -> {
        delete(directory); // once DuckDB has taken the statement, as Spark once the job starts
        createDirectories(directory);
        replaced[0] = true;
      });
    } catch (RuntimeException e) {
      if (replaced[0]) {
        delete(directory); // no half-written file, as Spark aborts a failed write
      }
      throw failed(e, partitions, path);
    }
  }

  /** DuckDB's partitioned {@code COPY} takes a backslash in a path for a separator, also here. */
  private static void requireNoBackslash(String path, List<Field> partitions) {
    if (!partitions.isEmpty() && path.contains("\\")) {
      throw new EngineException(DuckDbEngine.NAME, "cannot write " + path + " partitioned: DuckDB"
          + " takes the backslash in it for a separator; write to a path without one", null);
    }
  }

  /**
   * As Spark's dynamic partition overwrite: the rows are written into a hidden directory under
   * {@code path} (which Spark and the engines leave out when they read it), then each partition
   * written (its last-level directory) replaces the one at {@code path}.
   */
  @Override
  public void overwritePartitions(String given, String... partitionBy) {
    String path = DataFiles.localPath(given, "cannot write " + given);
    DataFiles.requireNotDelta(Reads.writtenPath(path), "writing " + given, true);
    reads.requireNotInside(DuckDbEngine.NAME, Reads.writtenPath(path), engine.views());
    List<Field> partitions =
        PartitionColumns.forOverwrite(DuckDbEngine.NAME, this::schema, path, partitionBy);
    requireNoBackslash(path, partitions);
    Path directory = Path.of(path);
    PartitionColumns.requireLayout(DuckDbEngine.NAME, path, partitions,
        relative -> entries(directory.resolve(relative)));
    boolean existed = Files.exists(directory);
    Path staging = directory.resolve(".sparkarrow-staging-" + UUID.randomUUID());
    try {
      copy(staging, partitions, path, () -> createDirectories(staging));
      replacePartitions(staging, directory, partitions.size(), path);
    } catch (RuntimeException e) {
      delete(staging);
      if (!existed) {
        delete(directory);
      }
      throw failed(e, partitions, path);
    }
    delete(staging);
  }

  /**
   * Writes the rows as Parquet into {@code directory}, in Spark's {@code partitionBy} layout of
   * {@code partitions} if there are any, after {@code beforeRunning}, which runs once DuckDB has
   * taken the statement.
   */
  private void copy(Path directory, List<Field> partitions, String path, Runnable beforeRunning) {
    List<String> names = partitions.stream().map(Field::getName).toList();
    String to = partitions.isEmpty()
        ? literal(new File(directory.toFile(), "part-00000.parquet").getPath()) + " (FORMAT parquet)"
        : literal(directory.toString()) + " (FORMAT parquet, PARTITION_BY ("
            + String.join(", ", names.stream().map(DuckDbTypes::quote).toList()) + "))";
    run(rows -> {
      engine.execute("COPY (" + checked(rows, partitions, path) + ") TO " + to, beforeRunning);
      return null;
    });
    try {
      PartitionDirectories.renameAsSpark(directory, names);
    } catch (IOException e) {
      throw DuckDbEngine.error("writing " + path + ": could not name its partition directories"
          + " as Spark does: " + e, e);
    }
  }

  /** Moves each partition under {@code staging}, {@code depth} levels down, to its place in {@code directory}. */
  private static void replacePartitions(Path staging, Path directory, int depth, String path) {
    createDirectories(directory);
    List<Path> written;
    try (Stream<Path> paths = Files.walk(staging, depth)) {
      written = paths.filter(p -> !p.equals(staging) && Files.isDirectory(p)
          && staging.relativize(p).getNameCount() == depth).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + staging, e);
    }
    for (Path partition : written) {
      Path target = directory.resolve(staging.relativize(partition).toString());
      try {
        delete(target);
        Files.createDirectories(target.getParent());
        Files.move(partition, target);
      } catch (IOException | UncheckedIOException e) {
        throw new EngineException(DuckDbEngine.NAME, "overwriting partitions of " + path + ": could"
            + " not move the partition written to " + target + " (partitions before it are"
            + " replaced, it and those after are not): " + e, e);
      }
    }
  }

  /** The entries of {@code directory} (name, whether a directory); null if nothing is there. */
  private static Map<String, Boolean> entries(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return null;
    } else if (!Files.isDirectory(directory)) {
      throw new NotDirectoryException(directory.toString());
    }
    Map<String, Boolean> entries = new HashMap<>();
    try (Stream<Path> children = Files.list(directory)) {
      children.forEach(child -> entries.put(child.getFileName().toString(), Files.isDirectory(child)));
    }
    return entries;
  }

  /** {@code e}, or the failed check of a partition value it reports, in the check's words. */
  private static RuntimeException failed(RuntimeException e, List<Field> partitions, String path) {
    String check = PartitionColumns.failedCheck(e, partitions, path);
    return check == null ? e : new EngineException(DuckDbEngine.NAME, check, e.getCause());
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + directory, e);
    }
  }

  /**
   * A query of {@code rows} in which a value of a partition column that fails one of its {@link
   * PartitionColumns#checks} fails the statement, in the words Spark's engine uses.
   */
  private static String checked(String rows, List<Field> partitions, String path) {
    List<String> replaced = new ArrayList<>();
    for (Field partition : partitions) {
      String value = quote(partition.getName());
      StringBuilder checked = new StringBuilder();
      for (PartitionColumns.Check check : PartitionColumns.checks(partition)) {
        String fails = switch (check) {
          case EMPTY -> value + " = ''";
          case NULL_TEXT -> value + " = " + literal(PartitionColumns.NULL_VALUE);
          case NUL_CHARACTER -> "instr(" + value + ", chr(0)) > 0";
          case YEAR -> "year(" + value + ") NOT BETWEEN 1 AND 9999";
        };
        checked.append(" WHEN ").append(fails).append(" THEN error(")
            .append(literal(check.message(path, partition.getName()))).append(")");
      }
      if (!checked.isEmpty()) {
        replaced.add("CASE" + checked + " ELSE " + value + " END AS " + value);
      }
    }
    return replaced.isEmpty() ? rows
        : "SELECT * REPLACE (" + String.join(", ", replaced) + ") FROM (" + rows + ")";
  }

  private static void delete(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + directory, e);
    }
  }

  @Override
  public <T extends Record> List<T> collect(ArrowRecordType<T> type) {
    DuckDbTypes.requireNoIntervals(type.arrowSchema(), type.recordClass().getName());
    String columns = columns(type);
    return run(rows -> engine.query(select(columns, rows), type.arrowSchema(), reader -> {
      List<T> records = new ArrayList<>();
      try {
        ArrowStreams.records(reader, type).forEachRemaining(records::add);
      } catch (RuntimeException e) {
        throw DuckDbEngine.error("collect failed: " + e.getMessage(), e);
      }
      return records;
    }));
  }

  @Override
  public long count() {
    return run(rows -> engine.queryLong("SELECT count(*) FROM (" + rows + ")"));
  }

  @Override
  public String toString() {
    return "duckdb table: " + (upstream == null ? query : "the output of " + upstream)
        + (step == null ? "" : " through " + step.what);
  }
}

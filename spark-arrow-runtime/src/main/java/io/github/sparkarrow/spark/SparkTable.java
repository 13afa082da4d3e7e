package io.github.sparkarrow.spark;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.PartitionColumns;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.FlatRecordFunction;
import io.github.sparkarrow.runtime.RecordFunction;
import io.github.sparkarrow.runtime.RecordMappers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.util.ArrowUtils;
import scala.Option;

/** A table of a {@link SparkEngine}: a DataFrame. */
final class SparkTable implements Table {

  private final SparkEngine engine;
  private final Dataset<Row> df;
  /** The files under it: a write must not replace them. */
  private final Reads reads;

  SparkTable(SparkEngine engine, Dataset<Row> df, Reads reads) {
    this.engine = engine;
    this.df = df;
    this.reads = reads;
  }

  @Override
  public Schema schema() {
    try {
      return ArrowUtils.toArrowSchema(df.schema(), engine.zone(), true, false);
    } catch (RuntimeException e) { // an INTERVAL of months, which Spark's Arrow types refuse
      List<String> columns = new ArrayList<>();
      for (StructField field : df.schema().fields()) {
        try {
          ArrowUtils.toArrowField(field.name(), field.dataType(), true, engine.zone(), false);
        } catch (RuntimeException again) {
          columns.add("'" + field.name() + "' is " + field.dataType().sql());
        }
      }
      throw new EngineException(SparkEngine.NAME, "the table has columns of no Arrow type ("
          + e.getMessage() + "): " + String.join(", ", columns) + ". Give them another type in SQL"
          + " (an interval as a number of days or months, or as a STRING).", e);
    }
  }

  @Override
  public Table createView(String name) {
    String key = Reads.viewKey(name); // a name both engines take
    df.createOrReplaceTempView(name);
    engine.views().put(key, reads);
    return this;
  }

  @Override
  public <I extends Record, O extends Record> Table mapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, RecordFunction<I, O> function) {
    return mapBatches(in, out, RecordMappers.map(function));
  }

  @Override
  public <I extends Record, O extends Record> Table flatMapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, FlatRecordFunction<I, O> function) {
    return mapBatches(in, out, RecordMappers.flatMap(function));
  }

  @Override
  public <I extends Record, O extends Record, R extends ArrowRecordReader<I>, W extends ArrowRecordWriter<O>>
      Table mapBatches(ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<R, W> mapper) {
    return fitting(() -> new SparkTable(engine, SparkArrow.mapBatches(df, in, out, mapper), reads));
  }

  @Override
  public Table mapInArrow(Schema outSchema, ArrowBatchFunction function) {
    return new SparkTable(
        engine, SparkArrow.mapInArrow(df, SparkSchemas.fromArrow(outSchema, Map.of()), function), reads);
  }

  @Override
  public void writeParquet(String path, String... partitionBy) {
    engine.requireNotDelta(path, "writing " + path, true, false);
    reads.requireNotReplaced(SparkEngine.NAME, engine.pathKey(new Path(path), true), engine.views());
    List<Field> partitions = PartitionColumns.of(SparkEngine.NAME, this::schema, path, partitionBy);
    // the whole directory, as on DuckDB, whatever the session's partitionOverwriteMode
    write(path, partitions, "static", true);
  }

  /** Spark's own dynamic partition overwrite, after the checks both engines make. */
  @Override
  public void overwritePartitions(String path, String... partitionBy) {
    engine.requireNotDelta(path, "writing " + path, true, false);
    reads.requireNotInside(SparkEngine.NAME, engine.pathKey(new Path(path), true), engine.views());
    List<Field> partitions =
        PartitionColumns.forOverwrite(SparkEngine.NAME, this::schema, path, partitionBy);
    Path output = new Path(path);
    boolean existed;
    try {
      FileSystem fs = fileSystem(output);
      PartitionColumns.requireLayout(SparkEngine.NAME, path, partitions,
          relative -> entries(fs, relative.isEmpty() ? output : new Path(output, relative)));
      existed = fs.exists(output);
    } catch (IOException e) {
      throw new EngineException(SparkEngine.NAME, "overwriting partitions of " + path + ": " + e, e);
    }
    write(path, partitions, "dynamic", !existed);
  }

  /**
   * Writes the rows as Parquet into {@code path}, partitioned by {@code partitions} if there are
   * any, in Spark's {@code partitionOverwriteMode} {@code mode}. A write that fails while it runs
   * leaves no directory it emptied or made ({@code mayDelete}: the path may go if nothing is left).
   */
  private void write(String path, List<Field> partitions, String mode, boolean mayDelete) {
    Dataset<Row> rows = checked(df, partitions, path);
    SparkContext context = df.sparkSession().sparkContext();
    String group = "sparkarrow-write-" + UUID.randomUUID();
    Map<String, String> saved = new java.util.HashMap<>();
    JOB_GROUP.forEach(key -> saved.put(key, context.getLocalProperty(key)));
    context.setJobGroup(group, "writing " + path, false);
    try {
      engine.action("writing " + path, () -> {
        rows.write().mode(SaveMode.Overwrite)
            .option("partitionOverwriteMode", mode)
            .partitionBy(partitions.stream().map(Field::getName).toArray(String[]::new))
            .parquet(path);
        return null;
      });
    } catch (EngineException e) {
      // A job that failed while running leaves the directory it emptied (or made); leave nothing,
      // as the DuckDB engine. A write refused before its job started left what was there: keep it.
      // Once its tasks have ended: Spark fails the job while the others are still being killed,
      // and they go on making directories (a partitioned write's) until they see it.
      try {
        awaitTasksOf(context, group);
        Path output = new Path(path);
        FileSystem fs = fileSystem(output);
        deleteEmptyStaging(fs, output);
        if (mayDelete && fs.exists(output) && fs.listStatus(output, SparkTable::visible).length == 0) {
          fs.delete(output, true);
        }
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      String check = PartitionColumns.failedCheck(e, partitions, path);
      throw check == null ? e : new EngineException(SparkEngine.NAME, check, e.getCause());
    } finally {
      saved.forEach(context::setLocalProperty); // the caller's job group, if any
    }
  }

  /**
   * Deletes the staging directories of a failed dynamic overwrite under {@code output} that hold
   * no file: Spark's abort deletes its {@code .spark-staging-…}, but a task still being killed may
   * make its empty {@code _temporary} directories there again before it ends. One that holds a
   * file (another write's, still running) is left.
   */
  private static void deleteEmptyStaging(FileSystem fs, Path output) throws IOException {
    if (!fs.exists(output) || !fs.getFileStatus(output).isDirectory()) {
      return;
    }
    for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(output)) {
      if (status.isDirectory() && status.getPath().getName().startsWith(".spark-staging-")
          && !fs.listFiles(status.getPath(), true).hasNext()) {
        fs.delete(status.getPath(), true);
      }
    }
  }

  private FileSystem fileSystem(Path path) throws IOException {
    return path.getFileSystem(df.sparkSession().sessionState().newHadoopConf());
  }

  /** The entries of {@code directory} (name, whether a directory); null if nothing is there. */
  private static Map<String, Boolean> entries(FileSystem fs, Path directory) throws IOException {
    if (!fs.exists(directory)) {
      return null;
    } else if (!fs.getFileStatus(directory).isDirectory()) {
      throw new java.nio.file.NotDirectoryException(directory.toString());
    }
    Map<String, Boolean> entries = new java.util.HashMap<>();
    for (org.apache.hadoop.fs.FileStatus status : fs.listStatus(directory)) {
      entries.put(status.getPath().getName(), status.isDirectory());
    }
    return entries;
  }

  /** The local properties of a job group ({@code SparkContext.setJobGroup}). */
  private static final List<String> JOB_GROUP =
      List.of("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel");

  /** Waits (up to a minute) until no task of the jobs of {@code group} runs. */
  private static void awaitTasksOf(SparkContext context, String group) {
    SparkStatusTracker tracker = context.statusTracker();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      boolean running = false;
      for (int job : tracker.getJobIdsForGroup(group)) {
        Option<SparkJobInfo> info = tracker.getJobInfo(job);
        for (int stage : info.isDefined() ? info.get().stageIds() : new int[0]) {
          Option<SparkStageInfo> stageInfo = tracker.getStageInfo(stage);
          running |= stageInfo.isDefined() && stageInfo.get().numActiveTasks() > 0;
        }
      }
      if (!running) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** {@code rows} with each partition column's values checked ({@link PartitionColumns#checks}). */
  private static Dataset<Row> checked(Dataset<Row> rows, List<Field> partitions, String path) {
    for (Field partition : partitions) {
      Column value = functions.col(InputColumns.quote(partition.getName()));
      Column checked = null;
      for (PartitionColumns.Check check : PartitionColumns.checks(partition)) {
        Column fails = switch (check) {
          case EMPTY -> value.equalTo("");
          case NULL_TEXT -> value.equalTo(PartitionColumns.NULL_VALUE);
          case NUL_CHARACTER -> functions.instr(value, "\0").gt(0);
          case YEAR -> functions.year(value).lt(1).or(functions.year(value).gt(9999));
        };
        Column error = functions.raise_error(functions.lit(check.message(path, partition.getName())));
        checked = checked == null ? functions.when(fails, error) : checked.when(fails, error);
      }
      if (checked != null) {
        rows = rows.withColumn(partition.getName(), checked.otherwise(value));
      }
    }
    return rows;
  }

  /** Not a marker or checksum file ({@code _SUCCESS}, {@code .part-….crc}): Hadoop's rule. */
  private static boolean visible(Path file) {
    return !file.getName().startsWith("_") && !file.getName().startsWith(".");
  }

  @Override
  public <T extends Record> List<T> collect(ArrowRecordType<T> type) {
    Dataset<Row> input = fitting(() -> df);
    return engine.action("collect", () -> SparkArrow.collect(input, type));
  }

  @Override
  public long count() {
    return engine.action("count", df::count);
  }

  /** The input check of the typed functions, as the same exception DuckDB's throws. */
  private static <T> T fitting(Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new EngineException(SparkEngine.NAME, e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "spark table: " + df.schema().toDDL();
  }
}

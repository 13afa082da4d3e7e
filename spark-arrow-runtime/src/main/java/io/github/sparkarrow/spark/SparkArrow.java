package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowBatches;
import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.ArrowTable;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.FlatRecordFunction;
import io.github.sparkarrow.runtime.RecordFunction;
import io.github.sparkarrow.runtime.RecordMappers;
import io.github.sparkarrow.runtime.TypedBatchFunction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Arrow batch functions on Spark 3.5, and records in and out of DataFrames.
 *
 * <ul>
 *   <li>{@link #mapInArrow}: PySpark's {@code DataFrame.mapInArrow(func, schema)} for the JVM.
 *   <li>{@link #mapBatches}, {@link #mapRecords}, {@link #flatMapRecords}: the same on generated
 *       readers and writers of {@code @HasArrowSparkSchema} records.
 *   <li>{@link #createDataFrame}, {@link #collect}, {@link #toLocalIterator}: records in and out.
 * </ul>
 *
 * <p>Input rows become Arrow batches on the executors ({@code
 * spark.sql.execution.arrow.maxRecordsPerBatch} rows each, unless {@link ArrowMapOptions} says
 * otherwise); output batches go back to Spark as {@code ArrowColumnVector}s without copying. Each
 * task takes a child of the executor's {@link ArrowAllocators#root()}, and its completion listener
 * frees it on success, failure, kill and early stop ({@code limit}); memory still allocated then
 * fails the task.
 */
public final class SparkArrow {

  private static final ClassTag<InternalRow> INTERNAL_ROW = ClassTag$.MODULE$.apply(InternalRow.class);

  private SparkArrow() {}

  // ---- mapInArrow

  /**
   * Runs {@code function} over each partition of {@code df} as Arrow batches; its output batches,
   * of {@code outSchema}, become the result. Timestamps arrive with the session time zone on the
   * Arrow type, as in PySpark; the values are UTC microseconds either way.
   *
   * @throws IllegalArgumentException (when the job runs) naming every column where a returned
   *     batch differs from {@code outSchema}
   */
  public static Dataset<Row> mapInArrow(
      Dataset<Row> df, StructType outSchema, ArrowBatchFunction function) {
    return mapInArrow(df, outSchema, function, ArrowMapOptions.DEFAULT);
  }

  public static Dataset<Row> mapInArrow(
      Dataset<Row> df, StructType outSchema, ArrowBatchFunction function, ArrowMapOptions options) {
    String zone = df.sparkSession().sessionState().conf().sessionLocalTimeZone();
    return run(
        df,
        ArrowUtils.toArrowSchema(df.schema(), zone, true, false),
        outSchema,
        ArrowUtils.toArrowSchema(outSchema, zone, true, false),
        function,
        options);
  }

  // ---- typed

  /**
   * Maps each input batch through generated code: {@code (PersonArrowReader in, ScoreArrowWriter
   * out) -> ...}. The input DataFrame's columns are matched to {@code in}'s by name, checked up
   * front (one exception lists every missing column and wrong type), and put in the record's
   * order. A column that may hold nulls can feed a NOT NULL component, as with Spark's {@code
   * Dataset.as}: the first null that arrives there fails the task with an {@code
   * ArrowDataException} naming the column path, the partition and the row within it (see {@link
   * ArrowMapOptions#strictNullability()} to reject such columns up front instead).
   */
  public static <I extends Record, O extends Record, R extends ArrowRecordReader<I>, W extends ArrowRecordWriter<O>>
      Dataset<Row> mapBatches(
          Dataset<Row> df, ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<R, W> mapper) {
    return mapBatches(df, in, out, mapper, ArrowMapOptions.DEFAULT);
  }

  public static <I extends Record, O extends Record, R extends ArrowRecordReader<I>, W extends ArrowRecordWriter<O>>
      Dataset<Row> mapBatches(
          Dataset<Row> df,
          ArrowRecordType<I> in,
          ArrowRecordType<O> out,
          BatchMapper<R, W> mapper,
          ArrowMapOptions options) {
    Dataset<Row> input = InputColumns.select(df, in, options.strictNullability());
    return run(
        input,
        in.arrowSchema(),
        SparkSchemas.structType(out),
        out.arrowSchema(),
        new TypedBatchFunction<>(in, out, mapper),
        options);
  }

  /** One output record per input record. A null result is an error; use {@link #flatMapRecords} to drop rows. */
  public static <I extends Record, O extends Record> Dataset<Row> mapRecords(
      Dataset<Row> df, ArrowRecordType<I> in, ArrowRecordType<O> out, RecordFunction<I, O> function) {
    return mapBatches(df, in, out, RecordMappers.map(function));
  }

  /** Any number of output records per input record. */
  public static <I extends Record, O extends Record> Dataset<Row> flatMapRecords(
      Dataset<Row> df, ArrowRecordType<I> in, ArrowRecordType<O> out, FlatRecordFunction<I, O> function) {
    return mapBatches(df, in, out, RecordMappers.flatMap(function));
  }

  // ---- Datasets of records

  /**
   * A Spark {@code Encoder} for a record type, so {@code Dataset<Person>} works on Spark 3.5
   * ({@code Encoders.bean} cannot read records): {@code spark.createDataset(people, encoder)},
   * {@code df.as(encoder)}, {@code map}, {@code filter}, {@code groupByKey}. Its schema equals
   * {@link SparkSchemas#structType}. Built on Spark's internal {@code AgnosticEncoders}, which
   * call the accessors and the canonical constructor.
   *
   * @throws IllegalArgumentException listing every component Spark's encoders cannot take: a
   *     non-public record, a renamed column, {@code Optional}, {@code char}, {@code UUID}, {@code
   *     Set}, {@code Collection}, a BigInteger narrower than DECIMAL(38,0)
   */
  public static <T extends Record> org.apache.spark.sql.Encoder<T> encoder(ArrowRecordType<T> type) {
    return RecordEncoders.encoder(type);
  }

  // ---- records in and out

  /**
   * A DataFrame of {@code records}, with the record type's exact schema. The records are written
   * to Arrow tables on the driver (generated writers, no reflection), shipped, and read back on
   * the executors as {@code ArrowColumnVector}s, as {@link #fromArrowTables} reads them.
   */
  public static <T extends Record> Dataset<Row> createDataFrame(
      SparkSession spark, List<T> records, ArrowRecordType<T> type) {
    int slices = Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), records.size()));
    int batchSize = batchSize(spark, ArrowMapOptions.DEFAULT);
    List<ArrowTable> tables = new ArrayList<>(slices);
    try (BufferAllocator allocator = ArrowAllocators.child("createDataFrame");
        ArrowRecordWriter<T> writer = type.newWriter(allocator)) {
      for (int slice = 0; slice < slices; slice++) {
        List<T> part =
            records.subList(
                (int) ((long) records.size() * slice / slices),
                (int) ((long) records.size() * (slice + 1) / slices));
        tables.add(ArrowTable.of(writer.root(), ArrowBatches.write(part.iterator(), writer, batchSize)));
      }
    }
    return ArrowTables.rows(
        spark,
        new JavaSparkContext(spark.sparkContext()).parallelize(tables, slices).rdd(),
        type.arrowSchema(),
        SparkSchemas.structType(type));
  }

  /**
   * The rows of {@code df} as records, in order. Columns are matched by name and checked up front,
   * as for {@link #mapBatches}. The rows come through the driver stream of {@link #toArrowReader}
   * (each partition's Arrow tables taken from its executor's block manager) and are read with
   * generated readers. A null where the record has NOT NULL fails, naming the column, the
   * partition and the row. As Spark's {@code collect}, it fails when the result's Arrow tables
   * exceed {@code spark.driver.maxResultSize}.
   */
  public static <T extends Record> List<T> collect(Dataset<Row> df, ArrowRecordType<T> type) {
    List<T> records = new ArrayList<>();
    DriverStream.records(df, type, true).forEachRemaining(records::add);
    return records;
  }

  /**
   * The rows of {@code df} as records, in order, streamed as {@link #toArrowReader} streams them:
   * the driver holds one partition at most, and the jobs of the partitions after it run ahead.
   * Between calls it holds no Arrow memory. Read to its end (or to an error) it releases
   * everything; abandoned half-way, the partitions stored ahead wait in the executors' block
   * managers until Spark's context cleaner removes them.
   */
  public static <T extends Record> Iterator<T> toLocalIterator(
      Dataset<Row> df, ArrowRecordType<T> type) {
    return DriverStream.records(df, type, false);
  }

  // ---- Arrow tables and streams

  /**
   * The DataFrame as an RDD of Arrow tables, one per partition (Spark's SPIP SPARK-26413): work
   * on them on the executors (hand them to native code, GPUs, ML libraries), cache, shuffle or
   * collect them. An empty partition gives one empty table. Timestamps carry the session time
   * zone, as in {@link #mapInArrow}.
   */
  public static JavaRDD<ArrowTable> toArrowTables(Dataset<Row> df) {
    return ArrowTables.toArrowTables(df, -1);
  }

  /**
   * {@link #toArrowTables(Dataset)} with at most {@code maxRecordsPerTable} rows per table (the
   * SPIP's option; -1 is a table per partition).
   */
  public static JavaRDD<ArrowTable> toArrowTables(Dataset<Row> df, int maxRecordsPerTable) {
    return ArrowTables.toArrowTables(df, maxRecordsPerTable);
  }

  /**
   * A DataFrame of an RDD of Arrow tables, its schema taken from the first table (a job of one
   * task looks at it). Arrow types Spark cannot hold are converted where nothing is lost (see
   * {@link #createDataFrame(SparkSession, ArrowReader)}).
   *
   * <p>When the job runs, a table whose schema differs from the first table's fails its task
   * naming the table, its partition and the columns that differ.
   *
   * @throws IllegalArgumentException for an RDD without tables, or columns Spark cannot hold
   */
  public static Dataset<Row> fromArrowTables(SparkSession spark, JavaRDD<ArrowTable> tables) {
    return ArrowTables.fromArrowTables(spark, tables);
  }

  /**
   * A DataFrame of an RDD of Arrow tables with the Arrow schema Spark gives {@code schema}: no
   * table is looked at first, and an empty RDD is an empty DataFrame.
   */
  public static Dataset<Row> fromArrowTables(
      SparkSession spark, JavaRDD<ArrowTable> tables, StructType schema) {
    return ArrowTables.fromArrowTables(spark, tables, schema);
  }

  /**
   * The DataFrame streamed to the driver, partition by partition in order, as an {@code
   * ArrowReader} (SPARK-54337 for the JVM): partitions run in jobs of their own (one partition
   * each, or as many small ones as make about 16 MiB once the first show them small), and as many
   * jobs run ahead of the partition being read as Spark has cores (16 at most); each task stores
   * its partition as Arrow IPC in its executor's block manager, and the driver takes it from there
   * when the reader reaches it. So the driver never holds more than one partition (as Arrow IPC
   * on its heap) and one batch (in {@code allocator}). Batches have {@code
   * spark.sql.execution.arrow.maxRecordsPerBatch} rows at most. A failed job of several
   * partitions is run again one partition at a time, so the error names its partition.
   *
   * <p><b>Memory.</b> The caller owns the reader and closes it, which frees its batch; closed
   * early, the jobs running ahead are cancelled and the partitions they stored removed.
   */
  public static ArrowReader toArrowReader(Dataset<Row> df, BufferAllocator allocator) {
    return DriverStream.of(df, allocator);
  }

  /**
   * {@link #toArrowReader} exported through the Arrow C Data Interface, for native code in the
   * same process (DuckDB, DataFusion, Polars, pyarrow through JNI...).
   *
   * <p><b>Ownership.</b> {@code stream} must be allocated by the caller ({@code
   * ArrowArrayStream.allocateNew(allocator)}), and the consumer owns what is exported into it: its
   * {@code release} callback closes the reader and so frees every buffer. Each batch the
   * consumer gets from {@code get_next} is valid until it asks for the next one (the reader
   * refills the same vectors). The caller still closes the Java {@code ArrowArrayStream} object
   * (that frees only the struct).
   */
  public static void exportArrowStream(
      Dataset<Row> df, BufferAllocator allocator, ArrowArrayStream stream) {
    DriverStream.export(df, allocator, stream);
  }

  /**
   * A DataFrame of every batch {@code reader} loads: a file, a C stream ({@code
   * Data.importArrayStream}), a DuckDB result. The stream is read on the driver and kept as Arrow
   * IPC until Spark has shipped it (as {@code spark.createDataFrame} keeps local rows); the
   * caller still closes the reader. Arrow types Spark cannot hold are converted where nothing is
   * lost: unsigned integers widen (UInt64 to DECIMAL(20,0)), large and fixed-size strings and
   * binaries become plain ones, dictionaries are decoded, timestamps, durations and dates of
   * other units become Spark's (a value that would lose digits is an error naming column and
   * row), a 256-bit decimal of at most 38 digits becomes a 128-bit one.
   *
   * @throws IllegalArgumentException naming every column Spark cannot hold (time of day, other
   *     intervals, unions, ...), and what to do
   */
  public static Dataset<Row> createDataFrame(SparkSession spark, ArrowReader reader) {
    return ArrowTables.createDataFrame(spark, reader);
  }

  // ---- pipes

  /**
   * Runs an external program over each partition, the Arrow replacement of {@code RDD.pipe}: the
   * partition's rows go to the program's standard input as an Arrow IPC stream, and the Arrow IPC
   * stream it writes to standard output, which must have {@code outSchema}, becomes the result
   * (zero-copy). The command is an argument list run without a shell; a program shipped with
   * {@code SparkContext.addFile} is found by its file name. Both directions stream at once.
   *
   * <p>Every failure fails the task with an {@code ArrowPipeException} naming the command, its
   * exit status and the end of its stderr: a program that cannot start, exits non-zero or by a
   * signal, hangs past {@link PipeOptions#idleTimeout()}, or writes output that is not Arrow, is
   * cut short, has another schema (the columns are named) or a null in a NOT NULL column. When the
   * task ends, however it ends, the program (and any it started) is killed and its threads end.
   */
  public static Dataset<Row> pipe(Dataset<Row> df, List<String> command, StructType outSchema) {
    return pipe(df, command, outSchema, PipeOptions.DEFAULT);
  }

  /** {@link #pipe(Dataset, List, StructType)} with options. */
  public static Dataset<Row> pipe(
      Dataset<Row> df, List<String> command, StructType outSchema, PipeOptions options) {
    return Pipes.pipe(df, command, outSchema, options);
  }

  /**
   * {@link #pipe(Dataset, List, StructType)} on generated code: the input DataFrame's columns are
   * matched to {@code in}'s by name (as {@link #mapRecords} matches them), the program gets the
   * exact Arrow schema of {@code in}, and its output must have {@code out}'s.
   */
  public static Dataset<Row> pipe(
      Dataset<Row> df, List<String> command, ArrowRecordType<?> in, ArrowRecordType<?> out,
      PipeOptions options) {
    return Pipes.pipe(df, command, in, out, options);
  }

  // ---- shared

  static Dataset<Row> run(
      Dataset<Row> input,
      Schema inputArrow,
      StructType outSchema,
      Schema outputArrow,
      ArrowBatchFunction function,
      ArrowMapOptions options) {
    SparkSession spark = input.sparkSession();
    SparkInput in = SparkInput.of(input, inputArrow, batchSize(spark, options), options.barrier());
    ArrowPartitions.MapInArrow partition =
        new ArrowPartitions.MapInArrow(in, outputArrow, function);
    RDD<InternalRow> out =
        options.barrier()
            ? in.partitions().barrier().mapPartitions(partition, false, INTERNAL_ROW)
            : in.partitions().mapPartitions(partition, false, INTERNAL_ROW);
    return spark.internalCreateDataFrame(out, outSchema, false);
  }

  static int batchSize(SparkSession spark, ArrowMapOptions options) {
    if (options.maxRecordsPerBatch() > 0) {
      return options.maxRecordsPerBatch();
    }
    int configured = spark.sessionState().conf().arrowMaxRecordsPerBatch();
    return configured > 0 ? configured : Integer.MAX_VALUE;
  }
}

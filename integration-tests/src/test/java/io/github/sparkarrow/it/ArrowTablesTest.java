package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowReader;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderArrowWriter;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowTable;
import io.github.sparkarrow.spark.SparkArrow;
import io.github.sparkarrow.spark.SparkSchemas;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.RDDBlockId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** DataFrames as RDDs of Arrow tables and back (SPARK-26413), and streamed to the driver. */
class ArrowTablesTest {

  private final SparkSession spark = SparkTestSession.get();
  private BufferAllocator allocator;

  @BeforeEach
  void allocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void nothingLeaks() throws InterruptedException {
    allocator.close(); // fails on a leaked buffer
    SparkTestSession.assertNoArrowMemoryLeft();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    spark.conf().unset("spark.sql.execution.arrow.maxRecordsPerBatch");
  }

  static List<org.junit.jupiter.params.provider.Arguments> casesByZone() {
    return SparkArrowTest.casesByZone();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("casesByZone")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyTypeRoundTripsThroughArrowTables(ArrowTestSupport.Case c, String zone) {
    spark.conf().set("spark.sql.session.timeZone", zone);
    List<Record> records = c.records(200, 41);
    ArrowRecordType type = c.type();
    Dataset<Row> df = SparkArrow.createDataFrame(spark, (List) records, type);

    JavaRDD<ArrowTable> tables = SparkArrow.toArrowTables(df);
    assertThat(tables.getNumPartitions()).isEqualTo(df.rdd().getNumPartitions());
    Dataset<Row> back = SparkArrow.fromArrowTables(spark, tables);

    // The schema Spark gets from the tables is the record's (column comments are not in Arrow).
    assertThat(back.schema()).isEqualTo(SparkSchemas.fromArrow(type.arrowSchema(), Map.of()));
    assertThat(SparkArrow.collect(back, type))
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(records);
    if (!df.schema().toDDL().contains("MAP<")) { // set operations do not take map columns
      assertThat(back.exceptAll(df).count()).isZero();
      assertThat(df.exceptAll(back).count()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, -1})
  void maxRecordsPerTable(int max) {
    Dataset<Row> df =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(50, 3), OrderArrowSchema.INSTANCE).repartition(4);
    List<Integer> sizes = df.javaRDD().glom().map(List::size).collect();
    List<ArrowTable> tables = SparkArrow.toArrowTables(df, max).collect();
    int expected = 0;
    for (int size : sizes) {
      expected += max < 0 || size == 0 ? 1 : (size + max - 1) / max;
    }
    assertThat(tables).hasSize(expected);
    assertThat(tables).allMatch(t -> max < 0 || t.rowCount() <= max);
    assertThat(tables.stream().mapToLong(ArrowTable::rowCount).sum()).isEqualTo(50);
    Dataset<Row> back = SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(df, max));
    assertThat(SparkArrow.collect(back, OrderArrowSchema.INSTANCE))
        .containsExactlyInAnyOrderElementsOf(SparkArrow.collect(df, OrderArrowSchema.INSTANCE));
  }

  /** A cached numeric DataFrame, which Spark serves as columnar batches, takes the columnar path. */
  @ParameterizedTest
  @ValueSource(ints = {3, -1})
  void cachedColumnarInputGivesTheSameTables(int max) {
    Dataset<Row> df =
        spark.range(0, 2_000, 1, 3)
            .selectExpr("id", "CASE WHEN id % 7 = 0 THEN NULL ELSE CAST(id AS INT) END AS n",
                "id * 0.5D AS x", "id % 2 = 0 AS even")
            .cache();
    try {
      df.count();
      List<ArrowTable> tables = SparkArrow.toArrowTables(df, max).collect();
      assertThat(tables.stream().mapToLong(ArrowTable::rowCount).sum()).isEqualTo(2_000);
      assertThat(tables).allMatch(t -> max < 0 || t.rowCount() <= max);
      if (max < 0) {
        assertThat(tables).hasSize(3);
      }
      Dataset<Row> back = SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(df, max));
      assertThat(back.exceptAll(df).count()).isZero();
      assertThat(df.exceptAll(back).count()).isZero();
    } finally {
      df.unpersist(true);
    }
  }

  @Test
  void emptyDataFramesAndEmptyPartitions() {
    Dataset<Row> three = SparkArrow.createDataFrame(spark, RandomRecords.orders(3, 4), OrderArrowSchema.INSTANCE);
    Dataset<Row> sparse = three.repartition(6); // at least three empty partitions
    List<ArrowTable> tables = SparkArrow.toArrowTables(sparse).collect();
    assertThat(tables).hasSize(6);
    assertThat(tables.stream().filter(t -> t.rowCount() == 0).count()).isGreaterThanOrEqualTo(3);
    assertThat(tables).allMatch(t -> t.schema().equals(tables.get(0).schema()));
    assertThat(SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(sparse)).count()).isEqualTo(3);

    // An empty DataFrame of one (empty) partition: one empty table, which gives the schema.
    Dataset<Row> empty = SparkArrow.createDataFrame(spark, List.<Order>of(), OrderArrowSchema.INSTANCE);
    Dataset<Row> back = SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(empty));
    assertThat(back.count()).isZero();
    assertThat(back.schema()).isEqualTo(SparkSchemas.fromArrow(OrderArrowSchema.INSTANCE.arrowSchema(), Map.of()));
    // One of no partitions at all (Spark plans limit(0) so): no tables, so the schema is given.
    Dataset<Row> nothing = three.limit(0);
    assertThat(SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(nothing), nothing.schema())
        .count()).isZero();
    // No tables at all: the schema must be given.
    JavaRDD<ArrowTable> none = SparkArrow.toArrowTables(three).filter(t -> false);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.fromArrowTables(spark, none))
        .withMessageContaining("pass the StructType");
    StructType schema = SparkSchemas.structType(OrderArrowSchema.INSTANCE);
    assertThat(SparkArrow.fromArrowTables(spark, none, schema).count()).isZero();
  }

  @Test
  void tablesMappedOnTheExecutorsComeBackAsADataFrame() {
    Dataset<Row> df = SparkArrow.createDataFrame(spark, RandomRecords.orders(500, 5), OrderArrowSchema.INSTANCE);
    // A filter written against ArrowReader and the generated reader and writer, on executors.
    JavaRDD<ArrowTable> even =
        SparkArrow.toArrowTables(df, 64).map(table -> {
          try (BufferAllocator memory = new RootAllocator();
              ArrowReader reader = table.open(memory);
              OrderArrowWriter out = OrderArrowSchema.INSTANCE.newWriter(memory)) {
            OrderArrowReader in = null;
            while (reader.loadNextBatch()) {
              if (in == null) {
                in = OrderArrowSchema.INSTANCE.newReader(reader.getVectorSchemaRoot());
              }
              for (int row = 0; row < in.rowCount(); row++) {
                if (in.orderId(row) % 2 == 0) {
                  out.write(in.get(row));
                }
              }
            }
            return ArrowTable.of(out.finish());
          }
        });
    Dataset<Row> result = SparkArrow.fromArrowTables(spark, even);
    assertThat(SparkArrow.collect(result, OrderArrowSchema.INSTANCE))
        .containsExactlyInAnyOrderElementsOf(
            SparkArrow.collect(df.filter("order_id % 2 = 0"), OrderArrowSchema.INSTANCE));
  }

  @Test
  void tablesSurviveCacheShuffleAndCollect() {
    Dataset<Row> df = SparkArrow.createDataFrame(spark, RandomRecords.orders(300, 6), OrderArrowSchema.INSTANCE);
    JavaRDD<ArrowTable> tables = SparkArrow.toArrowTables(df, 25).cache();
    assertThat(tables.count()).isEqualTo(tables.count());
    JavaRDD<ArrowTable> shuffled = tables.repartition(5);
    assertThat(shuffled.getNumPartitions()).isEqualTo(5);
    assertThat(shuffled.collect().stream().mapToLong(ArrowTable::rowCount).sum()).isEqualTo(300);
    Dataset<Row> back = SparkArrow.fromArrowTables(spark, shuffled);
    assertThat(SparkArrow.collect(back, OrderArrowSchema.INSTANCE))
        .containsExactlyInAnyOrderElementsOf(SparkArrow.collect(df, OrderArrowSchema.INSTANCE));
    tables.unpersist();
  }

  @Test
  void tablesOfAnotherSchemaFailNamingTableAndColumns() {
    Dataset<Row> orders = SparkArrow.createDataFrame(spark, RandomRecords.orders(10, 7), OrderArrowSchema.INSTANCE);
    Dataset<Row> other = spark.range(5).selectExpr("id AS order_id", "'x' AS customer");
    JavaRDD<ArrowTable> mixed =
        SparkArrow.toArrowTables(orders.coalesce(1)).union(SparkArrow.toArrowTables(other.coalesce(1)))
            .coalesce(1);
    Dataset<Row> df = SparkArrow.fromArrowTables(spark, mixed);
    assertThatThrownBy(df::count)
        .hasStackTraceContaining("table 1 of partition 0 has another schema than the first table")
        .hasStackTraceContaining("column 'customer': expected Struct, found Utf8")
        .hasStackTraceContaining("column 'lines' is missing");
  }

  @Test
  void toArrowReaderStreamsEveryRowInPartitionOrder() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000");
    Dataset<Row> df =
        spark.range(0, 50_000, 1, 7).selectExpr("id", "concat('row ', CAST(id AS STRING)) AS text");
    try (ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
      assertThat(readNumberedRows(reader, 1000)).isEqualTo(50_000);
    }
  }

  /**
   * Reads rows {@code id, text = 'row ' || id} to the end, checking that ids count up from 0 and
   * that batches have 1 to {@code maxBatch} rows; returns the rows read.
   */
  static long readNumberedRows(ArrowReader reader, int maxBatch) throws java.io.IOException {
    long expected = 0;
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      assertThat(root.getRowCount()).isBetween(1, maxBatch);
      BigIntVector ids = (BigIntVector) root.getVector("id");
      VarCharVector texts = (VarCharVector) root.getVector("text");
      for (int row = 0; row < root.getRowCount(); row++) {
        assertThat(ids.get(row)).isEqualTo(expected);
        assertThat(texts.getObject(row).toString()).isEqualTo("row " + expected);
        expected++;
      }
    }
    return expected;
  }

  @Test
  void toArrowReaderHoldsOneBatchNotTheResult() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "10000");
    // 2,000,000 rows, about 40 MB as Arrow, in 20 partitions.
    Dataset<Row> df =
        spark.range(0, 2_000_000, 1, 20).selectExpr("id", "id * 2 AS twice", "CAST(id AS STRING) AS text");
    long rows = 0;
    long bytes = 0;
    try (BufferAllocator child = allocator.newChildAllocator("stream", 0, Long.MAX_VALUE);
        ArrowReader reader = SparkArrow.toArrowReader(df, child)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
        for (var vector : reader.getVectorSchemaRoot().getFieldVectors()) {
          bytes += vector.getBufferSize();
        }
      }
      reader.close();
      // The driver's Arrow memory peaked at about one batch (10,000 rows), not the result.
      assertThat(bytes).isGreaterThan(30_000_000);
      assertThat(child.getPeakMemoryAllocation()).isLessThan(bytes / 20);
    }
    assertThat(rows).isEqualTo(2_000_000);
  }

  /** Empty partitions among full ones, and a DataFrame without partitions, stream as nothing. */
  @Test
  void toArrowReaderSkipsEmptyPartitionsAndStreamsNoPartitions() throws Exception {
    Dataset<Row> sparse = spark.range(0, 5, 1, 12).selectExpr("id", "CAST(id AS STRING) AS text");
    List<Long> ids = new java.util.ArrayList<>();
    try (ArrowReader reader = SparkArrow.toArrowReader(sparse, allocator)) {
      assertThat(reader.getVectorSchemaRoot().getSchema().getFields()).hasSize(2);
      while (reader.loadNextBatch()) {
        BigIntVector batch = (BigIntVector) reader.getVectorSchemaRoot().getVector("id");
        for (int row = 0; row < batch.getValueCount(); row++) {
          ids.add(batch.get(row));
        }
      }
    }
    assertThat(ids).containsExactly(0L, 1L, 2L, 3L, 4L);
    Dataset<Row> none = spark.emptyDataFrame().selectExpr("CAST(1 AS INT) AS one");
    assertThat(none.rdd().getNumPartitions()).isZero();
    try (ArrowReader reader = SparkArrow.toArrowReader(none, allocator)) {
      assertThat(reader.getVectorSchemaRoot().getSchema().getFields()).hasSize(1);
      assertThat(reader.loadNextBatch()).isFalse();
    }
  }

  /** A partition whose job fails: the partitions before it arrive, then its failure, named. */
  @Test
  void toArrowReaderNamesThePartitionWhoseJobFailed() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000");
    Dataset<Row> df = spark.range(0, 6_000, 1, 6)
        .selectExpr(
            "id",
            "IF(id >= 3000 AND id < 4000, raise_error('bad row ' || id), 'ok') AS note",
            // Partition 2's job still runs when partition 3's fails (Spark fails every running job
            // whose lineage has the failed stage's RDD: the jobs must not share one).
            "IF(id = 2500, reflect('java.lang.Thread', 'sleep', CAST(1500 AS BIGINT)), '')"
                + " AS pause");
    long[] rows = {0};
    try (ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
      assertThatThrownBy(() -> {
        while (reader.loadNextBatch()) {
          rows[0] += reader.getVectorSchemaRoot().getRowCount();
        }
      }).hasMessageContaining("the job of partition 3 failed")
          .hasStackTraceContaining("bad row 3000");
    }
    assertThat(rows[0]).as("partitions 0 to 2 arrived first").isEqualTo(3_000);
    assertThat(allocator.getAllocatedMemory()).isZero();
  }

  @Test
  void closingTheStreamEarlyLeavesNothingRunning() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "100");
    // Every partition after the first sleeps a minute on its first row: the jobs that run ahead
    // end within the wait below only if closing the stream cancels them.
    Dataset<Row> df = spark.range(0, 100_000, 1, 10)
        .selectExpr(
            "id",
            "IF(id > 0 AND id % 10000 = 0, reflect('java.lang.Thread', 'sleep', CAST(60000 AS BIGINT)),"
                + " '') AS pause");
    try (JobCounter jobs = new JobCounter()) {
      try (ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
        for (int i = 0; i < 3; i++) {
          assertThat(reader.loadNextBatch()).isTrue();
        }
      }
      assertThat(allocator.getAllocatedMemory()).isZero();
      // The jobs fetching the partitions ahead are cancelled; their ends reach the listener
      // through the listener bus. Only the stream's own jobs count: a job another test class
      // left behind in the shared session is not this stream's.
      assertThat(jobs.started()).as("jobs the stream started").isPositive();
      Map<Integer, String> running = jobs.running();
      for (int i = 0; i < 200 && !running.isEmpty(); i++) {
        Thread.sleep(50);
        running = jobs.running();
      }
      assertThat(running).as("the stream's jobs still running after it was closed").isEmpty();
    }
  }

  /**
   * Each partition reaches the driver as a block of its executor's block manager: the jobs that
   * run ahead leave theirs there, the driver removes each block it reads, and closing the stream
   * early removes the rest.
   */
  @Test
  void theStreamsBlocksAreRemovedOnceReadAndWhenClosedEarly() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "100");
    Dataset<Row> df = spark.range(0, 100_000, 1, 10).toDF("id");
    Set<BlockId> before = SparkTestSession.rddBlocks();
    try (ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
      assertThat(reader.loadNextBatch()).isTrue();
      // Partition 2's job ran ahead; its block waits until partition 1 is read.
      Set<BlockId> stored = SparkTestSession.awaitRddBlocks(blocks -> !before.containsAll(blocks));
      assertThat(stored).as("blocks stored ahead").isNotEmpty();
    }
    SparkTestSession.assertNoRddBlocksBeyond(before, "blocks left after an early close");

    long rows = 0;
    try (ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      SparkTestSession.assertNoRddBlocksBeyond(before, "blocks left once every partition was read");
    }
    assertThat(rows).isEqualTo(100_000);
  }

  /**
   * A block lost after its job stored it and before the driver took it (its executor gone, or
   * the block removed) is built again: the stream reruns that partition's job once, and every
   * row still arrives, in order.
   */
  @Test
  void aBlockLostBeforeTheDriverTakesItIsBuiltAgain() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000");
    Dataset<Row> df = spark.range(0, 10_000, 1, 5).selectExpr("id", "concat('row ', id) AS text");
    Set<BlockId> before = SparkTestSession.rddBlocks();
    try (ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
      // The jobs of partitions 0 and 1 start with the stream; take partition 1's block away.
      RDDBlockId lost =
          partitionBlock(
              SparkTestSession.awaitRddBlocks(blocks -> partitionBlock(blocks, before, 1) != null),
              before,
              1);
      assertThat(lost).as("partition 1's block").isNotNull();
      SparkEnv.get().blockManager().master().removeBlock(lost);
      assertThat(SparkTestSession.awaitRddBlocks(blocks -> !blocks.contains(lost))).doesNotContain(lost);

      assertThat(readNumberedRows(reader, 1_000)).isEqualTo(10_000);
    }
    SparkTestSession.assertNoRddBlocksBeyond(before, "blocks left");
  }

  /** The block of partition {@code partition} among {@code blocks} and not in {@code before}. */
  private static RDDBlockId partitionBlock(Set<BlockId> blocks, Set<BlockId> before, int partition) {
    return blocks.stream()
        .filter(block -> !before.contains(block))
        .map(RDDBlockId.class::cast)
        .filter(block -> block.splitIndex() == partition)
        .findFirst()
        .orElse(null);
  }

  /**
   * The typed {@code collect} keeps Spark's {@code spark.driver.maxResultSize}, as Spark's own
   * {@code collect} does: a result whose tables are larger fails, naming the limit and what to do,
   * and leaves no block behind.
   */
  @Test
  void collectKeepsTheDriversMaxResultSize() throws Exception {
    Dataset<Row> df = spark.range(0, 300_000, 1, 3).toDF("id"); // 2.4 MB of Arrow
    Set<BlockId> before = SparkTestSession.rddBlocks();
    spark.sparkContext().conf().set("spark.driver.maxResultSize", "1m");
    try {
      assertThatThrownBy(() -> SparkArrow.collect(df, ArrowTablesTest_NumberedArrowSchema.INSTANCE))
          .hasMessageContaining("more than spark.driver.maxResultSize (1048576 bytes)")
          .hasMessageContaining("toLocalIterator");
      assertThat(SparkArrow.collect(df.limit(1_000), ArrowTablesTest_NumberedArrowSchema.INSTANCE))
          .hasSize(1_000);
    } finally {
      spark.sparkContext().conf().remove("spark.driver.maxResultSize");
    }
    assertThat(SparkArrow.collect(df, ArrowTablesTest_NumberedArrowSchema.INSTANCE))
        .hasSize(300_000);
    SparkTestSession.assertNoRddBlocksBeyond(before, "blocks left");
  }

  /**
   * Tiny partitions are stored a group per job once the first blocks show them small (a job costs
   * about 17 ms): 200 partitions stream in a handful of jobs, every row in order.
   */
  @Test
  void tinyPartitionsStreamInAFewJobs() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000");
    Dataset<Row> df = spark.range(0, 20_000, 1, 200).selectExpr("id", "concat('row ', id) AS text");
    try (JobCounter jobs = new JobCounter()) {
      try (ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
        assertThat(readNumberedRows(reader, 100)).isEqualTo(20_000);
      }
      assertThat(jobs.started()).as("jobs for 200 partitions").isBetween(2, 12);
    }
  }

  /**
   * Before anything is read, the stream starts a job per core and no more: the partitions after
   * them wait for the reader, so the blocks waiting ahead stay bounded however slow it is.
   */
  @Test
  void toArrowReaderRunsAJobPerCoreAhead() throws Exception {
    Dataset<Row> df = spark.range(0, 8_000, 1, 8).selectExpr("id", "concat('row ', id) AS text");
    int cores = spark.sparkContext().defaultParallelism();
    try (JobCounter jobs = new JobCounter();
        ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (jobs.started() < cores && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(300); // time for a job too many to start
      assertThat(jobs.started()).as("jobs started before anything was read").isEqualTo(cores);
      assertThat(readNumberedRows(reader, 10_000)).isEqualTo(8_000);
    }
  }

  /** Counts the Spark jobs that start while it is open, and knows which of them still run. */
  private final class JobCounter extends SparkListener implements AutoCloseable {
    private final AtomicInteger jobs = new AtomicInteger();
    private final Map<Integer, String> running = new java.util.concurrent.ConcurrentHashMap<>();

    JobCounter() {
      spark.sparkContext().addSparkListener(this);
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
      jobs.incrementAndGet();
      java.util.Properties properties = jobStart.properties();
      running.put(
          jobStart.jobId(),
          properties == null ? "" : String.valueOf(properties.getProperty("spark.jobGroup.id")));
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd jobEnd) {
      running.remove(jobEnd.jobId());
    }

    /** The jobs started so far, once the events posted before have been delivered. */
    int started() throws java.util.concurrent.TimeoutException {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return jobs.get();
    }

    /**
     * The jobs started while it was open that have not ended, by id, with their job group, once
     * the events posted before have been delivered.
     */
    Map<Integer, String> running() throws java.util.concurrent.TimeoutException {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      return new java.util.TreeMap<>(running);
    }

    @Override
    public void close() {
      spark.sparkContext().removeSparkListener(this);
    }
  }

  /** A row number, as a record. */
  @HasArrowSparkSchema
  record Numbered(long id) {}

  /**
   * Typed {@code collect} and {@code toLocalIterator} come through the same driver stream: every
   * record in partition order, the partitions ahead stored as blocks, and once the iterator
   * reaches its end (nothing closed by hand) no block is left. {@code collect}, which keeps the
   * whole result, stores every partition in one job, not in a job per partition.
   */
  @Test
  void recordsComeThroughTheDriverStreamAndLeaveNoBlock() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "700");
    Dataset<Row> df = spark.range(0, 20_000, 1, 7).toDF("id");
    Set<BlockId> before = SparkTestSession.rddBlocks();
    try (JobCounter jobs = new JobCounter()) {
      assertThat(SparkArrow.collect(df, ArrowTablesTest_NumberedArrowSchema.INSTANCE))
          .extracting(Numbered::id)
          .containsExactlyElementsOf(LongStream.range(0, 20_000).boxed().toList());
      assertThat(jobs.started()).as("jobs collect ran").isEqualTo(1);
    }

    Iterator<Numbered> records =
        SparkArrow.toLocalIterator(df, ArrowTablesTest_NumberedArrowSchema.INSTANCE);
    assertThat(records.next().id()).isZero();
    // The partitions after the first wait as blocks, as toArrowReader's do.
    assertThat(SparkTestSession.awaitRddBlocks(blocks -> !before.containsAll(blocks)))
        .as("blocks stored ahead")
        .isNotEmpty();
    long next = 1;
    while (records.hasNext()) {
      assertThat(records.next().id()).isEqualTo(next++);
    }
    assertThat(next).isEqualTo(20_000);
    SparkTestSession.assertNoRddBlocksBeyond(before, "blocks left");
  }
}

package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.runtime.ArrowTable;
import io.github.sparkarrow.spark.PipeOptions;
import io.github.sparkarrow.spark.SparkArrow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.BlockId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real multi-JVM cluster on 127.0.0.1, started by the test from the Maven class path: Spark's
 * {@code local-cluster[2,1,1024]} runs a Master and two Workers, and each Worker starts its
 * executor as a separate JVM. Functions and generated classes are serialized and shipped to those
 * JVMs. Then an executor JVM is killed in the middle of a job, and the job still completes with
 * the right result. The session's stop ends every process the test started; any executor still
 * alive afterwards is killed.
 */
class ClusterIT {

  private static SparkSession spark;

  @BeforeAll
  static void startCluster() throws IOException {
    Path sparkHome = Path.of(System.getenv("SPARK_HOME"));
    Files.createDirectories(sparkHome.resolve("jars"));
    String flags = String.join(" ", ClusterJobs.sparkJvmFlags());
    spark =
        SparkSession.builder()
            .appName("spark-arrow-java cluster test")
            .master("local-cluster[2,1,1024]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
            .config("spark.executor.extraJavaOptions", flags)
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
  }

  @AfterAll
  static void stopCluster() {
    String app = spark.sparkContext().applicationId();
    spark.stop();
    executors(app).forEach(ProcessHandle::destroyForcibly);
  }

  private static List<ProcessHandle> executors(String applicationId) {
    return ProcessHandle.allProcesses()
        .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend"))
        .filter(p -> commandLine(p).contains(applicationId))
        .toList();
  }

  /** The full command line (the JDK's {@code ProcessHandle.Info} may leave it out). */
  private static String commandLine(ProcessHandle process) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
      return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return process.info().commandLine().orElse("");
    }
  }

  @Test
  void generatedMappersRunOnExecutorJvms() {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(3_000, 77), OrderArrowSchema.INSTANCE).repartition(4);
    Dataset<Row> totals =
        SparkArrow.mapRecords(orders, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            OrderTotal::of);
    Dataset<Row> bySql = orders.selectExpr(OrderTotal.SQL);
    assertThat(totals.exceptAll(bySql).count()).isZero();
    assertThat(bySql.exceptAll(totals).count()).isZero();
    List<String> hosts =
        spark.range(0, 100, 1, 8).toDF("id")
            .mapPartitions(
                (org.apache.spark.api.java.function.MapPartitionsFunction<Row, String>)
                    rows -> List.of(java.lang.management.ManagementFactory.getRuntimeMXBean()
                        .getName()).iterator(),
                org.apache.spark.sql.Encoders.STRING())
            .distinct()
            .collectAsList();
    assertThat(hosts).as("executor JVMs").hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void arrowTablesCrossExecutorJvms() {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(2_000, 77), OrderArrowSchema.INSTANCE).repartition(4);
    // Tables built on the executors, shuffled between their JVMs, read back into a DataFrame.
    JavaRDD<ArrowTable> tables = SparkArrow.toArrowTables(orders, 100).repartition(3);
    assertThat(tables.map(ArrowTable::rowCount).reduce(Long::sum)).isEqualTo(2_000);
    Dataset<Row> back = SparkArrow.fromArrowTables(spark, tables);
    assertThat(SparkArrow.collect(back, OrderArrowSchema.INSTANCE))
        .containsExactlyInAnyOrderElementsOf(SparkArrow.collect(orders, OrderArrowSchema.INSTANCE));
  }

  /**
   * A cached DataFrame of strings, decimals and timestamps, which Spark serves only as rows, is
   * decoded column by column on the executor JVMs that hold its blocks, batch by cached batch.
   */
  @Test
  void aCachedDataFrameIsDecodedOnTheExecutorJvms() {
    spark.conf().set("spark.sql.inMemoryColumnarStorage.batchSize", 500);
    Dataset<Row> cached = spark.range(0, 20_000, 1, 4)
        .selectExpr("id",
            "IF(id % 7 = 0, NULL, concat('customer ', CAST(id % 13 AS STRING))) AS customer",
            "CAST(id AS DECIMAL(12,2)) / 4 AS amount",
            "TIMESTAMP '2024-01-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id) AS at")
        .cache();
    try {
      List<Integer> sizes = SparkArrow.mapInArrow(cached, StructType.fromDDL("rows INT"),
              BatchFunctions::rowCounts)
          .collectAsList().stream().map(row -> row.getInt(0)).toList();
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20_000);
      assertThat(sizes).as("batches of at most one cached batch: the cache was decoded")
          .allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(500));
      Dataset<Row> identity =
          SparkArrow.mapInArrow(cached, cached.schema(), (batches, context) -> batches);
      assertThat(identity.exceptAll(cached).count()).isZero();
      assertThat(cached.exceptAll(identity).count()).isZero();
    } finally {
      cached.unpersist(true);
      spark.conf().unset("spark.sql.inMemoryColumnarStorage.batchSize");
    }
  }

  /**
   * The driver stream fetches each partition's block from the executor JVM that stored it (the
   * driver has no block of its own here), in partition order, and leaves none behind.
   */
  @Test
  void toArrowReaderFetchesEachPartitionFromItsExecutorJvm() throws Exception {
    Dataset<Row> df =
        spark.range(0, 40_000, 1, 6).selectExpr("id", "concat('row ', CAST(id AS STRING)) AS text");
    Set<BlockId> before = SparkTestSession.rddBlocks();
    try (BufferAllocator allocator = new RootAllocator();
        ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
      assertThat(ArrowTablesTest.readNumberedRows(reader, 10_000)).isEqualTo(40_000);
      assertThat(reader.bytesRead()).isGreaterThan(40_000L * 8);
    }
    SparkTestSession.assertNoRddBlocksBeyond(before, "blocks left");
  }

  /** A pipe program shipped to the executors with addFile, found there by its file name. */
  @Test
  void aPipeProgramShippedWithAddFileRunsOnExecutors() throws IOException {
    Path dir = Files.createTempDirectory("pipe-program");
    Path program = dir.resolve("arrow-identity.sh");
    Files.writeString(program, "#!/bin/sh\nexec cat\n");
    spark.sparkContext().addFile(program.toString());
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(1_000, 77), OrderArrowSchema.INSTANCE).repartition(4);
    Dataset<Row> piped =
        SparkArrow.pipe(orders, List.of("arrow-identity.sh"), OrderArrowSchema.INSTANCE,
            OrderArrowSchema.INSTANCE, PipeOptions.DEFAULT);
    assertThat(SparkArrow.collect(piped, OrderArrowSchema.INSTANCE))
        .containsExactlyInAnyOrderElementsOf(SparkArrow.collect(orders, OrderArrowSchema.INSTANCE));
  }

  @Test
  void aKilledExecutorJvmDoesNotStopTheJob() throws Exception {
    String app = spark.sparkContext().applicationId();
    ClusterJobs.survivesAKill(spark, 77, 4_000, () -> {
      List<ProcessHandle> executors = executors(app);
      assertThat(executors).as("executor JVMs of %s", app).hasSizeGreaterThanOrEqualTo(2);
      assertThat(executors.get(0).destroyForcibly()).isTrue();
    });
  }

}

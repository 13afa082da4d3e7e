package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowReader;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.it.records.OrderTotalArrowWriter;
import io.github.sparkarrow.it.records.Temporals;
import io.github.sparkarrow.it.records.TemporalsArrowSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.spark.ArrowMapOptions;
import io.github.sparkarrow.spark.SparkArrow;
import io.github.sparkarrow.spark.SparkSchemas;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** mapInArrow and the typed functions in Spark local mode. */
class SparkArrowTest {

  private final SparkSession spark = SparkTestSession.get();

  @AfterEach
  void noArrowMemoryOutlivesItsTask() throws InterruptedException {
    // Completion listeners run right after a task; give a killed task a moment to finish.
    SparkTestSession.assertNoArrowMemoryLeft();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    spark.conf().unset("spark.sql.execution.arrow.maxRecordsPerBatch");
  }

  static final List<String> ZONES = List.of("UTC", "America/Los_Angeles", "Asia/Tokyo");

  /** Every record type under every session time zone. */
  static List<Arguments> casesByZone() {
    List<Arguments> arguments = new ArrayList<>();
    for (String zone : ZONES) {
      for (ArrowTestSupport.Case c : ArrowTestSupport.cases()) {
        arguments.add(Arguments.of(c, zone));
      }
    }
    return arguments;
  }

  static List<ArrowTestSupport.Case> cases() {
    return ArrowTestSupport.cases();
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("casesByZone")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void identityOverEveryTypeGivesTheRecordsBack(ArrowTestSupport.Case c, String zone) {
    spark.conf().set("spark.sql.session.timeZone", zone);
    List<Record> records = c.records(300, 17);
    ArrowRecordType type = c.type();
    Dataset<Row> df = SparkArrow.createDataFrame(spark, (List) records, type);
    assertThat(df.schema()).isEqualTo(SparkSchemas.structType(type));

    Dataset<Row> mapped =
        SparkArrow.mapInArrow(df, df.schema(), (batches, context) -> batches,
            ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(7));
    List<Record> back = SparkArrow.collect(mapped, type);
    assertThat(back)
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(records);
    if (!df.schema().toDDL().contains("MAP<")) { // set operations do not take map columns
      assertThat(mapped.exceptAll(df).count()).isZero();
      assertThat(df.exceptAll(mapped).count()).isZero();
    }
  }

  /** Batch sizes 1, 3 and 10,000, and the largest under every session time zone. */
  static List<Arguments> batchSizesAndZones() {
    List<Arguments> arguments = new ArrayList<>(List.of(Arguments.of(1, "UTC"), Arguments.of(3, "UTC")));
    ZONES.forEach(zone -> arguments.add(Arguments.of(10_000, zone)));
    return arguments;
  }

  @ParameterizedTest(name = "maxRecordsPerBatch {0} in {1}")
  @MethodSource("batchSizesAndZones")
  void computingFunctionAgreesWithSparkSql(int maxRecordsPerBatch, String zone) {
    spark.conf().set("spark.sql.session.timeZone", zone);
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", maxRecordsPerBatch);
    // Batches of one or three rows: fewer orders, the same edges (each job runs seven times).
    int count = maxRecordsPerBatch < 10 ? 300 : 2_000;
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(count, 31), OrderArrowSchema.INSTANCE)
            .repartition(3);
    Dataset<Row> bySql = orders.selectExpr(OrderTotal.SQL);

    Dataset<Row> byRecords =
        SparkArrow.mapRecords(orders, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            OrderTotal::of);
    Dataset<Row> byBatches =
        SparkArrow.mapBatches(orders, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            (OrderArrowReader in, OrderTotalArrowWriter out) -> {
              for (int row = 0; row < in.rowCount(); row++) {
                out.write(OrderTotal.of(in.get(row)));
              }
            });
    for (Dataset<Row> result : List.of(byRecords, byBatches)) {
      assertThat(result.count()).isEqualTo(count);
      assertThat(result.exceptAll(bySql).count()).isZero();
      assertThat(bySql.exceptAll(result).count()).isZero();
    }
  }

  /**
   * A cached DataFrame of numbers and booleans (the only cache Spark itself serves as columnar
   * batches; the runtime decodes every flat type, see ColumnarInputTest) is copied into Arrow
   * column by column, not through rows; the result must be the same rows, nulls and batch slicing
   * included.
   */
  @ParameterizedTest
  @ValueSource(ints = {3, 10_000})
  void cachedColumnarInputGivesTheSameRows(int maxRecordsPerBatch) {
    Dataset<Row> df =
        spark.range(0, 5_000, 1, 3)
            .selectExpr(
                "id",
                "CASE WHEN id % 7 = 0 THEN NULL ELSE CAST(id AS INT) END AS count",
                "id * 0.5D AS value",
                "CASE WHEN id % 5 = 0 THEN NULL ELSE id % 2 = 0 END AS flag",
                "CAST(id % 100 AS SMALLINT) AS small",
                "CASE WHEN id % 3 = 0 THEN NULL ELSE CAST(id % 100 AS TINYINT) END AS tiny",
                "CAST(id AS FLOAT) / 3 AS ratio",
                "CASE WHEN id % 11 = 0 THEN NULL ELSE id * -3 END AS big",
                "CASE WHEN id % 13 = 0 THEN NULL ELSE id / 7D END AS share",
                "CASE WHEN id % 2 = 0 THEN NULL ELSE CAST(id AS FLOAT) END AS odd",
                "CASE WHEN id % 17 = 0 THEN NULL ELSE CAST(id % 300 AS SMALLINT) END AS medium")
            .cache();
    try {
      df.count();
      assertThat(
              ((org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec)
                      df.queryExecution().executedPlan())
                  .inputPlan()
                  .supportsColumnar())
          .as("the cache serves columnar batches")
          .isTrue();
      Dataset<Row> mapped =
          SparkArrow.mapInArrow(df, df.schema(), (batches, context) -> batches,
              ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(maxRecordsPerBatch));
      assertThat(mapped.count()).isEqualTo(5_000);
      assertThat(mapped.exceptAll(df).count()).isZero();
      assertThat(df.exceptAll(mapped).count()).isZero();
    } finally {
      df.unpersist(true);
    }
  }

  @Test
  void flatMapDropsAndRepeatsRows() {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(500, 5), OrderArrowSchema.INSTANCE);
    Dataset<Row> twiceIfEven =
        SparkArrow.flatMapRecords(orders, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            order -> order.orderId() % 2 == 0
                ? List.of(OrderTotal.of(order), OrderTotal.of(order)).iterator()
                : Collections.emptyIterator());
    long even = orders.filter("order_id % 2 = 0").count();
    assertThat(twiceIfEven.count()).isEqualTo(2 * even);
  }

  @Test
  void emptyDataFrameAndEmptyPartitions() {
    Dataset<Row> empty =
        SparkArrow.createDataFrame(spark, List.<Order>of(), OrderArrowSchema.INSTANCE);
    assertThat(SparkArrow.mapRecords(empty, OrderArrowSchema.INSTANCE,
            OrderTotalArrowSchema.INSTANCE, OrderTotal::of).count()).isZero();
    Dataset<Row> sparse =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(3, 2), OrderArrowSchema.INSTANCE).repartition(8);
    assertThat(SparkArrow.mapRecords(sparse, OrderArrowSchema.INSTANCE,
            OrderTotalArrowSchema.INSTANCE, OrderTotal::of).count()).isEqualTo(3);
    assertThat(SparkArrow.collect(empty, OrderArrowSchema.INSTANCE)).isEmpty();
  }

  /** Spark's TIMESTAMP semantics under any session time zone; TIMESTAMP_NTZ ignores it. */
  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/Los_Angeles", "Asia/Tokyo"})
  void timeZones(String zone) {
    spark.conf().set("spark.sql.session.timeZone", zone);
    List<Record> records = cases().get(4).records(200, 3); // Temporals
    @SuppressWarnings({"unchecked", "rawtypes"})
    Dataset<Row> df = SparkArrow.createDataFrame(spark, (List) records, TemporalsArrowSchema.INSTANCE);
    Dataset<Row> mapped = SparkArrow.mapInArrow(df, df.schema(), (batches, context) -> batches);
    assertThat(SparkArrow.collect(mapped, TemporalsArrowSchema.INSTANCE))
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(records.stream().map(r -> (Temporals) r).toList());

    DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of(zone));
    List<Row> shown = mapped.selectExpr("date_format(instant, 'yyyy-MM-dd HH:mm:ss')").collectAsList();
    for (int i = 0; i < records.size(); i++) {
      Temporals t = (Temporals) records.get(i);
      String expected = t.instant() == null || t.instant().atZone(ZoneId.of(zone)).getYear() < 1000
          ? null : format.format(t.instant());
      if (expected != null) {
        assertThat(shown.get(i).getString(0)).isEqualTo(expected);
      }
    }
  }

  @Test
  void limitOneStopsEarlyAndFreesEverything() {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(5_000, 8), OrderArrowSchema.INSTANCE);
    Dataset<Row> totals =
        SparkArrow.mapRecords(orders, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            OrderTotal::of);
    assertThat(totals.limit(1).collectAsList()).hasSize(1);
    assertThat(SparkArrow.toLocalIterator(totals, OrderTotalArrowSchema.INSTANCE).next())
        .isNotNull();
  }

  @Test
  void aUserExceptionAtBatchKFailsTheJobAndFreesEverything() {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(1_000, 9), OrderArrowSchema.INSTANCE)
            .coalesce(1);
    Dataset<Row> failing =
        SparkArrow.mapInArrow(orders, orders.schema(), BatchFunctions.failAtBatch(3),
            ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(100));
    assertThatThrownBy(failing::count)
        .isInstanceOf(SparkException.class)
        .hasStackTraceContaining("boom at batch 3");
  }

  @Test
  void aCancelledJobFreesEverything() throws Exception {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(1_000, 10), OrderArrowSchema.INSTANCE);
    Dataset<Row> slow =
        SparkArrow.mapInArrow(orders, orders.schema(), BatchFunctions.delayEach(200),
            ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(10));
    spark.sparkContext().setJobGroup("cancel-me", "cancelled by the test", true);
    // A new thread, which inherits the job group (a pooled one would keep the group it had).
    CompletableFuture<Long> job =
        CompletableFuture.supplyAsync(slow::count, runnable -> new Thread(runnable).start());
    Thread.sleep(1_500);
    spark.sparkContext().cancelJobGroup("cancel-me");
    spark.sparkContext().clearJobGroup();
    assertThatThrownBy(() -> job.get(60, TimeUnit.SECONDS)).hasStackTraceContaining("cancel");
  }

  @Test
  void barrierMode() {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(100, 12), OrderArrowSchema.INSTANCE).repartition(2);
    Dataset<Row> mapped =
        SparkArrow.mapInArrow(orders, orders.schema(), (batches, context) -> batches,
            ArrowMapOptions.DEFAULT.withBarrier(true));
    assertThat(mapped.count()).isEqualTo(100);
  }

  @Test
  void inputSchemaIsCheckedUpFrontListingEveryProblem() {
    Dataset<Row> df =
        spark.range(3).selectExpr(
            "id AS order_id", "CAST(NULL AS STRING) AS customer", "CAST(id AS INT) AS placed_at");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.mapRecords(df, OrderArrowSchema.INSTANCE,
            OrderTotalArrowSchema.INSTANCE, OrderTotal::of))
        .withMessageStartingWith(
            "the DataFrame does not fit io.github.sparkarrow.it.records.Order:")
        .withMessageContaining("'customer': expected STRUCT<")
        .withMessageContaining("found STRING")
        .withMessageContaining("column 'lines' (ARRAY<STRUCT<")
        .withMessageContaining("column 'lines_by_sku' (MAP<STRING,")
        .withMessageContaining("column 'ship_to' (STRUCT<")
        .withMessageContaining("'placed_at': expected TIMESTAMP, found INT");
  }

  @Test
  void declaredOutputIsCheckedAgainstTheFirstBatch() {
    Dataset<Row> df = spark.range(10).toDF("id");
    StructType declared =
        new StructType().add("id", DataTypes.StringType).add("extra", DataTypes.IntegerType);
    Dataset<Row> wrong = SparkArrow.mapInArrow(df, declared, (batches, context) -> batches);
    assertThatThrownBy(wrong::collectAsList)
        .hasStackTraceContaining("the batch does not have the schema of the output schema declared"
            + " to mapInArrow")
        .hasStackTraceContaining("column 'id': expected Utf8, found Int(64, true)")
        .hasStackTraceContaining("column 'extra' is missing");
  }

  @Test
  void outputBatchesMadeByTheFunctionAreFreedByTheTask() {
    Dataset<Row> df = spark.range(0, 1_000, 1, 4).toDF("id");
    StructType out = new StructType().add("doubled", DataTypes.LongType, false);
    Dataset<Row> doubled =
        SparkArrow.mapInArrow(df, out, BatchFunctions::doubleIds);
    assertThat(doubled.agg(functions.sum("doubled")).first().getLong(0)).isEqualTo(999_000L);
  }

  /**
   * Output decimals of up to 18 digits are read from their unscaled long, with no BigDecimal: the
   * edges of the precision read as Spark reads them, and a value beyond it (a function's or a
   * pipe program's output is untrusted) fails naming the column and row, not read.
   */
  @Test
  void outputDecimalsReadAsSparkReadsThemAndOutOfPrecisionFails() {
    Dataset<Row> df = spark.range(0, 4, 1, 1).toDF("id");
    StructType out = new StructType().add("amount", DataTypes.createDecimalType(5, 2));
    long[] unscaled = {99_999, -99_999, 0, -1};
    List<Row> rows = SparkArrow.mapInArrow(df, out, decimals(unscaled)).collectAsList();
    assertThat(rows).extracting(row -> row.getDecimal(0).toPlainString())
        .containsExactly("999.99", "-999.99", "0.00", "-0.01");
    assertThat(SparkArrow.mapInArrow(df, out, decimals(unscaled))
            .selectExpr("CAST(sum(amount) AS STRING)").first().getString(0))
        .isEqualTo("-0.01");
    assertThatThrownBy(() ->
            SparkArrow.mapInArrow(df, out, decimals(new long[] {1, 100_000, 2, 3})).collectAsList())
        .hasStackTraceContaining("column 'amount', row 1 of an output batch: 1000.00 does not fit"
            + " DECIMAL(5,2)");
  }

  /** A function that writes one DECIMAL(5,2) column of these unscaled values, whatever its input. */
  private static io.github.sparkarrow.runtime.ArrowBatchFunction decimals(long[] unscaled) {
    return (batches, context) -> {
      while (batches.hasNext()) {
        batches.next();
      }
      org.apache.arrow.vector.VectorSchemaRoot root = context.closeAtEnd(
          org.apache.arrow.vector.VectorSchemaRoot.create(
              new org.apache.arrow.vector.types.pojo.Schema(List.of(
                  org.apache.arrow.vector.types.pojo.Field.nullable("amount",
                      new org.apache.arrow.vector.types.pojo.ArrowType.Decimal(5, 2, 128)))),
              context.allocator()));
      org.apache.arrow.vector.DecimalVector amounts =
          (org.apache.arrow.vector.DecimalVector) root.getVector(0);
      amounts.allocateNew(unscaled.length);
      for (int i = 0; i < unscaled.length; i++) {
        // Written raw, as a foreign program may: setSafe would refuse a value beyond precision.
        amounts.getDataBuffer().setLong(16L * i, unscaled[i]);
        amounts.getDataBuffer().setLong(16L * i + 8, unscaled[i] >> 63);
        amounts.setIndexDefined(i);
      }
      root.setRowCount(unscaled.length);
      return List.of(root).iterator();
    };
  }
}

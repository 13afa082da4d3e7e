package io.github.sparkarrow.it;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowTable;
import io.github.sparkarrow.spark.ArrowMapOptions;
import io.github.sparkarrow.spark.SparkArrow;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.columnar.DefaultCachedBatch;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The columnar input path: a Parquet scan's batches (from Spark's vectorized reader), or a cached
 * DataFrame's, copied into Arrow column by column. Spark reading the same files is the oracle: every type the path copies,
 * with nulls, dictionary-encoded and multi-byte strings, three decimal widths, a partition column
 * and batch edges, must come out as Spark reads it. The path is told apart by the batches it
 * hands the function: at most one of Spark's reader batches each (set small here), where rows are
 * gathered up to the batch size asked for.
 */
class ColumnarInputTest {

  /** Spark's Parquet reader batch, in rows; the functions here ask for far larger batches. */
  private static final int READER_BATCH = 100;
  private static final int ROWS = 2_500;
  private static final StructType BATCH_ROWS = StructType.fromDDL("rows INT");

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  /** Dates before 1582 are written and read as they are (Spark 3.5 refuses them by default). */
  @BeforeEach
  void proleptic() {
    spark.conf().set("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED");
    spark.conf().set("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED");
    spark.conf().set("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED");
    spark.conf().set("spark.sql.parquet.int96RebaseModeInRead", "CORRECTED");
  }

  @AfterEach
  void noArrowMemoryOutlivesItsTask() throws InterruptedException {
    SparkTestSession.assertNoArrowMemoryLeft();
    spark.conf().unset("spark.sql.parquet.datetimeRebaseModeInWrite");
    spark.conf().unset("spark.sql.parquet.datetimeRebaseModeInRead");
    spark.conf().unset("spark.sql.parquet.int96RebaseModeInWrite");
    spark.conf().unset("spark.sql.parquet.int96RebaseModeInRead");
    spark.conf().unset("spark.sql.parquet.columnarReaderBatchSize");
    spark.conf().set("spark.sql.session.timeZone", "UTC");
  }

  /** Every flat type, nulls in each nullable column, written as Parquet in 2 partitions by part. */
  private Dataset<Row> parquet() {
    String path = dir.resolve("flat").toString();
    spark.range(0, ROWS, 1, 3)
        .selectExpr(
            "id",
            "IF(id % 7 = 0, NULL, CAST(id AS INT)) AS i",
            "CAST(id % 300 AS SMALLINT) AS s",
            "IF(id % 5 = 0, NULL, CAST(id % 100 AS TINYINT)) AS b",
            "IF(id % 11 = 0, NULL, CAST(id AS FLOAT) / 3) AS f",
            "IF(id % 13 = 0, NULL, id / 7D) AS d",
            "IF(id % 3 = 0, NULL, id % 2 = 0) AS flag",
            "IF(id % 17 = 0, NULL, date_add(DATE '1500-01-01', CAST(id * 97 AS INT))) AS day",
            "IF(id % 19 = 0, NULL, TIMESTAMP '2024-03-10 00:00:00'"
                + " + make_interval(0, 0, 0, 0, 0, 0, id * 613.000001)) AS at",
            "IF(id % 23 = 0, NULL, TIMESTAMP_NTZ '1969-12-31 23:59:59' + make_interval(0, 0, 0,"
                + " 0, 0, 0, id)) AS local",
            // Few distinct values: Parquet stores them dictionary-encoded.
            "IF(id % 4 = 0, NULL, concat('vendor ', CAST(id % 9 AS STRING))) AS vendor",
            // Distinct, some empty, some multi-byte.
            "CASE WHEN id % 29 = 0 THEN NULL WHEN id % 31 = 0 THEN ''"
                + " ELSE concat(repeat('é', CAST(id % 5 AS INT)), CAST(id AS STRING), '→') END AS note",
            "IF(id % 37 = 0, NULL, unhex(hex(id * 977))) AS raw",
            "IF(id % 41 = 0, NULL, CAST(id / 100 AS DECIMAL(5,2))) AS small_dec",
            "IF(id % 43 = 0, NULL, CAST(id * -1234567 / 100 AS DECIMAL(16,2))) AS dec",
            "IF(id % 47 = 0, NULL, CAST(id AS DECIMAL(38,10)) * 1234567890123.0123456789) AS wide",
            // Few distinct values: dictionary-encoded decimals.
            "IF(id % 53 = 0, NULL, CAST(id % 7 - 3.5 AS DECIMAL(16,2))) AS dict_dec",
            "CAST(id % 2 AS INT) AS part")
        .write()
        .partitionBy("part")
        .parquet(path);
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", READER_BATCH);
    return spark.read().parquet(path);
  }

  /** The row count of every batch the function is given. */
  private static List<Integer> batchRows(Dataset<Row> input, int maxRecordsPerBatch) {
    List<Integer> rows = new ArrayList<>();
    for (Row row : SparkArrow.mapInArrow(input, BATCH_ROWS, BatchFunctions::rowCounts,
            ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(maxRecordsPerBatch))
        .collectAsList()) {
      rows.add(row.getInt(0));
    }
    return rows;
  }

  private static void assertSameRows(Dataset<Row> actual, Dataset<Row> expected) {
    assertThat(actual.schema()).isEqualTo(expected.schema());
    assertThat(actual.count()).isEqualTo(expected.count());
    assertThat(actual.exceptAll(expected).count()).isZero();
    assertThat(expected.exceptAll(actual).count()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 100, 10_000})
  void aParquetScanIsCopiedColumnByColumnAsSparkReadsIt(int maxRecordsPerBatch) {
    Dataset<Row> input = parquet();
    List<Integer> sizes = batchRows(input, maxRecordsPerBatch);
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(ROWS);
    assertThat(sizes).as("batches of at most one reader batch: the columnar path ran")
        .allSatisfy(rows -> assertThat(rows).isBetween(1, Math.min(READER_BATCH, maxRecordsPerBatch)));

    Dataset<Row> identity = SparkArrow.mapInArrow(input, input.schema(), (batches, context) -> batches,
        ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(maxRecordsPerBatch));
    assertSameRows(identity, input);
    assertSameRows(SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(input)), input);
  }

  /**
   * maxRecordsPerTable above the batch size: each table holds that many rows (the last of a
   * partition fewer), in several batches, whether the input is columnar or rows.
   */
  @Test
  void tablesHoldMaxRecordsPerTableRowsAcrossBatches() {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", 40);
    try {
      Dataset<Row> parquet = parquet();
      for (Dataset<Row> input : List.of(parquet, parquet.filter("id % 3 <> 0"))) {
        List<Integer> partitionRows = input.javaRDD().glom().map(List::size).collect();
        List<Long> tableRows =
            SparkArrow.toArrowTables(input, 250).map(ArrowTable::rowCount).collect();
        List<Long> expected = new ArrayList<>();
        for (int rows : partitionRows) {
          if (rows == 0) {
            expected.add(0L); // an empty partition: one empty table
          }
          for (int at = 0; at < rows; at += 250) {
            expected.add((long) Math.min(250, rows - at));
          }
        }
        assertThat(tableRows).containsExactlyElementsOf(expected);
        assertSameRows(SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(input, 250)),
            input);
      }
    } finally {
      spark.conf().unset("spark.sql.execution.arrow.maxRecordsPerBatch");
    }
  }

  /**
   * Decimals as Hive and older Spark write them (fixed-length byte arrays, {@code
   * writeLegacyFormat}), plain and dictionary-encoded: Spark's reader turns them into the ints and
   * longs the copier reads, and the result is what Spark reads.
   */
  @Test
  void legacyParquetDecimalsAreCopiedAsSparkReadsThem() {
    String path = dir.resolve("legacy").toString();
    spark.conf().set("spark.sql.parquet.writeLegacyFormat", true);
    try {
      parquet().select("id", "small_dec", "dec", "wide", "dict_dec").write().parquet(path);
    } finally {
      spark.conf().unset("spark.sql.parquet.writeLegacyFormat");
    }
    Dataset<Row> input = spark.read().parquet(path);
    assertThat(batchRows(input, 10_000)).as("batches of at most one reader batch")
        .allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(READER_BATCH));
    assertSameRows(SparkArrow.mapInArrow(input, input.schema(), (batches, context) -> batches),
        input);
  }

  @Test
  void anOrcScanIsCopiedColumnByColumnToo() {
    String path = dir.resolve("orc").toString();
    parquet().write().orc(path);
    spark.conf().set("spark.sql.orc.columnarReaderBatchSize", READER_BATCH);
    try {
      Dataset<Row> input = spark.read().orc(path);
      assertThat(batchRows(input, 10_000)).as("batches of at most one reader batch")
          .allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(READER_BATCH));
      assertSameRows(SparkArrow.mapInArrow(input, input.schema(), (batches, context) -> batches),
          input);
    } finally {
      spark.conf().unset("spark.sql.orc.columnarReaderBatchSize");
    }
  }

  @Test
  void columnsPrunedReorderedAndRenamedStillTakeTheColumnarPath() {
    Dataset<Row> input = parquet().select(col("note").as("text"), col("wide"), col("id"),
        col("part"), col("at").as("pickup"), col("vendor"));
    assertThat(batchRows(input, 10_000)).allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(READER_BATCH));
    assertSameRows(SparkArrow.mapInArrow(input, input.schema(), (batches, context) -> batches), input);
  }

  @Test
  void aFilterOrComputedColumnIsReadAsRowsAndGivesTheSameResult() {
    Dataset<Row> parquet = parquet();
    for (Dataset<Row> input : List.of(parquet.filter("id % 2 = 0"),
        parquet.selectExpr("id + 1 AS next", "vendor"))) {
      assertThat(batchRows(input, 10_000)).as("rows gathered past one reader batch")
          .anySatisfy(rows -> assertThat(rows).isGreaterThan(READER_BATCH));
      assertSameRows(SparkArrow.mapInArrow(input, input.schema(), (batches, context) -> batches), input);
    }
  }

  /** The strings a record of the input reads. */
  @HasArrowSparkSchema
  record Texts(long id, String vendor, String note) {}

  /** Them as read, and whether the record's vendor was the batch's one instance of its value. */
  @HasArrowSparkSchema
  record TextsRead(long id, String vendor, String note, boolean vendorShared) {}

  /** {@code input}'s texts through a batch function of generated readers and writers. */
  private static Dataset<Row> readTexts(Dataset<Row> input, int maxRecordsPerBatch) {
    return SparkArrow.mapBatches(input.select("id", "vendor", "note"),
        ColumnarInputTest_TextsArrowSchema.INSTANCE,
        ColumnarInputTest_TextsReadArrowSchema.INSTANCE,
        (ColumnarInputTest_TextsArrowReader in, ColumnarInputTest_TextsReadArrowWriter out) -> {
          Map<String, String> first = new HashMap<>();
          for (Texts texts : in) {
            String vendor = texts.vendor();
            boolean shared = vendor == null || first.computeIfAbsent(vendor, v -> v) == vendor;
            out.write(new TextsRead(texts.id(), vendor, texts.note(), shared));
          }
        },
        ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(maxRecordsPerBatch));
  }

  /**
   * Strings of a dictionary-encoded column (Parquet's, the cache's), or stored in runs (the
   * cache's), are built once per entry or run for a record reader, and are the values Spark reads,
   * across batches of one dictionary and files of another: the reader's strings are the same
   * instance for the same value, which they are not where the input is read as rows.
   */
  @ParameterizedTest
  @ValueSource(ints = {7, 10_000})
  void stringsOfADictionaryOrRunAreBuiltOnceAndAreWhatSparkReads(int maxRecordsPerBatch) {
    spark.conf().set("spark.sql.inMemoryColumnarStorage.batchSize", READER_BATCH);
    Dataset<Row> parquet = parquet();
    Dataset<Row> files = spark.read().parquet(dir.resolve("flat").toString());
    Dataset<Row> dictionary = files.selectExpr("*", "'a' AS copy").drop("copy").cache();
    // Runs of 20 rows in each file: the cache stores them as runs.
    Dataset<Row> runs = files.selectExpr("id", "note",
        "IF(id % 61 = 0, NULL, concat('run ', CAST(id DIV 40 AS STRING))) AS vendor").cache();
    try {
      assertThat(parquet.inputFiles()).as("several files, so several dictionaries a task")
          .hasSizeGreaterThan(2);
      assertThat(parquet.queryExecution().withCachedData()
          .find(plan -> plan instanceof InMemoryRelation).isDefined())
          .as("the Parquet input is not served from the cache").isFalse();
      assertThat(List.of(stringSchemes(dictionary, "vendor"), stringSchemes(runs, "vendor")))
          .as("the cache's dictionary (2) and runs (1)")
          .containsExactly(List.of(2), List.of(1));
      for (Dataset<Row> input : List.of(parquet, dictionary, runs)) {
        Dataset<Row> read = readTexts(input, maxRecordsPerBatch);
        Dataset<Row> expected = input.select("id", "vendor", "note");
        assertThat(read.count()).isEqualTo(expected.count());
        assertThat(read.drop("vendorShared").exceptAll(expected).count()).isZero();
        assertThat(expected.exceptAll(read.drop("vendorShared")).count()).isZero();
        assertThat(read.filter("NOT vendorShared").count()).as("every vendor shared").isZero();
      }
      Dataset<Row> rows = readTexts(parquet.filter("id >= 0"), 10_000);
      assertThat(rows.filter("NOT vendorShared").count()).as("read as rows: not shared")
          .isPositive();
    } finally {
      dictionary.unpersist(true);
      runs.unpersist(true);
      spark.conf().unset("spark.sql.inMemoryColumnarStorage.batchSize");
    }
  }

  /**
   * Every flat type cached in Spark's own format, which Spark itself serves only as rows once a
   * column is not a number: decoded column by column, and the same as Spark reads the cache, with
   * strings stored pass-through, in runs and in a dictionary (the test checks all three are there),
   * nulls in every column, a column of nulls only, and Arrow batches cut inside cached batches.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 100, 10_000})
  void aCachedDataFrameOfEveryFlatTypeIsDecodedAsSparkReadsIt(int maxRecordsPerBatch) {
    spark.conf().set("spark.sql.inMemoryColumnarStorage.batchSize", READER_BATCH);
    Dataset<Row> cached = parquet()
        .selectExpr("*",
            // Runs of 20 rows in each file: stored as runs.
            "IF(id % 61 = 0, NULL, concat('run ', CAST(id DIV 40 AS STRING))) AS run",
            "CAST(NULL AS STRING) AS none")
        .cache();
    try {
      List<Integer> sizes = batchRows(cached, maxRecordsPerBatch);
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(ROWS);
      assertThat(sizes).as("batches of at most one cached batch: the columnar path ran")
          .allSatisfy(rows -> assertThat(rows)
              .isBetween(1, Math.min(READER_BATCH, maxRecordsPerBatch)));
      assertThat(List.of(stringSchemes(cached, "note"), stringSchemes(cached, "run"),
              stringSchemes(cached, "vendor")))
          .as("pass-through (0), run-length (1) and dictionary (2) strings in the cache")
          .containsExactly(List.of(0), List.of(1), List.of(2));

      Dataset<Row> identity = SparkArrow.mapInArrow(cached, cached.schema(),
          (batches, context) -> batches,
          ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(maxRecordsPerBatch));
      assertSameRows(identity, cached);
      assertSameRows(SparkArrow.fromArrowTables(spark, SparkArrow.toArrowTables(cached)), cached);
      Dataset<Row> picked =
          cached.select(col("run").as("r"), col("wide"), col("vendor"), col("id"));
      assertThat(batchRows(picked, 10_000)).as("pruned, renamed: still the columnar path")
          .allSatisfy(rows -> assertThat(rows).isLessThanOrEqualTo(READER_BATCH));
      assertSameRows(SparkArrow.mapInArrow(picked, picked.schema(), (batches, context) -> batches),
          picked);
    } finally {
      cached.unpersist(true);
      spark.conf().unset("spark.sql.inMemoryColumnarStorage.batchSize");
    }
  }

  /**
   * The compression schemes Spark chose for string column {@code name} across the cached batches
   * (the id after the column's nulls, in Spark's cache format).
   */
  private static List<Integer> stringSchemes(Dataset<Row> cached, String name) {
    InMemoryRelation relation = (InMemoryRelation) cached.queryExecution().withCachedData();
    int index = List.of(cached.columns()).indexOf(name);
    return relation.cacheBuilder().cachedColumnBuffers().toJavaRDD()
        .map(batch -> {
          ByteBuffer in = ByteBuffer.wrap(((DefaultCachedBatch) batch).buffers()[index])
              .order(ByteOrder.nativeOrder());
          return in.getInt(4 + 4 * in.getInt(0));
        })
        .distinct()
        .collect();
  }

  /** Against the row path over Spark's other Parquet reader, in a zone with DST. */
  @Test
  void theSameRowsAsTheRowPathUnderAnotherTimeZone() {
    spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
    Dataset<Row> input = parquet();
    List<Row> columnar =
        SparkArrow.mapInArrow(input, input.schema(), (batches, context) -> batches).collectAsList();
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", false);
    try {
      Dataset<Row> rowInput = spark.read().parquet(dir.resolve("flat").toString());
      assertThat(batchRows(rowInput, 10_000)).as("the row path ran")
          .anySatisfy(rows -> assertThat(rows).isGreaterThan(READER_BATCH));
      List<Row> rows =
          SparkArrow.mapInArrow(rowInput, rowInput.schema(), (batches, context) -> batches)
              .collectAsList();
      assertThat(columnar).containsExactlyInAnyOrderElementsOf(rows);
    } finally {
      spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
    }
  }

  static List<ArrowTestSupport.Case> cases() {
    return ArrowTestSupport.cases();
  }

  /** Typed reading of every record type from Parquet: flat ones through the columnar path. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyRecordTypeCollectedFromParquetEqualsWhatWasWritten(ArrowTestSupport.Case c) {
    List<Record> records = c.records(300, 23);
    ArrowRecordType type = c.type();
    String path = dir.resolve(c.name()).toString();
    // One file, read as one partition in the order written.
    SparkArrow.createDataFrame(spark, (List) records, type).coalesce(1).write().parquet(path);
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", 64);
    List<Record> read = SparkArrow.collect(spark.read().parquet(path), type);
    assertThat(read)
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(records);
  }
}

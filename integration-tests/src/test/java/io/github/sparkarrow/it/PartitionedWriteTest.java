package io.github.sparkarrow.it;

import static io.github.sparkarrow.it.EngineTest.assertSameRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.spark.SparkEngine;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code writeParquet(path, partitionBy...)} on both engines: the directories Spark's {@code
 * partitionBy} makes, with the same names on DuckDB (which escapes names as URLs do), read back as
 * written by either engine; values and columns that would not read back as written refused on
 * both, in the same words; nothing leaked, DuckDB still usable. And {@code overwritePartitions},
 * Spark's dynamic partition overwrite: the partitions written replace theirs, the others stay,
 * whichever engine wrote what was there.
 */
class PartitionedWriteTest {

  private final SparkSession spark = SparkTestSession.get();
  private DuckDbEngine duckdb;
  private List<Engine> engines;

  @TempDir Path dir;

  @HasArrowSparkSchema
  record Sale(long id, String shop, Boolean paid, Byte tiny, Short small, Integer qty, Long big,
      @ArrowDecimal(precision = 10, scale = 2) BigDecimal price, LocalDate day, LocalDateTime at) {}

  @BeforeEach
  void engines() {
    // Another zone than the JVM's and UTC: a TIMESTAMP_NTZ's text must not move with it.
    spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
    for (String key : List.of("datetimeRebaseModeInWrite", "int96RebaseModeInWrite")) {
      spark.conf().set("spark.sql.parquet." + key, "CORRECTED");
    }
    SparkEngine.SQL_SETTINGS.forEach((key, value) -> spark.conf().set(key, value.toString()));
    duckdb = DuckDbEngine.open(ZoneId.of("America/Los_Angeles"), 64);
    engines = List.of(duckdb, SparkEngine.of(spark));
  }

  @AfterEach
  void nothingLeaksAndDuckDbStillWorks() throws InterruptedException {
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    SparkEngine.SQL_SETTINGS.keySet().forEach(spark.conf()::unset);
    for (String key : List.of("datetimeRebaseModeInWrite", "int96RebaseModeInWrite")) {
      spark.conf().unset("spark.sql.parquet." + key);
    }
    assertThat(duckdb.allocatedBytes()).isZero();
    assertThat(duckdb.sql("SELECT 42 AS answer").count()).isEqualTo(1);
    duckdb.close();
    SparkTestSession.assertNoArrowMemoryLeft();
  }

  /**
   * Shop names: every character from 1 to 127 alone (Spark escapes some, DuckDB all but letters,
   * digits and {@code - _ . ~}), and texts that an escape could mistake: a {@code %} before hex
   * digits, non-ASCII letters, a character outside the BMP, spaces at either end, "NULL".
   */
  static List<String> shops() {
    List<String> shops = new ArrayList<>();
    for (char c = 1; c < 128; c++) {
      shops.add(String.valueOf(c));
    }
    shops.addAll(List.of("%41", "a%2Fb", "100%", "é ü", "日本", "\uD83D\uDE00", " lead", "trail ",
        "NULL", "null", "a=b/c:d", "x\ty\nz", "__HIVE", "+1", "-0"));
    shops.add(null);
    return shops;
  }

  static List<Sale> sales() {
    List<String> shops = shops();
    LocalDateTime[] times = {LocalDateTime.of(2024, 3, 10, 2, 30), // no such local time in LA
        LocalDateTime.of(2024, 11, 3, 1, 30, 0, 500_000_000), // twice in LA
        LocalDateTime.of(1, 1, 1, 0, 0, 0, 123_456_000), LocalDateTime.of(9999, 12, 31, 23, 59, 59), null};
    BigDecimal[] prices = {new BigDecimal("1.50"), new BigDecimal("-2.00"), new BigDecimal("0.01"),
        new BigDecimal("99999999.99"), null};
    LocalDate[] days = {LocalDate.of(2024, 2, 29), LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), null};
    List<Sale> sales = new ArrayList<>();
    for (int i = 0; i < 2 * shops.size(); i++) {
      sales.add(new Sale(i, shops.get(i % shops.size()), i % 3 == 2 ? null : i % 3 == 0,
          i % 7 == 6 ? null : (byte) (i % 7 - 3), i % 5 == 4 ? null : (short) (i % 5 * -1000),
          i % 4 == 3 ? null : i % 4 * 100_000, i % 6 == 5 ? null : Long.MIN_VALUE + i % 6,
          prices[i % prices.length], days[i % days.length], times[i % times.length]));
    }
    return sales;
  }

  @Test
  void eachEngineWritesSparksDirectoriesAndBothReadEitherBack() throws IOException {
    List<Sale> sales = sales();
    List<List<String>> partitionings = List.of(List.of("shop"), List.of("tiny", "price"),
        List.of("small", "qty", "big"), List.of("DAY", "Paid", "at")); // another case: the table's
    for (List<String> by : partitionings) {
      String[] partitionBy = by.toArray(String[]::new);
      List<List<String>> layouts = new ArrayList<>();
      for (Engine engine : engines) {
        Path path = dir.resolve(String.join("-", by)).resolve(engine.name());
        // Through a typed function: on DuckDB its output streams into the partitioned COPY.
        engine.fromRecords(PartitionedWriteTest_SaleArrowSchema.INSTANCE, sales)
            .mapRecords(PartitionedWriteTest_SaleArrowSchema.INSTANCE,
                PartitionedWriteTest_SaleArrowSchema.INSTANCE, sale -> sale)
            .writeParquet(path.toString(), partitionBy);
        layouts.add(directories(path));
      }
      assertThat(layouts.get(0)).as("DuckDB's directories, partitioned by " + by)
          .isNotEmpty().containsExactlyElementsOf(layouts.get(1));
      for (Engine engine : engines) {
        for (Engine writer : engines) {
          Path path = dir.resolve(String.join("-", by)).resolve(writer.name());
          assertSameRecords(engine.name() + " reading " + writer.name() + ", partitioned by " + by,
              engine.read(Source.parquet(path.toString(), PartitionedWriteTest_SaleArrowSchema.INSTANCE))
                  .collect(PartitionedWriteTest_SaleArrowSchema.INSTANCE), sales);
        }
      }
    }
    // The names are Spark's own escapes (not a rule both engines could share by mistake).
    List<String> shopDirectories = directories(dir.resolve("shop").resolve(duckdb.name()));
    for (String shop : shops()) {
      assertThat(shopDirectories).contains("shop=" + (shop == null
          ? "__HIVE_DEFAULT_PARTITION__" : ExternalCatalogUtils.escapePathName(shop)));
    }
    assertThat(shopDirectories).contains("shop=é ü", "shop=%2541", "shop=a%3Db%2Fc%3Ad");
    assertThat(directories(dir.resolve("DAY-Paid-at").resolve(duckdb.name())))
        .contains("day=2024-02-29/paid=true/at=2024-03-10 02%3A30%3A00",
            "day=0001-01-01/paid=__HIVE_DEFAULT_PARTITION__/at=2024-11-03 01%3A30%3A00.5",
            "day=9999-12-31/paid=false/at=0001-01-01 00%3A00%3A00.123456");
    assertThat(directories(dir.resolve("tiny-price").resolve(duckdb.name())))
        .contains("tiny=-3/price=1.50", "tiny=__HIVE_DEFAULT_PARTITION__/price=99999999.99");
  }

  @Test
  void valuesThatWouldNotReadBackAsWrittenFailTheWriteOnBothEnginesAndLeaveNothing() throws IOException {
    Sale good = sales().get(0);
    record Bad(String column, Sale sale, String says) {}
    List<Bad> bad = List.of(
        new Bad("shop", withShop(good, ""), "holds an empty string, which Spark writes as it writes"
            + " NULL (__HIVE_DEFAULT_PARTITION__), so it would read back as NULL. Make it NULL first"
            + " (nullif(shop, '')), or filter it out"),
        new Bad("shop", withShop(good, "__HIVE_DEFAULT_PARTITION__"), "holds the text"
            + " __HIVE_DEFAULT_PARTITION__, the directory value of NULL"),
        new Bad("shop", withShop(good, "a\0b"), "holds the character chr(0), which no directory"
            + " name can hold (Spark fails to make the directory). Replace it first: replace(shop, chr(0), '')"),
        new Bad("day", withDay(good, LocalDate.of(10_000, 1, 1)), "holds a value outside the years 1"
            + " to 9999, which Spark writes with a sign (+10000-01-01) and reads back as another value"),
        new Bad("day", withDay(good, LocalDate.of(0, 6, 1)), "holds a value outside the years 1 to 9999"),
        new Bad("at", withAt(good, LocalDateTime.of(-44, 3, 15, 12, 0)), "holds a value outside the years"),
        new Bad("at", withAt(good, LocalDateTime.of(10_000, 1, 1, 0, 0)), "holds a value outside the years"));
    for (Bad b : bad) {
      for (Engine engine : engines) {
        Path path = dir.resolve("bad-" + engine.name());
        Files.createDirectories(path);
        Files.writeString(path.resolve("old.txt"), "replaced by the write");
        List<Sale> sales = new ArrayList<>(sales());
        sales.add(100, b.sale());
        Table table = engine.fromRecords(PartitionedWriteTest_SaleArrowSchema.INSTANCE, sales);
        assertThatThrownBy(() -> table.writeParquet(path.toString(), "paid", b.column()))
            .as(engine.name() + ": " + b.sale())
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith(engine.name() + ": writing " + path + ": partition column '"
                + b.column() + "' " + b.says());
        assertThat(path).as(engine.name() + ": nothing half-written").doesNotExist();
      }
    }
  }

  /**
   * A partitioned write replaces the whole directory on both engines, as the Javadoc says, even on
   * a Spark session set to replace only the partitions written (which would keep the others).
   */
  @Test
  void aPartitionedWriteReplacesTheWholeDirectoryOnBothEngines() {
    spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
    try {
      for (Engine engine : engines) {
        String path = dir.resolve("replaced-" + engine.name()).toString();
        Table sales = engine.fromRecords(PartitionedWriteTest_SaleArrowSchema.INSTANCE, sales());
        sales.writeParquet(path, "paid");
        sales.createView("sales");
        engine.sql("SELECT * FROM sales WHERE paid").writeParquet(path, "paid");
        assertSameRecords(engine.name(),
            engine.read(Source.parquet(path, PartitionedWriteTest_SaleArrowSchema.INSTANCE))
                .collect(PartitionedWriteTest_SaleArrowSchema.INSTANCE),
            sales().stream().filter(s -> Boolean.TRUE.equals(s.paid())).toList());
      }
    } finally {
      spark.conf().unset("spark.sql.sources.partitionOverwriteMode");
    }
  }

  /**
   * Directories that DuckDB's own {@code PARTITION_BY} named (URL escapes): those that escape only
   * ASCII characters read the same on both engines; one that escapes the bytes of {@code é}
   * ({@code %C3%A9}), which Spark reads as {@code Ã©} and DuckDB as {@code é}, is refused on both.
   */
  @Test
  void partitionDirectoriesThatEscapeUtf8BytesAreRefusedOnBothEngines() throws java.sql.SQLException {
    Path ascii = dir.resolve("duckdb-ascii");
    Path utf8 = dir.resolve("duckdb-utf8");
    try (java.sql.Statement statement = duckdb.connection().createStatement()) {
      statement.execute("COPY (SELECT 1 AS id, 'a b/c:d' AS s UNION ALL SELECT 2, 'x+y') TO '" + ascii
          + "' (FORMAT parquet, PARTITION_BY (s))");
      statement.execute("COPY (SELECT 1 AS id, 'plain' AS s UNION ALL SELECT 2, 'é x') TO '" + utf8
          + "' (FORMAT parquet, PARTITION_BY (s))");
    }
    assertThat(ascii.resolve("s=a%20b%2Fc%3Ad")).isDirectory(); // DuckDB's escapes, not Spark's
    for (Engine engine : engines) {
      engine.read(Source.parquet(ascii.toString(), "id INT, s STRING")).createView("ascii");
      assertThat(engine.sql("SELECT id FROM ascii WHERE s IN ('a b/c:d', 'x+y')").count())
          .as(engine.name()).isEqualTo(2);
      assertThatThrownBy(() -> engine.read(Source.parquet(utf8.toString(), "id INT, s STRING")).count())
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining(": the partition directory 's=%C3%A9%20x' escapes a character as"
              + " bytes of UTF-8 (%C3, as DuckDB's own PARTITION_BY and pyarrow's write_to_dataset write"
              + " it), which Spark reads"
              + " back as other characters");
    }
  }

  @HasArrowSparkSchema
  record Id(long id) {}

  /**
   * A write that fails in one task while another is still writing new partitions leaves nothing:
   * Spark fails the job before the other task has stopped (it is killed, not interrupted), and
   * that task goes on making partition directories; the engine waits for it before it cleans up.
   */
  @Test
  void aFailedWriteLeavesNothingThoughItsOtherTasksWereStillWriting() throws IOException {
    for (Engine engine : engines) {
      Path path = dir.resolve("racing-" + engine.name());
      // Spark's two tasks: the first half slowly, to fail at its end; the second half at once, a
      // new partition each row, so that its task is still writing them when the first fails.
      Table sales = engine.range(4_000).mapRecords(PartitionedWriteTest_IdArrowSchema.INSTANCE,
          PartitionedWriteTest_SaleArrowSchema.INSTANCE, id -> {
            if (id.id() < 2_000 && id.id() % 4 == 0) {
              sleep(2);
            }
            return new Sale(id.id(), id.id() == 1_999 ? "" : "shop" + id.id(), null, null, null,
                null, null, null, null, null);
          });
      assertThatThrownBy(() -> sales.writeParquet(path.toString(), "shop"))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageStartingWith(engine.name() + ": writing " + path + ": partition column 'shop'"
              + " holds an empty string");
      assertThat(path).as(engine.name()).doesNotExist();
      sleep(300); // what a task still running would make by now
      assertThat(path).as(engine.name()).doesNotExist();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Sale withShop(Sale s, String shop) {
    return new Sale(s.id(), shop, s.paid(), s.tiny(), s.small(), s.qty(), s.big(), s.price(), s.day(), s.at());
  }

  private static Sale withDay(Sale s, LocalDate day) {
    return new Sale(s.id(), s.shop(), s.paid(), s.tiny(), s.small(), s.qty(), s.big(), s.price(), day, s.at());
  }

  private static Sale withAt(Sale s, LocalDateTime at) {
    return new Sale(s.id(), s.shop(), s.paid(), s.tiny(), s.small(), s.qty(), s.big(), s.price(), s.day(), at);
  }

  @HasArrowSparkSchema
  record Odd(long id, double ratio, java.time.Instant at, byte[] bytes, List<Integer> list, Inner inner,
      java.util.Map<String, Integer> map) {}

  record Inner(Integer a) {}

  private static final String ADVICE = ". Partition by a STRING, BOOLEAN, integer, DECIMAL, DATE or"
      + " TIMESTAMP_NTZ column, made from it in SQL if need be (CAST(x AS DATE), say)";

  @Test
  void columnsThatCannotBePartitionColumnsAreRefusedUpFrontOnBothEngines() throws IOException {
    Odd odd = new Odd(1, 0.5, java.time.Instant.EPOCH, new byte[] {1}, List.of(1), new Inner(2), java.util.Map.of("k", 3));
    List<List<String>> refused = List.of(
        List.of("nope", "the table has no column 'nope' (it has id, ratio, at, bytes, list, inner, map)"),
        List.of("id", "ID", "'ID' is named twice"),
        List.of("ratio", "'ratio' is DOUBLE: Spark writes -0.0 as 0.0, and the engines spell such"
            + " numbers differently (1.0E20, 1e+20)" + ADVICE),
        List.of("at", "'at' is TIMESTAMP: Spark writes a timestamp as the local time in its session's"
            + " time zone, without the offset, so the hour a daylight-saving change repeats comes back"
            + " as one instant" + ADVICE),
        List.of("bytes", "'bytes' is BINARY: binary values are not text" + ADVICE),
        List.of("list", "'list' is ARRAY<INT>: Spark cannot partition by a nested column" + ADVICE),
        List.of("inner", "'inner' is STRUCT<a: INT>: Spark cannot partition by a nested column" + ADVICE),
        List.of("map", "'map' is MAP<STRING, INT>: Spark cannot partition by a nested column" + ADVICE));
    for (Engine engine : engines) {
      Path path = dir.resolve("odd-" + engine.name());
      Files.createDirectories(path);
      Path old = Files.writeString(path.resolve("old.txt"), "kept: the write is refused before it starts");
      Table table = engine.fromRecords(PartitionedWriteTest_OddArrowSchema.INSTANCE, List.of(odd));
      for (List<String> columns : refused) {
        List<String> by = columns.subList(0, columns.size() - 1);
        assertThatThrownBy(() -> table.writeParquet(path.toString(), by.toArray(String[]::new)))
            .as(engine.name() + " " + by)
            .isInstanceOf(EngineException.class)
            .hasMessage(engine.name() + ": writing " + path + " partitioned: "
                + columns.get(columns.size() - 1) + ".");
        assertThat(old).as(engine.name() + " " + by).exists();
      }
      Table two = engine.sql("SELECT 1 AS a, 'x' AS b");
      assertThatThrownBy(() -> two.writeParquet(path.toString(), "b", "a"))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining("every column would be a partition column, and a Parquet file needs one");
      assertThat(old).as(engine.name()).exists();
    }
  }

  @Test
  void anEmptyTableWrittenPartitionedReadsBackEmptyOnBothEngines() {
    for (Engine writer : engines) {
      Path path = dir.resolve("empty-" + writer.name());
      writer.fromRecords(PartitionedWriteTest_SaleArrowSchema.INSTANCE, sales())
          .mapRecords(PartitionedWriteTest_SaleArrowSchema.INSTANCE, PartitionedWriteTest_SaleArrowSchema.INSTANCE, s -> s)
          .createView("sales");
      writer.sql("SELECT * FROM sales WHERE id < 0").writeParquet(path.toString(), "shop", "day");
      for (Engine reader : engines) {
        assertThat(reader.read(Source.parquet(path.toString(), PartitionedWriteTest_SaleArrowSchema.INSTANCE))
            .collect(PartitionedWriteTest_SaleArrowSchema.INSTANCE))
            .as(reader.name() + " reading " + writer.name()).isEmpty();
      }
    }
  }

  @Test
  void aPartitionColumnsNameIsEscapedAsSparkEscapesIt() throws IOException {
    List<List<String>> layouts = new ArrayList<>();
    for (Engine engine : engines) {
      Path path = dir.resolve("named-" + engine.name());
      engine.sql("SELECT 1 AS id, 'x/y' AS \"a:b é%\" UNION ALL SELECT 2 AS id, NULL AS \"a:b é%\"")
          .writeParquet(path.toString(), "A:B é%");
      layouts.add(directories(path));
    }
    assertThat(layouts.get(0)).containsExactly("a%3Ab é%25=__HIVE_DEFAULT_PARTITION__", "a%3Ab é%25=x%2Fy")
        .isEqualTo(layouts.get(1));
    // Spark's own partitionBy of CSV and JSON, the same names.
    for (String format : List.of("csv", "json")) {
      spark.sql("SELECT 1 AS id, 'x/y' AS `a:b é%` UNION ALL SELECT 2 AS id, NULL AS `a:b é%`")
          .write().partitionBy("a:b é%").format(format).save(dir.resolve("named-" + format).toString());
    }
    for (Engine engine : engines) {
      for (String writer : List.of(duckdb.name(), "spark", "csv", "json")) {
        String path = dir.resolve("named-" + writer).toString();
        String ddl = "id INT, `a:b é%` STRING";
        (writer.equals("csv") ? engine.read(Source.csv(path, ddl).withHeader(false))
            : writer.equals("json") ? engine.read(Source.json(path, ddl))
            : engine.read(Source.parquet(path, ddl))).createView("named");
        assertThat(engine.sql("SELECT id FROM named WHERE \"a:b é%\" = 'x/y'").count())
            .as(engine.name() + " reading " + writer).isEqualTo(1);
        assertThat(engine.sql("SELECT id FROM named WHERE \"a:b é%\" IS NULL").count())
            .as(engine.name() + " reading " + writer).isEqualTo(1);
      }
    }
  }

  /** The directories under {@code root}, relative, sorted. */
  // ---- overwritePartitions: Spark's dynamic partition overwrite, on both engines

  private static final LocalDate D1 = LocalDate.of(2024, 2, 29);
  private static final LocalDate D2 = LocalDate.of(2024, 3, 1);

  private static Sale sale(long id, String shop, LocalDate day) {
    return new Sale(id, shop, id % 2 == 0, (byte) 1, (short) 2, (int) id * 10, id * 100,
        new BigDecimal("1.50"), day, LocalDateTime.of(2024, 1, 1, 12, 0));
  }

  /** Three rows of each shop (one a text Spark escapes, one NULL) and day (one NULL). */
  private static List<Sale> lake() {
    List<Sale> sales = new ArrayList<>();
    long id = 0;
    for (String shop : java.util.Arrays.asList("a", "b:c d%", null)) {
      for (LocalDate day : java.util.Arrays.asList(D1, D2, null)) {
        for (int i = 0; i < 3; i++) {
          sales.add(sale(id++, shop, day));
        }
      }
    }
    return sales;
  }

  @Test
  void overwritePartitionsReplacesOnlyThePartitionsItWritesOnBothEngines() throws IOException {
    var schema = PartitionedWriteTest_SaleArrowSchema.INSTANCE;
    // (a, D1) and (NULL, NULL) again with other rows, and a partition that is new
    List<Sale> update = List.of(sale(100, "a", D1), sale(101, null, null), sale(102, "é/new", D2),
        sale(103, "é/new", D2));
    List<Sale> expected = new ArrayList<>(lake().stream()
        .filter(s -> !("a".equals(s.shop()) && D1.equals(s.day())) && !(s.shop() == null && s.day() == null))
        .toList());
    expected.addAll(update);
    List<List<String>> layouts = new ArrayList<>();
    for (Engine first : engines) {
      for (Engine second : engines) {
        String what = first.name() + " wrote, " + second.name() + " overwrote partitions";
        Path path = dir.resolve("overwrite").resolve(first.name() + "-" + second.name());
        first.fromRecords(schema, lake()).writeParquet(path.toString(), "shop", "day");
        // Through a typed function: on DuckDB its output streams into the COPY.
        second.fromRecords(schema, update).mapRecords(schema, schema, s -> s)
            .overwritePartitions(path.toString(), "shop", "day");
        layouts.add(directories(path));
        for (Engine reader : engines) {
          assertSameRecords(what + ", " + reader.name() + " read",
              reader.read(Source.parquet(path.toString(), schema)).collect(schema), expected);
        }
      }
    }
    assertThat(layouts.get(0)).as("nothing hidden left (the rows written aside)")
        .contains("shop=é%2Fnew/day=2024-03-01", "shop=b%3Ac d%25/day=2024-02-29",
            "shop=__HIVE_DEFAULT_PARTITION__/day=__HIVE_DEFAULT_PARTITION__")
        .noneMatch(d -> d.startsWith("."));
    assertThat(layouts).as("the same directories whichever engines wrote")
        .allSatisfy(layout -> assertThat(layout).isEqualTo(layouts.get(0)));
  }

  @Test
  void overwritePartitionsMayReadThePathItWritesAsADailyJobDoes() {
    var schema = PartitionedWriteTest_SaleArrowSchema.INSTANCE;
    List<Sale> expected = lake().stream().map(s -> D1.equals(s.day()) ? withShop(s, "fixed") : s).toList();
    for (Engine engine : engines) {
      Path path = dir.resolve("daily-" + engine.name());
      engine.fromRecords(schema, lake()).writeParquet(path.toString(), "day");
      engine.read(Source.parquet(path.toString(), schema)).createView("lake");
      engine.sql("SELECT * FROM lake WHERE day = DATE '2024-02-29'")
          .mapRecords(schema, schema, s -> withShop(s, "fixed"))
          .overwritePartitions(path.toString(), "day");
      assertSameRecords(engine.name(),
          engine.read(Source.parquet(path.toString(), schema)).collect(schema), expected);
    }
  }

  @Test
  void overwritePartitionsRefusesADirectoryOfAnotherLayoutOnBothEnginesAndChangesNothing()
      throws IOException {
    var schema = PartitionedWriteTest_SaleArrowSchema.INSTANCE;
    List<Sale> sales = List.of(sale(1, "a", D1), sale(2, "b", D2));
    for (Engine engine : engines) {
      Path root = dir.resolve("layout-" + engine.name());
      Path byShop = root.resolve("by-shop");
      Path plain = root.resolve("plain");
      Table table = engine.fromRecords(schema, sales).createView("sales");
      table.writeParquet(byShop.toString(), "shop");
      table.writeParquet(plain.toString());
      Files.writeString(byShop.resolve("_SUCCESS.txt"), "a file"); // hidden, as _SUCCESS
      List<String> before = directories(root);
      record Refused(Table table, Path path, List<String> by, String says) {}
      for (Refused r : List.of(
          new Refused(table, byShop, List.of("day"), "it holds shop=a/, which is not of the layout day=…"),
          new Refused(table, byShop, List.of("shop", "day"), "it holds shop=a/"), // files, not day=
          new Refused(table, byShop, List.of("day", "shop"), "it holds shop=a/, which is not of the layout day=…/shop=…"),
          // the same column named in another case: DuckDB cannot read Shop= beside shop=
          new Refused(engine.sql("SELECT id, shop AS Shop FROM sales"), byShop, List.of("Shop"),
              "it holds shop=a/, which is not of the layout Shop=…"),
          new Refused(table, plain, List.of("shop"), "it holds part-0"),
          new Refused(table, byShop.resolve("_SUCCESS.txt"), List.of("shop"), "it is a file, not a directory"))) {
        assertThatThrownBy(() -> r.table().overwritePartitions(r.path().toString(), r.by().toArray(String[]::new)))
            .as(engine.name() + " " + r.by()).isInstanceOf(EngineException.class)
            .hasMessageContaining("overwriting partitions of " + r.path() + ": " + r.says())
            .hasMessageContaining("replace the whole directory with writeParquet");
      }
      assertThatThrownBy(() -> table.overwritePartitions(root.resolve("new").toString()))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining("name the partition columns");
      // A table that reads a directory above the path: the partitions would be its input later.
      Table lake = engine.read(Source.parquet(byShop.toString(), schema));
      assertThatThrownBy(() -> lake.overwritePartitions(byShop.resolve("sub").toString(), "day"))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining(", a directory above it");
      assertThat(directories(root)).as(engine.name() + ": nothing changed").isEqualTo(before);
    }
  }

  @Test
  void aFailedOverwriteOfPartitionsLeavesThePathAsItWasOnBothEngines() throws IOException {
    var schema = PartitionedWriteTest_SaleArrowSchema.INSTANCE;
    List<Sale> update = new ArrayList<>();
    for (int id = 0; id < 500; id++) {
      update.add(sale(1000 + id, id % 2 == 0 ? "a" : "new", D1));
    }
    for (Engine engine : engines) {
      Path path = dir.resolve("failed-" + engine.name());
      engine.fromRecords(schema, lake()).writeParquet(path.toString(), "shop");
      List<String> before = directories(path);
      Table failing = engine.fromRecords(schema, update).mapRecords(schema, schema, s -> {
        if (s.id() == 1_499) {
          throw new IllegalStateException("no price for sale " + s.id());
        }
        return s;
      });
      assertThatThrownBy(() -> failing.overwritePartitions(path.toString(), "shop"))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasStackTraceContaining("no price for sale 1499");
      Path fresh = dir.resolve("fresh-" + engine.name());
      assertThatThrownBy(() -> failing.overwritePartitions(fresh.toString(), "shop"))
          .as(engine.name()).isInstanceOf(EngineException.class);
      assertThatThrownBy(() -> engine.fromRecords(schema, List.of(sale(1, "", D1)))
              .overwritePartitions(path.toString(), "shop"))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining("partition column 'shop' holds an empty string");
      assertThat(fresh).as(engine.name() + ": nothing made").doesNotExist();
      assertThat(directories(path)).as(engine.name() + ": nothing replaced, nothing hidden left")
          .isEqualTo(before);
      assertSameRecords(engine.name(),
          engine.read(Source.parquet(path.toString(), schema)).collect(schema), lake());
    }
  }

  @Test
  void overwritingPartitionsWithNoRowsChangesNothingAndMakesANewPathEmpty() throws IOException {
    var schema = PartitionedWriteTest_SaleArrowSchema.INSTANCE;
    for (Engine engine : engines) {
      Path path = dir.resolve("none-" + engine.name());
      engine.fromRecords(schema, lake()).createView("lake").writeParquet(path.toString(), "shop");
      List<String> before = directories(path);
      Table none = engine.sql("SELECT * FROM lake WHERE id < 0");
      none.overwritePartitions(path.toString(), "shop");
      assertThat(directories(path)).as(engine.name()).isEqualTo(before);
      Path fresh = dir.resolve("none-new-" + engine.name());
      none.overwritePartitions(fresh.toString(), "shop", "day");
      assertThat(fresh).as(engine.name()).isDirectory();
      for (Engine reader : engines) {
        assertThat(reader.read(Source.parquet(path.toString(), schema)).count()).isEqualTo(lake().size());
        assertThat(reader.read(Source.parquet(fresh.toString(), schema)).count()).isZero();
      }
    }
  }

  private static List<String> directories(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> !p.equals(root) && Files.isDirectory(p))
          .map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}

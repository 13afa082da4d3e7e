package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import io.github.sparkarrow.it.records.Moments;
import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.MomentsArrowSchema;
import io.github.sparkarrow.it.records.TemporalsArrowSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.spark.SparkArrow;
import io.github.sparkarrow.spark.SparkEngine;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same pipeline on embedded DuckDB and on Spark gives the same rows: every type of the type
 * table, nulls, nesting, under several time zones, through typed functions, SQL and Parquet, and
 * each engine reads the other's Parquet. Intervals are the exception, refused clearly by DuckDB.
 */
class EngineTest {

  private final SparkSession spark = SparkTestSession.get();
  private DuckDbEngine duckdb;

  @TempDir Path dir;

  @AfterEach
  void nothingLeaks() throws InterruptedException {
    if (duckdb != null) {
      assertThat(duckdb.allocatedBytes()).isZero();
      duckdb.close(); // fails on leaked Arrow memory
    }
    SparkTestSession.assertNoArrowMemoryLeft();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    SparkEngine.SQL_SETTINGS.keySet().forEach(spark.conf()::unset);
    for (String key : List.of("datetimeRebaseModeInWrite", "int96RebaseModeInWrite", "outputTimestampType")) {
      spark.conf().unset("spark.sql.parquet." + key);
    }
  }

  /**
   * Both engines in {@code zone} (Spark's session time zone, DuckDB's TimeZone), Spark writing
   * Parquet as {@link SparkEngine#local()} does.
   */
  private List<Engine> engines(String zone) {
    spark.conf().set("spark.sql.session.timeZone", zone);
    spark.conf().set("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED");
    spark.conf().set("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED");
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    SparkEngine.SQL_SETTINGS.forEach((key, value) -> spark.conf().set(key, value.toString()));
    duckdb = DuckDbEngine.open(ZoneId.of(zone), 64);
    return List.of(duckdb, SparkEngine.of(spark));
  }

  static final ArrowTestSupport.Case MOMENTS =
      new ArrowTestSupport.Case("Moments", MomentsArrowSchema.INSTANCE, RandomRecords::moments);

  /** Every type but the intervals in UTC; the dates and timestamps in every zone. */
  static List<Arguments> casesByZone() {
    List<Arguments> arguments = new ArrayList<>();
    for (String zone : SparkArrowTest.ZONES) {
      if (zone.equals("UTC")) {
        for (ArrowTestSupport.Case c : ArrowTestSupport.cases()) {
          if (c.type() != TemporalsArrowSchema.INSTANCE) {
            arguments.add(Arguments.of(c, zone));
          }
        }
      }
      arguments.add(Arguments.of(MOMENTS, zone));
    }
    return arguments;
  }

  @ParameterizedTest(name = "{0} in {1}")
  @MethodSource("casesByZone")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyTypeGoesThroughBothEnginesAndTheirParquet(ArrowTestSupport.Case c, String zone) {
    List<Record> records = c.records(300, 23);
    ArrowRecordType type = c.type();
    List<Engine> engines = engines(zone);
    for (Engine engine : engines) {
      Table mapped = engine.fromRecords(type, records).mapRecords(type, type, r -> r);
      mapped.createView("t");
      Table queried = engine.sql("SELECT * FROM t");
      assertThat(queried.count()).isEqualTo(records.size());
      String path = dir.resolve(engine.name()).toString();
      queried.writeParquet(path);
      List<Record> back = engine.read(Source.parquet(path, type)).collect(type);
      assertSameRecords(engine.name(), back, records);
    }
    // Each engine reads what the other wrote.
    for (Engine engine : engines) {
      String other = engine == engines.get(0) ? engines.get(1).name() : engines.get(0).name();
      List<Record> back =
          engine.read(Source.parquet(dir.resolve(other).toString(), type)).collect(type);
      assertSameRecords(engine.name() + " reading " + other, back, records);
    }
  }

  /**
   * The same records in any order, compared field by field (arrays by content, decimals with
   * their scale): both lists sorted by a text of their values, then compared in order.
   */
  static void assertSameRecords(String what, List<? extends Record> actual, List<? extends Record> expected) {
    assertThat(sortedByValue(actual)).as(what)
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(sortedByValue(expected));
  }

  private static List<Record> sortedByValue(List<? extends Record> records) {
    List<Record> sorted = new ArrayList<>(records);
    sorted.sort(java.util.Comparator.comparing(EngineTest::valueText));
    return sorted;
  }

  static String valueText(Object value) {
    if (value instanceof Record record) {
      StringBuilder text = new StringBuilder("(");
      for (java.lang.reflect.RecordComponent component : record.getClass().getRecordComponents()) {
        try {
          text.append(valueText(component.getAccessor().invoke(record))).append(',');
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return text.append(')').toString();
    } else if (value instanceof Object[] array) {
      return valueText(java.util.Arrays.asList(array));
    } else if (value != null && value.getClass().isArray()) {
      return valueText(java.util.stream.IntStream.range(0, java.lang.reflect.Array.getLength(value))
          .mapToObj(i -> java.lang.reflect.Array.get(value, i)).toList());
    } else if (value instanceof Iterable<?> items) {
      StringBuilder text = new StringBuilder("[");
      items.forEach(item -> text.append(valueText(item)).append(','));
      return text.append(']').toString();
    } else if (value instanceof java.util.Map<?, ?> map) {
      List<String> entries = new ArrayList<>();
      map.forEach((k, v) -> entries.add(valueText(k) + "=" + valueText(v)));
      java.util.Collections.sort(entries);
      return entries.toString();
    } else if (value instanceof java.util.Optional<?> optional) {
      return optional.map(EngineTest::valueText).orElse("empty");
    }
    return String.valueOf(value);
  }

  static final String TRIPS_CSV = String.join("\n",
      "trip_id,vendor,passengers,distance,pickup,note",
      "1,acme,2,3.5,2024-03-10 01:30:00,plain",
      "2,\"comma, inc\",0,0.0,2024-11-03 01:30:00,\"quoted \"\"note\"\"\"",
      "3,z,4,-1.25,2024-01-01T00:00:00Z,",
      "5,gap,1,2.0,2024-03-10 02:30:00,in the hour DST skips",
      "6,offset,1,2.0,2024-07-01T12:00:00+02:00,",
      "4,w,1,1e3,1969-12-31 23:59:59.999999,\"\"", // empty, quoted or not, is null on both
      "");

  static final String PEOPLE_JSON = String.join("\n",
      "{\"id\": 1, \"name\": \"Ann\", \"age\": 31, \"tags\": [\"a\", null], \"counts\": {\"x\": 1, \"y\": null},"
          + " \"address\": {\"street\": \"Main 1\", \"city\": \"Paris\", \"zip\": 75001}, \"born\": \"1990-05-17\","
          + " \"seen\": \"2024-03-10 10:30:00\", \"balance\": 12.50, \"scores\": [1.5, 2.0], \"mood\": \"HAPPY\","
          + " \"homes\": [{\"street\": null, \"city\": \"Lyon\", \"zip\": 69001}]}",
      "{\"id\": 2, \"name\": \"Bo \\u00e9\\ud83d\\ude00\", \"age\": null, \"tags\": [], \"counts\": {},"
          + " \"address\": null, \"born\": \"0001-01-01\", \"seen\": \"2024-01-01T00:00:00Z\", \"balance\": -0.01,"
          + " \"scores\": [], \"mood\": null, \"homes\": null}",
      "{\"id\": 3, \"name\": \"\", \"seen\": null}",
      "");

  @ParameterizedTest(name = "in {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"UTC", "America/Los_Angeles"})
  void csvAndJsonReadTheSameOnBothEngines(String zone) throws java.io.IOException {
    Path csv = java.nio.file.Files.writeString(dir.resolve("trips.csv"), TRIPS_CSV);
    Path json = java.nio.file.Files.writeString(dir.resolve("people.json"), PEOPLE_JSON);
    List<List<? extends Record>> results = new ArrayList<>();
    for (Engine engine : engines(zone)) {
      List<io.github.sparkarrow.it.records.Trip> trips =
          engine.read(Source.csv(csv.toString(), io.github.sparkarrow.it.records.TripArrowSchema.INSTANCE))
              .collect(io.github.sparkarrow.it.records.TripArrowSchema.INSTANCE);
      assertThat(trips).as(engine.name()).hasSize(6);
      List<io.github.sparkarrow.it.records.Person> people =
          engine.read(Source.json(json.toString(), io.github.sparkarrow.it.records.PersonArrowSchema.INSTANCE
                  .sparkDdl().replace("`id` BIGINT NOT NULL", "`id` BIGINT")))
              .collect(io.github.sparkarrow.it.records.PersonArrowSchema.INSTANCE);
      assertThat(people).as(engine.name()).hasSize(3);
      results.add(trips);
      results.add(people);
    }
    assertSameRecords("CSV", results.get(0), results.get(2));
    assertSameRecords("JSON", results.get(1), results.get(3));
    // The local times are the zone's, the one with an offset is that instant.
    io.github.sparkarrow.it.records.Trip first = (io.github.sparkarrow.it.records.Trip)
        sortedByValue(results.get(0)).get(0);
    assertThat(first.pickup()).isEqualTo(java.time.LocalDateTime.parse("2024-03-10T01:30:00")
        .atZone(ZoneId.of(zone)).toInstant());
    assertThat(first.note()).contains("plain");
  }

  /** Queries of the README's subset: the same rows on both engines. */
  static final List<String> SHARED_SQL = List.of(
      "SELECT vendor AS key, count(*) AS value FROM trips GROUP BY vendor",
      "SELECT vendor AS key, CAST(sum(passengers) AS BIGINT) AS value FROM trips"
          + " WHERE distance > 1 GROUP BY vendor HAVING count(*) > 1",
      "SELECT lower(vendor) || '-' || upper(substring(coalesce(note, 'none'), 1, 2)) AS key,"
          + " CAST(length(vendor) AS BIGINT) AS value FROM trips",
      "SELECT a.vendor AS key, count(*) AS value FROM trips a JOIN trips b ON a.trip_id = b.trip_id"
          + " GROUP BY a.vendor UNION ALL SELECT 'total' AS key, count(*) AS value FROM trips",
      "SELECT CASE WHEN passengers > 2 THEN 'many' ELSE 'few' END AS key, max(trip_id) AS value"
          + " FROM (SELECT * FROM trips WHERE note IS NOT NULL) s GROUP BY 1",
      "SELECT note AS key, trip_id AS value FROM trips ORDER BY note NULLS FIRST, trip_id LIMIT 7",
      "SELECT CAST(NULL AS STRING) AS key, CAST(min(distance) * 100 AS BIGINT) AS value FROM trips");

  @Test
  void theSqlSubsetGivesTheSameRowsAndTheDifferencesAreAsDocumented() {
    List<io.github.sparkarrow.it.records.Trip> trips = new ArrayList<>();
    java.util.Random random = new java.util.Random(3);
    for (long id = 0; id < 500; id++) {
      trips.add(new io.github.sparkarrow.it.records.Trip(id, List.of("Acme", "bolt", "Cab")
          .get(random.nextInt(3)), random.nextInt(5), random.nextInt(400) / 100.0,
          java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(id * 3_601),
          random.nextInt(4) == 0 ? java.util.Optional.empty() : java.util.Optional.of("n" + random.nextInt(9))));
    }
    List<Engine> engines = engines("UTC");
    for (Engine engine : engines) {
      engine.fromRecords(io.github.sparkarrow.it.records.TripArrowSchema.INSTANCE, trips).createView("trips");
    }
    var keyValue = io.github.sparkarrow.it.records.KeyValueArrowSchema.INSTANCE;
    for (String query : SHARED_SQL) {
      List<io.github.sparkarrow.it.records.KeyValue> duck = engines.get(0).sql(query).collect(keyValue);
      List<io.github.sparkarrow.it.records.KeyValue> spark = engines.get(1).sql(query).collect(keyValue);
      assertThat(duck).as(query).isNotEmpty();
      if (query.contains("ORDER BY")) {
        assertThat(duck).as(query).containsExactlyElementsOf(spark);
      } else {
        assertThat(duck).as(query).containsExactlyInAnyOrderElementsOf(spark);
      }
    }
    // NULLs first ascending and last descending on both, as on Spark (DuckDB's: last).
    for (String order : List.of("note, trip_id", "note DESC, trip_id DESC")) {
      String nulls = "SELECT note AS key, trip_id AS value FROM trips ORDER BY " + order + " LIMIT 3";
      List<io.github.sparkarrow.it.records.KeyValue> spark = engines.get(1).sql(nulls).collect(keyValue);
      assertThat(spark.get(0).key()).as(order).matches(key -> order.contains("DESC") == (key != null));
      assertThat(engines.get(0).sql(nulls).collect(keyValue)).as(order).isEqualTo(spark);
    }
    // The documented differences.
    String sum = "SELECT sum(passengers) AS s FROM trips";
    assertThat(engines.get(1).sql(sum).schema().getFields().get(0).getType())
        .isEqualTo(new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true));
    assertThat(engines.get(0).sql(sum).schema().getFields().get(0).getType())
        .isEqualTo(new org.apache.arrow.vector.types.pojo.ArrowType.Decimal(38, 0, 128));
    String text = "SELECT CAST(pickup AS STRING) AS key, trip_id AS value FROM trips WHERE trip_id = 0";
    assertThat(engines.get(1).sql(text).collect(keyValue).get(0).key()).isEqualTo("2024-01-01 00:00:00");
    assertThat(engines.get(0).sql(text).collect(keyValue).get(0).key()).isEqualTo("2024-01-01 00:00:00+00");
  }

  /**
   * {@link Order}'s columns in another order, and its structs' fields too (in lists, in maps of
   * lists, optional), some of them left out: as a JSON schema Spark infers (fields sorted) or a
   * writer that orders them otherwise gives them.
   */
  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record Shuffled(Optional<Place> shipTo, Map<String, List<Item>> linesBySku, long orderId, Buyer customer) {
    record Place(int zip, String city) {}

    record Item(@ArrowDecimal(precision = 18, scale = 2) BigDecimal unitPrice, String sku) {}

    record Buyer(List<Place> addresses, long customerId) {}

    static Shuffled of(Order order) {
      Map<String, List<Item>> bySku = null;
      if (order.linesBySku() != null) {
        bySku = new HashMap<>();
        for (Map.Entry<String, List<Order.Line>> entry : order.linesBySku().entrySet()) {
          bySku.put(entry.getKey(), entry.getValue() == null ? null : entry.getValue().stream()
              .map(line -> line == null ? null : new Item(line.unitPrice(), line.sku())).toList());
        }
      }
      List<io.github.sparkarrow.it.records.Address> addresses = order.customer().addresses();
      return new Shuffled(order.shipTo().map(Shuffled::place), bySku, order.orderId(),
          new Buyer(addresses == null ? null : addresses.stream().map(Shuffled::place).toList(),
              order.customer().customerId()));
    }

    private static Place place(io.github.sparkarrow.it.records.Address address) {
      return address == null ? null : new Place(address.zip(), address.city());
    }
  }

  /** A struct field that {@link Order}'s {@code ship_to} does not have. */
  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record Misplaced(long orderId, Optional<Floor> shipTo) {
    record Floor(String city, int floor) {}
  }

  @Test
  void structFieldsAreMatchedByNameInAnyOrderOnBothEngines() {
    List<Order> orders = RandomRecords.orders(200, 11);
    List<Shuffled> expected = orders.stream().map(Shuffled::of).toList();
    ArrowRecordType<Shuffled> shuffled = EngineTest_ShuffledArrowSchema.INSTANCE;
    for (Engine engine : engines("UTC")) {
      Table table = engine.fromRecords(OrderArrowSchema.INSTANCE, orders);
      assertSameRecords(engine.name() + ", a function over a query",
          table.mapRecords(shuffled, shuffled, s -> s).collect(shuffled), expected);
      assertSameRecords(engine.name() + ", a function after another",
          table.mapRecords(OrderArrowSchema.INSTANCE, OrderArrowSchema.INSTANCE, o -> o)
              .mapRecords(shuffled, shuffled, s -> s).collect(shuffled), expected);
      assertSameRecords(engine.name() + ", collected", table.collect(shuffled), expected);
      String path = dir.resolve("orders-" + engine.name()).toString();
      table.writeParquet(path);
      assertSameRecords(engine.name() + ", Parquet",
          engine.read(Source.parquet(path, shuffled)).collect(shuffled), expected);

      assertThatThrownBy(() -> table.mapRecords(
              EngineTest_MisplacedArrowSchema.INSTANCE, EngineTest_MisplacedArrowSchema.INSTANCE, m -> m))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("'ship_to.floor' (INT")
          .hasMessageContaining("is missing: 'ship_to' is STRUCT<");
    }
  }

  @Test
  void emptyInputsOnBothEngines() {
    List<Engine> engines = engines("UTC");
    for (Engine engine : engines) {
      String path = dir.resolve("empty-" + engine.name()).toString();
      Table none = engine.fromRecords(MomentsArrowSchema.INSTANCE, List.of())
          .mapRecords(MomentsArrowSchema.INSTANCE, MomentsArrowSchema.INSTANCE, m -> m);
      assertThat(none.count()).isZero();
      none.writeParquet(path);
      none.createView("none");
      assertThat(engine.sql("SELECT * FROM none WHERE instant IS NOT NULL").count()).isZero();
      for (Engine reader : engines) {
        assertThat(reader.read(Source.parquet(path, MomentsArrowSchema.INSTANCE))
            .collect(MomentsArrowSchema.INSTANCE)).as(reader.name() + " reading " + engine.name()).isEmpty();
      }
    }
  }

  @Test
  void duckDbRefusesIntervalsClearlyAndStaysUsable() {
    engines("UTC");
    List<?> records = ArrowTestSupport.cases().stream()
        .filter(c -> c.type() == TemporalsArrowSchema.INSTANCE).findFirst().orElseThrow()
        .records(10, 1);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Runnable write = () -> duckdb.fromRecords((ArrowRecordType) TemporalsArrowSchema.INSTANCE, (List) records);
    assertThatThrownBy(write::run)
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("'duration' (INTERVAL DAY TO SECOND)")
        .hasMessageContaining("'period' (INTERVAL YEAR TO MONTH)")
        .hasMessageContaining("Arrow Java 12.0.1");
    assertThatThrownBy(() -> duckdb.sql("SELECT INTERVAL 3 DAY AS gap").schema())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("CAST it in the SQL");
    // Spark takes them.
    assertThat(SparkEngine.of(spark).fromRecords((ArrowRecordType) TemporalsArrowSchema.INSTANCE, (List) records).count())
        .isEqualTo(10);
    assertThat(duckdb.range(5).count()).isEqualTo(5);
  }

  @Test
  void duckDbReadsSparksInt96TimestampsAsTheSameInstants() {
    List<Engine> engines = engines("America/Los_Angeles");
    spark.conf().unset("spark.sql.parquet.outputTimestampType"); // Spark's default: INT96
    RandomRecords random = new RandomRecords(5);
    List<Moments> flat = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Moments m = random.moments();
      flat.add(new Moments(m.date(), m.sqlDate(), m.instant(), m.sqlTimestamp(), m.local(), null, null, m.locals()));
    }
    String path = dir.resolve("int96").toString();
    SparkArrow.createDataFrame(spark, flat, MomentsArrowSchema.INSTANCE)
        .drop("instants", "when").write().parquet(path);
    assertSameRecords("INT96 read by DuckDB",
        duckdb.read(Source.parquet(path, MomentsArrowSchema.INSTANCE)).collect(MomentsArrowSchema.INSTANCE),
        flat);

    // Nested INT96 it cannot place exactly: said so, with the setting that avoids it.
    String nested = dir.resolve("nested-int96").toString();
    SparkArrow.createDataFrame(spark, List.of(random.moments()), MomentsArrowSchema.INSTANCE).write().parquet(nested);
    assertThatThrownBy(() -> duckdb.read(Source.parquet(nested, MomentsArrowSchema.INSTANCE)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("'instants' holds INT96")
        .hasMessageContaining("outputTimestampType=TIMESTAMP_MICROS");
    assertThat(engines.get(1).read(Source.parquet(nested, MomentsArrowSchema.INSTANCE)).count()).isEqualTo(1);

    // INT96 in some files and TIMESTAMP_MICROS in others, in one directory: refused, not misread.
    spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    SparkArrow.createDataFrame(spark, flat, MomentsArrowSchema.INSTANCE)
        .drop("instants", "when").write().mode("append").parquet(path);
    assertThatThrownBy(() -> duckdb.read(Source.parquet(path, MomentsArrowSchema.INSTANCE)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("'instant' holds INT96 timestamps (Spark's default Parquet timestamps)"
            + " in some files and other timestamps in others")
        .hasMessageContaining("outputTimestampType=TIMESTAMP_MICROS");
    assertThat(engines.get(1).read(Source.parquet(path, MomentsArrowSchema.INSTANCE)).count()).isEqualTo(400);
  }

  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record IdNote(long id, String note) {}

  /** Writes {@code select}'s rows to the Parquet file {@code name} in {@code directory}, by DuckDB. */
  private void parquetFile(Path directory, String name, String select) throws java.sql.SQLException {
    directory.toFile().mkdirs();
    try (java.sql.Statement statement = duckdb.connection().createStatement()) {
      statement.execute("COPY (" + select + ") TO '" + directory.resolve(name) + "' (FORMAT parquet)");
    }
  }

  @Test
  void aDirectoryWrittenOverTimeIsReadFileByFileByNameOnBothEngines() throws java.sql.SQLException {
    List<Engine> engines = engines("UTC");
    Path grown = dir.resolve("grown");
    parquetFile(grown, "part-0.parquet", "SELECT 1::BIGINT AS id");
    parquetFile(grown, "part-1.parquet", "SELECT 'x' AS note, 2::BIGINT AS id"); // a column added
    parquetFile(grown, "part-2.parquet", "SELECT 3::BIGINT AS id, 'y' AS note, 7 AS extra");
    for (Engine engine : engines) {
      assertSameRecords(engine.name(),
          parquetRecords(engine, grown, EngineTest_IdNoteArrowSchema.INSTANCE),
          List.of(new IdNote(1, null), new IdNote(2, "x"), new IdNote(3, "y")));
    }

    // A later file whose column has another type: both refuse it (DuckDB up front, naming the file).
    Path changed = dir.resolve("changed");
    parquetFile(changed, "part-0.parquet", "SELECT 1::BIGINT AS id, 'x' AS note");
    parquetFile(changed, "part-1.parquet", "SELECT 2::BIGINT AS id, 5 AS note");
    assertThatThrownBy(() -> duckdb.read(Source.parquet(changed.toString(), EngineTest_IdNoteArrowSchema.INSTANCE)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("cannot be read with the declared schema")
        .hasMessageContaining("in " + changed.resolve("part-1.parquet") + ": ")
        .hasMessageContaining("note: written as INT, read as STRING")
        .hasMessageNotContaining("part-0.parquet");
    assertThatThrownBy(() -> engines.get(1).read(Source.parquet(changed.toString(), EngineTest_IdNoteArrowSchema.INSTANCE))
            .collect(EngineTest_IdNoteArrowSchema.INSTANCE))
        .isInstanceOf(EngineException.class);
    assertThat(duckdb.range(3).count()).isEqualTo(3);
  }

  @HasArrowSparkSchema
  record Tagged(String x, Integer y) {}

  @HasArrowSparkSchema
  record TextAndBytes(int id, String s, List<String> l, Tagged st, Map<String, String> m, byte[] b) {}

  @HasArrowSparkSchema
  record Unsigned(int id, short u8, int u16, long u32, @ArrowDecimal(precision = 20, scale = 0) BigDecimal u64) {}

  /**
   * Parquet files other writers make read as Spark reads them: text written as BINARY without the
   * UTF8 annotation (Impala's, older writers'), which DuckDB's CAST turned into {@code \xC3\xA9}
   * escapes, and bytes that are not UTF-8 there failing both where a query reads them; a STRING
   * read as BINARY as its UTF-8 bytes; unsigned integers (pandas', Arrow's, DuckDB's) as Spark
   * types them, which the DuckDB engine refused, and refused on both where Spark would wrap them.
   */
  @Test
  void textAsBytesAndUnsignedIntegersOfOtherWritersReadAsSparkReadsThemOnBothEngines()
      throws java.sql.SQLException {
    List<Engine> engines = engines("UTC");
    Path texts = dir.resolve("texts");
    parquetFile(texts, "part-0.parquet", "SELECT 1 AS id, '\\xC3\\xA9t\\xC3\\xA9'::BLOB AS s,"
        + " ['\\xC3\\xA9'::BLOB, NULL] AS l, {'x': '\\xC3\\xA9'::BLOB, 'y': 1} AS st,"
        + " MAP {'\\xC3\\xA9'::BLOB: 'a\\x41'::BLOB} AS m, 'a\\x41b é' AS b"
        + " UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL");
    Path unsigned = dir.resolve("unsigned");
    parquetFile(unsigned, "part-0.parquet", "SELECT i::INT AS id, (200 + i)::UTINYINT AS u8,"
        + " (60000 + i)::USMALLINT AS u16, (4000000000 + i)::UINTEGER AS u32,"
        + " (18000000000000000000 + i)::UBIGINT AS u64 FROM range(3) t(i)");
    for (Engine engine : engines) {
      assertSameRecords(engine.name(),
          parquetRecords(engine, texts, EngineTest_TextAndBytesArrowSchema.INSTANCE),
          List.of(new TextAndBytes(1, "été", java.util.Arrays.asList("é", null), new Tagged("é", 1),
                  Map.of("é", "aA"), "a\\x41b é".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
              new TextAndBytes(2, null, null, null, null, null)));
      assertSameRecords(engine.name(),
          parquetRecords(engine, unsigned, EngineTest_UnsignedArrowSchema.INSTANCE),
          java.util.stream.IntStream.range(0, 3).mapToObj(i -> new Unsigned(i, (short) (200 + i),
              60000 + i, 4000000000L + i, new BigDecimal("18000000000000000000").add(BigDecimal.valueOf(i))))
              .toList());
      // Spark would read these 200 as -56 and 4000000000 as -294967296, or fail in a task.
      Map<String, String> refused = Map.of(
          "id INT, u8 TINYINT", "u8: written as SMALLINT, read as TINYINT",
          "id INT, u32 INT", "u32: written as BIGINT, read as INT",
          "id INT, u64 BIGINT", "u64: written as DECIMAL(20,0), read as BIGINT");
      assertRefused(engine, unsigned, refused);
      // A wider DECIMAL than a UINT64's own: Spark fails in its reader, DuckDB up front.
      assertThatThrownBy(() -> engine.read(Source.parquet(unsigned.toString(), "id INT, u64 DECIMAL(38,0)"))
              .writeParquet(dir.resolve("wide-" + engine.name()).toString()))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageMatching("(?is).*u64.*decimal\\(38,0\\).*");
    }

    Path bad = dir.resolve("bad");
    parquetFile(bad, "part-0.parquet", "SELECT 1::BIGINT AS id, 'ok'::BLOB AS note"
        + " UNION ALL SELECT 2, '\\xFF\\xFE'::BLOB");
    for (Engine engine : engines) {
      Source source = Source.parquet(bad.toString(), EngineTest_IdNoteArrowSchema.INSTANCE);
      assertThatThrownBy(() -> engine.read(source).collect(EngineTest_IdNoteArrowSchema.INSTANCE))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(EngineException.notUtf8(source, "note"));
      engine.read(source).createView("bad");
      assertThat(engine.sql("SELECT id FROM bad").count()).as(engine.name()).isEqualTo(2);
      assertThatThrownBy(() -> engine.sql("SELECT id FROM bad WHERE note IS NOT NULL").count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(EngineException.notUtf8(source, "note"));
    }
    assertThat(duckdb.range(3).count()).isEqualTo(3);
  }

  /**
   * Columns Spark 3.5 has no type for (DuckDB's UUIDs and TIMEs, pandas' nanosecond timestamps):
   * a declared schema that leaves them out reads the rest on both engines, as plain Spark reads it
   * (the Spark engine failed: it typed every column of the files); one that declares them as their
   * raw values (a BIGINT of nanoseconds or microseconds, a UUID's BINARY) reads them as plain Spark
   * reads them; one that declares another type is refused on both, naming them (the DuckDB engine
   * read the UUIDs as text). Inside structs, lists and maps alike: a struct field the declared
   * struct leaves out is not read, as Spark clips a file's schema to the one it reads (both engines
   * refused the whole column), and one it reads is read or refused by its path.
   */
  @Test
  void columnsSparkHasNoTypeForAreReadAsSparkReadsThemOrRefusedByNameOnBothEngines() throws Exception {
    List<Engine> engines = engines("UTC");
    Path odd = dir.resolve("odd");
    parquetFile(odd, "part-0.parquet", "SELECT i AS id, uuid() AS u, TIME '12:00:00' AS t,"
        + " TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ns, [uuid()] AS us,"
        + " {'a': i, 'ns': TIMESTAMP_NS '2024-01-01 00:00:00'} AS s,"
        + " [{'a': i + 1, 't': TIME '12:00:00'}] AS l, MAP {'k': {'a': i + 2, 'u': uuid()}} AS m,"
        + " INTERVAL (i) DAY AS iv FROM range(3) t(i)");
    for (Engine engine : engines) {
      assertSameRecords(engine.name(),
          parquetRecords(engine, odd, EngineTest_IdArrowSchema.INSTANCE),
          List.of(new Id(0), new Id(1), new Id(2)));
      assertSameRecords(engine.name(),
          parquetRecords(engine, odd, EngineTest_ClippedArrowSchema.INSTANCE),
          java.util.stream.IntStream.range(0, 3).mapToObj(i -> new Clipped(i, new A(i),
              List.of(new A(i + 1)), Map.of("k", new A(i + 2)))).toList());
      String raw = "id BIGINT, u BINARY, t BIGINT, ns BIGINT, us ARRAY<BINARY>,"
          + " s STRUCT<a: BIGINT, ns: BIGINT>, l ARRAY<STRUCT<t: BIGINT>>, m MAP<STRING, STRUCT<u: BINARY>>";
      Path out = dir.resolve("raw-" + engine.name());
      engine.read(Source.parquet(odd.toString(), raw)).writeParquet(out.toString());
      assertThat(jsonRows(spark.read().schema(raw).parquet(out.toString()))).as(engine.name())
          .isEqualTo(jsonRows(spark.read().schema(raw).parquet(odd.toString()))) // plain Spark
          .anyMatch(row -> row.contains("\"ns\":1704067200123456789"));
      Map<String, String> refused = Map.of("u STRING", "u: written as Parquet's UUID",
          "t INT", "t: written as Parquet's TIME(MICROS)", "ns TIMESTAMP", "ns: written as Parquet's TIMESTAMP(NANOS)",
          "us ARRAY<STRING>", "us[]: written as Parquet's UUID",
          "s STRUCT<a: BIGINT, ns: TIMESTAMP>", "s.ns: written as Parquet's TIMESTAMP(NANOS)",
          "l ARRAY<STRUCT<t: STRING>>", "l[].t: written as Parquet's TIME(MICROS)",
          "m MAP<STRING, STRUCT<a: BIGINT, u: STRING>>", "m{value}.u: written as Parquet's UUID");
      refused.forEach((column, problem) ->
          assertThatThrownBy(() -> engine.read(Source.parquet(odd.toString(), "id BIGINT, " + column)).count())
              .as(engine.name() + " " + column)
              .isInstanceOf(EngineException.class)
              .hasMessageContaining("cannot be read with the declared schema")
              .hasMessageContaining("\n  " + problem + ", which Spark 3.5 has no type for")
              .hasMessageContaining("Declare it "));
      // DuckDB's INTERVAL (which Spark reads as nothing; DuckDB hands it to Java as an Arrow type
      // Arrow Java 12 cannot import, so the DuckDB engine read no column of such a file)
      assertThatThrownBy(() -> engine.read(Source.parquet(odd.toString(), "id BIGINT, iv BINARY")).count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("\n  iv: written as Parquet's FIXED_LEN_BYTE_ARRAY (INTERVAL), which"
              + " Spark 3.5 has no type for");
      Path intervals = dir.resolve("intervals");
      parquetFile(intervals, "part-0.parquet", "SELECT 7::BIGINT AS id, INTERVAL 3 DAY AS iv");
      assertThat(parquetRecords(engine, intervals, EngineTest_IdArrowSchema.INSTANCE))
          .as(engine.name()).containsExactly(new Id(7));
    }
    // The other units, and values adjusted to UTC, as parquet-mr writes them
    Path units = dir.resolve("units");
    exampleParquet(units.resolve("part-0.parquet"), "message m { required int32 id;"
        + " optional int64 nsu (TIMESTAMP(NANOS,true)); optional int32 tms (TIME(MILLIS,false));"
        + " optional int64 tus (TIME(MICROS,true)); optional int64 tns (TIME(NANOS,false)); }",
        groups -> List.of(groups.newGroup().append("id", 1).append("nsu", -1_000_000_001L)
            .append("tms", 43_200_500).append("tus", 43_200_500_001L).append("tns", 43_200_500_000_001L),
            groups.newGroup().append("id", 2)));
    String raw = "id INT, nsu BIGINT, tms INT, tus BIGINT, tns BIGINT";
    assertThat(jsonRows(spark.read().schema(raw).parquet(units.toString()))).containsExactly(
        "{\"id\":1,\"nsu\":-1000000001,\"tms\":43200500,\"tus\":43200500001,\"tns\":43200500000001}",
        "{\"id\":2}"); // plain Spark
    for (Engine engine : engines) {
      Path out = dir.resolve("units-" + engine.name());
      engine.read(Source.parquet(units.toString(), raw)).writeParquet(out.toString());
      assertThat(jsonRows(spark.read().schema(raw).parquet(out.toString()))).as(engine.name())
          .isEqualTo(jsonRows(spark.read().schema(raw).parquet(units.toString())));
      assertThatThrownBy(() -> engine.read(Source.parquet(units.toString(), "id INT, tms BIGINT")).count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("tms: written as Parquet's TIME(MILLIS), which Spark 3.5 has no type"
              + " for (\"Illegal Parquet type\"). Declare it INT to read its milliseconds since midnight");
    }
    assertThat(duckdb.range(3).count()).isEqualTo(3);
  }

  /**
   * Files as pandas and pyarrow write them. A column of only nulls (pandas' column of only None,
   * which pyarrow, as DuckDB, writes as Parquet's NULL type on INT32) is an INT to Spark, at any
   * depth: the DuckDB engine refused it as "written as Null" whatever was declared. A decimal of
   * more than 38 digits (pyarrow's decimal256), which Spark has no type for, was read by the
   * DuckDB engine as a rounded DOUBLE where declared so, and made the Spark engine fail on the
   * whole file (in Spark's inference) where plain Spark reads the other columns, and reads it as
   * its bytes where declared BINARY. A FLOAT16 (pyarrow's float16) makes Spark's Parquet library
   * fail on the whole file: the Spark engine said "Exception thrown in awaitResult".
   */
  @Test
  void columnsOfOnlyNullsWideDecimalsAndHalfFloatsReadAsSparkReadsThemOrAreRefusedSayingSo()
      throws Exception {
    List<Engine> engines = engines("UTC");
    Path nulls = dir.resolve("nulls");
    parquetFile(nulls, "part-0.parquet", "SELECT i AS id, NULL AS n, [NULL] AS ln,"
        + " {'a': NULL, 'b': i} AS sn FROM range(3) t(i)");
    String ddl = "id BIGINT, n INT, ln ARRAY<INT>, sn STRUCT<a: INT, b: BIGINT>";
    assertThat(spark.read().parquet(nulls.toString()).schema().toDDL()) // as Spark types them
        .isEqualTo("id BIGINT,n INT,ln ARRAY<INT>,sn STRUCT<a: INT, b: BIGINT>");
    for (Engine engine : engines) {
      Path out = dir.resolve("nulls-" + engine.name());
      engine.read(Source.parquet(nulls.toString(), ddl)).writeParquet(out.toString());
      assertThat(jsonRows(spark.read().schema(ddl).parquet(out.toString()))).as(engine.name())
          .isEqualTo(jsonRows(spark.read().schema(ddl).parquet(nulls.toString()))) // plain Spark
          .hasSize(3);
      assertRefused(engine, nulls, Map.of("id BIGINT, n BIGINT", "n: written as INT, read as BIGINT",
          "id BIGINT, sn STRUCT<a: STRING>", "sn.a: written as INT, read as STRING"));
    }
    Path wide = dir.resolve("wide");
    byte[] minus125 = new byte[17];
    java.util.Arrays.fill(minus125, (byte) -1);
    minus125[16] = (byte) -125; // -1.25 as DECIMAL(40,2): -125, big-endian two's complement
    exampleParquet(wide.resolve("part-0.parquet"), "message m { required int64 id;"
        + " optional fixed_len_byte_array(17) x (DECIMAL(40,2));"
        + " optional group s { optional binary y (DECIMAL(40,0)); } }", groups -> {
          var second = groups.newGroup().append("id", 2L);
          second.addGroup("s").append("y", org.apache.parquet.io.api.Binary.fromConstantByteArray(
              new byte[] {1, 0})); // 256
          return List.of(groups.newGroup().append("id", 1L)
              .append("x", org.apache.parquet.io.api.Binary.fromConstantByteArray(minus125)), second);
        });
    for (Engine engine : engines) {
      assertThat(parquetRecords(engine, wide, EngineTest_IdArrowSchema.INSTANCE)).as(engine.name())
          .containsExactlyInAnyOrder(new Id(1), new Id(2));
      assertRefused(engine, wide, Map.of(
          "id BIGINT, x DOUBLE", "x: written as Parquet's DECIMAL(40,2), which Spark 3.5 has no type for",
          "id BIGINT, x DECIMAL(38,2)", "Declare it BINARY to read its unscaled value's bytes",
          "id BIGINT, s STRUCT<y: DECIMAL(38,0)>", "s.y: written as Parquet's DECIMAL(40,0), which Spark"));
    }
    String bytes = "id BIGINT, x BINARY, s STRUCT<y: BINARY>";
    Path out = dir.resolve("wide-spark");
    engines.get(1).read(Source.parquet(wide.toString(), bytes)).writeParquet(out.toString());
    assertThat(jsonRows(spark.read().schema(bytes).parquet(out.toString())))
        .isEqualTo(jsonRows(spark.read().schema(bytes).parquet(wide.toString()))) // plain Spark
        .containsExactly(
            "{\"id\":1,\"x\":\"" + java.util.Base64.getEncoder().encodeToString(minus125) + "\"}",
            "{\"id\":2,\"s\":{\"y\":\"AQA=\"}}");
    assertRefused(engines.get(0), wide, Map.of(bytes, "x: written as Parquet's DECIMAL(40,2), which"
        + " Spark 3.5 reads only as its unscaled value's bytes, and the DuckDB engine cannot read so"));
    // FLOAT16: Spark's Parquet library reads no column of such a file; DuckDB reads it as FLOAT
    Path half = dir.resolve("half");
    Path later = dir.resolve("later"); // a file without one first, from which Spark types the rest
    parquetFile(later, "part-0.parquet", "SELECT 0 AS id, 0.5::FLOAT AS f");
    for (Path directory : List.of(half, later)) {
      directory.toFile().mkdirs();
      try (var in = EngineTest.class.getResourceAsStream("/parquet/float16.parquet")) {
        java.nio.file.Files.copy(in, directory.resolve("part-1.parquet")); // see its README
      }
      assertThatThrownBy(() -> spark.read().schema("id INT").parquet(directory.toString()).count())
          .hasStackTraceContaining("LogicalType.getSetField()"); // plain Spark
      assertThatThrownBy(() -> engines.get(1).read(Source.parquet(directory.toString(), "id INT")).count())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining((directory == half ? "part-1.parquet" : "a file read")
              + " holds a column of a Parquet logical type that Spark 3.5's Parquet library"
              + " (parquet-mr 1.13) does not know: FLOAT16")
          .hasMessageContaining("The DuckDB engine reads it");
    }
    assertThat(parquetRecords(duckdb, later, EngineTest_HalfArrowSchema.INSTANCE))
        .containsExactlyInAnyOrder(new Half(0, 0.5f), new Half(1, 1.5f), new Half(2, null));
  }

  @HasArrowSparkSchema
  record Half(int id, Float f) {}

  /**
   * Maps as older writers wrote them. A MAP whose entries are annotated MAP_KEY_VALUE reads on
   * both. A group annotated MAP_KEY_VALUE in place of MAP (as Hive wrote maps), a map to Spark by
   * the Parquet format's rules for such files, DuckDB's reader refuses, and with it every column
   * of the file, naming no file ("MAP_KEY_VALUE requires two children"): the DuckDB engine names
   * the file and says that the Spark engine reads it.
   */
  @Test
  void mapsInTheLayoutsOfOlderWritersReadAsSparkReadsThemOrAreRefusedNamingTheFile() throws Exception {
    List<Engine> engines = engines("UTC");
    Path entries = dir.resolve("entries");
    Path hive = dir.resolve("hive");
    String entriesGroup = "repeated group map { required binary key (UTF8); optional int32 value; }";
    exampleParquet(entries.resolve("part-0.parquet"), "message m { required int32 id; optional group m"
        + " (MAP) { " + entriesGroup.replace("map {", "map (MAP_KEY_VALUE) {") + " } }", this::mapRows);
    exampleParquet(hive.resolve("part-0.parquet"), "message m { required int32 id; optional group m"
        + " (MAP_KEY_VALUE) { " + entriesGroup + " } }", this::mapRows);
    String ddl = "id INT, m MAP<STRING, INT>";
    for (Path path : List.of(entries, hive)) {
      assertThat(spark.read().parquet(path.toString()).schema().toDDL())
          .isEqualTo("id INT,m MAP<STRING, INT>");
      for (Engine engine : path == hive ? List.of(engines.get(1)) : engines) {
        Path out = dir.resolve(path.getFileName() + "-" + engine.name());
        engine.read(Source.parquet(path.toString(), ddl)).writeParquet(out.toString());
        assertThat(jsonRows(spark.read().schema(ddl).parquet(out.toString()))).as(engine.name())
            .isEqualTo(jsonRows(spark.read().schema(ddl).parquet(path.toString()))) // plain Spark
            .contains("{\"id\":1,\"m\":{\"a\":1,\"b\":null}}");
      }
    }
    assertThatThrownBy(() -> duckdb.read(Source.parquet(hive.toString(), "id INT")).count())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining(hive.resolve("part-0.parquet") + " holds a map in a layout older"
            + " writers used (a group annotated MAP_KEY_VALUE where the Parquet format has MAP")
        .hasMessageContaining("read it on the Spark engine");
    assertThat(duckdb.range(3).count()).isEqualTo(3);
  }

  private List<org.apache.parquet.example.data.Group> mapRows(
      org.apache.parquet.example.data.simple.SimpleGroupFactory groups) {
    var row = groups.newGroup().append("id", 1);
    var map = row.addGroup("m");
    map.addGroup("map").append("key", "a").append("value", 1);
    map.addGroup("map").append("key", "b");
    return List.of(row, groups.newGroup().append("id", 2));
  }

  /** The records of {@code type} that {@code engine} reads from the Parquet at {@code path}. */
  private static <T extends Record> List<T> parquetRecords(Engine engine, Path path, ArrowRecordType<T> type) {
    return engine.read(Source.parquet(path.toString(), type)).collect(type);
  }

  /** Each DDL of {@code refused} read from the Parquet at {@code path} fails, naming its problem. */
  private static void assertRefused(Engine engine, Path path, Map<String, String> refused) {
    refused.forEach((ddl, problem) ->
        assertThatThrownBy(() -> engine.read(Source.parquet(path.toString(), ddl)).count())
            .as(engine.name() + " " + ddl)
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("cannot be read with the declared schema")
            .hasMessageContaining(problem));
  }

  /** {@code rows} as JSON, sorted: bytes in base64, as Spark writes them. */
  private static List<String> jsonRows(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows) {
    return rows.selectExpr("to_json(struct(*))").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList().stream().sorted().toList();
  }

  @HasArrowSparkSchema
  record Item(Integer x) {}

  @HasArrowSparkSchema
  record Items(String name, List<Item> items) {}

  @HasArrowSparkSchema
  record AvroList(int id, List<Item> avro) {}

  @HasArrowSparkSchema
  record LegacyLists(int id, List<Item> avro, List<Item> thrift, List<Item> proto, Items st,
      Map<String, List<Item>> m, List<Integer> plain) {}

  /**
   * Lists written before the Parquet format had its LIST layout read as Spark reads them: a
   * repeated group of one field named {@code array} (old parquet-avro's) or {@code <list>_tuple}
   * (parquet-thrift's) inside a LIST, or outside any LIST (protobuf's repeated messages), is a list
   * of structs of that field, where DuckDB reads a list of the field itself; another name inside a
   * LIST is a list of the field on both. The DuckDB engine refused the first three as Spark reads
   * them, blaming Spark's reader, and read them as lists of the field.
   */
  @Test
  void legacyListsOfOneFieldReadAsSparkReadsThemOnBothEngines() throws Exception {
    List<Engine> engines = engines("UTC");
    Path legacy = dir.resolve("legacy");
    exampleParquet(legacy.resolve("part-0.parquet"), "message m {"
        + " required int32 id;"
        + " optional group avro (LIST) { repeated group array { optional int32 x; } }"
        + " optional group thrift (LIST) { repeated group thrift_tuple { optional int32 x; } }"
        + " repeated group proto { optional int32 x; }"
        + " optional group st { optional binary name (UTF8); repeated group items { optional int32 x; } }"
        + " optional group m (MAP) { repeated group key_value { required binary key (UTF8);"
        + "   optional group value (LIST) { repeated group array { optional int32 x; } } } }"
        + " optional group plain (LIST) { repeated group element { optional int32 x; } } }", groups -> {
          var row = groups.newGroup().append("id", 1);
          row.addGroup("avro").addGroup("array").append("x", 1);
          row.getGroup("avro", 0).addGroup("array"); // x null
          row.addGroup("thrift").addGroup("thrift_tuple").append("x", 2);
          row.addGroup("proto").append("x", 3);
          row.addGroup("proto");
          var st = row.addGroup("st").append("name", "n");
          st.addGroup("items").append("x", 4);
          var entry = row.addGroup("m").addGroup("key_value").append("key", "k");
          entry.addGroup("value").addGroup("array").append("x", 5);
          row.addGroup("plain").addGroup("element").append("x", 6);
          return List.of(row, groups.newGroup().append("id", 2)); // no lists: null, proto's empty
        });
    // Spark itself reads these shapes so (the declared types, every column nullable)
    assertThat(spark.read().parquet(legacy.toString()).schema().toDDL()).isEqualTo("id INT,"
        + "avro ARRAY<STRUCT<x: INT>>,thrift ARRAY<STRUCT<x: INT>>,proto ARRAY<STRUCT<x: INT>>,"
        + "st STRUCT<name: STRING, items: ARRAY<STRUCT<x: INT>>>,m MAP<STRING, ARRAY<STRUCT<x: INT>>>,"
        + "plain ARRAY<INT>");
    List<LegacyLists> expected = List.of(
        new LegacyLists(1, java.util.Arrays.asList(new Item(1), new Item(null)), List.of(new Item(2)),
            List.of(new Item(3), new Item(null)), new Items("n", List.of(new Item(4))),
            Map.of("k", List.of(new Item(5))), List.of(6)),
        new LegacyLists(2, null, null, List.of(), null, null, null));
    for (Engine engine : engines) {
      assertSameRecords(engine.name(),
          parquetRecords(engine, legacy, EngineTest_LegacyListsArrowSchema.INSTANCE),
          expected);
      Map<String, String> refused = Map.of(
          "id INT, avro ARRAY<INT>", "avro[]: written as STRUCT, read as INT",
          "id INT, thrift ARRAY<INT>", "thrift[]: written as STRUCT, read as INT",
          "id INT, proto ARRAY<INT>", "proto[]: written as STRUCT, read as INT",
          "id INT, st STRUCT<items: ARRAY<INT>>", "st.items[]: written as STRUCT, read as INT",
          "id INT, m MAP<STRING, ARRAY<INT>>", "m{value}[]: written as STRUCT, read as INT",
          "id INT, plain ARRAY<STRUCT<x: INT>>", "plain[]: written as INT, read as STRUCT");
      assertRefused(engine, legacy, refused);
    }
    // Spark's own legacy format (spark.sql.parquet.writeLegacyFormat, for Hive and Impala) writes a
    // list of structs of one field whose elements are not null so
    Path sparkLegacy = dir.resolve("spark-legacy");
    spark.conf().set("spark.sql.parquet.writeLegacyFormat", "true");
    try {
      spark.range(2).selectExpr("CAST(id AS INT) AS id", "array(named_struct('x', CAST(id AS INT))) AS avro")
          .write().parquet(sparkLegacy.toString());
    } finally {
      spark.conf().unset("spark.sql.parquet.writeLegacyFormat");
    }
    for (Engine engine : engines) {
      assertSameRecords(engine.name(),
          parquetRecords(engine, sparkLegacy, EngineTest_AvroListArrowSchema.INSTANCE),
          List.of(new AvroList(0, List.of(new Item(0))), new AvroList(1, List.of(new Item(1)))));
    }
    // A repeated value outside a LIST of a type Spark has none for is named as the element
    Path uuids = dir.resolve("uuids");
    exampleParquet(uuids.resolve("part-0.parquet"),
        "message m { required int32 id; repeated fixed_len_byte_array(16) ids (UUID); }",
        groups -> List.of(groups.newGroup().append("id", 1)
            .append("ids", org.apache.parquet.io.api.Binary.fromConstantByteArray(new byte[16]))));
    for (Engine engine : engines) {
      assertThatThrownBy(() -> engine.read(Source.parquet(uuids.toString(), "id INT, ids ARRAY<STRING>")).count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("\n  ids[]: written as Parquet's UUID");
      assertThat(engine.read(Source.parquet(uuids.toString(), "id INT")).count()).as(engine.name()).isOne();
    }
  }

  /** A Parquet file of {@code schema} (parquet-mr's message type) written by parquet-mr. */
  private static void exampleParquet(Path file, String schema,
      java.util.function.Function<org.apache.parquet.example.data.simple.SimpleGroupFactory,
          List<org.apache.parquet.example.data.Group>> rows) throws java.io.IOException {
    var type = org.apache.parquet.schema.MessageTypeParser.parseMessageType(schema);
    try (var writer = org.apache.parquet.hadoop.example.ExampleParquetWriter
        .builder(new org.apache.hadoop.fs.Path(file.toString())).withType(type).build()) {
      for (var row : rows.apply(new org.apache.parquet.example.data.simple.SimpleGroupFactory(type))) {
        writer.write(row);
      }
    }
  }

  /**
   * Struct fields written in another case than declared (Spark matches names so) are named as
   * declared on both engines, in the table's schema and the Parquet it writes: DuckDB's CAST kept
   * the written names.
   */
  @Test
  void structFieldsWrittenInAnotherCaseAreNamedAsDeclaredOnBothEngines() throws java.sql.SQLException {
    List<Engine> engines = engines("UTC");
    Path cased = dir.resolve("cased");
    parquetFile(cased, "part-0.parquet", "SELECT 1 AS ID, {'X': 1, 'yY': 'a'} AS S,"
        + " [{'X': 2, 'yY': 'b'}] AS L, MAP {'k': {'X': 3, 'yY': 'c'}} AS M");
    String ddl = "id INT, s STRUCT<x: INT, yy: STRING>, l ARRAY<STRUCT<x: INT, yy: STRING>>,"
        + " m MAP<STRING, STRUCT<x: INT, yy: STRING>>";
    for (Engine engine : engines) {
      Table table = engine.read(Source.parquet(cased.toString(), ddl));
      assertThat(names(table.schema().getFields())).as(engine.name())
          .isEqualTo("[id, s[x, yy], l[element[x, yy]], m[entries[key, value[x, yy]]]]");
      Path out = dir.resolve("cased-" + engine.name());
      table.writeParquet(out.toString());
      try (java.sql.Statement statement = duckdb.connection().createStatement();
          java.sql.ResultSet rows = statement.executeQuery("SELECT string_agg(name, ',') FROM"
              + " parquet_schema('" + out + "/*.parquet') WHERE name IN ('x', 'yy', 'X', 'yY')")) {
        rows.next();
        assertThat(rows.getString(1)).as(engine.name()).isEqualTo("x,yy,x,yy,x,yy");
      }
    }
  }

  private static String names(List<org.apache.arrow.vector.types.pojo.Field> fields) {
    return fields.stream().map(f -> f.getName() + (f.getChildren().isEmpty() ? "" : names(f.getChildren())))
        .toList().toString();
  }

  /**
   * Empty files (an aborted writer's, a {@code touch}ed one) are skipped on both engines, as Spark
   * lists files: the DuckDB engine failed on an empty Parquet file, and the Spark engine did too
   * where Spark took the files' schema from it; the others' columns are still checked.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"parquet", "csv", "json"})
  void emptyFilesAreSkippedAsSparkListsFilesOnBothEngines(String format) throws Exception {
    List<Engine> engines = engines("UTC");
    Path files = dir.resolve("empty-" + format);
    if (format.equals("parquet")) {
      parquetFile(files, "part-1", "SELECT 1::BIGINT AS id, 'x' AS note");
    } else {
      java.nio.file.Files.createDirectories(files);
      java.nio.file.Files.writeString(files.resolve("part-1"),
          format.equals("csv") ? "id,note\n1,x\n" : "{\"id\": 1, \"note\": \"x\"}\n");
    }
    java.nio.file.Files.write(files.resolve("part-0"), new byte[0]); // listed first
    Path only = java.nio.file.Files.createDirectories(dir.resolve("only-empty-" + format));
    java.nio.file.Files.write(only.resolve("part-0"), new byte[0]);
    for (Engine engine : engines) {
      assertThat(engine.read(source(format, files, "id BIGINT, note STRING"))
              .collect(EngineTest_IdNoteArrowSchema.INSTANCE))
          .as(engine.name()).containsExactly(new IdNote(1, "x"));
      assertThat(engine.read(source(format, only, "id BIGINT")).count()).as(engine.name()).isZero();
      assertThat(engine.read(source(format, only.resolve("part-0"), "id BIGINT")).count())
          .as(engine.name()).isZero();
      if (format.equals("parquet")) {
        assertThatThrownBy(() -> engine.read(source(format, files, "id BIGINT, note INT")).count())
            .as(engine.name())
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("note: written as STRING, read as INT");
      }
    }
  }

  /**
   * Without partition directories Spark reads only the files directly in the directory it is given
   * ({@code data/2024/part-0} is left out without a word, and a directory of such subdirectories
   * reads as no rows): refused on both engines, where the DuckDB engine read them all; a glob reads
   * them on both. Symbolic links are followed on both, as Hadoop lists them: the DuckDB engine read
   * nothing under a linked directory.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"parquet", "csv", "json"})
  void filesInSubdirectoriesThatAreNotPartitionsAreRefusedOnBothEngines(String format) throws Exception {
    List<Engine> engines = engines("UTC");
    Path root = dir.resolve("by-year-" + format);
    for (int id : new int[] {1, 2}) {
      Path year = root.resolve("202" + id);
      if (format.equals("parquet")) {
        parquetFile(year, "part-0", "SELECT " + id + "::BIGINT AS id");
      } else {
        java.nio.file.Files.createDirectories(year);
        java.nio.file.Files.writeString(year.resolve("part-0"),
            format.equals("csv") ? "id\n" + id + "\n" : "{\"id\": " + id + "}\n");
      }
    }
    Path mixed = dir.resolve("mixed-" + format); // a file in the root, one in a subdirectory
    java.nio.file.Files.createDirectories(mixed);
    java.nio.file.Files.copy(root.resolve("2021/part-0"), mixed.resolve("part-0"));
    java.nio.file.Files.createSymbolicLink(mixed.resolve("sub"), root.resolve("2022"));
    Path linked = java.nio.file.Files.createSymbolicLink(dir.resolve("linked-" + format), root.resolve("2021"));
    for (Engine engine : engines) {
      for (Path refused : List.of(root, mixed)) {
        assertThatThrownBy(() -> engine.read(source(format, refused, "id BIGINT")).count())
            .as(engine.name() + " " + refused)
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("data file(s) in subdirectories that are not partition directories")
            .hasMessageContaining("Read the subdirectories with a glob (" + refused + "/*)");
      }
      Path both = dir.resolve("{by-year,mixed}-" + format); // a glob matching both directories
      assertThatThrownBy(() -> engine.read(source(format, both, "id BIGINT")).count())
          .as(engine.name() + " " + both)
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("data file(s) in subdirectories that are not partition directories");
      assertThat(engine.read(source(format, root.resolve("*"), "id BIGINT"))
              .collect(EngineTest_IdArrowSchema.INSTANCE))
          .as(engine.name()).containsExactlyInAnyOrder(new Id(1), new Id(2));
      assertThat(engine.read(source(format, mixed.resolve("*"), "id BIGINT"))
              .collect(EngineTest_IdArrowSchema.INSTANCE))
          .as(engine.name()).containsExactlyInAnyOrder(new Id(1), new Id(2));
      assertThat(engine.read(source(format, linked, "id BIGINT")).collect(EngineTest_IdArrowSchema.INSTANCE))
          .as(engine.name()).containsExactly(new Id(1));
    }
  }

  @HasArrowSparkSchema
  record Id(long id) {}

  @HasArrowSparkSchema
  record A(long a) {}

  @HasArrowSparkSchema
  record Clipped(long id, A s, List<A> l, Map<String, A> m) {}

  @HasArrowSparkSchema
  record Naive(int id, java.time.Instant t, List<java.time.Instant> l, Tagged2 s, java.time.Instant ms) {}

  @HasArrowSparkSchema
  record Tagged2(java.time.Instant at) {}

  /**
   * Timestamps without zone (pandas' and DuckDB's naive ones) read as TIMESTAMP: Spark's Parquet
   * reader takes their wall time as UTC whatever the session zone (not as its CAST does), and the
   * DuckDB engine, which took the session zone's, now reads them so too, at any depth.
   */
  @Test
  void naiveTimestampsReadAsInstantsAreTheirWallTimeInUtcOnBothEngines() throws java.sql.SQLException {
    List<Engine> engines = engines("America/Los_Angeles");
    Path naive = dir.resolve("naive");
    parquetFile(naive, "part-0.parquet", "SELECT 1 AS id, TIMESTAMP '2024-01-01 12:00:00' AS t,"
        + " [TIMESTAMP '2024-07-01 12:00:00', NULL] AS l, {'at': TIMESTAMP '2024-03-10 02:30:00'} AS s,"
        + " TIMESTAMP_MS '2024-11-03 01:30:00.123' AS ms UNION ALL SELECT 2, NULL, NULL, NULL, NULL");
    for (Engine engine : engines) {
      assertSameRecords(engine.name(),
          parquetRecords(engine, naive, EngineTest_NaiveArrowSchema.INSTANCE),
          List.of(new Naive(1, java.time.Instant.parse("2024-01-01T12:00:00Z"),
                  java.util.Arrays.asList(java.time.Instant.parse("2024-07-01T12:00:00Z"), null),
                  new Tagged2(java.time.Instant.parse("2024-03-10T02:30:00Z")),
                  java.time.Instant.parse("2024-11-03T01:30:00.123Z")),
              new Naive(2, null, null, null, null)));
    }
  }


  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record Dated(long id, String note, String year, java.time.LocalDate day, String tag) {}

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"parquet", "csv", "json"})
  void partitionedDirectoriesReadTheSameOnBothEngines(String format) throws java.io.IOException {
    List<Engine> engines = engines("America/Los_Angeles");
    List<Dated> records = new ArrayList<>();
    String[] tags = {"plain", "a:b c/d=e", null};
    for (int i = 0; i < 40; i++) {
      // year: digits, which Spark's partition discovery alone would take for an INT
      records.add(new Dated(i, i % 5 == 0 ? null : "n" + i, i % 4 == 3 ? null : "202" + (4 + i % 2),
          java.time.LocalDate.of(2024, 1, 1 + i % 2), tags[i % 3]));
    }
    Path path = dir.resolve("partitioned");
    SparkArrow.createDataFrame(spark, records, EngineTest_DatedArrowSchema.INSTANCE)
        .write().partitionBy("year", "day", "tag").option("header", "true").format(format).save(path.toString());
    assertThat(path.resolve("year=2024").resolve("day=2024-01-01").resolve("tag=a%3Ab c%2Fd%3De")).isDirectory();
    assertThat(path.resolve("year=__HIVE_DEFAULT_PARTITION__")).isDirectory();
    // What Spark skips: a leftover of a failed write, a hidden file.
    Path written;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(path)) {
      written = files.filter(f -> f.toString().endsWith("." + format)).findFirst().orElseThrow();
    }
    java.nio.file.Files.createDirectories(path.resolve("_temporary/0/year=2030/day=2030-01-01/tag=x"));
    java.nio.file.Files.copy(written, path.resolve("_temporary/0/year=2030/day=2030-01-01/tag=x/part-9." + format));
    java.nio.file.Files.copy(written, written.resolveSibling(".hidden." + format));

    for (Engine engine : engines) {
      assertSameRecords(engine.name(),
          engine.read(source(format, path, EngineTest_DatedArrowSchema.INSTANCE.sparkDdl()))
              .collect(EngineTest_DatedArrowSchema.INSTANCE),
          records);
      if (!format.equals("csv")) { // CSV is read by position
        assertThat(engine.read(source(format, path, "id BIGINT")).count()).as(engine.name()).isEqualTo(40);
        // Only partition columns: no column of the files named.
        engine.read(source(format, path, "tag STRING, year STRING")).createView("tags");
        assertThat(engine.sql("SELECT * FROM tags WHERE tag = 'a:b c/d=e' AND year IS NULL").count())
            .as(engine.name()).isEqualTo(records.stream()
                .filter(r -> "a:b c/d=e".equals(r.tag()) && r.year() == null).count());
      }
      // The declared order, partition columns among the others (Spark puts them last).
      assertThat(engine.read(source(format, path, "tag STRING, id BIGINT, day DATE, note STRING"))
          .schema().getFields()).extracting(org.apache.arrow.vector.types.pojo.Field::getName)
          .as(engine.name()).containsExactly("tag", "id", "day", "note");
    }
    Path empty = dir.resolve("empty");
    java.nio.file.Files.createDirectories(empty.resolve("_temporary"));
    for (Engine engine : engines) { // no data file: no rows, as Spark reads it (DuckDB failed)
      assertThat(engine.read(source(format, empty, "id BIGINT, year STRING")).count())
          .as(engine.name()).isZero();
      assertThatThrownBy(() -> engine.read(source(format, dir.resolve("missing"), "id BIGINT")).count())
          .as(engine.name()).isInstanceOf(EngineException.class);
    }
  }

  @HasArrowSparkSchema
  record Yearly(int id, Integer year, String note) {}

  /**
   * Files that hold a column named as their partition directories ({@code year=2024/} holding a
   * {@code year} of 1999): Parquet and JSON read the directory's value on both engines, as Spark
   * reads them (by name); CSV, read by position, is refused on both, naming the column, where
   * plain Spark reads the fields into the wrong columns without a word (the Spark engine failed
   * in a task, in Spark's words).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"parquet", "csv", "json"})
  void aColumnOfTheFilesNamedAsTheirPartitionDirectoriesReadsAsOnSpark(String format) throws Exception {
    List<Engine> engines = engines("UTC");
    Path path = dir.resolve("yearly");
    Path partition = java.nio.file.Files.createDirectories(path.resolve("year=2024"));
    if (format.equals("parquet")) {
      parquetFile(partition, "part-0", "SELECT 1 AS id, 1999 AS year, 'x' AS note");
    } else {
      java.nio.file.Files.writeString(partition.resolve("part-0"), format.equals("csv")
          ? "id,year,note\n1,1999,x\n" : "{\"id\": 1, \"year\": 1999, \"note\": \"x\"}\n");
    }
    if (!format.equals("csv")) { // plain Spark reads the directory's value
      assertThat(spark.read().format(format).load(path.toString()).selectExpr("id", "year", "note")
          .collectAsList().toString()).isEqualTo("[[1,2024,x]]");
    }
    for (Engine engine : engines) {
      for (String ddl : List.of("id INT, year INT, note STRING", "id INT, note STRING, year INT")) {
        Source source = source(format, path, ddl);
        if (format.equals("csv")) {
          assertThatThrownBy(() -> engine.read(source).count())
              .as(engine.name() + " " + ddl)
              .isInstanceOf(EngineException.class)
              .hasMessageContaining("has a column 'year', which is also the name of its partition"
                  + " directories (year=...)");
        } else {
          assertThat(engine.read(source).collect(EngineTest_YearlyArrowSchema.INSTANCE))
              .as(engine.name() + " " + ddl).containsExactly(new Yearly(1, 2024, "x"));
        }
      }
    }
  }

  @HasArrowSparkSchema
  record Priced(int id, @ArrowDecimal(precision = 10, scale = 2) BigDecimal amt, Integer qty) {}

  /**
   * Partition values written by other tools, in other spellings, read the same on both engines:
   * a DECIMAL of another scale than declared (Spark alone read {@code amt=-0.5} as DECIMAL(10,2)
   * -0.05, and {@code 1e1} as 0.10), an integer with a sign or leading zeros; an integer that is
   * not one ({@code 1.0}, which DuckDB alone read as 1) fails on both.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"parquet", "csv", "json"})
  void partitionValuesInOtherSpellingsReadTheSameOnBothEngines(String format) throws java.io.IOException {
    List<Engine> engines = engines("UTC");
    Path path = dir.resolve("priced");
    Map<String, Priced> written = new java.util.LinkedHashMap<>();
    written.put("amt=1.50/qty=+7", new Priced(0, new BigDecimal("1.50"), 7));
    written.put("amt=-0.5/qty=-01", new Priced(1, new BigDecimal("-0.50"), -1));
    written.put("amt=1e1/qty=0", new Priced(2, new BigDecimal("10.00"), 0));
    written.put("amt=0.005/qty=__HIVE_DEFAULT_PARTITION__", new Priced(3, new BigDecimal("0.01"), null));
    written.put("amt=__HIVE_DEFAULT_PARTITION__/qty=12", new Priced(4, null, 12));
    written.forEach((directory, priced) -> spark.sql("SELECT " + priced.id() + " AS id")
        .write().option("header", "true").format(format).save(path.resolve(directory).toString()));
    for (Engine engine : engines) {
      assertThat(engine.read(source(format, path, EngineTest_PricedArrowSchema.INSTANCE.sparkDdl()))
          .collect(EngineTest_PricedArrowSchema.INSTANCE)).as(engine.name())
          .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
          .containsExactlyInAnyOrderElementsOf(written.values());
    }
    // A data file beside the partition directories is refused still (Spark would skip it).
    Path stray;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(path)) {
      stray = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
    }
    java.nio.file.Files.copy(stray, path.resolve(stray.getFileName()));
    for (Engine engine : engines) {
      assertThatThrownBy(() -> engine.read(source(format, path, EngineTest_PricedArrowSchema.INSTANCE.sparkDdl())))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining("data file(s) outside the partition directories");
    }
    java.nio.file.Files.delete(path.resolve(stray.getFileName()));
    spark.sql("SELECT 5 AS id").write().option("header", "true").format(format)
        .save(path.resolve("amt=1/qty=1.0").toString());
    for (Engine engine : engines) {
      assertThatThrownBy(() -> engine.read(source(format, path, EngineTest_PricedArrowSchema.INSTANCE.sparkDdl()))
              .collect(EngineTest_PricedArrowSchema.INSTANCE))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining("1.0").hasMessageContaining("qty");
    }
  }

  @HasArrowSparkSchema
  record Stamped(int id, java.time.Instant ts) {}

  /**
   * Spark writes a TIMESTAMP partition value as local time of its session zone, without offset;
   * both engines read it back as that zone's instant, the earlier one in the hour a DST change
   * repeats (DuckDB's own cast of a Parquet partition took the later one).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"parquet", "csv", "json"})
  void timestampPartitionsSparkWroteAreTheSameInstantsOnBothEngines(String format) {
    List<Engine> engines = engines("America/Los_Angeles");
    List<Stamped> stamped = List.of(
        new Stamped(1, java.time.Instant.parse("2024-11-03T08:30:00Z")), // 01:30 PDT, repeated
        new Stamped(2, java.time.Instant.parse("2024-03-10T10:30:00Z")), // after 02:00 was skipped
        new Stamped(3, java.time.Instant.parse("2024-01-05T10:11:12.500Z")));
    Path path = dir.resolve("stamped");
    SparkArrow.createDataFrame(spark, stamped, EngineTest_StampedArrowSchema.INSTANCE)
        .write().partitionBy("ts").option("header", "true").format(format).save(path.toString());
    assertThat(path.resolve("ts=2024-11-03 01%3A30%3A00")).isDirectory();
    for (Engine engine : engines) {
      assertThat(engine.read(source(format, path, "id INT, ts TIMESTAMP"))
          .collect(EngineTest_StampedArrowSchema.INSTANCE)).as(engine.name())
          .containsExactlyInAnyOrderElementsOf(stamped);
    }
  }

  /**
   * A glob path matches the files Spark's globbing matches, on both engines: each name on its own
   * ({@code *}, {@code [0-1]}, {@code {a,b}}), markers and checksums ({@code _SUCCESS}, {@code
   * .crc}) left out, a matched directory's files read; partition directories the glob itself
   * matches give no partition columns (null), as on Spark, and one matched directory reads as the
   * directory does. DuckDB alone read the markers as data files and matched no directory. A
   * matched directory that holds partition directories beside another match fails on both
   * (Spark: "Conflicting directory structures").
   */
  @Test
  void globsMatchTheFilesSparkMatchesOnBothEngines() throws Exception {
    spark.sql("SELECT id, CAST(id % 3 AS INT) AS p FROM range(30)").repartition(3)
        .write().parquet(dir.resolve("plain").toString());
    spark.sql("SELECT id, CAST(id % 3 AS INT) AS p FROM range(30)")
        .write().partitionBy("p").parquet(dir.resolve("parts").toString());
    Map<String, String> globs = new java.util.LinkedHashMap<>();
    globs.put("plain/*", "30 rows, p 0, 1, 2");
    globs.put("plain/*.parquet", "30 rows, p 0, 1, 2");
    globs.put("plain/part-0000[0-1]*", "20 rows, p 0, 1, 2");
    globs.put("plain/part-0000[^2]*", "20 rows, p 0, 1, 2");
    globs.put("parts/p=*", "30 rows, p null");
    globs.put("parts/*", "30 rows, p null");
    globs.put("parts/p=[01]/*.parquet", "20 rows, p null");
    globs.put("pl?in", "30 rows, p 0, 1, 2");
    globs.put("par?s", "30 rows, p 0, 1, 2"); // one root: its partitions, as the directory's
    for (Engine engine : engines("UTC")) {
      for (Map.Entry<String, String> glob : globs.entrySet()) {
        Table table = engine.read(Source.parquet(dir.resolve(glob.getKey()).toString(), "id BIGINT, p INT"));
        table.createView("globbed");
        List<String> ps = new ArrayList<>();
        engine.sql("SELECT DISTINCT CAST(p AS STRING) AS p FROM globbed").collect(EngineTest_PArrowSchema.INSTANCE)
            .forEach(row -> ps.add(String.valueOf(row.p())));
        ps.sort(java.util.Comparator.naturalOrder());
        assertThat(table.count() + " rows, p " + String.join(", ", ps))
            .as(engine.name() + ": " + glob.getKey()).isEqualTo(glob.getValue());
      }
      assertThatThrownBy(() -> engine.read(Source.parquet(dir.resolve("{plain,parts}").toString(),
              "id BIGINT, p INT")).count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(engine == duckdb ? "which holds partition directories" : "Conflicting"
              + " directory structures");
    }
  }

  @HasArrowSparkSchema
  record P(String p) {}

  /**
   * A directory that exists with glob characters in its name ({@code data[1]}, {@code a{b,c}},
   * {@code a*b}, {@code a?b}, {@code a\b}) is read and written as it is on both engines. Spark
   * alone took it for a pattern ({@code data[1]} matching {@code data1}, or failing on a
   * neighbour's name), and the DuckDB engine, which read it as it is, took a write beside it
   * for a write over its input. A write over it is still refused; DuckDB cannot write a
   * partitioned table under a backslash, and says so.
   */
  @Test
  void pathsWithGlobCharactersInTheirNamesAreReadAndWrittenAsTheyAre() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("data1"));
    java.nio.file.Files.writeString(dir.resolve("data1/part-0.csv"), "id\n99\n");
    java.nio.file.Files.createDirectories(dir.resolve("colon:x")); // Spark's globbing failed on it
    List<String> names = List.of("data[1]", "a{b,c}", "a*b", "a?b", "a\\b");
    for (String name : names) {
      java.nio.file.Files.createDirectories(dir.resolve(name));
      java.nio.file.Files.writeString(dir.resolve(name).resolve("part-0.csv"), "id\n1\n2\n");
    }
    for (Engine engine : engines("UTC")) {
      for (String name : names) {
        Table table = engine.read(Source.csv(dir.resolve(name).toString(), "id INT"));
        table.createView("named");
        assertThat(engine.sql("SELECT CAST(sum(id) AS STRING) AS p FROM named").collect(EngineTest_PArrowSchema.INSTANCE))
            .as(engine.name() + ": " + name).containsExactly(new P("3"));
        Path out = dir.resolve("out-" + engine.name() + "-" + name);
        table.writeParquet(out.toString());
        assertThat(engine.read(Source.parquet(out.toString(), "id INT")).count())
            .as(engine.name() + ": " + name).isEqualTo(2);
        assertThatThrownBy(() -> table.writeParquet(dir.resolve(name).toString()))
            .as(engine.name() + ": " + name)
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("would replace what the table reads");
      }
      Table pair = engine.sql("SELECT 1 AS id, 'a' AS s");
      Path partitioned = dir.resolve("parts-" + engine.name() + "-a\\b");
      if (engine == duckdb) {
        assertThatThrownBy(() -> pair.writeParquet(partitioned.toString(), "s"))
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("DuckDB takes the backslash in it for a separator");
      } else {
        pair.writeParquet(partitioned.toString(), "s");
        assertThat(engine.read(Source.parquet(partitioned.toString(), "id INT, s STRING")).count())
            .isEqualTo(1);
      }
    }
  }

  /**
   * A directory's files are read whatever their names end with, as Spark lists them ({@code .txt},
   * no extension, {@code .csv.gz}); names starting with {@code _} or {@code .} and files still
   * being copied ({@code ._COPYING_}) are skipped on both. DuckDB alone read only the files of
   * the format's extension: rows were missing without a word. A file compressed by a codec DuckDB
   * cannot read is refused there, naming it (Spark reads it).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"csv", "json"})
  void filesOfAnyNameAreReadAsSparkListsThem(String format) throws Exception {
    Path files = java.nio.file.Files.createDirectories(dir.resolve("names-" + format));
    java.util.function.IntFunction<String> text =
        id -> format.equals("csv") ? "id\n" + id + "\n" : "{\"id\": " + id + "}\n";
    java.nio.file.Files.writeString(files.resolve("a." + format), text.apply(1));
    java.nio.file.Files.writeString(files.resolve("b.txt"), text.apply(2));
    java.nio.file.Files.writeString(files.resolve("c"), text.apply(3));
    try (var gzip = new java.util.zip.GZIPOutputStream(
        java.nio.file.Files.newOutputStream(files.resolve("d." + format + ".gz")))) {
      gzip.write(text.apply(4).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    java.nio.file.Files.writeString(files.resolve("e." + format + "._COPYING_"), text.apply(5));
    java.nio.file.Files.writeString(files.resolve("_f." + format), text.apply(6));
    java.nio.file.Files.writeString(files.resolve(".g." + format), text.apply(7));
    for (Engine engine : engines("UTC")) {
      engine.read(source(format, files, "id INT")).createView("named");
      Path out = dir.resolve("names-" + format + "-" + engine.name());
      engine.sql("SELECT id FROM named ORDER BY id").writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).orderBy("id").collectAsList().toString())
          .as(engine.name()).isEqualTo("[[1], [2], [3], [4]]");
    }
    java.nio.file.Files.write(files.resolve("h." + format + ".bz2"), new byte[] {'B', 'Z', 'h', '9'});
    assertThatThrownBy(() -> duckdb.read(source(format, files, "id INT")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("h." + format + ".bz2 is compressed with a codec the DuckDB engine"
            + " cannot read (.bz2): decompress it, or write the files with gzip or zstd");
  }

  /**
   * Directories that Spark's partition discovery refuses are refused on both engines, with what
   * to do; files beside the partitions, which Spark would skip, too. DuckDB alone would read some
   * of them (partitions named in another order) and refuse others in its own words.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"parquet", "csv", "json"})
  void partitionLayoutsSparkRefusesOrWouldSkipAreRefusedOnBothEngines(String format) {
    List<Engine> engines = engines("UTC");
    Map<String, List<String>> layouts = new java.util.LinkedHashMap<>();
    layouts.put("beside", List.of("year=2020", "")); // a file in the root beside a partition
    layouts.put("deeper", List.of("a=1", "a=1/b=2")); // files in a partition and below it
    layouts.put("renamed", List.of("year=2020", "day=3")); // two names at one level
    layouts.put("unpartitioned", List.of("year=2020", "other")); // two table roots
    layouts.put("reordered", List.of("a=1/b=2", "b=3/a=4"));
    Map<String, String> messages = Map.of(
        "beside", "1 data file(s) outside the partition directories [year], for example ",
        "deeper", "Conflicting partition column names",
        "renamed", "Conflicting partition column names",
        "unpartitioned", "Conflicting directory structures",
        "reordered", "Conflicting partition column names");
    for (Map.Entry<String, List<String>> layout : layouts.entrySet()) {
      Path path = dir.resolve(layout.getKey());
      List<IdNote> records = List.of(new IdNote(1, "x"));
      for (String partition : layout.getValue()) {
        SparkArrow.createDataFrame(spark, records, EngineTest_IdNoteArrowSchema.INSTANCE)
            .write().mode("append").option("header", "true").format(format)
            .save(path.resolve(partition).toString());
      }
      StringBuilder ddl = new StringBuilder("id BIGINT, note STRING"); // and the partitions
      layout.getValue().stream().flatMap(partition -> java.util.Arrays.stream(partition.split("/")))
          .filter(name -> name.contains("=")).map(name -> name.substring(0, name.indexOf('=')))
          .distinct().forEach(name -> ddl.append(", ").append(name).append(" INT"));
      for (Engine engine : engines) {
        assertThatThrownBy(() -> engine.read(source(format, path, ddl.toString())).count())
            .as(engine.name() + " " + layout.getKey())
            .isInstanceOf(EngineException.class)
            .hasMessageContaining(layout.getKey())
            .hasMessageContaining(messages.get(layout.getKey()));
      }
    }
    // Partition columns named in two spellings: one column for Spark, refused by DuckDB.
    Path cased = dir.resolve("cased");
    for (String partition : List.of("Year=2020", "year=2021")) {
      SparkArrow.createDataFrame(spark, List.of(new IdNote(1, "x")), EngineTest_IdNoteArrowSchema.INSTANCE)
          .write().option("header", "true").format(format).save(cased.resolve(partition).toString());
    }
    String ddl = "id BIGINT, note STRING, year INT";
    Engine sparkEngine = engines.get(1);
    sparkEngine.read(source(format, cased, ddl)).createView("cased");
    assertThat(sparkEngine.sql("SELECT * FROM cased WHERE year IS NOT NULL").count()).isEqualTo(2);
    assertThatThrownBy(() -> duckdb.read(source(format, cased, ddl)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("[Year] and [year]")
        .hasMessageContaining("differ in case only");
    // The connection is still usable.
    assertThat(duckdb.read(source(format, dir.resolve("beside/year=2020"), "id BIGINT, note STRING")).count())
        .isEqualTo(1);
  }

  private static Source source(String format, Path path, String ddl) {
    return switch (format) {
      case "parquet" -> Source.parquet(path.toString(), ddl);
      case "csv" -> Source.csv(path.toString(), ddl);
      default -> Source.json(path.toString(), ddl);
    };
  }

  /**
   * A CSV header of other names, or in another order, than the declared columns is refused on both
   * engines (both read CSV by position, and Spark's default only logs it, then reads the values
   * under other columns' names); names in another case, quoted, after a byte order mark, before a
   * CRLF, read. Every file's header counts: DuckDB checks them up front, Spark as it reads each.
   */
  @Test
  void aCsvHeaderThatDoesNotNameTheDeclaredColumnsIsRefusedOnBothEngines() throws java.io.IOException {
    List<Engine> engines = engines("UTC");
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("note,id\nx,1\n", "Expected: id but found: note");
    refused.put(" id,note\n1,x\n", "Expected: id but found:  id");
    refused.put("id,comment\n1,x\n", "Expected: note but found: comment");
    List<String> read = List.of("ID,Note\n1,x\n", "\uFEFF\"id\",\"note\"\r\n1,x\r\n");
    int n = 0;
    for (Map.Entry<String, String> csv : refused.entrySet()) {
      for (boolean alone : List.of(true, false)) { // the file alone, or after one that conforms
        Path files = java.nio.file.Files.createDirectories(dir.resolve("header-" + n++));
        if (!alone) {
          java.nio.file.Files.writeString(files.resolve("a.csv"), "id,note\n2,y\n");
        }
        java.nio.file.Files.writeString(files.resolve("b.csv"), csv.getKey());
        for (Engine engine : engines) {
          // The file alone: up front; after another, on Spark when it reads that file.
          assertThatThrownBy(() -> {
                Table table = engine.read(Source.csv(files.toString(), EngineTest_IdNoteArrowSchema.INSTANCE));
                if (!alone) {
                  table.collect(EngineTest_IdNoteArrowSchema.INSTANCE);
                }
              })
              .as(engine.name() + " " + csv.getKey() + (alone ? "" : ", second"))
              .isInstanceOf(EngineException.class)
              .hasMessageContaining("CSV header does not conform to the schema.")
              .hasMessageContaining(csv.getValue());
        }
      }
    }
    for (String csv : read) {
      Path files = java.nio.file.Files.createDirectories(dir.resolve("header-" + n++));
      java.nio.file.Files.writeString(files.resolve("a.csv"), csv);
      for (Engine engine : engines) {
        assertThat(engine.read(Source.csv(files.toString(), EngineTest_IdNoteArrowSchema.INSTANCE))
            .collect(EngineTest_IdNoteArrowSchema.INSTANCE)).as(engine.name() + " " + csv)
            .containsExactly(new IdNote(1, "x"));
        // Without a header, the first line is data: it fails as a value, not as a header.
        assertThat(engine.read(Source.csv(files.toString(), EngineTest_IdNoteArrowSchema.INSTANCE)
            .withHeader(false)).schema().getFields()).hasSize(2);
      }
    }
  }

  /**
   * CSV is read by position, so a declared schema of another number of columns than the files'
   * fields is refused up front on both engines, in the same words; without it Spark's count would
   * not parse the lines and count them, and DuckDB would fail in its own words.
   */
  @Test
  void csvOfAnotherNumberOfFieldsThanDeclaredIsRefusedUpFrontOnBothEngines() throws java.io.IOException {
    List<Engine> engines = engines("UTC");
    List<IdNote> records = List.of(new IdNote(1, "x"), new IdNote(2, null));
    Path flat = dir.resolve("flat");
    Path partitioned = dir.resolve("partitioned");
    SparkArrow.createDataFrame(spark, records, EngineTest_IdNoteArrowSchema.INSTANCE)
        .write().option("header", "true").csv(flat.toString());
    SparkArrow.createDataFrame(spark, records, EngineTest_IdNoteArrowSchema.INSTANCE)
        .write().option("header", "true").csv(partitioned.resolve("year=2024").toString());
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("id BIGINT", "1 column(s)");
    refused.put("id BIGINT, note STRING, extra INT", "3 column(s)");
    for (Engine engine : engines) {
      for (Map.Entry<String, String> ddl : refused.entrySet()) {
        assertThatThrownBy(() -> engine.read(Source.csv(flat.toString(), ddl.getKey())))
            .as(engine.name() + " " + ddl.getKey())
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("holds 2 field(s), the declared schema " + ddl.getValue())
            .hasMessageContaining("CSV is read by position");
      }
      // Partition columns aside: only the partition declared is no column of the files.
      assertThatThrownBy(() -> engine.read(Source.csv(partitioned.toString(), "year INT")))
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining("holds 2 field(s), the declared schema 0 column(s)");
      assertThat(engine.read(Source.csv(partitioned.toString(), "id BIGINT, year INT, note STRING"))
          .count()).as(engine.name()).isEqualTo(2);
      assertThat(engine.read(Source.csv(flat.toString(), "id BIGINT, note STRING"))
          .collect(EngineTest_IdNoteArrowSchema.INSTANCE)).as(engine.name())
          .containsExactlyInAnyOrderElementsOf(records);
    }
    // Files with no line to count by: nothing to refuse, no rows, on both.
    Path headerOnly = java.nio.file.Files.createDirectories(dir.resolve("header-only"));
    java.nio.file.Files.writeString(headerOnly.resolve("part-0.csv"), "id,note\n");
    Path empty = java.nio.file.Files.createDirectories(dir.resolve("empty-files"));
    java.nio.file.Files.writeString(empty.resolve("part-0.csv"), "");
    for (Engine engine : engines) {
      for (Path path : List.of(headerOnly, empty)) {
        assertThat(engine.read(Source.csv(path.toString(), "id BIGINT, note STRING")).count())
            .as(engine.name() + " " + path.getFileName()).isZero();
      }
    }
  }
}

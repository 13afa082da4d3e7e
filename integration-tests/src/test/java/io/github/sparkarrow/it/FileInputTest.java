package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.it.records.Trip;
import io.github.sparkarrow.it.records.TripArrowReader;
import io.github.sparkarrow.it.records.TripArrowSchema;
import io.github.sparkarrow.it.records.TripFare;
import io.github.sparkarrow.it.records.TripFareArrowSchema;
import io.github.sparkarrow.it.records.TripFareArrowWriter;
import io.github.sparkarrow.runtime.ArrowDataException;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.spark.ArrowMapOptions;
import io.github.sparkarrow.spark.SparkArrow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records with primitive and {@code @NonNull} components over files, whose columns Spark always
 * reads as nullable: accepted, as by Spark's {@code Dataset.as}, and a null that arrives fails the
 * task naming the column, the partition and the row within it.
 */
class FileInputTest {

  private static final int TRIPS = 2_000;
  /** The trip whose passenger count is null in the files with a null. */
  private static final int NULL_AT = 1_234;

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @AfterEach
  void noArrowMemoryOutlivesItsTask() throws InterruptedException {
    SparkTestSession.assertNoArrowMemoryLeft();
    spark.conf().unset("spark.sql.execution.arrow.maxRecordsPerBatch");
  }

  /** Trips in id order, one file, so partition 0 row i is trip i; passengers null at NULL_AT. */
  private Dataset<Row> trips(boolean withNull) {
    return spark
        .range(TRIPS)
        .selectExpr(
            "id AS trip_id",
            "concat('v', CAST(id % 7 AS STRING)) AS vendor",
            (withNull ? "IF(id = " + NULL_AT + ", NULL, CAST(id % 5 + 1 AS INT))"
                : "CAST(id % 5 + 1 AS INT)") + " AS passengers",
            "CAST(id AS DOUBLE) / 8 AS distance",
            "TIMESTAMP '2024-03-10 00:00:00' + make_interval(0, 0, 0, 0, 0, CAST(id AS INT), 0)"
                + " AS pickup",
            "IF(id % 3 = 0, NULL, 'note') AS note")
        .coalesce(1);
  }

  private Dataset<Row> written(String format, boolean withNull) {
    String path = dir.resolve(format + (withNull ? "-null" : "")).toString();
    Dataset<Row> trips = trips(withNull);
    switch (format) {
      case "parquet":
        trips.write().parquet(path);
        return spark.read().parquet(path);
      case "csv":
        trips.write().option("header", "true").csv(path);
        return spark.read().option("header", "true").schema(TripArrowSchema.SPARK_DDL).csv(path);
      default:
        trips.write().json(path);
        return spark.read().schema(TripArrowSchema.SPARK_DDL).json(path);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "csv", "json"})
  void recordsWithPrimitivesReadFilesWhoseColumnsAreNullable(String format) {
    Dataset<Row> input = written(format, false);
    assertThat(input.schema().fields()).allMatch(StructField::nullable);

    Dataset<Row> fares =
        SparkArrow.mapRecords(input, TripArrowSchema.INSTANCE, TripFareArrowSchema.INSTANCE,
            TripFare::of);

    Dataset<Row> expected = input.selectExpr(TripFare.SQL);
    assertThat(fares.count()).isEqualTo(TRIPS);
    assertThat(fares.exceptAll(expected).count()).isZero();
    assertThat(expected.exceptAll(fares).count()).isZero();
    List<Trip> collected = SparkArrow.collect(input, TripArrowSchema.INSTANCE);
    assertThat(collected).hasSize(TRIPS);
    assertThat(collected.get(NULL_AT).passengers()).isEqualTo(NULL_AT % 5 + 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "csv", "json"})
  void aNullThatArrivesFailsTheTaskNamingColumnPartitionAndRow(String format) {
    Dataset<Row> input = written(format, true);
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "500");
    Dataset<Row> fares =
        SparkArrow.mapRecords(input, TripArrowSchema.INSTANCE, TripFareArrowSchema.INSTANCE,
            TripFare::of);

    assertThatThrownBy(fares::count)
        .hasRootCauseInstanceOf(ArrowDataException.class)
        .rootCause()
        .hasMessageStartingWith(
            "Trip.passengers, partition 0, row " + NULL_AT + " (row " + NULL_AT % 500
                + " of its batch): null where the record has NOT NULL")
        .hasMessageContaining("coalesce(col(...), lit(0))");
    assertThatThrownBy(() -> SparkArrow.collect(input, TripArrowSchema.INSTANCE))
        .rootCause()
        .hasMessageStartingWith("Trip.passengers, partition 0, row " + NULL_AT + " ");
    // Rows before the null are fine: a limit that stops before it succeeds.
    assertThat(
            SparkArrow.mapRecords(input.limit(1_000), TripArrowSchema.INSTANCE,
                    TripFareArrowSchema.INSTANCE, TripFare::of)
                .count())
        .isEqualTo(1_000);
  }

  @Test
  void aNullIsCountedWithinItsPartitionAcrossBatchesAndPartitions() {
    // Cached, so that both jobs see the same partitions (range bounds are sampled per job).
    Dataset<Row> input =
        written("parquet", true)
            .repartitionByRange(4, col("trip_id"))
            .sortWithinPartitions("trip_id")
            .cache();
    // Where Spark itself puts the trip: monotonically_increasing_id() is partition << 33 | row.
    long id =
        input.withColumn("at", monotonically_increasing_id())
            .where("trip_id = " + NULL_AT)
            .first()
            .getLong(6);
    long partition = id >>> 33;
    long row = id & ((1L << 33) - 1);
    assertThat(partition).isPositive();
    Dataset<Row> fares =
        SparkArrow.mapBatches(
            input,
            TripArrowSchema.INSTANCE,
            TripFareArrowSchema.INSTANCE,
            (BatchMapper<TripArrowReader, TripFareArrowWriter>)
                (in, out) -> in.forEach(trip -> out.write(TripFare.of(trip))),
            ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(100));
    assertThatThrownBy(fares::count)
        .rootCause()
        .hasMessageStartingWith("Trip.passengers, partition " + partition + ", row " + row
            + " (row " + row % 100 + " of its batch)");
    input.unpersist(true);
  }

  @Test
  void strictNullabilityRejectsNullableColumnsUpFront() {
    Dataset<Row> input = written("parquet", false);
    BatchMapper<TripArrowReader, TripFareArrowWriter> mapper =
        (in, out) -> in.forEach(trip -> out.write(TripFare.of(trip)));
    ArrowMapOptions strict = ArrowMapOptions.DEFAULT.withStrictNullability(true);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.mapBatches(input, TripArrowSchema.INSTANCE,
            TripFareArrowSchema.INSTANCE, mapper, strict))
        .withMessageContaining("'trip_id' may be null in the DataFrame but is NOT NULL in the"
            + " record, and strictNullability is on")
        .withMessageContaining("'vendor' may be null")
        .withMessageContaining("'passengers' may be null")
        .withMessageContaining("'distance' may be null")
        .withMessageNotContaining("'pickup' may")
        .withMessageNotContaining("isNotNull");
    // What strict mode asks for: columns Spark knows to be non-null.
    Dataset<Row> coalesced =
        input.selectExpr("coalesce(trip_id, -1L) AS trip_id", "coalesce(vendor, '') AS vendor",
            "coalesce(passengers, 0) AS passengers", "coalesce(distance, 0D) AS distance",
            "pickup", "note");
    assertThat(SparkArrow.mapBatches(coalesced, TripArrowSchema.INSTANCE,
            TripFareArrowSchema.INSTANCE, mapper, strict).count())
        .isEqualTo(TRIPS);
  }

  /** Orders as JSON lines: NOT NULL fields inside structs, list elements and struct fields. */
  private Dataset<Row> orders(String... lines) throws IOException {
    Path file = dir.resolve("orders-" + lines.length + "-" + lines[lines.length - 1].hashCode() + ".json");
    Files.write(file, List.of(lines));
    return spark.read().schema(OrderArrowSchema.SPARK_DDL).json(file.toString());
  }

  private static String order(long id, String customer, String lines, String shipTo) {
    return order(id, customer, lines, shipTo, "{\"x\": null, \"y\": [{\"sku\": \"y\", \"quantity\": 4}]}");
  }

  private static String order(
      long id, String customer, String lines, String shipTo, String linesBySku) {
    return "{\"order_id\": " + id + ", \"customer\": " + customer + ", \"lines\": " + lines
        + ", \"lines_by_sku\": " + linesBySku + ", \"ship_to\": " + shipTo
        + ", \"placed_at\": \"2024-01-0" + (id % 9 + 1) + "T10:00:00Z\"}";
  }

  private static final String CUSTOMER =
      "{\"customer_id\": 7, \"name\": \"Ada\", \"addresses\": [{\"street\": \"s\", \"city\": \"c\","
          + " \"zip\": 1}, null]}";

  @Test
  void nestedNotNullFieldsReadFromJson() throws IOException {
    // A null struct (ship_to, customer.addresses[1]) whose fields are NOT NULL holds no value:
    // fine. So do a null list (lines) and a null map value (lines_by_sku{x}).
    Dataset<Row> orders =
        orders(
            order(1, CUSTOMER, "[{\"sku\": \"a\", \"quantity\": 2, \"unit_price\": 1.50}]",
                "{\"street\": \"s\", \"city\": \"c\", \"zip\": 9}"),
            order(2, CUSTOMER, "null", "null"),
            order(3, CUSTOMER, "[]", "null"),
            order(4, CUSTOMER, "[{\"sku\": \"b\", \"quantity\": 3, \"unit_price\": null},"
                + " {\"sku\": null, \"quantity\": 1, \"unit_price\": 2.25}]", "null"));
    Dataset<Row> totals =
        SparkArrow.mapRecords(orders, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            OrderTotal::of);
    Dataset<Row> expected = orders.selectExpr(OrderTotal.SQL);
    assertThat(totals.exceptAll(expected).count()).isZero();
    assertThat(expected.exceptAll(totals).count()).isZero();
    List<Order> collected = SparkArrow.collect(orders, OrderArrowSchema.INSTANCE);
    assertThat(collected).extracting(Order::orderId).containsExactly(1L, 2L, 3L, 4L);
    assertThat(collected.get(0).customer().addresses().get(1)).isNull();
  }

  @Test
  void nestedNullsFailNamingThePath() throws IOException {
    String good = order(1, CUSTOMER, "[]", "null");
    assertNestedNull(
        orders(good, order(2, CUSTOMER,
            "[{\"sku\": \"a\", \"quantity\": 1}, {\"sku\": \"b\", \"quantity\": null}]", "null")),
        "Order.lines[].quantity, partition 0, row 1 ");
    assertNestedNull(
        orders(good, good, order(3, CUSTOMER, "[null]", "null")),
        "Order.lines[], partition 0, row 2 ");
    assertNestedNull(orders(good, order(2, "null", "[]", "null")), "Order.customer, partition 0, row 1 ");
    assertNestedNull(
        orders(order(5, "{\"name\": \"no id\"}", "[]", "null")),
        "Order.customer.customer_id, partition 0, row 0 ");
    assertNestedNull(
        orders(good, order(2, CUSTOMER, "[]", "{\"street\": \"s\"}")),
        "Order.ship_to.zip, partition 0, row 1 ");
    assertNestedNull(
        orders(good, good, good, order(4, CUSTOMER, "[]", "null",
            "{\"x\": null, \"y\": [{\"sku\": \"y\", \"quantity\": 4}, {\"quantity\": null}]}")),
        "Order.lines_by_sku{value}[].quantity, partition 0, row 3 ");
  }

  /**
   * Orders as JSON lines read with their struct fields (at every depth) sorted by name, as
   * Spark's JSON schema inference orders them: not the record's order.
   */
  private Dataset<Row> sortedOrders(String... lines) throws IOException {
    Path file = dir.resolve("sorted-" + lines.length + "-" + lines[lines.length - 1].hashCode() + ".json");
    Files.write(file, List.of(lines));
    return spark.read().schema((StructType) sorted(orders(lines).schema())).json(file.toString());
  }

  private static DataType sorted(DataType type) {
    if (type instanceof StructType struct) {
      return new StructType(Arrays.stream(struct.fields())
          .map(f -> new StructField(f.name(), sorted(f.dataType()), f.nullable(), f.metadata()))
          .sorted(Comparator.comparing(StructField::name))
          .toArray(StructField[]::new));
    } else if (type instanceof ArrayType array) {
      return new ArrayType(sorted(array.elementType()), array.containsNull());
    } else if (type instanceof MapType map) {
      return new MapType(sorted(map.keyType()), sorted(map.valueType()), map.valueContainsNull());
    }
    return type;
  }

  @Test
  void structFieldsInAnotherOrderAreReadByName() throws IOException {
    String[] lines = {
        order(1, CUSTOMER, "[{\"sku\": \"a\", \"quantity\": 2, \"unit_price\": 1.50}]",
            "{\"street\": \"s\", \"city\": \"c\", \"zip\": 9}"),
        order(2, CUSTOMER, "null", "null"),
        order(4, CUSTOMER, "[{\"sku\": \"b\", \"quantity\": 3, \"unit_price\": null},"
            + " {\"sku\": null, \"quantity\": 1, \"unit_price\": 2.25}]", "null")};
    Dataset<Row> inOrder = orders(lines);
    Dataset<Row> sorted = sortedOrders(lines);
    assertThat(sorted.schema().apply("customer").dataType().simpleString())
        .isEqualTo("struct<addresses:array<struct<city:string,street:string,zip:int>>,customer_id:bigint,name:string>");
    List<Order> expected = SparkArrow.collect(inOrder, OrderArrowSchema.INSTANCE);

    assertThat(SparkArrow.collect(sorted, OrderArrowSchema.INSTANCE)).isEqualTo(expected);
    Dataset<Row> totals = SparkArrow.mapRecords(sorted, OrderArrowSchema.INSTANCE,
        OrderTotalArrowSchema.INSTANCE, OrderTotal::of);
    Dataset<Row> expectedTotals = inOrder.selectExpr(OrderTotal.SQL);
    assertThat(totals.exceptAll(expectedTotals).count()).isZero();
    assertThat(expectedTotals.exceptAll(totals).count()).isZero();
    // Parquet keeps the sorted order: read back without a schema, it is the file's.
    String parquet = dir.resolve("sorted-orders").toString();
    sorted.write().parquet(parquet);
    assertThat(SparkArrow.collect(spark.read().parquet(parquet), OrderArrowSchema.INSTANCE))
        .containsExactlyInAnyOrderElementsOf(expected);
    // A null under a NOT NULL field is still named by the record's path.
    String good = order(1, CUSTOMER, "[]", "null");
    assertNestedNull(sortedOrders(good, order(2, CUSTOMER, "[]", "{\"street\": \"s\"}")),
        "Order.ship_to.zip, partition 0, row 1 ");
    // A field the record has and the struct has not: up front.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.collect(sorted.withColumn("ship_to", functions.struct(
            col("ship_to.city").as("city"), col("ship_to.street").as("street"))), OrderArrowSchema.INSTANCE))
        .withMessageContaining("'ship_to.zip' (INT NOT NULL) is missing: 'ship_to' is STRUCT<");
  }

  private static void assertNestedNull(Dataset<Row> orders, String message) {
    Function<Dataset<Row>, Long> run =
        df -> SparkArrow.mapRecords(df, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
                OrderTotal::of).count();
    assertThatThrownBy(() -> run.apply(orders))
        .rootCause()
        .isInstanceOf(ArrowDataException.class)
        .hasMessageStartingWith(message);
    Iterator<Order> records = SparkArrow.toLocalIterator(orders, OrderArrowSchema.INSTANCE);
    assertThatThrownBy(() -> records.forEachRemaining(o -> {}))
        .rootCause()
        .hasMessageStartingWith(message);
  }
}

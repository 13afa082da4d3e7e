package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowReader;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.it.records.OrderTotalArrowWriter;
import io.github.sparkarrow.it.records.Trip;
import io.github.sparkarrow.it.records.TripArrowSchema;
import io.github.sparkarrow.runtime.ArrowDataException;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch-function tests that run on Spark, on the DuckDB engine: identity, computing,
 * flat-map, empty input, a failure at batch k, nulls where the record has NOT NULL, over streams
 * of many batches; and how the engine runs them: only on actions, fused with no table between,
 * by name after a function of another shape. Every one leaves 0 bytes of Arrow memory and a
 * usable connection.
 */
class DuckDbFunctionsTest {

  /** {@link OrderTotal#SQL} in DuckDB's SQL. */
  static final String TOTALS_SQL =
      "SELECT order_id, CAST(coalesce(len(lines), 0) AS INTEGER) AS line_count,"
          + " CAST(coalesce(list_sum(list_transform(lines,"
          + " lambda l: coalesce(CAST(l.unit_price AS DECIMAL(38,2)) * l.quantity, 0))), 0)"
          + " AS DECIMAL(38,2)) AS total,"
          + " placed_at FROM orders";

  private DuckDbEngine duckdb;
  private boolean leaks;

  @AfterEach
  void nothingLeaksAndTheConnectionStillWorks() {
    assertThat(duckdb.sql("SELECT 41 + 1 AS answer").count()).isEqualTo(1);
    if (leaks) {
      assertThat(duckdb.allocatedBytes()).isPositive();
      assertThatThrownBy(duckdb::close).isInstanceOf(IllegalStateException.class); // the leak stays
      return;
    }
    assertThat(duckdb.allocatedBytes()).isZero();
    duckdb.close(); // fails on leaked Arrow memory
  }

  private Table orders(int batchSize, int count) {
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), batchSize);
    return duckdb.fromRecords(OrderArrowSchema.INSTANCE, RandomRecords.orders(count, 7)).createView("orders");
  }

  @ParameterizedTest(name = "batches of {0}")
  @ValueSource(ints = {1, 7, 10_000})
  void computingFunctionAgreesWithJavaAndDuckDbSql(int batchSize) {
    List<Order> orders = RandomRecords.orders(batchSize == 1 ? 100 : batchSize == 7 ? 700 : 5_000, 7);
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), batchSize);
    Table table = duckdb.fromRecords(OrderArrowSchema.INSTANCE, orders).createView("orders");
    List<OrderTotal> expected = orders.stream().map(OrderTotal::of).toList();

    List<OrderTotal> byRecords =
        table.mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE, OrderTotal::of)
            .collect(OrderTotalArrowSchema.INSTANCE);
    List<OrderTotal> byBatches =
        table.mapBatches(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
                (OrderArrowReader in, OrderTotalArrowWriter out) -> {
                  for (int row = 0; row < in.rowCount(); row++) {
                    out.write(OrderTotal.of(in.get(row)));
                  }
                })
            .collect(OrderTotalArrowSchema.INSTANCE);
    List<OrderTotal> bySql = duckdb.sql(TOTALS_SQL).collect(OrderTotalArrowSchema.INSTANCE);

    // A worker per core, as Spark runs a partition per core: every row, in no particular order.
    EngineTest.assertSameRecords("mapRecords", byRecords, expected);
    EngineTest.assertSameRecords("mapBatches", byBatches, expected);
    EngineTest.assertSameRecords("DuckDB SQL", bySql, expected);
  }

  @Test
  void identityOverEveryTypeInManyBatches() {
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), 7);
    for (ArrowTestSupport.Case c : List.of(ArrowTestSupport.cases().get(8), EngineTest.MOMENTS)) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      List<Record> back = duckdb.fromRecords((io.github.sparkarrow.runtime.ArrowRecordType) c.type(), (List) c.records(100, 3))
          .mapRecords((io.github.sparkarrow.runtime.ArrowRecordType) c.type(), (io.github.sparkarrow.runtime.ArrowRecordType) c.type(), r -> r)
          .collect((io.github.sparkarrow.runtime.ArrowRecordType) c.type());
      EngineTest.assertSameRecords(c.name(), back, c.records(100, 3));
    }
  }

  @Test
  void flatMapDropsAndRepeatsRows() {
    List<Order> orders = RandomRecords.orders(500, 7);
    Table table = orders(16, 500);
    List<OrderTotal> totals =
        table.flatMapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
                order -> order.orderId() % 2 == 0
                    ? List.of(OrderTotal.of(order), OrderTotal.of(order)).iterator()
                    : java.util.Collections.emptyIterator())
            .collect(OrderTotalArrowSchema.INSTANCE);
    long even = orders.stream().filter(o -> o.orderId() % 2 == 0).count();
    assertThat(totals).hasSize((int) (2 * even));
    assertThat(totals).allMatch(t -> t.orderId() % 2 == 0);
  }

  @Test
  void emptyInput() {
    Table table = orders(16, 0);
    assertThat(table.mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE, OrderTotal::of)
        .collect(OrderTotalArrowSchema.INSTANCE)).isEmpty();
    assertThat(duckdb.sql("SELECT * FROM orders WHERE order_id < 0 AND order_id > 0")
        .mapInArrow(table.schema(), BatchFunctions.delayEach(0)).count()).isZero();
  }

  @Test
  void rawBatchFunctionOverManyBatches() throws java.sql.SQLException {
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), 100);
    Schema out = new Schema(List.of(Field.notNullable("doubled", new ArrowType.Int(64, true))));
    Table doubled = duckdb.range(100_000).mapInArrow(out, BatchFunctions::doubleIds);
    assertThat(duckdb.sql("SELECT 1").count()).isEqualTo(1);
    doubled.createView("doubled");
    try (java.sql.Statement statement = duckdb.connection().createStatement();
        java.sql.ResultSet rs = statement.executeQuery(
            "SELECT count(*), sum(doubled), count(DISTINCT doubled) FROM doubled")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(100_000);
      assertThat(rs.getLong(2)).isEqualTo(9_999_900_000L);
      assertThat(rs.getLong(3)).isEqualTo(100_000);
    }
  }

  @Test
  void anExceptionAtBatchKIsTheCauseAndFreesEverything() {
    Table table = orders(10, 200);
    Table failing = table.mapInArrow(table.schema(), BatchFunctions.failAtBatch(3)); // runs on an action
    assertThatThrownBy(failing::count)
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("duckdb: mapInArrow failed")
        .rootCause().isInstanceOf(IllegalStateException.class).hasMessage("boom at batch 3");
    assertThatThrownBy(() -> table.mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            order -> {
              if (order.lines() != null && order.lines().size() == 3) {
                throw new IllegalArgumentException("three lines in order " + order.orderId());
              }
              return OrderTotal.of(order);
            }).collect(OrderTotalArrowSchema.INSTANCE))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("mapRecords(Order -> OrderTotal) failed")
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("three lines in order");
  }

  @Test
  void aFunctionReadsItsInputAsDuckDbMakesItNotAfterTheWholeQuery() {
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), 1_000);
    // A query that fails at its 50 millionth row, under a function that stops at its second batch:
    // streamed, the query never gets that far (DuckDB reads ahead by well under 2 million rows).
    // Held whole first (the JDBC driver's default), it would run to the end, and fail there,
    // before the function saw a batch.
    String query = "SELECT CASE WHEN range < 50000000 THEN range"
        + " ELSE error('the query ran past what the function read') END AS id FROM range(100000000)";
    Table ids = duckdb.sql(query);
    assertThatThrownBy(() -> ids.mapInArrow(ids.schema(), BatchFunctions.failAtBatch(2)).count())
        .isInstanceOf(EngineException.class)
        .rootCause().isInstanceOf(IllegalStateException.class).hasMessage("boom at batch 2");
    assertThatThrownBy(() -> { // run to its end, the query does fail
      try (java.sql.Statement statement = duckdb.connection().createStatement()) {
        statement.executeQuery("SELECT max(id) FROM (" + query + ")").close();
      }
    }).hasMessageContaining("the query ran past what the function read");
  }

  @Test
  void aWriteWhoseFunctionFailsLeavesNoFile(@TempDir java.nio.file.Path dir) {
    Table table = orders(10, 200);
    java.nio.file.Path out = dir.resolve("out");
    assertThatThrownBy(() -> table.mapInArrow(table.schema(), BatchFunctions.failAtBatch(5))
            .writeParquet(out.toString()))
        .isInstanceOf(EngineException.class)
        .rootCause().hasMessage("boom at batch 5");
    assertThat(out).doesNotExist();
    table.writeParquet(out.toString()); // and the connection writes the next one
    assertThat(duckdb.sql("SELECT * FROM read_parquet('" + out.resolve("part-00000.parquet") + "')")
        .count()).isEqualTo(200);
  }

  @Test
  void aFunctionThatLeaksFailsNamingTheLeak() {
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), 100);
    leaks = true;
    Table ids = duckdb.range(1_000);
    assertThatThrownBy(() -> ids.mapInArrow(ids.schema(), (batches, context) -> {
          org.apache.arrow.vector.BigIntVector forgotten =
              new org.apache.arrow.vector.BigIntVector("forgotten", context.allocator());
          forgotten.allocateNew(10);
          return batches;
        }).count())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("mapInArrow failed")
        .hasMessageContaining("Arrow memory still allocated when the task ended")
        .hasMessageContaining("must be closed by it");
  }

  @Test
  void aNullWhereTheRecordHasNotNullNamesColumnAndRow() {
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), 64);
    Table trips = duckdb.sql("SELECT range AS trip_id, 'v' AS vendor,"
        + " CASE WHEN range = 700 THEN NULL ELSE CAST(range % 4 AS INTEGER) END AS passengers,"
        + " 1.5::DOUBLE AS distance, TIMESTAMPTZ '2024-01-01 00:00:00+00' AS pickup, NULL::VARCHAR AS note"
        + " FROM range(1000)");
    assertThatThrownBy(() -> trips.mapRecords(TripArrowSchema.INSTANCE, TripArrowSchema.INSTANCE, t -> t).count())
        .isInstanceOf(EngineException.class)
        .cause().isInstanceOf(ArrowDataException.class)
        .hasMessageContaining("Trip.passengers")
        .hasMessageContaining("row 700");
    assertThatThrownBy(() -> trips.collect(TripArrowSchema.INSTANCE))
        .hasMessageContaining("Trip.passengers");
    List<Trip> fine = duckdb.sql("SELECT * FROM (" + "SELECT range AS trip_id, 'v' AS vendor,"
            + " CAST(range % 4 AS INTEGER) AS passengers, 1.5::DOUBLE AS distance,"
            + " TIMESTAMPTZ '2024-01-01 00:00:00+00' AS pickup, NULL::VARCHAR AS note FROM range(10))")
        .mapRecords(TripArrowSchema.INSTANCE, TripArrowSchema.INSTANCE, t -> t)
        .collect(TripArrowSchema.INSTANCE);
    assertThat(fine).hasSize(10).extracting(Trip::passengers).contains(0, 1, 2, 3);
  }

  /** A record of two of {@link OrderTotal}'s columns, in another order. */
  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record LineCount(int lineCount, long orderId) {}

  @Test
  void functionsRunWhenAnActionReadsThemFusedWithNoTableBetween() {
    List<Order> orders = RandomRecords.orders(500, 7);
    Table table = orders(16, 500);
    AtomicLong first = new AtomicLong();
    AtomicLong second = new AtomicLong();
    Table totals = table
        .mapRecords(OrderArrowSchema.INSTANCE, OrderArrowSchema.INSTANCE, order -> {
          first.incrementAndGet();
          return order;
        })
        .mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE, order -> {
          second.incrementAndGet();
          return OrderTotal.of(order);
        });
    assertThat(first).hasValue(0); // lazy, as on Spark
    long tables = engineTables();

    EngineTest.assertSameRecords("fused", totals.collect(OrderTotalArrowSchema.INSTANCE),
        orders.stream().map(OrderTotal::of).toList());
    assertThat(first).hasValue(500);
    assertThat(second).hasValue(500);
    assertThat(engineTables()).as("no DuckDB table between the functions").isEqualTo(tables);

    assertThat(totals.count()).isEqualTo(500); // each action runs them again, as on Spark
    assertThat(second).hasValue(1_000);

    Table kept = totals.createView("totals"); // kept as a DuckDB table: runs them once more
    assertThat(second).hasValue(1_500);
    assertThat(engineTables()).isEqualTo(tables + 1);
    assertThat(preserveInsertionOrder()).as("the setting the store lifts is back").isTrue();
    assertThat(kept.count()).isEqualTo(500);
    assertThat(duckdb.sql("SELECT * FROM totals WHERE line_count > 0").count())
        .isEqualTo(orders.stream().filter(o -> o.lines() != null && !o.lines().isEmpty()).count());
    assertThat(second).hasValue(1_500);
  }

  @Test
  void aFunctionAfterOneOfAnotherShapeReadsItsColumnsByNameAndStaysLazy() {
    List<Order> orders = RandomRecords.orders(300, 7);
    Table table = orders(16, 300);
    AtomicLong first = new AtomicLong();
    Table totals = table.mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE, order -> {
      first.incrementAndGet();
      return OrderTotal.of(order);
    });
    long tables = engineTables();
    AtomicLong tablesWhileRunning = new AtomicLong(-1);
    Table counts = totals.mapRecords(DuckDbFunctionsTest_LineCountArrowSchema.INSTANCE,
        DuckDbFunctionsTest_LineCountArrowSchema.INSTANCE, c -> {
          if (tablesWhileRunning.get() == -1) {
            tablesWhileRunning.compareAndSet(-1, engineTablesFromAnotherConnection());
          }
          return new LineCount(c.lineCount() * 2, c.orderId());
        });
    // A raw function after a typed one: it reads the batches DuckDB would give (order_id first),
    // which are the typed function's own, so it runs fused too.
    AtomicLong tablesWhileRaw = new AtomicLong(-1);
    Schema doubled = new Schema(List.of(Field.notNullable("doubled", new ArrowType.Int(64, true))));
    Table ids = totals.mapInArrow(doubled, (batches, context) -> {
      tablesWhileRaw.compareAndSet(-1, engineTablesFromAnotherConnection());
      return BatchFunctions.doubleIds(batches, context);
    });
    assertThat(first).as("nothing runs before an action").hasValue(0);

    EngineTest.assertSameRecords("by name", counts.collect(DuckDbFunctionsTest_LineCountArrowSchema.INSTANCE),
        orders.stream().map(OrderTotal::of).map(t -> new LineCount(t.lineCount() * 2, t.orderId())).toList());
    assertThat(first).hasValue(300);
    assertThat(tablesWhileRunning).as("fused: no DuckDB table between the functions").hasValue(tables);
    assertThat(ids.count()).isEqualTo(300);
    assertThat(first).hasValue(600);
    assertThat(tablesWhileRaw).as("fused: no DuckDB table before the raw function").hasValue(tables);
    assertThat(engineTables()).as("the tables the actions kept are gone").isEqualTo(tables);
    ids.createView("doubled_ids");
    assertThat(((Number) queryOne("SELECT sum(doubled) FROM doubled_ids")).longValue())
        .isEqualTo(2 * orders.stream().mapToLong(Order::orderId).sum());
    // Fused, a raw function's batches are still checked against what it declares.
    Schema declaredInt = new Schema(List.of(Field.notNullable("doubled", new ArrowType.Int(32, true))));
    assertThatThrownBy(() -> totals.mapInArrow(declaredInt, BatchFunctions::doubleIds)
            .mapInArrow(doubled, BatchFunctions::doubleIds).count())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("the batch does not have the schema of the declared output of mapInArrow")
        .hasMessageContaining("doubled");
    assertThat(duckdb.allocatedBytes()).isZero();

    // The first function's output does not fit the second's record: up front, before anything runs.
    assertThatThrownBy(() -> table
            .mapRecords(OrderArrowSchema.INSTANCE, DuckDbFunctionsTest_LineCountArrowSchema.INSTANCE,
                o -> new LineCount(0, o.orderId()))
            .mapRecords(OrderTotalArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE, t -> t))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("does not fit " + OrderTotal.class.getName())
        .hasMessageContaining("total");
  }

  /** Three of {@link Order}'s columns, nested ones among them, in another order. */
  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record OrderShape(
      java.util.Map<String, List<Order.Line>> linesBySku, long orderId, java.util.Optional<io.github.sparkarrow.it.records.Address> shipTo) {}

  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record Id(long id) {}

  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record MaybeValue(long id, Integer value) {}

  @HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
  record SureValue(int value) {}

  @Test
  void columnsPickedByNameFromAnotherFunctionKeepNestingAndNullChecks() {
    List<Order> orders = RandomRecords.orders(300, 7);
    Table table = orders(16, 300);
    Table shapes = table
        .mapRecords(OrderArrowSchema.INSTANCE, OrderArrowSchema.INSTANCE, order -> order)
        .mapRecords(DuckDbFunctionsTest_OrderShapeArrowSchema.INSTANCE,
            DuckDbFunctionsTest_OrderShapeArrowSchema.INSTANCE, shape -> shape);
    EngineTest.assertSameRecords("nested, picked by name",
        shapes.collect(DuckDbFunctionsTest_OrderShapeArrowSchema.INSTANCE),
        orders.stream().map(o -> new OrderShape(o.linesBySku(), o.orderId(), o.shipTo())).toList());

    // A nullable column read by a NOT NULL component: checked per value, the row of the whole input.
    Table values = duckdb.range(1_000)
        .mapRecords(DuckDbFunctionsTest_IdArrowSchema.INSTANCE, DuckDbFunctionsTest_MaybeValueArrowSchema.INSTANCE,
            id -> new MaybeValue(id.id(), id.id() == 700 ? null : (int) id.id()))
        .mapRecords(DuckDbFunctionsTest_SureValueArrowSchema.INSTANCE,
            DuckDbFunctionsTest_SureValueArrowSchema.INSTANCE, v -> v);
    assertThatThrownBy(values::count)
        .isInstanceOf(EngineException.class)
        .cause().isInstanceOf(ArrowDataException.class)
        .hasMessageContaining("SureValue.value")
        .hasMessageContaining("row 700");
  }

  private boolean preserveInsertionOrder() {
    return (Boolean) queryOne("SELECT current_setting('preserve_insertion_order')");
  }

  private long engineTables() {
    return engineTables(duckdb.connection());
  }

  /** The engine's tables, seen from another connection (the engine's is busy while functions run). */
  private long engineTablesFromAnotherConnection() {
    try (java.sql.Connection other = duckdb.connection().unwrap(org.duckdb.DuckDBConnection.class).duplicate()) {
      return engineTables(other);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long engineTables(java.sql.Connection connection) {
    try (java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rs = statement.executeQuery(
            "SELECT count(*) FROM duckdb_tables() WHERE starts_with(table_name, '__sparkarrow_')")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The one value {@code sql} returns, through the engine's own connection. */
  private Object queryOne(String sql) {
    try (java.sql.Statement statement = duckdb.connection().createStatement();
        java.sql.ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

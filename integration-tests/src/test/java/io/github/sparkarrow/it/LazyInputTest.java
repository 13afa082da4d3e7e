package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.spark.SparkArrow;
import io.github.sparkarrow.spark.SparkEngine;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch function's input runs with the action that reads the function's output, as Spark's own
 * {@code mapInArrow} and the DuckDB engine run it, not when the function is applied: Spark's
 * adaptive execution runs the shuffle stages of a plan when the plan is executed, and the input
 * was executed at once.
 */
class LazyInputTest {

  private final SparkSession spark = SparkTestSession.get();

  /** Rows the input's map stage has read (local mode: the executors are this JVM). */
  static final AtomicLong READ = new AtomicLong();

  @TempDir Path dir;

  @AfterEach
  void noArrowMemoryOutlivesItsTask() throws InterruptedException {
    SparkTestSession.assertNoArrowMemoryLeft();
    spark.conf().unset("spark.sql.ansi.enabled");
  }

  /** Counts per key of 10,000 rows, each row counted in {@link #READ} as the map stage reads it. */
  private Dataset<Row> anAggregate() {
    spark.udf().register("counted", (UDF1<Long, Long>) id -> {
      READ.incrementAndGet();
      return id;
    }, DataTypes.LongType);
    return spark.range(10_000).selectExpr("counted(id) % 10 AS k").groupBy("k").count();
  }

  @Test
  void aFunctionOverAnAggregateRunsNothingUntilAnActionReadsItsOutput() {
    Dataset<Row> counts = anAggregate();
    READ.set(0);
    Dataset<Row> mapped = SparkArrow.mapInArrow(counts, counts.schema(), (batches, context) -> batches);
    var tables = SparkArrow.toArrowTables(counts);
    assertThat(READ.get()).as("rows read when the functions were applied").isZero();

    assertThat(mapped.count()).isEqualTo(10);
    assertThat(READ.get()).as("the action ran the input's stage").isEqualTo(10_000);
    assertThat(mapped.collectAsList()).hasSize(10);
    assertThat(READ.get()).as("planned once: a second action reuses the stage's output")
        .isEqualTo(10_000);
    assertThat(tables.map(table -> table.rowCount()).reduce(Long::sum)).isEqualTo(10);
  }

  @Test
  void anInputThatFailsFailsTheActionNotTheFunctionsCallOnBothEngines() throws Exception {
    spark.conf().set("spark.sql.ansi.enabled", "true");
    SparkEngine.SQL_SETTINGS.forEach((key, value) -> spark.conf().set(key, value.toString()));
    try (DuckDbEngine duckdb = DuckDbEngine.open()) {
      for (Engine engine : List.<Engine>of(duckdb, SparkEngine.of(spark))) {
        engine.range(1000).createView("numbers");
        // a value that does not cast, in the aggregate's map side: a shuffle stage that fails
        Table failing = engine.sql("SELECT k, sum(CAST(concat('x', k) AS INT)) AS s FROM"
            + " (SELECT id % 2 AS k FROM numbers) GROUP BY k");
        Table mapped = failing.mapInArrow(failing.schema(), (batches, context) -> batches);
        assertThatThrownBy(mapped::count).as(engine.name()).isInstanceOf(EngineException.class)
            .hasMessageContaining("'x0'");
      }
      assertThat(duckdb.allocatedBytes()).isZero();
    } finally {
      SparkEngine.SQL_SETTINGS.keySet().forEach(spark.conf()::unset);
    }
  }

  @Test
  void aStreamingDataFrameIsRefusedSayingToRunTheFunctionOnEachMicroBatch() throws Exception {
    Path input = dir.resolve("in");
    spark.range(1000).selectExpr("id", "id % 7 AS k").write().parquet(input.toString());
    Dataset<Row> stream = spark.readStream().schema("id BIGINT, k BIGINT").parquet(input.toString());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.mapInArrow(stream, stream.schema(), (batches, context) -> batches))
        .withMessageContaining("streaming")
        .withMessageContaining("foreachBatch");

    // What the message says works: the function over each micro-batch.
    AtomicLong rows = new AtomicLong();
    stream.writeStream()
        .option("checkpointLocation", dir.resolve("checkpoint").toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> rows.addAndGet(
            SparkArrow.mapInArrow(batch, batch.schema(), (batches, context) -> batches).count()))
        .start()
        .awaitTermination();
    assertThat(rows.get()).isEqualTo(1000);
  }
}

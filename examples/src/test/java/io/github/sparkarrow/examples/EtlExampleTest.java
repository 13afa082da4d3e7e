package io.github.sparkarrow.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.spark.SparkEngine;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example pipeline gives the same results on DuckDB and on Spark, row by row. */
class EtlExampleTest {

  @TempDir Path dir;

  @Test
  void bothEnginesGiveTheSameResults() {
    long lines = 30_000;
    List<CountrySummary> bySpark;
    List<CountrySummary> byDuckDb;
    List<PricedLine> pricedBySpark;
    List<PricedLine> pricedByDuckDb;
    try (Engine spark = SparkEngine.local()) {
      bySpark = EtlExample.pipeline(spark, dir.resolve("spark"), lines);
      // Its SQL is ANSI: a value that does not cast fails, as on DuckDB, rather than reading as null.
      spark.sql("SELECT CAST(note AS INT) AS n FROM (SELECT 'abc' AS note)").createView("cast");
      assertThatThrownBy(() -> spark.sql("SELECT * FROM cast WHERE n IS NULL").count())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("CAST_INVALID_INPUT");
      // Double quotes name a column, as on DuckDB, not a string.
      assertThat(spark.sql("SELECT \"order\" FROM (SELECT 1 AS \"order\")").count()).isEqualTo(1);
      assertThatThrownBy(() -> spark.sql("SELECT \"order\" AS text").count())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("UNRESOLVED_COLUMN");
      // A backslash in a string is itself, as on DuckDB: one row whose text is 2 characters.
      assertThat(spark.sql("SELECT 1 AS id WHERE length('\\t') = 2").count()).isEqualTo(1);
    }
    try (Engine duckdb = DuckDbEngine.open(ZoneId.of("UTC"), DuckDbEngine.DEFAULT_BATCH_SIZE)) {
      byDuckDb = EtlExample.pipeline(duckdb, dir.resolve("duckdb"), lines);
      // Both engines' Parquet, read by one of them.
      pricedBySpark = priced(duckdb, dir.resolve("spark"));
      pricedByDuckDb = priced(duckdb, dir.resolve("duckdb"));
    }
    assertThat(bySpark).hasSize(5);
    assertThat(bySpark.stream().mapToLong(CountrySummary::lines).sum()).isEqualTo(lines);
    assertThat(byDuckDb).containsExactlyInAnyOrderElementsOf(bySpark);
    Comparator<PricedLine> order = Comparator.comparingLong(PricedLine::orderId)
        .thenComparing(PricedLine::sku).thenComparing(PricedLine::net).thenComparing(PricedLine::day);
    assertThat(pricedByDuckDb).hasSize((int) lines);
    assertThat(pricedByDuckDb.stream().sorted(order).toList())
        .isEqualTo(pricedBySpark.stream().sorted(order).toList());
  }

  private static List<PricedLine> priced(Engine engine, Path out) {
    return engine.read(Source.parquet(out.resolve("priced_lines").toString(), PricedLineArrowSchema.INSTANCE))
        .collect(PricedLineArrowSchema.INSTANCE);
  }
}

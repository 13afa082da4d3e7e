package io.github.sparkarrow.examples;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.spark.SparkEngine;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The README's example job: order lines generated from typed records, a typed Arrow batch
 * function deriving prices, Parquet, SQL aggregating per country, Parquet again, and a printed
 * summary. The pipeline is written once against the engine-neutral API; {@code -Dengine=spark}
 * (the default, Spark local mode) or {@code -Dengine=duckdb} (embedded DuckDB) picks where it
 * runs, and each engine writes under {@code target/example/<engine>/}. When the other engine's
 * result is there too, the job checks that the two are equal.
 *
 * <p>Run it with {@code mvn -pl examples -am package -DskipTests -Pexample [-Dengine=duckdb]};
 * the number of lines is the second argument.
 */
public final class EtlExample {

  private static final String[] SKUS = {"apple", "bread", "cheese", "dates", "eggs", "figs"};
  private static final String[][] STORES = {
    {"FR", "Paris"}, {"DE", "Berlin"}, {"JP", "Tokyo"}, {"US", "Austin"}, {"BR", "Recife"}
  };
  private static final long START = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();

  /** The summary, in SQL both engines run alike (see the README's "SQL on both engines"). */
  static final String SUMMARY_SQL =
      "SELECT country, count(*) AS lines, CAST(sum(quantity) AS BIGINT) AS units,"
          + " CAST(sum(gross) AS DECIMAL(38,2)) AS gross,"
          + " CAST(sum(discount) AS DECIMAL(38,2)) AS discount,"
          + " CAST(sum(net) AS DECIMAL(38,2)) AS net, avg(quantity) AS avg_units"
          + " FROM priced_lines GROUP BY country ORDER BY net DESC, country";

  /** The typed batch function of step 2: each order line priced. */
  public static final BatchMapper<OrderLineArrowReader, PricedLineArrowWriter> PRICE =
      (in, result) -> {
        for (int row = 0; row < in.rowCount(); row++) {
          result.write(PricedLine.of(in.get(row)));
        }
      };

  private EtlExample() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target").resolve("example");
    long lines = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
    String engineName = System.getProperty("engine", "spark");

    System.out.println("OrderLine as Spark DDL: " + OrderLineArrowSchema.getSparkDdl());
    System.out.println("OrderLine as Arrow:     " + OrderLineArrowSchema.getArrowSchema());

    long started = System.nanoTime();
    try (Engine engine = open(engineName)) {
      Path result = out.resolve(engine.name());
      List<CountrySummary> summary = pipeline(engine, result, lines);
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;

      System.out.printf(Locale.ROOT, "%n== %,d order lines priced on %s in %,d ms (engine start-up"
          + " included); Parquet in %s%n", lines, engine.name(), elapsedMs, result);
      System.out.printf(Locale.ROOT, "%-8s %8s %8s %16s %14s %16s %9s%n",
          "country", "lines", "units", "gross", "discount", "net", "avg_units");
      long total = 0;
      BigDecimal net = BigDecimal.ZERO;
      for (CountrySummary row : summary) {
        System.out.printf(Locale.ROOT, "%-8s %8d %8d %16s %14s %16s %9.4f%n", row.country(),
            row.lines(), row.units(), row.gross(), row.discount(), row.net(), row.avgUnits());
        total += row.lines();
        net = net.add(row.net());
      }
      System.out.printf(Locale.ROOT, "lines: %,d  net revenue: %s%n", total, net.toPlainString());
      if (total != lines) {
        throw new IllegalStateException("expected " + lines + " lines, counted " + total);
      }

      // The typed records come back to the driver too.
      engine.sql("SELECT * FROM priced_lines ORDER BY order_id, sku, net LIMIT 3")
          .collect(PricedLineArrowSchema.INSTANCE)
          .forEach(line -> System.out.println("  " + line));

      compareWithTheOtherEngine(engine, out, summary);
    }
  }

  /** The engine {@code name} names: {@code spark} (local mode) or {@code duckdb} (in memory). */
  public static Engine open(String name) {
    return switch (name) {
      case "spark" -> SparkEngine.local();
      case "duckdb" -> DuckDbEngine.open();
      default -> throw new IllegalArgumentException(
          "-Dengine=" + name + ": the engines are spark and duckdb");
    };
  }

  /**
   * The pipeline, the same on every engine: {@code lines} generated order lines priced by typed
   * functions, written as Parquet under {@code out}, read back with the generated schema and
   * summed per country in SQL; the summary is written as Parquet too, and returned.
   */
  public static List<CountrySummary> pipeline(Engine engine, Path out, long lines) {
    // 1. Deterministic input: a typed function per record.
    Table orderLines =
        engine.range(lines)
            .mapRecords(LineNumberArrowSchema.INSTANCE, OrderLineArrowSchema.INSTANCE, EtlExample::orderLine);

    // 2. Derived columns: a typed Arrow batch function on generated readers and writers.
    Table priced = orderLines.mapBatches(OrderLineArrowSchema.INSTANCE, PricedLineArrowSchema.INSTANCE, PRICE);

    // 3. Parquet, read back with the generated schema, then SQL.
    String parquet = out.resolve("priced_lines").toString();
    priced.writeParquet(parquet);
    engine.read(Source.parquet(parquet, PricedLineArrowSchema.INSTANCE)).createView("priced_lines");
    Table summary = engine.sql(SUMMARY_SQL);
    summary.writeParquet(out.resolve("summary").toString());
    return summary.collect(CountrySummaryArrowSchema.INSTANCE);
  }

  /** If the other engine's summary is under {@code out}, it must equal this one. */
  private static void compareWithTheOtherEngine(
      Engine engine, Path out, List<CountrySummary> summary) {
    String other = engine.name().equals("spark") ? "duckdb" : "spark";
    Path theirs = out.resolve(other).resolve("summary");
    if (!Files.isDirectory(theirs)) {
      System.out.println("(run it with -Dengine=" + other + " too, and the job compares the results)");
      return;
    }
    List<CountrySummary> their =
        engine.read(Source.parquet(theirs.toString(), CountrySummaryArrowSchema.INSTANCE))
            .collect(CountrySummaryArrowSchema.INSTANCE);
    Comparator<CountrySummary> byCountry = Comparator.comparing(CountrySummary::country);
    if (!their.stream().sorted(byCountry).toList().equals(summary.stream().sorted(byCountry).toList())) {
      throw new IllegalStateException(
          "the " + other + " result in " + theirs + " differs:\n" + their + "\n" + summary);
    }
    System.out.println("Equal to the " + other + " result in " + theirs);
  }

  /** The order line of a number, the same on every run. */
  public static OrderLine orderLine(LineNumber number) {
    SplittableRandom random = new SplittableRandom(number.id() * 0x9E3779B97F4A7C15L);
    String[] store = STORES[random.nextInt(STORES.length)];
    return new OrderLine(
        number.id() / 3,
        SKUS[random.nextInt(SKUS.length)],
        1 + random.nextInt(5),
        BigDecimal.valueOf(50 + random.nextInt(950), 2),
        Instant.ofEpochSecond(START + random.nextInt(365 * 24 * 3600)),
        random.nextInt(10) == 0 ? Optional.of("SAVE10") : Optional.empty(),
        random.nextBoolean() ? List.of("fresh") : List.of(),
        new OrderLine.Store(store[0], store[1]));
  }
}

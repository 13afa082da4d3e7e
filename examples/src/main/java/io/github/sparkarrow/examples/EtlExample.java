package io.github.sparkarrow.examples;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import io.github.sparkarrow.spark.SparkArrow;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The README's example job, in Spark local mode: a million deterministic order lines generated
 * on the executors from typed records, a typed Arrow batch function deriving prices, an
 * aggregation, Parquet under {@code target/example/}, and a printed summary.
 *
 * <p>Run it with {@code mvn -pl examples -am package -DskipTests -Pexample}; the number of lines
 * is the second argument.
 */
public final class EtlExample {

  private static final String[] SKUS = {"apple", "bread", "cheese", "dates", "eggs", "figs"};
  private static final String[][] STORES = {
    {"FR", "Paris"}, {"DE", "Berlin"}, {"JP", "Tokyo"}, {"US", "Austin"}, {"BR", "Recife"}
  };
  private static final long START = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();

  private EtlExample() {}

  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "target").resolve("example");
    long lines = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;

    System.out.println("OrderLine as Spark DDL: " + OrderLineArrowSchema.getSparkDdl());
    System.out.println("OrderLine as Arrow:     " + OrderLineArrowSchema.getArrowSchema());

    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java ETL example")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    try {
      long started = System.nanoTime();

      // 1. Deterministic input, generated on the executors: a typed function per record.
      Dataset<Row> orderLines =
          SparkArrow.mapRecords(
              spark.range(0, lines, 1, 4).toDF("id"),
              LineNumberArrowSchema.INSTANCE,
              OrderLineArrowSchema.INSTANCE,
              EtlExample::orderLine);

      // 2. Derived columns: a typed Arrow batch function on generated readers and writers.
      Dataset<Row> priced =
          SparkArrow.mapBatches(
              orderLines,
              OrderLineArrowSchema.INSTANCE,
              PricedLineArrowSchema.INSTANCE,
              (OrderLineArrowReader in, PricedLineArrowWriter result) -> {
                for (int row = 0; row < in.rowCount(); row++) {
                  result.write(PricedLine.of(in.get(row)));
                }
              });

      // 3. Parquet, read back with the generated DDL, then an aggregation in Spark SQL.
      String parquet = out.resolve("priced_lines").toString();
      priced.write().mode("overwrite").parquet(parquet);
      Dataset<Row> summary =
          spark
              .read()
              .schema(PricedLineArrowSchema.getSparkDdl())
              .parquet(parquet)
              .groupBy(col("country"))
              .agg(
                  count("*").as("lines"),
                  sum("quantity").as("units"),
                  sum("gross").as("gross"),
                  sum("discount").as("discount"),
                  sum("net").as("net"),
                  avg("quantity").as("avg_units"))
              .orderBy(col("net").desc());
      List<Row> rows = summary.collectAsList();
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;

      System.out.printf(Locale.ROOT, "%n== %,d order lines priced in %,d ms; Parquet in %s%n",
          lines, elapsedMs, parquet);
      summary.show(false);
      BigDecimal net = BigDecimal.ZERO;
      long total = 0;
      for (Row row : rows) {
        total += row.getLong(1);
        net = net.add(row.getDecimal(5));
      }
      System.out.printf(Locale.ROOT, "lines: %,d  net revenue: %s%n", total, net.toPlainString());
      if (total != lines) {
        throw new IllegalStateException("expected " + lines + " lines, counted " + total);
      }

      // The typed records come back to the driver too.
      List<PricedLine> sample =
          SparkArrow.collect(priced.orderBy("order_id", "sku").limit(3), PricedLineArrowSchema.INSTANCE);
      sample.forEach(line -> System.out.println("  " + line));
    } finally {
      spark.stop();
    }
  }

  /** The order line of a number, the same on every run. */
  static OrderLine orderLine(LineNumber number) {
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

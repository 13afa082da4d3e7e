package io.github.sparkarrow.examples;

import io.github.sparkarrow.spark.SparkSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The README's example job: prints the schemas generated for {@link OrderLine}, then reads a
 * generated JSON-lines file into Spark (local mode) with the generated DDL and queries it.
 *
 * <p>Run it with {@code mvn -pl examples -am package -DskipTests -Pexample}.
 */
public final class SchemaExample {

  private static final String[] SKUS = {"apple", "bread", "cheese", "dates", "eggs", "figs"};
  private static final String[][] STORES = {
    {"FR", "Paris"}, {"DE", "Berlin"}, {"JP", "Tokyo"}, {"US", "Austin"}
  };

  private SchemaExample() {}

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args.length > 0 ? args[0] : "target").resolve("example");

    System.out.println("== Spark DDL of OrderLine (OrderLineArrowSchema.getSparkDdl())");
    System.out.println(OrderLineArrowSchema.getSparkDdl());
    System.out.println();
    System.out.println("== Arrow schema of OrderLine (OrderLineArrowSchema.getArrowSchema())");
    System.out.println(OrderLineArrowSchema.getArrowSchema());
    System.out.println();
    System.out.println("== Spark StructType (SparkSchemas.structType(OrderLineArrowSchema.INSTANCE))");
    System.out.println(SparkSchemas.structType(OrderLineArrowSchema.INSTANCE).treeString());

    Path input = work.resolve("order-lines.jsonl");
    int rows = writeOrderLines(input, 10_000, 42);

    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java schema example")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    try {
      Dataset<Row> lines =
          spark.read().schema(OrderLineArrowSchema.getSparkDdl()).json(input.toString());
      lines.createOrReplaceTempView("order_lines");
      System.out.printf(Locale.ROOT, "== Read %d generated order lines with the DDL%n", rows);
      lines.printSchema();
      spark
          .sql(
              "SELECT store.country, sku, sum(quantity) AS units,"
                  + " CAST(sum(quantity * unit_price) AS DECIMAL(18,2)) AS revenue,"
                  + " count_if(coupon IS NOT NULL) AS with_coupon"
                  + " FROM order_lines GROUP BY store.country, sku"
                  + " ORDER BY revenue DESC LIMIT 8")
          .show(false);
    } finally {
      spark.stop();
    }
  }

  /** A deterministic JSON-lines file of order lines; returns how many lines it wrote. */
  static int writeOrderLines(Path file, int count, long seed) {
    Random random = new Random(seed);
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    try {
      Files.createDirectories(file.getParent());
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (int i = 0; i < count; i++) {
          String sku = SKUS[random.nextInt(SKUS.length)];
          String[] store = STORES[random.nextInt(STORES.length)];
          BigDecimal price = BigDecimal.valueOf(50 + random.nextInt(950), 2);
          Instant at = start.plusSeconds(random.nextInt(365 * 24 * 3600));
          String coupon = random.nextInt(10) == 0 ? "\"SAVE10\"" : "null";
          List<String> tags = random.nextBoolean() ? List.of("\"fresh\"") : List.of();
          out.write(
              String.format(
                  Locale.ROOT,
                  "{\"order_id\":%d,\"sku\":\"%s\",\"quantity\":%d,\"unit_price\":%s,"
                      + "\"ordered_at\":\"%s\",\"coupon\":%s,\"tags\":[%s],"
                      + "\"store\":{\"country\":\"%s\",\"city\":\"%s\"}}%n",
                  i / 3,
                  sku,
                  1 + random.nextInt(5),
                  price.toPlainString(),
                  at,
                  coupon,
                  String.join(",", tags),
                  store[0],
                  store[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }
}

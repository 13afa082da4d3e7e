package io.github.sparkarrow.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The mixed-type rows of the edge and pipe benchmarks ({@code id}, a string, a double, a
 * timestamp, a DECIMAL(10,2), a nullable int), as a cached DataFrame or read from Parquet.
 */
final class EdgeRows {

  private EdgeRows() {}

  /**
   * {@code rows} rows in {@code partitions} partitions (files), {@code input} {@code "cached"} or
   * {@code "parquet"} (written to a temporary directory, deleted when the JVM exits).
   */
  static Dataset<Row> of(SparkSession spark, long rows, int partitions, String input) {
    Dataset<Row> df =
        spark.range(0, rows, 1, partitions)
            .selectExpr(
                "id",
                "concat('customer-', CAST(id % 10007 AS STRING)) AS customer",
                "CAST(id % 1000 AS DOUBLE) / 7 AS score",
                "TIMESTAMP '2024-01-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id) AS at",
                "CAST(id % 100000 AS DECIMAL(10,2)) AS amount",
                "IF(id % 5 = 0, NULL, CAST(id % 3 AS INT)) AS flag");
    switch (input) {
      case "cached":
        df = df.cache();
        break;
      case "parquet":
        try {
          Path dir = Files.createTempDirectory("edge-rows");
          Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
          df.write().parquet(dir.resolve("rows").toString());
          df = spark.read().parquet(dir.resolve("rows").toString());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        break;
      default:
        throw new IllegalArgumentException("input is cached or parquet, not " + input);
    }
    System.out.printf(Locale.ROOT, "%s: %,d rows in %d partitions%n", input, df.count(),
        df.rdd().getNumPartitions());
    return df;
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory
    }
  }
}

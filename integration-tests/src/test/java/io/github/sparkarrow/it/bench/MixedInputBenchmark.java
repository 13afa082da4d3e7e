package io.github.sparkarrow.it.bench;

import static org.apache.spark.sql.functions.sum;

import io.github.sparkarrow.spark.SparkArrow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;

/**
 * Issue 8's mixed-type cases: the same computation over an 8-column record (long, string with
 * nulls, timestamp, date, double, DECIMAL(10,2), int, string) read from Parquet, and from the same
 * data cached, four ways each in one {@code local[2]} run: Spark SQL (the ceiling), {@code
 * Encoders.bean} map, {@code SparkArrow.mapRecords}, {@code SparkArrow.mapBatches} with typed
 * access; and Spark SQL made to read all 8 columns, as the record's functions do (the SQL case
 * reads only the 4 it needs), and {@code mapRecords} of a record of only those 4. Every Parquet column is nullable, so this also runs the NOT NULL
 * checks.
 *
 * <p>{@code mvn -B -ntp -pl integration-tests -am package -DskipTests -Pbench
 * -Dbench.main=io.github.sparkarrow.it.bench.MixedInputBenchmark -Dbench.args="2000000 3"}
 */
public final class MixedInputBenchmark {

  private MixedInputBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java mixed-type benchmark")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path dir = Files.createTempDirectory("rides");
    try {
      String path = dir.resolve("rides.parquet").toString();
      Dataset<Row> rides = spark.range(0, rows, 1, 4)
          .selectExpr(
              "id",
              "IF(id % 9 = 0, NULL, concat('vendor-', CAST(id % 13 AS STRING))) AS vendor",
              "TIMESTAMP '2024-01-01 00:00:00' + make_interval(0, 0, 0, 0, 0, 0, id) AS pickup",
              "date_add(DATE '2024-01-01', CAST(id % 365 AS INT)) AS day",
              "CAST(id % 977 AS DOUBLE) / 10 AS distance",
              "CAST(id % 100000 AS DECIMAL(10,2)) / 100 AS fare",
              "CAST(id % 4 + 1 AS INT) AS passengers",
              "concat('zone ', CAST(id % 263 AS STRING)) AS zone")
          .selectExpr("id", "vendor", "pickup", "day", "distance",
              "CAST(fare AS DECIMAL(10,2)) AS fare", "passengers", "zone");
      rides.write().parquet(path);
      // The cache is read from a copy of the files: a DataFrame of the same plan as a cached one
      // is served from the cache by Spark, so caching the Parquet input itself would leave no
      // Parquet case (as this benchmark did until 2026-12-03).
      String copy = dir.resolve("rides-cached.parquet").toString();
      rides.write().parquet(copy);
      Dataset<Row> parquet = spark.read().parquet(path);
      Dataset<Row> cached = spark.read().parquet(copy).cache();
      System.out.printf(Locale.ROOT, "%,d rows in Parquet, %,d cached%n", parquet.count(),
          cached.count());
      if (parquet.queryExecution().withCachedData().find(p -> p instanceof InMemoryRelation)
          .isDefined()) {
        throw new IllegalStateException("the Parquet input is read from the cache");
      }

      Map<String, Function<Dataset<Row>, Dataset<Row>>> cases = new LinkedHashMap<>();
      cases.put("Spark SQL expressions (ceiling)", input -> input.selectExpr(Ride.SQL));
      cases.put("Spark SQL expressions, all 8 columns read", input ->
          input.selectExpr(Ride.SQL_ALL_COLUMNS));
      cases.put("Dataset<Bean>.map, Encoders.bean", input ->
          input.as(Encoders.bean(RideBeans.RideBean.class))
              .map((MapFunction<RideBeans.RideBean, RideBeans.ChargeBean>) RideBeans.ChargeBean::of,
                  Encoders.bean(RideBeans.ChargeBean.class))
              .toDF());
      cases.put("SparkArrow.mapRecords", input ->
          SparkArrow.mapRecords(input, RideArrowSchema.INSTANCE, Ride_ChargeArrowSchema.INSTANCE,
              Ride.Charge::of));
      cases.put("SparkArrow.mapRecords, a record of the 4 columns read", input ->
          SparkArrow.mapRecords(input, Ride_FareArrowSchema.INSTANCE,
              Ride_ChargeArrowSchema.INSTANCE, Ride.Charge::of));
      cases.put("SparkArrow.mapBatches, typed access", input ->
          SparkArrow.mapBatches(input, RideArrowSchema.INSTANCE, Ride_ChargeArrowSchema.INSTANCE,
              (RideArrowReader in, Ride_ChargeArrowWriter out) -> {
                for (int row = 0; row < in.rowCount(); row++) {
                  out.write(new Ride.Charge(in.id(row),
                      Ride.charge(in.distance(row), in.passengers(row), in.fare(row))));
                }
              }));

      Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
      inputs.put("Parquet", parquet);
      inputs.put("cached", cached);
      Map<String, List<Long>> times = new LinkedHashMap<>();
      double expected = Double.NaN;
      for (int round = -1; round < runs; round++) {
        for (Map.Entry<String, Dataset<Row>> input : inputs.entrySet()) {
          for (Map.Entry<String, Function<Dataset<Row>, Dataset<Row>>> c : cases.entrySet()) {
            long start = System.nanoTime();
            double total = c.getValue().apply(input.getValue()).agg(sum("charge")).first().getDouble(0);
            long elapsed = System.nanoTime() - start;
            if (Double.isNaN(expected)) {
              expected = total;
            } else if (Math.abs(total - expected) > Math.abs(expected) * 1e-9) {
              throw new IllegalStateException(c.getKey() + " computed " + total + ", not " + expected);
            }
            if (round >= 0) {
              times.computeIfAbsent(input.getKey() + ": " + c.getKey(), k -> new ArrayList<>())
                  .add(elapsed);
            }
          }
        }
      }
      System.out.printf(Locale.ROOT, "%n%,d rows, median of %d runs, local[2], %s %s%n", rows, runs,
          System.getProperty("java.vm.name"), System.getProperty("java.version"));
      System.out.printf(Locale.ROOT, "| input: case | ns/row | fraction of SQL | vs bean map |%n|---|---:|---:|---:|%n");
      for (String input : inputs.keySet()) {
        double sql = median(times.get(input + ": Spark SQL expressions (ceiling)"));
        double bean = median(times.get(input + ": Dataset<Bean>.map, Encoders.bean"));
        for (String c : cases.keySet()) {
          double nanos = median(times.get(input + ": " + c));
          System.out.printf(Locale.ROOT, "| %s: %s | %.0f | %.2f | %.2fx |%n", input, c,
              nanos / rows, sql / nanos, bean / nanos);
        }
      }
      cached.unpersist(true);
    } finally {
      spark.stop();
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}

package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.runtime.ArrowTable;
import io.github.sparkarrow.spark.SparkArrow;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The same mixed-type DataFrame (cached, or read from Parquet) through {@code cat}, in one {@code local[2]} run: as Arrow
 * IPC with {@code SparkArrow.pipe}, and as JSON lines the way teams do it today ({@code
 * df.toJSON()} → {@code RDD.pipe("cat")} → {@code spark.read().schema(ddl).json(...)}), both
 * ending in the same aggregate. Also the bytes per second through the pipe against {@code cat}
 * alone on the same bytes (a JVM thread feeding its stdin while another drains its stdout).
 *
 * <p>{@code mvn -B -ntp -pl integration-tests -am package -DskipTests -Pbench
 * -Dbench.main=io.github.sparkarrow.it.bench.PipeBenchmark -Dbench.args="3000000 3"}; a third
 * argument {@code parquet} reads the rows from Parquet instead of the cache.
 */
public final class PipeBenchmark {

  private PipeBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java pipe benchmark")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> df = EdgeRows.of(spark, rows, 4, args.length > 2 ? args[2] : "cached");
    String ddl = df.schema().toDDL();
    String[] aggregate = {"sum(id) AS ids", "count(flag) AS flags", "sum(amount) AS amounts",
        "max(at) AS at"};

    Map<String, Supplier<Row>> cases = new LinkedHashMap<>();
    cases.put("SparkArrow.pipe(cat), Arrow IPC", () ->
        SparkArrow.pipe(df, List.of("cat"), df.schema()).selectExpr(aggregate).first());
    cases.put("toJSON + RDD.pipe(cat) + read.json", () -> {
      JavaRDD<String> piped = df.toJSON().javaRDD().pipe("cat");
      return spark.read().schema(ddl).json(spark.createDataset(piped.rdd(), Encoders.STRING()))
          .selectExpr(aggregate).first();
    });
    Row expected = df.selectExpr(aggregate).first();

    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    for (int run = 0; run < runs + 1; run++) {
      for (Map.Entry<String, Supplier<Row>> c : cases.entrySet()) {
        long start = System.nanoTime();
        Row result = c.getValue().get();
        double s = (System.nanoTime() - start) / 1e9;
        if (!result.equals(expected)) {
          throw new IllegalStateException(c.getKey() + " gave " + result + ", not " + expected);
        }
        if (run > 0) {
          seconds.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(s);
        }
      }
    }
    double arrow = median(seconds.get("SparkArrow.pipe(cat), Arrow IPC"));
    System.out.printf(Locale.ROOT, "%n%-40s %10s %12s%n", "case (median of " + runs + ")", "rows/s",
        "vs Arrow");
    for (Map.Entry<String, List<Double>> c : seconds.entrySet()) {
      double s = median(c.getValue());
      System.out.printf(Locale.ROOT, "%-40s %8.2f M %11.2fx%n", c.getKey(), rows / s / 1e6, s / arrow);
    }

    // Bytes through the pipe: the partitions' Arrow IPC, and cat alone on the same bytes.
    List<ArrowTable> tables = SparkArrow.toArrowTables(df).collect();
    byte[] all = tables.get(0).toIpcStream();
    long bytes = tables.stream().mapToLong(ArrowTable::sizeInBytes).sum();
    System.out.printf(Locale.ROOT, "Arrow IPC through the pipe: %,d MB, %.0f MB/s (both tasks)%n",
        bytes >> 20, bytes / arrow / 1e6);
    double catSeconds = Double.MAX_VALUE;
    for (int run = 0; run < runs; run++) {
      catSeconds = Math.min(catSeconds, catAlone(all, (int) Math.ceil((double) bytes / all.length)));
    }
    System.out.printf(Locale.ROOT, "cat alone on the same bytes (one process): %.0f MB/s%n",
        bytes / catSeconds / 1e6);
    spark.stop();
  }

  /** Seconds for {@code cat} to pass {@code copies} copies of {@code bytes}, fed and drained by the JVM. */
  private static double catAlone(byte[] bytes, int copies) throws Exception {
    Process cat = new ProcessBuilder("cat").start();
    long start = System.nanoTime();
    Thread feeder = new Thread(() -> {
      try (OutputStream in = cat.getOutputStream()) {
        for (int i = 0; i < copies; i++) {
          in.write(bytes);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    feeder.start();
    long read = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream out = cat.getInputStream()) {
      for (int n; (n = out.read(buffer)) >= 0; ) {
        read += n;
      }
    }
    feeder.join();
    cat.waitFor();
    if (read != (long) bytes.length * copies) {
      throw new IllegalStateException("cat passed " + read + " bytes");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}

package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.runtime.ArrowTable;
import io.github.sparkarrow.spark.SparkArrow;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Whole DataFrames across Spark's edge, side by side in one {@code local[2]} run on the same
 * mixed-type rows (cached, or read from Parquet): streamed to the driver ({@code SparkArrow.toArrowReader} against {@code
 * toLocalIterator()} of rows and {@code collectAsList()}), and round trips ({@code toArrowTables}
 * + {@code fromArrowTables} against {@code df.rdd()} + {@code createDataFrame}). Prints rows/s,
 * the ratios, the most heap the driver kept live (the heap pools' usage after each collection,
 * sampled every 10 ms, less the usage before the case) and the Arrow memory toArrowReader peaked at.
 *
 * <p>{@code mvn -B -ntp -pl integration-tests -am package -DskipTests -Pbench
 * -Dbench.jvm="-Xms8g -Xmx8g" -Dbench.main=io.github.sparkarrow.it.bench.EdgeBenchmark
 * -Dbench.args="3000000 5"}; arguments: rows, runs, the cases to run ({@code all}, or those whose
 * name contains it), the input ({@code cached}, the default, or {@code parquet}), the rounds run
 * first to warm up (3 by default: the stream's own code is compiled by the JIT over the first
 * rounds; one round left it 1.5 to 2 times slower than its steady state).
 *
 * <p>Rows/s want a fixed heap ({@code -Xms} = {@code -Xmx}): the {@code System.gc()} before each
 * case, there to measure the live heap, shrinks a heap that may shrink (G1 gave back all but 148
 * MB here), and every case then runs under many collections while it grows again; on this VM that
 * halved the rates of all cases. The live-heap column needs the opposite, a heap small enough to
 * be collected during a case: with a fixed 8 GB heap no collection may happen and it reads 0.
 */
public final class EdgeBenchmark {

  private EdgeBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warmups = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java edge benchmark")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.maxResultSize", "0")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> df = EdgeRows.of(spark, rows, 8, args.length > 3 ? args[3] : "cached");

    Map<String, Callable<Long>> cases = new LinkedHashMap<>();
    cases.put("SparkArrow.toArrowReader", () -> {
      long sum = 0;
      try (BufferAllocator allocator = new RootAllocator();
          ArrowReader reader = SparkArrow.toArrowReader(df, allocator)) {
        while (reader.loadNextBatch()) {
          BigIntVector ids = (BigIntVector) reader.getVectorSchemaRoot().getVector(0);
          for (int i = 0; i < ids.getValueCount(); i++) {
            sum += ids.get(i);
          }
        }
        arrowPeak = Math.max(arrowPeak, allocator.getPeakMemoryAllocation());
      }
      return sum;
    });
    // Stages: the cached rows alone, and rows into tables on the executors (both cores).
    cases.put("stage: cached rows, count", () -> {
      df.queryExecution().toRdd().count();
      return rows * (rows - 1) / 2;
    });
    cases.put("stage: toArrowTables, count", () -> {
      SparkArrow.toArrowTables(df).count();
      return rows * (rows - 1) / 2;
    });
    cases.put("Dataset.toLocalIterator()", () -> {
      long sum = 0;
      Iterator<Row> it = df.toLocalIterator();
      while (it.hasNext()) {
        sum += it.next().getLong(0);
      }
      return sum;
    });
    cases.put("Dataset.collectAsList()", () -> {
      long sum = 0;
      for (Row row : df.collectAsList()) {
        sum += row.getLong(0);
      }
      return sum;
    });
    cases.put("toArrowTables + fromArrowTables, count", () -> {
      JavaRDD<ArrowTable> tables = SparkArrow.toArrowTables(df);
      return SparkArrow.fromArrowTables(spark, tables, df.schema()).selectExpr("sum(id)")
          .first().getLong(0);
    });
    cases.put("df.rdd() + createDataFrame, count", () ->
        spark.createDataFrame(df.javaRDD(), df.schema()).selectExpr("sum(id)").first().getLong(0));

    if (args.length > 2 && !args[2].equals("all")) { // the cases whose name contains it
      cases.keySet().removeIf(name -> !name.contains(args[2]));
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    if (heap.getInit() < heap.getMax()) {
      System.out.printf(Locale.ROOT, "The heap is not fixed (%d MB, up to %d MB): each case pays for"
          + " growing it again after the System.gc() before it; for rows/s, run with -Xms equal"
          + " to -Xmx (-Dbench.jvm=\"-Xms8g -Xmx8g\").%n", heap.getInit() >> 20, heap.getMax() >> 20);
    }
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    Map<String, Long> heapPeak = new LinkedHashMap<>();
    for (int run = -warmups; run < runs; run++) {
      for (Map.Entry<String, Callable<Long>> c : cases.entrySet()) {
        System.gc();
        long base = liveHeap();
        long[] peak = {base};
        Thread sampler = new Thread(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            peak[0] = Math.max(peak[0], liveHeap());
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        long sum = c.getValue().call();
        double s = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        if (sum != rows * (rows - 1) / 2) {
          throw new IllegalStateException(c.getKey() + " summed " + sum);
        }
        if (run >= 0) { // the rounds before warm up
          seconds.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(s);
          heapPeak.merge(c.getKey(), Math.max(0, peak[0] - base), Math::max);
        }
      }
    }
    double arrowStream = median(seconds.getOrDefault("SparkArrow.toArrowReader", List.of(1.0)));
    double tables = median(seconds.getOrDefault("toArrowTables + fromArrowTables, count", List.of(1.0)));
    System.out.printf(Locale.ROOT, "%n%-42s %12s %10s %16s%n", "case (median of " + runs + ")",
        "rows/s", "ratio", "driver live heap");
    for (Map.Entry<String, List<Double>> c : seconds.entrySet()) {
      double s = median(c.getValue());
      double base = c.getKey().contains("count") ? tables : arrowStream;
      System.out.printf(Locale.ROOT, "%-42s %10.2f M %9.2fx %13d MB%n", c.getKey(),
          rows / s / 1e6, s / base, heapPeak.get(c.getKey()) >> 20);
    }
    System.out.printf(Locale.ROOT, "Arrow memory peak of toArrowReader: %d KB%n", arrowPeak >> 10);
    spark.stop();
  }

  private static long arrowPeak;

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  /** The heap in use after the latest collection of each pool: what was live, not garbage. */
  private static long liveHeap() {
    return heapPools().stream()
        .mapToLong(p -> p.getCollectionUsage() == null ? 0 : p.getCollectionUsage().getUsed())
        .sum();
  }
}

package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.examples.EtlExample;
import io.github.sparkarrow.examples.LineNumber;
import io.github.sparkarrow.examples.LineNumberArrowSchema;
import io.github.sparkarrow.examples.OrderLine;
import io.github.sparkarrow.examples.OrderLineArrowSchema;
import io.github.sparkarrow.examples.PricedLineArrowSchema;
import io.github.sparkarrow.runtime.ArrowBatches;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.ArrowTaskContext;
import io.github.sparkarrow.runtime.TypedBatchFunction;
import io.github.sparkarrow.spark.SparkArrow;
import io.github.sparkarrow.spark.SparkEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The README's example pipeline ({@link EtlExample#pipeline}) on embedded DuckDB and on Spark
 * {@code local[*]}, side by side in one run: each measurement in a fresh JVM, wall clock from
 * {@code main} to the end, engine start-up included; then, warm in the same JVM, the typed-function
 * stage alone (pricing the order lines, {@link EtlExample#PRICE}): on DuckDB the {@code
 * mapBatches} step (a DuckDB scan as an Arrow stream, the function, the output handed back through
 * the C Data Interface and stored as a table by {@code createView}, or read by a DuckDB query
 * without being stored, {@code count()}; and counted again after a function of another shape,
 * {@link PricedNet}, whose columns are picked by name), on Spark {@code SparkArrow.mapBatches}
 * over the cached lines into the {@code noop} sink, and the same function over a plain in-memory Arrow stream of the
 * same lines. Then, in another fresh JVM, the priced lines the DuckDB pipeline wrote are read back
 * through an identity record function: the time and the peak resident memory. Prints rows/s, the
 * range over the runs, and the ratios.
 *
 * <p>{@code mvn -B -ntp -pl integration-tests -am package -DskipTests -Pbench
 * -Dbench.main=io.github.sparkarrow.it.bench.EngineBenchmark -Dbench.args="1000000,10000000 3"}
 */
public final class EngineBenchmark {

  private EngineBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("once")) {
      once(args[1], Long.parseLong(args[2]), Path.of(args[3]));
      return;
    }
    if (args.length > 0 && args[0].equals("readBack")) {
      readBack(Long.parseLong(args[2]), Path.of(args[3]));
      return;
    }
    long[] sizes = java.util.Arrays.stream((args.length > 0 ? args[0] : "1000000,10000000").split(","))
        .mapToLong(Long::parseLong).toArray();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("engine-benchmark");
    System.out.printf(Locale.ROOT, "%d cores, Java %s, %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("os.name"));
    Map<String, List<Double>> results = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      for (long rows : sizes) {
        for (List<String> child : List.of(
            List.of("once", "duckdb"), List.of("once", "spark"), List.of("readBack", "duckdb"))) {
          for (String line : child(child.get(0), child.get(1), rows, dir)) {
            System.out.println("  run " + run + ": " + line);
            String[] parts = line.split(" ");
            for (int i = 2; i + 1 < parts.length; i += 2) {
              results.computeIfAbsent(rows + " " + parts[0] + " " + parts[i], k -> new ArrayList<>())
                  .add(Double.parseDouble(parts[i + 1]));
            }
          }
        }
      }
    }
    System.out.println();
    for (long rows : sizes) {
      double duckTotal = median(results.get(rows + " duckdb total_ms"));
      double sparkTotal = median(results.get(rows + " spark total_ms"));
      double duckStage = median(results.get(rows + " duckdb stage_ms"));
      double plain = median(results.get(rows + " duckdb plain_ms"));
      double sparkStage = median(results.get(rows + " spark stage_ms"));
      System.out.printf(Locale.ROOT, "%,d rows%n", rows);
      System.out.printf(Locale.ROOT, "  end to end, start-up included: duckdb %s ms, spark %s ms:"
          + " DuckDB %.2fx faster%n", range(results.get(rows + " duckdb total_ms")),
          range(results.get(rows + " spark total_ms")), sparkTotal / duckTotal);
      System.out.printf(Locale.ROOT, "    rows/s: duckdb %.2f M, spark %.2f M%n",
          rows / duckTotal / 1e3, rows / sparkTotal / 1e3);
      double streamed = median(results.get(rows + " duckdb streamed_ms"));
      System.out.printf(Locale.ROOT, "  typed stage alone: duckdb into a table %s ms (%.2f M rows/s):"
          + " %.2fx of plain; duckdb into a query %s ms (%.2f M rows/s): %.2fx of plain;"
          + " plain Arrow stream %s ms (%.2f M rows/s); spark %s ms (%.2f M rows/s)%n"
          + "    the plain stream split between a thread per core: %s ms; duckdb into a query %.2fx of it%n",
          range(results.get(rows + " duckdb stage_ms")), rows / duckStage / 1e3, duckStage / plain,
          range(results.get(rows + " duckdb streamed_ms")), rows / streamed / 1e3, streamed / plain,
          range(results.get(rows + " duckdb plain_ms")), rows / plain / 1e3,
          range(results.get(rows + " spark stage_ms")), rows / sparkStage / 1e3,
          range(results.get(rows + " duckdb plain_per_core_ms")),
          streamed / median(results.get(rows + " duckdb plain_per_core_ms")));
      System.out.printf(Locale.ROOT, "  the stage into a query, then a function of another shape"
          + " (3 of the columns, by name): %s ms, %.2fx of the stage alone%n",
          range(results.get(rows + " duckdb reshaped_ms")),
          median(results.get(rows + " duckdb reshaped_ms")) / streamed);
      System.out.printf(Locale.ROOT, "  the priced lines read back from Parquet through a typed function"
          + " on DuckDB, in a fresh JVM: %s ms, the process's peak resident memory %s MB%n",
          range(results.get(rows + " duckdb read_ms")), range(results.get(rows + " duckdb peak_rss_mb")));
    }
  }

  /**
   * Runs {@code mode} ({@code once} or {@code readBack}) in a fresh JVM of the same class path and
   * flags; its result lines.
   */
  private static List<String> child(String mode, String engine, long rows, Path dir) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EngineBenchmark.class.getName());
    command.addAll(List.of(mode, engine, Long.toString(rows), dir.resolve(engine).toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> results = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("RESULT ")) {
          results.add(line.substring(7));
        }
      }
    }
    if (process.waitFor() != 0 || results.isEmpty()) {
      throw new IllegalStateException(mode + " " + engine + " " + rows + " failed: exit " + process.exitValue());
    }
    return results;
  }

  /** One measurement, in this JVM: the pipeline from cold, then the typed stage alone, warm. */
  private static void once(String name, long rows, Path out) throws Exception {
    long started = System.nanoTime();
    try (Engine engine = EtlExample.open(name)) {
      EtlExample.pipeline(engine, out, rows);
      double total = (System.nanoTime() - started) / 1e6;
      double stage;
      double streamed = 0;
      double reshaped = 0;
      if (engine instanceof SparkEngine spark) {
        stage = sparkStage(spark.session(), rows);
      } else {
        Table lines = engine.range(rows).mapRecords(
            LineNumberArrowSchema.INSTANCE, OrderLineArrowSchema.INSTANCE, EtlExample::orderLine)
            .createView("lines"); // kept as a DuckDB table
        Table priced = lines.mapBatches(
            OrderLineArrowSchema.INSTANCE, PricedLineArrowSchema.INSTANCE, EtlExample.PRICE);
        stage = best(() -> priced.createView("priced")); // the output stored as a DuckDB table
        streamed = best(() -> priced.count()); // the output read by a DuckDB query, not stored
        Table nets = priced.mapRecords(PricedNetArrowSchema.INSTANCE, PricedNetArrowSchema.INSTANCE, net -> net);
        reshaped = best(() -> nets.count()); // then a function of another shape: columns by name
      }
      String plain = engine instanceof DuckDbEngine
          ? String.format(Locale.ROOT, " streamed_ms %.0f reshaped_ms %.0f plain_ms %s",
              streamed, reshaped, plainStage(rows)) : "";
      System.out.printf(Locale.ROOT, "RESULT %s %d total_ms %.0f stage_ms %.0f%s%n",
          name, rows, total, stage, plain);
    }
  }

  /**
   * The priced lines the DuckDB pipeline just wrote, read back through an identity record function
   * and counted, in this fresh JVM: the time and the process's peak resident memory (which shows
   * whether the function's input is held whole before it runs, or streamed).
   */
  private static void readBack(long rows, Path out) throws Exception {
    long started = System.nanoTime();
    long count;
    try (Engine engine = EtlExample.open("duckdb")) {
      count = engine.read(Source.parquet(out.resolve("priced_lines").toString(), PricedLineArrowSchema.INSTANCE))
          .mapRecords(PricedLineArrowSchema.INSTANCE, PricedLineArrowSchema.INSTANCE, line -> line)
          .count();
    }
    if (count != rows) {
      throw new IllegalStateException("read back " + count + " of " + rows + " rows");
    }
    long peakKb = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
        .findFirst().orElse(0);
    System.out.printf(Locale.ROOT, "RESULT duckdb %d read_ms %.0f peak_rss_mb %d%n",
        rows, (System.nanoTime() - started) / 1e6, peakKb / 1024);
  }

  private static double sparkStage(SparkSession spark, long rows) {
    Dataset<Row> lines = SparkArrow.mapRecords(spark.range(rows).toDF("id"),
        LineNumberArrowSchema.INSTANCE, OrderLineArrowSchema.INSTANCE, EtlExample::orderLine).cache();
    lines.count();
    double stage = best(() -> SparkArrow.mapBatches(lines, OrderLineArrowSchema.INSTANCE,
        PricedLineArrowSchema.INSTANCE, EtlExample.PRICE).write().format("noop").mode("overwrite").save());
    lines.unpersist();
    return stage;
  }

  /** The same function over the same lines as an in-memory Arrow stream of 10,000-row batches. */
  private static String plainStage(long rows) {
    try (BufferAllocator allocator = new RootAllocator()) {
      List<VectorSchemaRoot> batches = new ArrayList<>();
      try (ArrowRecordWriter<OrderLine> writer = OrderLineArrowSchema.INSTANCE.newWriter(allocator)) {
        Iterator<OrderLine> lines = LongStream.range(0, rows)
            .mapToObj(id -> EtlExample.orderLine(new LineNumber(id))).iterator();
        Iterator<VectorSchemaRoot> written = ArrowBatches.write(lines, writer, DuckDbEngine.DEFAULT_BATCH_SIZE);
        while (written.hasNext()) {
          VectorSchemaRoot batch = VectorSchemaRoot.create(OrderLineArrowSchema.getArrowSchema(), allocator);
          try (ArrowRecordBatch data = new VectorUnloader(written.next()).getRecordBatch()) {
            new VectorLoader(batch).load(data);
          }
          batches.add(batch);
        }
      }
      TypedBatchFunction<OrderLine, ?> function = new TypedBatchFunction<>(
          OrderLineArrowSchema.INSTANCE, PricedLineArrowSchema.INSTANCE, EtlExample.PRICE);
      double one = best(() -> {
        if (priceAll(function, batches, allocator) != rows) {
          throw new IllegalStateException("rows lost");
        }
      });
      // The same batches split between a thread per core, as the DuckDB engine runs its workers.
      int cores = Runtime.getRuntime().availableProcessors();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(cores);
      double perCore = best(() -> {
        List<java.util.concurrent.CompletableFuture<Long>> shares = new ArrayList<>();
        for (int core = 0; core < cores; core++) {
          List<VectorSchemaRoot> share = new ArrayList<>();
          for (int i = core; i < batches.size(); i += cores) {
            share.add(batches.get(i));
          }
          shares.add(java.util.concurrent.CompletableFuture.supplyAsync(
              () -> priceAll(function, share, allocator), pool));
        }
        if (shares.stream().mapToLong(java.util.concurrent.CompletableFuture::join).sum() != rows) {
          throw new IllegalStateException("rows lost");
        }
      });
      pool.shutdown();
      batches.forEach(VectorSchemaRoot::close);
      return String.format(Locale.ROOT, "%.0f plain_per_core_ms %.0f", one, perCore);
    }
  }

  /** The rows of {@code function}'s output over {@code batches}, in a task context of its own. */
  private static long priceAll(
      TypedBatchFunction<OrderLine, ?> function, List<VectorSchemaRoot> batches, BufferAllocator allocator) {
    try (ArrowTaskContext context = ArrowTaskContext.childOf(allocator, "plain")) {
      long out = 0;
      Iterator<VectorSchemaRoot> priced = function.apply(batches.iterator(), context);
      while (priced.hasNext()) {
        out += priced.next().getRowCount();
      }
      return out;
    }
  }

  /**
   * The best of five timings of {@code work}, in ms: the first runs of whichever stage goes first
   * pay for compiling the function, which the stages share.
   */
  private static double best(Runnable work) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      work.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e6);
    }
    return best;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String range(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%.0f–%.0f", min, max);
  }
}

package io.github.sparkarrow.examples;

import io.github.sparkarrow.runtime.ArrowPipe;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.TypedBatchFunction;
import io.github.sparkarrow.spark.PipeOptions;
import io.github.sparkarrow.spark.SparkArrow;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Arrow IPC pipes, both ends: the Spark job streams order lines through an external program
 * ({@code SparkArrow.pipe}), here this same class started as a separate JVM whose {@code main}
 * serves a typed batch function on its standard input and output ({@code ArrowPipe.serve}). A
 * Rust, C++ or Node program takes its place unchanged (see the README's recipe). The result equals
 * the same function run inside Spark with {@code mapBatches}.
 *
 * <p>{@code mvn -B -ntp -pl examples -am package -DskipTests -Pexample
 * -Dexample.main=io.github.sparkarrow.examples.PipeExample}
 */
public final class PipeExample {

  private PipeExample() {}

  /** The function both ways run: the priced line of each order line. */
  static final BatchMapper<OrderLineArrowReader, PricedLineArrowWriter> PRICE =
      (in, out) -> {
        for (int row = 0; row < in.rowCount(); row++) {
          out.write(PricedLine.of(in.get(row)));
        }
      };

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("serve")) {
      // The pipe program: Arrow IPC in on stdin, Arrow IPC out on stdout.
      ArrowPipe.serve(
          new TypedBatchFunction<>(OrderLineArrowSchema.INSTANCE, PricedLineArrowSchema.INSTANCE, PRICE));
      return;
    }
    long lines = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java pipe example")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
    try {
      Dataset<Row> orderLines =
          SparkArrow.mapRecords(spark.range(0, lines, 1, 4).toDF("id"),
              LineNumberArrowSchema.INSTANCE, OrderLineArrowSchema.INSTANCE, EtlExample::orderLine);

      // The program: a JVM running this class's main with "serve", an argument list, no shell.
      List<String> program = new ArrayList<>();
      program.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      program.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(arg -> arg.startsWith("--add-opens")).toList());
      program.addAll(List.of("-cp", System.getProperty("java.class.path"),
          PipeExample.class.getName(), "serve"));

      long started = System.nanoTime();
      Dataset<Row> piped =
          SparkArrow.pipe(orderLines, program, OrderLineArrowSchema.INSTANCE,
              PricedLineArrowSchema.INSTANCE,
              PipeOptions.DEFAULT.withIdleTimeout(Duration.ofMinutes(2)));
      Dataset<Row> inSpark =
          SparkArrow.mapBatches(orderLines, OrderLineArrowSchema.INSTANCE,
              PricedLineArrowSchema.INSTANCE, PRICE);
      long count = piped.count();
      long differ = piped.exceptAll(inSpark).count() + inSpark.exceptAll(piped).count();
      System.out.printf(Locale.ROOT,
          "%n== %,d order lines through an external program in %,d ms; rows differing from"
              + " mapBatches: %d%n",
          count, (System.nanoTime() - started) / 1_000_000, differ);
      piped.orderBy("order_id", "sku").show(5, false);
      if (count != lines || differ != 0) {
        throw new IllegalStateException("the piped result differs from mapBatches");
      }
    } finally {
      spark.stop();
    }
  }
}

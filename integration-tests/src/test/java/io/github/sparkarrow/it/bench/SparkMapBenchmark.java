package io.github.sparkarrow.it.bench;

import static org.apache.spark.sql.functions.sum;

import io.github.sparkarrow.runtime.ArrowTaskContext;
import io.github.sparkarrow.spark.SparkArrow;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;

/**
 * The same computation over the same cached rows, six ways, in one {@code local[2]} run, each
 * ending in an aggregate: the typed Arrow functions, Datasets of records, Rows and beans, and
 * Spark SQL expressions (the ceiling). Prints rows/s, the fraction of the SQL ceiling, and ns/row
 * above it.
 *
 * <p>{@code mvn -pl integration-tests -am package -DskipTests -Pbench
 * -Dbench.main=io.github.sparkarrow.it.bench.SparkMapBenchmark -Dbench.args="4000000 7"}
 */
public final class SparkMapBenchmark {

  private SparkMapBenchmark() {}

  public static void main(String[] args) {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java map benchmark")
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      Dataset<Row> input =
          SparkArrow.mapRecords(
                  spark.range(0, rows, 1, 2).toDF("id"),
                  Sale_SeedArrowSchema.INSTANCE,
                  SaleArrowSchema.INSTANCE,
                  Sale::of)
              .cache();
      System.out.printf(Locale.ROOT, "cached %,d rows%n", input.count());

      Encoder<Sale> sales = SparkArrow.encoder(SaleArrowSchema.INSTANCE);
      Encoder<Sale.Value> values = SparkArrow.encoder(Sale_ValueArrowSchema.INSTANCE);
      StructType valueSchema = values.schema();

      Map<String, Supplier<Dataset<Row>>> cases = new LinkedHashMap<>();
      cases.put("Spark SQL expressions (ceiling)", () ->
          input.selectExpr(
              "store", "quantity * price * CASE WHEN id % 10 = 0 THEN 0.9D ELSE 1.0D END AS value"));
      // Rows to Arrow and back with nothing in between, then the SQL: the conversion's share.
      cases.put("mapInArrow identity, then the SQL", () ->
          SparkArrow.mapInArrow(input, input.schema(), (batches, context) -> batches)
              .selectExpr("store",
                  "quantity * price * CASE WHEN id % 10 = 0 THEN 0.9D ELSE 1.0D END AS value"));
      cases.put("SparkArrow.mapBatches, typed access", () ->
          SparkArrow.mapBatches(input, SaleArrowSchema.INSTANCE, Sale_ValueArrowSchema.INSTANCE,
              (SaleArrowReader in, Sale_ValueArrowWriter out) -> {
                for (int row = 0; row < in.rowCount(); row++) {
                  long id = in.id(row);
                  out.write(new Sale.Value(in.store(row),
                      Sale.value(id, in.quantity(row), in.price(row))));
                }
              }));
      cases.put("SparkArrow.mapRecords", () ->
          SparkArrow.mapRecords(input, SaleArrowSchema.INSTANCE, Sale_ValueArrowSchema.INSTANCE,
              Sale.Value::of));
      cases.put("Dataset<Sale>.map, SparkArrow.encoder", () ->
          input.as(sales).map((MapFunction<Sale, Sale.Value>) Sale.Value::of, values).toDF());
      cases.put("Dataset<Row>.map, Row encoder", () ->
          input.map(
                  (MapFunction<Row, Row>) r -> RowFactory.create(
                      r.getLong(3), Sale.value(r.getLong(0), r.getInt(1), r.getDouble(2))),
                  Encoders.row(valueSchema))
              .toDF());
      cases.put("Dataset<Bean>.map, Encoders.bean", () ->
          input.as(Encoders.bean(SaleBeans.SaleBean.class))
              .map((MapFunction<SaleBeans.SaleBean, SaleBeans.ValueBean>) SaleBeans.ValueBean::of,
                  Encoders.bean(SaleBeans.ValueBean.class))
              .toDF());

      // Round-robin: every round runs every case once, so drift hits all cases alike.
      Map<String, List<Long>> times = new LinkedHashMap<>();
      cases.keySet().forEach(name -> times.put(name, new ArrayList<>()));
      double expected = Double.NaN;
      for (int round = -3; round < runs; round++) {
        for (Map.Entry<String, Supplier<Dataset<Row>>> c : cases.entrySet()) {
          long start = System.nanoTime();
          double total = c.getValue().get().agg(sum("value")).first().getDouble(0);
          long elapsed = System.nanoTime() - start;
          if (Double.isNaN(expected)) {
            expected = total;
          } else if (Math.abs(total - expected) > Math.abs(expected) * 1e-9) {
            throw new IllegalStateException(c.getKey() + " computed " + total + ", not " + expected);
          }
          if (round >= 0) {
            times.get(c.getKey()).add(elapsed);
          }
        }
      }
      Map<String, Double> medians = new LinkedHashMap<>();
      for (Map.Entry<String, List<Long>> t : times.entrySet()) {
        long[] sorted = t.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
        medians.put(t.getKey(), (double) sorted[sorted.length / 2]);
        System.out.printf(Locale.ROOT, "%-40s runs (ms): %s%n", t.getKey(),
            Arrays.toString(t.getValue().stream().mapToLong(x -> x / 1_000_000).toArray()));
      }

      // Stages of the Arrow path, each timed alone (median of the same number of runs).
      Map<String, Runnable> stages = new LinkedHashMap<>();
      stages.put("cached rows only (toRdd().count())", () -> input.queryExecution().toRdd().count());
      stages.put("rows into Arrow batches (mapInArrow consuming, no output)", () ->
          SparkArrow.mapInArrow(input, new StructType(), SparkMapBenchmark::consume).count());
      // Input that is not columnar (a filter over the cache): rows into Arrow, ours and Spark's.
      Dataset<Row> filtered = input.filter("id >= 0");
      stages.put("filtered rows only (toRdd().count())", () ->
          filtered.queryExecution().toRdd().count());
      stages.put("filtered rows into Arrow batches (mapInArrow consuming, no output)", () ->
          SparkArrow.mapInArrow(filtered, new StructType(), SparkMapBenchmark::consume).count());
      StructType schema = input.schema();
      stages.put("filtered rows into Arrow batches by Spark's ArrowWriter", () ->
          filtered.queryExecution().toRdd().toJavaRDD()
              .mapPartitions(partition -> sparkArrowWriter(partition, schema)).count());
      Map<String, Double> stageMedians = new LinkedHashMap<>();
      for (Map.Entry<String, Runnable> stage : stages.entrySet()) {
        List<Long> runsOf = new ArrayList<>();
        for (int round = -3; round < runs; round++) {
          long start = System.nanoTime();
          stage.getValue().run();
          if (round >= 0) {
            runsOf.add(System.nanoTime() - start);
          }
        }
        long[] sorted = runsOf.stream().mapToLong(Long::longValue).sorted().toArray();
        stageMedians.put(stage.getKey(), (double) sorted[sorted.length / 2]);
      }

      double ceiling = medians.values().iterator().next();
      System.out.printf(Locale.ROOT, "%n%,d rows, median of %d runs, local[2], %s %s%n", rows, runs,
          System.getProperty("java.vm.name"), System.getProperty("java.version"));
      System.out.printf(Locale.ROOT, "| case | rows/s | fraction of SQL | ns/row above SQL |%n");
      System.out.printf(Locale.ROOT, "|---|---:|---:|---:|%n");
      for (Map.Entry<String, Double> m : medians.entrySet()) {
        double nanos = m.getValue();
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f |%n", m.getKey(),
            rows / (nanos / 1e9), ceiling / nanos, (nanos - ceiling) / rows);
      }
      System.out.printf(Locale.ROOT, "%nstages alone:%n");
      for (Map.Entry<String, Double> m : stageMedians.entrySet()) {
        System.out.printf(Locale.ROOT, "| %s | %.1f ns/row |%n", m.getKey(), m.getValue() / rows);
      }
    } finally {
      spark.stop();
    }
  }

  /** Rows into Arrow batches of 10,000 by Spark's ArrowWriter, as PySpark's mapInArrow does. */
  private static Iterator<Long> sparkArrowWriter(Iterator<InternalRow> rows, StructType schema) {
    long count = 0;
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root =
            VectorSchemaRoot.create(ArrowUtils.toArrowSchema(schema, "UTC", true, false), allocator)) {
      ArrowWriter writer = ArrowWriter.create(root);
      while (rows.hasNext()) {
        writer.reset();
        for (int i = 0; i < 10_000 && rows.hasNext(); i++) {
          writer.write(rows.next());
        }
        writer.finish();
        count += root.getRowCount();
      }
    }
    return List.of(count).iterator();
  }

  /** Reads every input batch and returns nothing. */
  private static Iterator<VectorSchemaRoot> consume(
      Iterator<VectorSchemaRoot> batches, ArrowTaskContext context) {
    long rows = 0;
    while (batches.hasNext()) {
      rows += batches.next().getRowCount();
    }
    return Collections.emptyIterator();
  }
}

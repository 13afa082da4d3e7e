package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.runtime.KeyedRoot;
import io.github.sparkarrow.runtime.StringKeys;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.util.ArrowUtils;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Issue 8's mixed-type record ({@link Ride}: long, string with nulls, timestamp, date, double,
 * DECIMAL(10,2), int, string) read back from one Arrow batch on one thread, the part of {@code
 * mapRecords} that is the generated reader's, side by side with Spark's way (the batch's rows
 * through {@code Encoders.bean}'s deserializer) and with the typed accessors; and the reader over
 * the same batch with its strings keyed by a dictionary, as the Spark input keys a Parquet column
 * chunk's or the cache's dictionary-encoded strings (one {@code String} per entry). Each case reads the
 * batch {@code passes} times per round; the score is the thread's CPU time per row (this VM's
 * wall clock moves with its neighbours more than its CPU time does), the minimum and the median
 * of the rounds after the first third (JIT warm-up).
 *
 * <p>{@code mvn -B -ntp -pl integration-tests -am package -DskipTests -Pbench
 * -Dbench.main=io.github.sparkarrow.it.bench.MixedReadBenchmark -Dbench.args="4096 200 30"}
 * (rows per batch, passes per round, rounds).
 */
public final class MixedReadBenchmark {

  private MixedReadBenchmark() {}

  /** The rows of {@code MixedInputBenchmark}'s Parquet file, made in Java. */
  static List<Ride> rides(int rows) {
    List<Ride> rides = new ArrayList<>(rows);
    for (long id = 0; id < rows; id++) {
      rides.add(new Ride(id, id % 9 == 0 ? null : "vendor-" + id % 13,
          Instant.parse("2024-01-01T00:00:00Z").plusSeconds(id),
          LocalDate.of(2024, 1, 1).plusDays(id % 365), id % 977 / 10.0,
          BigDecimal.valueOf(id % 100_000, 2), (int) (id % 4 + 1), "zone " + id % 263));
    }
    return rides;
  }

  public static void main(String[] args) {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    List<Ride> rides = rides(rows);
    try (BufferAllocator allocator = new RootAllocator();
        RideArrowWriter writer = RideArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.writeAll(rides);
      VectorSchemaRoot batch = writer.finish();
      RideArrowReader reader = RideArrowSchema.INSTANCE.newReader(batch);
      // The same vectors keyed as the Spark input keys dictionary-encoded strings (a Parquet
      // chunk's or the cache's): the value's index in a dictionary of first appearances.
      KeyedRoot keyedBatch = new KeyedRoot(batch.getSchema().getFields(), batch.getFieldVectors());
      keyedBatch.setRowCount(rows);
      for (int column : new int[] {1, 7}) {
        StringKeys keys = keyedBatch.keys(column);
        Map<Object, Integer> dictionary = new HashMap<>();
        keys.startBatch(rows);
        for (int row = 0; row < rows; row++) {
          Object value = batch.getVector(column).getObject(row);
          keys.key(row, value == null ? -1 : dictionary.computeIfAbsent(value, v -> dictionary.size()));
        }
        keys.endBatch(rows);
      }
      RideArrowReader keyedReader = RideArrowSchema.INSTANCE.newReader(keyedBatch);

      // Spark's way: the bean's own schema and batch, read through ColumnarBatch rows.
      @SuppressWarnings("unchecked")
      ExpressionEncoder<RideBeans.RideBean> encoder =
          (ExpressionEncoder<RideBeans.RideBean>) Encoders.bean(RideBeans.RideBean.class);
      try (VectorSchemaRoot sparkRoot = VectorSchemaRoot.create(
          ArrowUtils.toArrowSchema(encoder.schema(), "UTC", true, false), allocator)) {
        ArrowWriter sparkWriter = ArrowWriter.create(sparkRoot);
        ExpressionEncoder.Serializer<RideBeans.RideBean> serializer = encoder.createSerializer();
        for (Ride ride : rides) {
          sparkWriter.write(serializer.apply(RideBeans.RideBean.of(ride)));
        }
        sparkWriter.finish();
        List<FieldVector> vectors = sparkRoot.getFieldVectors();
        ColumnVector[] columns = new ColumnVector[vectors.size()];
        for (int i = 0; i < columns.length; i++) {
          columns[i] = new ArrowColumnVector(vectors.get(i));
        }
        ColumnarBatch sparkBatch = new ColumnarBatch(columns, sparkRoot.getRowCount());
        ExpressionEncoder.Deserializer<RideBeans.RideBean> deserializer =
            encoder
                .resolveAndBind(encoder.resolveAndBind$default$1(), encoder.resolveAndBind$default$2())
                .createDeserializer();

        Object[] sink = new Object[rows];
        double[] sum = new double[1];
        // One loop per case, so no call inside a loop sees more than one case's code.
        Map<String, Runnable> cases = new LinkedHashMap<>();
        cases.put("generated reader, get(row)", () -> {
          for (int row = 0; row < rows; row++) {
            sink[row] = reader.get(row);
          }
        });
        cases.put("generated reader, get(row), strings keyed by a dictionary", () -> {
          for (int row = 0; row < rows; row++) {
            sink[row] = keyedReader.get(row);
          }
        });
        cases.put("rowIterator + Encoders.bean deserializer", () -> {
          Iterator<InternalRow> it = sparkBatch.rowIterator();
          for (int row = 0; it.hasNext(); row++) {
            sink[row] = deserializer.apply(it.next());
          }
        });
        cases.put("generated reader, typed access (the benchmark's charge)", () -> {
          double total = 0;
          for (int row = 0; row < rows; row++) {
            total += Ride.charge(reader.distance(row), reader.passengers(row), reader.fare(row))
                + reader.id(row);
          }
          sum[0] += total;
        });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%,d rows per batch, %d passes per round, %d rounds, %s %s%n",
            rows, passes, rounds, System.getProperty("java.vm.name"),
            System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "| case | ns/row, min | ns/row, median |%n|---|---:|---:|%n");
        for (Map.Entry<String, Runnable> c : cases.entrySet()) {
          List<Double> times = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int pass = 0; pass < passes; pass++) {
              c.getValue().run();
            }
            times.add((threads.getCurrentThreadCpuTime() - start) / (double) passes / rows);
          }
          List<Double> steady = new ArrayList<>(times.subList(rounds / 3, rounds));
          steady.sort(null);
          System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", c.getKey(), steady.get(0),
              steady.get(steady.size() / 2));
        }
        if (sink[rows - 1] == null && sum[0] == 42) {
          System.out.println(); // keeps both alive
        }
      }
    }
  }
}

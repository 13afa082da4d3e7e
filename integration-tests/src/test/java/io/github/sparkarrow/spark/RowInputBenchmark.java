package io.github.sparkarrow.spark;

import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.apache.spark.unsafe.types.UTF8String;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spark rows into one Arrow batch of 10,000: the runtime's {@link RowCopier} (package-private,
 * hence this package) against Spark's {@code ArrowWriter}, on the same {@code UnsafeRow}s.
 * Scores are per batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RowInputBenchmark {

  private static final int ROWS = 10_000;

  /** Four numbers (the Spark map benchmark's sale), or two strings and two numbers. */
  @Param({"numbers", "strings"})
  public String columns;

  private BufferAllocator allocator;
  private InternalRow[] rows;
  private VectorSchemaRoot copierRoot;
  private VectorSchemaRoot writerRoot;
  private RowCopier copier;
  private ArrowWriter writer;

  @Setup(Level.Trial)
  public void setUp() {
    boolean numbers = columns.equals("numbers");
    StructType type =
        StructType.fromDDL(
            numbers
                ? "id BIGINT, quantity INT, price DOUBLE, store BIGINT"
                : "id BIGINT, name STRING, city STRING, price DOUBLE");
    UnsafeProjection toUnsafe = UnsafeProjection.create(type);
    rows = new InternalRow[ROWS];
    for (int i = 0; i < ROWS; i++) {
      Object[] values =
          numbers
              ? new Object[] {(long) i, i % 7 + 1, (i % 1000) * 0.1, (long) (i % 100)}
              : new Object[] {
                (long) i,
                UTF8String.fromString("customer " + i),
                i % 10 == 0 ? null : UTF8String.fromString("Springfield"),
                i * 0.5
              };
      rows[i] = toUnsafe.apply(new GenericInternalRow(values)).copy();
    }
    allocator = new RootAllocator();
    copierRoot =
        VectorSchemaRoot.create(ArrowUtils.toArrowSchema(type, "UTC", true, false), allocator);
    writerRoot =
        VectorSchemaRoot.create(ArrowUtils.toArrowSchema(type, "UTC", true, false), allocator);
    copier = RowCopier.into(copierRoot);
    writer = ArrowWriter.create(writerRoot);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    copierRoot.close();
    writerRoot.close();
    allocator.close();
  }

  @Benchmark
  public VectorSchemaRoot rowCopier() {
    copier.reset();
    for (InternalRow row : rows) {
      copier.write(row);
    }
    return copier.finish();
  }

  @Benchmark
  public VectorSchemaRoot sparkArrowWriter() {
    writer.reset();
    for (InternalRow row : rows) {
      writer.write(row);
    }
    writer.finish();
    return writerRoot;
  }
}

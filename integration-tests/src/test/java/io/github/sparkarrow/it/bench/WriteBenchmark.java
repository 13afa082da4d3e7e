package io.github.sparkarrow.it.bench;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.util.ArrowUtils;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Records into a batch, five ways, on the same data. Scores are per batch; divide by {@code
 * batchSize} for ns/row (the README's table does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 12, time = 1)
@Measurement(iterations = 5, time = 1)
// Forked JVMs inherit the host JVM's flags (the Spark/Arrow --add-opens of pom.xml).
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class WriteBenchmark {

  @Param({"4096", "65536"})
  public int batchSize;

  private BufferAllocator allocator;
  private List<BenchRecord> records;
  private List<BenchBean> beans;
  private BenchRecordArrowWriter generated;
  private HandWrittenWriter handWritten;
  private VectorSchemaRoot sparkRoot;
  private ArrowWriter sparkWriter;
  private ExpressionEncoder.Serializer<BenchBean> beanSerializer;
  private ObjectWriter jsonLines;
  private ByteArrayOutputStream json;
  private ArrowBuf copySource;
  private ArrowBuf copyTarget;
  private long batchBytes;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    allocator = new RootAllocator();
    records = BenchData.records(batchSize);
    beans = records.stream().map(BenchBean::of).toList();
    generated = BenchRecordArrowSchema.INSTANCE.newWriter(allocator);
    handWritten = new HandWrittenWriter(allocator);

    ExpressionEncoder<BenchBean> encoder = (ExpressionEncoder<BenchBean>) Encoders.bean(BenchBean.class);
    beanSerializer = encoder.createSerializer();
    sparkRoot =
        VectorSchemaRoot.create(
            ArrowUtils.toArrowSchema(encoder.schema(), "UTC", true, false), allocator);
    sparkWriter = ArrowWriter.create(sparkRoot);

    jsonLines = BenchData.jackson().writerFor(BenchRecord.class).withRootValueSeparator("\n");
    json = new ByteArrayOutputStream(batchSize * 300);

    // The memory limit: copying as many bytes as the generated batch holds.
    generated.writeAll(records);
    VectorSchemaRoot batch = generated.finish();
    for (FieldVector vector : batch.getFieldVectors()) {
      batchBytes += vector.getBufferSize();
    }
    generated.reset();
    copySource = allocator.buffer(batchBytes);
    copyTarget = allocator.buffer(batchBytes);
    copySource.setZero(0, batchBytes);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.printf("%nbatch of %d rows = %d bytes of Arrow buffers%n", batchSize, batchBytes);
    copySource.close();
    copyTarget.close();
    generated.close();
    handWritten.close();
    sparkRoot.close();
    allocator.close();
  }

  @Benchmark
  public VectorSchemaRoot generatedWriter() {
    generated.reset();
    for (BenchRecord record : records) {
      generated.write(record);
    }
    return generated.finish();
  }

  @Benchmark
  public VectorSchemaRoot handWrittenArrow() {
    handWritten.reset();
    for (BenchRecord record : records) {
      handWritten.write(record);
    }
    return handWritten.finish();
  }

  @Benchmark
  public VectorSchemaRoot beanEncoderAndSparkArrowWriter() {
    sparkWriter.reset();
    for (BenchBean bean : beans) {
      sparkWriter.write(beanSerializer.apply(bean));
    }
    sparkWriter.finish();
    return sparkRoot;
  }

  @Benchmark
  public int jacksonJsonLines() throws IOException {
    json.reset();
    try (SequenceWriter lines = jsonLines.writeValues(json)) {
      for (BenchRecord record : records) {
        lines.write(record);
      }
    }
    return json.size();
  }

  @Benchmark
  public ArrowBuf plainCopy() {
    copyTarget.setBytes(0, copySource, 0, batchBytes);
    return copyTarget;
  }
}

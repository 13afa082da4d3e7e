package io.github.sparkarrow.it.bench;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/** A batch back into Java objects, four ways, on the same data. Scores are per batch. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
// Forked JVMs inherit the host JVM's flags (the Spark/Arrow --add-opens of pom.xml).
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ReadBenchmark {

  @Param({"4096", "65536"})
  public int batchSize;

  private BufferAllocator allocator;
  private BenchRecordArrowWriter writer;
  private BenchRecordArrowReader reader;
  private VectorSchemaRoot sparkRoot;
  private ColumnarBatch sparkBatch;
  private ExpressionEncoder.Deserializer<BenchBean> beanDeserializer;
  private ObjectReader jsonLines;
  private byte[] json;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    allocator = new RootAllocator();
    List<BenchRecord> records = BenchData.records(batchSize);
    writer = BenchRecordArrowSchema.INSTANCE.newWriter(allocator);
    writer.writeAll(records);
    reader = BenchRecordArrowSchema.INSTANCE.newReader(writer.finish());

    // Spark's path: the bean's own schema and batch, read through ColumnarBatch rows.
    ExpressionEncoder<BenchBean> encoder = (ExpressionEncoder<BenchBean>) Encoders.bean(BenchBean.class);
    sparkRoot =
        VectorSchemaRoot.create(
            ArrowUtils.toArrowSchema(encoder.schema(), "UTC", true, false), allocator);
    ArrowWriter sparkWriter = ArrowWriter.create(sparkRoot);
    ExpressionEncoder.Serializer<BenchBean> serializer = encoder.createSerializer();
    for (BenchRecord record : records) {
      sparkWriter.write(serializer.apply(BenchBean.of(record)));
    }
    sparkWriter.finish();
    List<FieldVector> vectors = sparkRoot.getFieldVectors();
    ColumnVector[] columns = new ColumnVector[vectors.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new ArrowColumnVector(vectors.get(i));
    }
    sparkBatch = new ColumnarBatch(columns, sparkRoot.getRowCount());
    beanDeserializer =
        encoder
            .resolveAndBind(encoder.resolveAndBind$default$1(), encoder.resolveAndBind$default$2())
            .createDeserializer();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var lines =
        BenchData.jackson().writerFor(BenchRecord.class).withRootValueSeparator("\n").writeValues(out)) {
      lines.writeAll(records);
    }
    json = out.toByteArray();
    jsonLines = BenchData.jackson().readerFor(BenchRecord.class);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    writer.close();
    sparkRoot.close(); // the ArrowColumnVectors' vectors
    allocator.close();
  }

  @Benchmark
  public void generatedGet(Blackhole blackhole) {
    for (int row = 0; row < reader.rowCount(); row++) {
      blackhole.consume(reader.get(row));
    }
  }

  @Benchmark
  public long generatedTypedSum() {
    long sum = 0;
    for (int row = 0; row < reader.rowCount(); row++) {
      sum += reader.id(row) + reader.quantity(row) + reader.discountOr(row, 0);
    }
    return sum;
  }

  @Benchmark
  public void rowIteratorAndBeanDeserializer(Blackhole blackhole) {
    Iterator<InternalRow> rows = sparkBatch.rowIterator();
    while (rows.hasNext()) {
      blackhole.consume(beanDeserializer.apply(rows.next()));
    }
  }

  @Benchmark
  public void jacksonJsonLines(Blackhole blackhole) throws IOException {
    try (MappingIterator<BenchRecord> records = jsonLines.readValues(json)) {
      while (records.hasNext()) {
        blackhole.consume(records.next());
      }
    }
  }
}

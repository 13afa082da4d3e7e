package io.github.sparkarrow.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Validator;
import org.apache.arrow.vector.validate.ValidateVectorBufferVisitor;
import org.apache.arrow.vector.validate.ValidateVectorDataVisitor;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The row copier writes exactly what Spark's {@code ArrowWriter} writes for the same rows. */
class RowCopierTest {

  private static final StructType FLAT =
      StructType.fromDDL(
          "flag BOOLEAN, tiny TINYINT, small SMALLINT, number INT, big BIGINT, real FLOAT,"
              + " precise DOUBLE, day DATE, at TIMESTAMP, local TIMESTAMP_NTZ, text STRING,"
              + " raw BINARY, money DECIMAL(10,2), tiny_money DECIMAL(5,2), huge DECIMAL(38,6),"
              + " id BIGINT NOT NULL");

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close(); // fails the test if a buffer leaked
  }

  /** Row counts around the vectors' first capacity (3970 values) and its doubling. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9, 3969, 3970, 3971, 20_000})
  void writesWhatArrowWriterWrites(int rows) {
    List<InternalRow> generic = rows(rows, rows);
    assertSameAsArrowWriter(List.of(generic));
    UnsafeProjection toUnsafe = UnsafeProjection.create(FLAT);
    List<InternalRow> unsafe = new ArrayList<>();
    generic.forEach(row -> unsafe.add(toUnsafe.apply(row).copy()));
    assertSameAsArrowWriter(List.of(unsafe));
  }

  /** A reused batch keeps nothing of the one before: smaller batches after a large one. */
  @Test
  void batchesReuseTheRoot() {
    assertSameAsArrowWriter(List.of(rows(5000, 1), rows(3, 2), rows(0, 3), rows(700, 4)));
  }

  @Test
  void nestedColumnsAreLeftToArrowWriter() {
    for (String ddl : List.of("a INT, s STRUCT<a: INT>", "a ARRAY<INT>", "m MAP<INT, INT>",
        "i INTERVAL DAY TO SECOND")) {
      try (VectorSchemaRoot root = VectorSchemaRoot.create(arrow(StructType.fromDDL(ddl)), allocator)) {
        assertThat(RowCopier.into(root)).as(ddl).isNull();
      }
    }
  }

  private void assertSameAsArrowWriter(List<List<InternalRow>> batches) {
    Schema schema = arrow(FLAT);
    try (VectorSchemaRoot ours = VectorSchemaRoot.create(schema, allocator);
        VectorSchemaRoot spark = VectorSchemaRoot.create(schema, allocator)) {
      RowCopier copier = RowCopier.into(ours);
      assertThat(copier).isNotNull();
      ArrowWriter writer = ArrowWriter.create(spark);
      for (List<InternalRow> batch : batches) {
        copier.reset();
        writer.reset();
        for (InternalRow row : batch) {
          copier.write(row);
          writer.write(row);
        }
        copier.finish();
        writer.finish();
        assertThat(ours.getRowCount()).isEqualTo(batch.size());
        for (FieldVector vector : ours.getFieldVectors()) {
          vector.accept(new ValidateVectorBufferVisitor(), null);
          vector.accept(new ValidateVectorDataVisitor(), null);
        }
        Validator.compareVectorSchemaRoot(ours, spark);
      }
    }
  }

  private static Schema arrow(StructType type) {
    return ArrowUtils.toArrowSchema(type, "UTC", true, false);
  }

  /** Random values, a tenth of them null, strings of 0 to 300 bytes with multi-byte characters. */
  private static List<InternalRow> rows(int count, long seed) {
    Random random = new Random(seed);
    List<InternalRow> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object[] values = {
        random.nextBoolean(),
        (byte) random.nextInt(),
        (short) random.nextInt(),
        random.nextInt(),
        random.nextLong(),
        random.nextFloat() * 1e6f,
        random.nextGaussian() * 1e12,
        random.nextInt(40_000) - 20_000,
        random.nextLong() / 1000,
        random.nextLong() / 1000,
        UTF8String.fromString(text(random)),
        text(random).getBytes(StandardCharsets.UTF_8),
        Decimal.apply(random.nextLong() % 10_000_000_000L, 10, 2),
        Decimal.apply(random.nextInt(200_000) - 100_000, 5, 2),
        Decimal.apply(new BigDecimal(new BigInteger(120, random).negate().add(BigInteger.valueOf(random.nextInt())), 6)),
        (long) i
      };
      for (int v = 0; v < values.length - 1; v++) {
        if (random.nextInt(10) == 0) {
          values[v] = null;
        }
      }
      rows.add(new GenericInternalRow(values));
    }
    return rows;
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(4) == 0 ? 0 : random.nextInt(150);
    for (int i = 0; i < length; i++) {
      text.append(random.nextInt(20) == 0 ? 'é' : (char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }
}

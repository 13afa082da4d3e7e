package io.github.sparkarrow.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The direct output column vectors read exactly what Spark's own {@code ArrowColumnVector} reads. */
class FixedWidthColumnVectorTest {

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close(); // fails the test if a vector leaked
  }

  /** A vector type and how to set a value at an index. */
  record Type(String name, Function<BufferAllocator, BaseFixedWidthVector> make,
      BiConsumer<BaseFixedWidthVector, Integer> set) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Type> TYPES =
      List.of(
          new Type("BIGINT", a -> new BigIntVector("v", a),
              (v, i) -> ((BigIntVector) v).set(i, i * 1_000_003L - 7)),
          new Type("INT", a -> new IntVector("v", a), (v, i) -> ((IntVector) v).set(i, i * 31 - 500)),
          new Type("SMALLINT", a -> new SmallIntVector("v", a),
              (v, i) -> ((SmallIntVector) v).set(i, (short) (i * 7 - 3000))),
          new Type("TINYINT", a -> new TinyIntVector("v", a),
              (v, i) -> ((TinyIntVector) v).set(i, (byte) (i - 100))),
          new Type("DOUBLE", a -> new Float8Vector("v", a), (v, i) -> ((Float8Vector) v).set(i, i / 3.0)),
          new Type("FLOAT", a -> new Float4Vector("v", a), (v, i) -> ((Float4Vector) v).set(i, -i / 7f)),
          new Type("DATE", a -> new DateDayVector("v", a),
              (v, i) -> ((DateDayVector) v).set(i, 18_000 - i)),
          new Type("TIMESTAMP", a -> new TimeStampMicroTZVector("v", a, "UTC"),
              (v, i) -> ((TimeStampMicroTZVector) v).set(i, 1_700_000_000_000_000L + 999L * i)),
          new Type("TIMESTAMP_NTZ", a -> new TimeStampMicroVector("v", a),
              (v, i) -> ((TimeStampMicroVector) v).set(i, -1_000_000L * i)),
          new Type("BOOLEAN", a -> new BitVector("v", a),
              (v, i) -> ((BitVector) v).set(i, i % 3 == 0 ? 1 : 0)));

  /** Every type, with and without nulls, at row counts around a validity byte. */
  static Stream<Arguments> cases() {
    return TYPES.stream()
        .flatMap(type -> Stream.of(0, 1, 7, 8, 9, 1000)
            .flatMap(rows -> Stream.of(true, false).map(nulls -> Arguments.of(type, rows, nulls))));
  }

  @ParameterizedTest(name = "{0}, {1} rows, nulls {2}")
  @MethodSource("cases")
  void readsWhatArrowColumnVectorReads(Type type, int rows, boolean nulls) {
    try (BaseFixedWidthVector vector = type.make().apply(allocator)) {
      vector.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        if (nulls && i % 4 == 1) {
          vector.setNull(i);
        } else {
          type.set().accept(vector, i);
        }
      }
      vector.setValueCount(rows);

      ColumnVector direct = FixedWidthColumnVector.of(vector, rows);
      ArrowColumnVector spark = new ArrowColumnVector(vector);
      assertThat(direct).isInstanceOf(FixedWidthColumnVector.class);
      assertThat(direct.dataType()).isEqualTo(spark.dataType());
      assertThat(direct.hasNull()).isEqualTo(spark.hasNull()).isEqualTo(nulls && rows > 1);
      for (int row = 0; row < rows; row++) {
        assertThat(direct.isNullAt(row)).as("null at row %d", row).isEqualTo(spark.isNullAt(row));
        if (!spark.isNullAt(row)) {
          assertThat(value(direct, row)).as("row %d", row).isEqualTo(value(spark, row));
        }
      }
    }
  }

  @Test
  void otherVectorsAndMismatchedCountsGetSparksOwn() {
    try (VarCharVector text = new VarCharVector("s", allocator);
        BigIntVector longs = new BigIntVector("l", allocator)) {
      text.allocateNew();
      text.setSafe(0, new byte[] {'a'});
      text.setValueCount(1);
      longs.allocateNew(4);
      longs.setValueCount(3);
      assertThat(FixedWidthColumnVector.of(text, 1)).isExactlyInstanceOf(ArrowColumnVector.class);
      assertThat(FixedWidthColumnVector.of(longs, 4)).isExactlyInstanceOf(ArrowColumnVector.class);
      assertThat(FixedWidthColumnVector.of(longs, 3)).isInstanceOf(FixedWidthColumnVector.class);
    }
  }

  /** The value at {@code row} through the getter Spark uses for the column's type. */
  private static Object value(ColumnVector column, int row) {
    DataType type = column.dataType();
    if (type instanceof BooleanType) {
      return column.getBoolean(row);
    } else if (type instanceof ByteType) {
      return column.getByte(row);
    } else if (type instanceof ShortType) {
      return column.getShort(row);
    } else if (type instanceof IntegerType || type instanceof DateType) {
      return column.getInt(row);
    } else if (type instanceof FloatType) {
      return column.getFloat(row);
    } else if (type instanceof DoubleType) {
      return column.getDouble(row);
    }
    return column.getLong(row); // BIGINT, TIMESTAMP, TIMESTAMP_NTZ
  }
}

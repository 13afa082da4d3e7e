package io.github.sparkarrow.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.execution.columnar.ColumnBuilder;
import org.apache.spark.sql.execution.columnar.ColumnBuilder$;
import org.apache.spark.sql.execution.columnar.DefaultCachedBatch;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CachedBatches} reads the columns Spark's own cache builders ({@code ColumnBuilder}, as
 * {@code DefaultCachedBatchSerializer} uses them) write, value for value, and rejects a column it
 * cannot read with an error naming it, never a wrong value.
 */
class CachedBatchesTest {

  private static final int ROWS = 1_000;

  /** Strings that Spark stores pass-through (0), in runs (1) and in a dictionary (2). */
  private static final List<IntFunction<Object>> STRINGS = List.of(
      i -> i % 7 == 0 ? null : UTF8String.fromString(i % 11 == 0 ? "" : "é" + i * 31 + "→"),
      i -> i % 13 == 0 ? null : UTF8String.fromString("run " + i / 50),
      i -> i % 5 == 0 ? null : UTF8String.fromString("vendor " + i % 9));

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void stringsInEachSchemeAreReadAsWritten(int scheme) {
    IntFunction<Object> values = STRINGS.get(scheme);
    byte[] bytes = column(DataTypes.StringType, values, true);
    assertThat(schemeOf(bytes)).as("the scheme Spark chose").isEqualTo(scheme);
    ColumnVector read = decode(DataTypes.StringType, bytes).column(0);
    for (int i = 0; i < ROWS; i++) {
      Object expected = values.apply(i);
      assertThat(read.isNullAt(i)).as("row %d null", i).isEqualTo(expected == null);
      if (expected != null) {
        assertThat(read.getUTF8String(i)).as("row %d", i).isEqualTo(expected);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyOtherTypeIsReadAsWritten(boolean compressed) {
    assertReadAsWritten(DataTypes.createDecimalType(10, 2), compressed,
        i -> i % 3 == 0 ? null : Decimal.apply(i * -123_457L, 10, 2));
    assertReadAsWritten(DataTypes.createDecimalType(5, 2), compressed,
        i -> i % 4 == 0 ? null : Decimal.apply(i * 97L % 99_999, 5, 2));
    assertReadAsWritten(DataTypes.createDecimalType(38, 6), compressed,
        i -> i % 5 == 0 ? null
            : Decimal.apply(new BigDecimal(BigInteger.valueOf(i).pow(9).negate(), 6), 38, 6));
    assertReadAsWritten(DataTypes.BinaryType, compressed,
        i -> i % 6 == 0 ? null : Arrays.copyOf(new byte[] {(byte) i, 0, -1}, i % 4));
    assertReadAsWritten(DataTypes.IntegerType, compressed, i -> i % 8 == 0 ? null : i * 3);
    assertReadAsWritten(DataTypes.TimestampType, compressed,
        i -> i % 9 == 0 ? null : 1_700_000_000_000_000L + i * 1_000_003L);
    assertReadAsWritten(DataTypes.StringType, compressed, i -> null); // nulls only
  }

  @Test
  void anUnknownSchemeIsAnErrorNamingTheColumn() {
    byte[] bytes = column(DataTypes.StringType, STRINGS.get(0), true);
    int nulls = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt(0);
    ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).putInt(4 + 4 * nulls, 9);
    assertThatThrownBy(() -> decode(DataTypes.StringType, bytes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cached column 'c' (STRING)")
        .hasMessageContaining("compression scheme 9")
        .hasMessageContaining("write the DataFrame to Parquet");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void aTruncatedColumnIsAnErrorNotAWrongValue(int scheme) {
    byte[] whole = column(DataTypes.StringType, STRINGS.get(scheme), true);
    byte[] bytes = Arrays.copyOf(whole, whole.length - 3);
    assertThatThrownBy(() -> decode(DataTypes.StringType, bytes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cached column 'c' (STRING) of a batch of " + ROWS + " rows");
  }

  @Test
  void aDictionaryIdOutOfTheDictionaryIsAnError() {
    byte[] bytes = column(DataTypes.StringType, STRINGS.get(2), true);
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    in.putShort(bytes.length - 2, (short) 9); // the last row's id; the dictionary has 9 entries
    assertThatThrownBy(() -> decode(DataTypes.StringType, bytes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dictionary id 9 at row " + (ROWS - 1));
  }

  private static void assertReadAsWritten(
      DataType type, boolean compressed, IntFunction<Object> values) {
    ColumnVector read = decode(type, column(type, values, compressed)).column(0);
    GenericInternalRow row = new GenericInternalRow(1);
    for (int i = 0; i < ROWS; i++) {
      Object expected = values.apply(i);
      assertThat(read.isNullAt(i)).as("%s row %d null", type, i).isEqualTo(expected == null);
      if (expected == null) {
        continue;
      }
      row.update(0, expected);
      Object actual = type instanceof DecimalType decimal
          ? read.getDecimal(i, decimal.precision(), decimal.scale())
          : type == DataTypes.BinaryType ? read.getBinary(i)
          : type == DataTypes.StringType ? read.getUTF8String(i)
          : type == DataTypes.IntegerType ? (Object) read.getInt(i)
          : (Object) read.getLong(i);
      assertThat(actual).as("%s row %d", type, i).isEqualTo(row.get(0, type));
    }
  }

  /** One column of {@link #ROWS} values as Spark's cache builder writes it. */
  private static byte[] column(DataType type, IntFunction<Object> values, boolean compressed) {
    ColumnBuilder builder = ColumnBuilder$.MODULE$.apply(type, 16, "c", compressed);
    GenericInternalRow row = new GenericInternalRow(1);
    for (int i = 0; i < ROWS; i++) {
      row.update(0, values.apply(i));
      builder.appendFrom(row, 0);
    }
    ByteBuffer built = builder.build();
    byte[] bytes = new byte[built.remaining()];
    built.get(bytes);
    return bytes;
  }

  private static int schemeOf(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    return in.getInt(4 + 4 * in.getInt(0));
  }

  private static ColumnarBatch decode(DataType type, byte[] bytes) {
    CachedBatches cache =
        new CachedBatches(null, new int[] {0}, new DataType[] {type}, new String[] {"c"});
    List<CachedBatch> batches = new ArrayList<>();
    batches.add(DefaultCachedBatch.apply(ROWS, new byte[][] {bytes}, null));
    return cache.decode(batches.iterator()).next();
  }
}

package io.github.sparkarrow.spark;

import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.unsafe.Platform;

/**
 * An {@link ArrowColumnVector} over a top-level fixed-width vector (numbers, booleans, dates,
 * timestamps, decimals) that reads the vector's memory directly. Spark's accessors reach each value through
 * an interface call, check its validity bit twice and its buffer's bounds and reference count on
 * every read; whole-stage code reads every output row through here, so those checks are made once
 * per batch instead: the buffers must hold the batch's rows when the vector is made, and must not
 * change or be freed while Spark reads them, which is the contract of an output batch anyway.
 */
final class FixedWidthColumnVector extends ArrowColumnVector {

  private final long validity;
  private final long data;
  private final boolean noNulls;
  /** A decimal vector's precision and scale; 0 for other vectors. */
  private final int precision;
  private final int scale;

  private FixedWidthColumnVector(BaseFixedWidthVector vector, int rows, int width) {
    super(vector);
    long bytes = vector instanceof BitVector ? (rows + 7L) >>> 3 : (long) rows * width;
    this.noNulls = vector.getNullCount() == 0;
    if (vector.getDataBuffer().capacity() < bytes
        || (!noNulls && vector.getValidityBuffer().capacity() < (rows + 7L) >>> 3)) {
      throw new IllegalStateException(
          "the output batch has " + rows + " rows, but the buffers of " + vector.getField()
              + " hold fewer");
    }
    this.validity = vector.getValidityBuffer().memoryAddress();
    this.data = vector.getDataBuffer().memoryAddress();
    this.precision = vector instanceof DecimalVector decimal ? decimal.getPrecision() : 0;
    this.scale = vector instanceof DecimalVector decimal ? decimal.getScale() : 0;
  }

  /**
   * A column vector for Spark over {@code vector}, of a batch of {@code rows} rows: this class
   * where it can, else Spark's own.
   */
  static ColumnVector of(FieldVector vector, int rows) {
    if (vector.getField().getDictionary() == null
        && vector.getValueCount() == rows
        && vector instanceof BaseFixedWidthVector fixed) {
      if (vector instanceof BigIntVector
          || vector instanceof Float8Vector
          || vector instanceof TimeStampMicroTZVector
          || vector instanceof TimeStampMicroVector) {
        return new FixedWidthColumnVector(fixed, rows, 8);
      } else if (vector instanceof IntVector
          || vector instanceof Float4Vector
          || vector instanceof DateDayVector) {
        return new FixedWidthColumnVector(fixed, rows, 4);
      } else if (vector instanceof SmallIntVector) {
        return new FixedWidthColumnVector(fixed, rows, 2);
      } else if (vector instanceof DecimalVector) {
        return new FixedWidthColumnVector(fixed, rows, DecimalVector.TYPE_WIDTH);
      } else if (vector instanceof TinyIntVector || vector instanceof BitVector) {
        return new FixedWidthColumnVector(fixed, rows, 1);
      }
    }
    return new ArrowColumnVector(vector);
  }

  @Override
  public boolean hasNull() {
    return !noNulls;
  }

  // Spark calls only the getter of the column's type.

  @Override
  public boolean isNullAt(int rowId) {
    return !noNulls && !bit(validity, rowId);
  }

  @Override
  public boolean getBoolean(int rowId) {
    return bit(data, rowId);
  }

  @Override
  public byte getByte(int rowId) {
    return Platform.getByte(null, data + rowId);
  }

  @Override
  public short getShort(int rowId) {
    return Platform.getShort(null, data + 2L * rowId);
  }

  @Override
  public int getInt(int rowId) {
    return Platform.getInt(null, data + 4L * rowId);
  }

  @Override
  public long getLong(int rowId) {
    return Platform.getLong(null, data + 8L * rowId);
  }

  @Override
  public float getFloat(int rowId) {
    return Platform.getFloat(null, data + 4L * rowId);
  }

  @Override
  public double getDouble(int rowId) {
    return Platform.getDouble(null, data + 8L * rowId);
  }

  /**
   * A decimal of up to 18 digits from its unscaled long, with no {@code BigDecimal} (Spark's
   * accessor builds one per value). A value beyond that precision (the output of a function or a
   * pipe program is untrusted) fails naming the column and the row, as Spark's accessor fails.
   */
  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    if (isNullAt(rowId)) {
      return null;
    }
    if (precision <= Decimal.MAX_LONG_DIGITS() && precision == this.precision
        && scale == this.scale) {
      long low = Platform.getLong(null, data + 16L * rowId);
      long high = Platform.getLong(null, data + 16L * rowId + 8);
      if (high == low >> 63 && low > -POW10[precision] && low < POW10[precision]) {
        return Decimal.createUnsafe(low, precision, scale);
      }
      throw new ArithmeticException(
          "column '" + getValueVector().getName() + "', row " + rowId + " of an output batch: "
              + super.getDecimal(rowId, 38, scale).toJavaBigDecimal().toPlainString()
              + " does not fit DECIMAL(" + precision + "," + scale + "), the declared type: write"
              + " values that fit, or declare a wider DECIMAL");
    }
    return super.getDecimal(rowId, precision, scale);
  }

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private static boolean bit(long address, int index) {
    return (Platform.getByte(null, address + (index >>> 3)) & (1 << (index & 7))) != 0;
  }
}

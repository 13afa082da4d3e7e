package io.github.sparkarrow.spark;

import java.util.Arrays;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.DecimalUtility;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Spark rows into a batch of flat columns (numbers, booleans, dates, timestamps, decimals,
 * strings, binaries): the fast path for row input, in place of Spark's {@code ArrowWriter}. That writer
 * dispatches to a field writer per value, and each {@code setSafe} computes the vector's room,
 * sets a validity bit and bounds-checks every buffer. Here the room is checked once per row (and
 * per string for its bytes) and values are stored raw, as Spark's own {@code UnsafeRowWriter}
 * does; decimals of up to 18 digits are stored from their unscaled long, with no {@code
 * BigDecimal}. The result is compared with {@code ArrowWriter}'s by the tests. Schemas with any
 * other column (intervals, lists, maps, structs) return no copier and take {@code ArrowWriter}.
 *
 * <p>Not thread-safe; one per task.
 */
final class RowCopier {

  static final int BOOLEAN = 0;
  static final int BYTE = 1;
  static final int SHORT = 2;
  static final int INT = 3;
  static final int LONG = 4;
  static final int FLOAT = 5;
  static final int DOUBLE = 6;
  static final int DECIMAL = 7;
  static final int WIDE_DECIMAL = 8;
  static final int STRING = 9;
  static final int BINARY = 10;

  private final VectorSchemaRoot root;
  private final FieldVector[] vectors;
  private final int[] kinds;
  /** Per column: the address of its validity buffer, of its data, and (strings) of its offsets. */
  private final long[] validity;
  private final long[] data;
  private final long[] offsets;
  /** Per string column: bytes written in this batch. */
  private final int[] ends;
  /** Per decimal column: its precision and scale. */
  private final int[] precisions;
  private final int[] scales;
  private int capacity;
  private int count;

  private RowCopier(VectorSchemaRoot root, int[] kinds) {
    this.root = root;
    this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    this.kinds = kinds;
    this.validity = new long[kinds.length];
    this.data = new long[kinds.length];
    this.offsets = new long[kinds.length];
    this.ends = new int[kinds.length];
    this.precisions = new int[kinds.length];
    this.scales = new int[kinds.length];
    for (int c = 0; c < kinds.length; c++) {
      if (vectors[c] instanceof DecimalVector decimal) {
        precisions[c] = decimal.getPrecision();
        scales[c] = decimal.getScale();
      }
    }
  }

  /** A copier into {@code root}, or null if a column of its schema is not flat. */
  static RowCopier into(VectorSchemaRoot root) {
    Schema schema = root.getSchema();
    int[] kinds = new int[schema.getFields().size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = kind(schema.getFields().get(i));
      if (kinds[i] < 0) {
        return null;
      }
    }
    return new RowCopier(root, kinds);
  }

  /**
   * How a flat Arrow column is copied: one of the kinds above, or -1 for a column that is not
   * flat (or not of a type Spark writes), which must take Spark's {@code ArrowWriter}.
   */
  static int kind(Field field) {
    if (field.getDictionary() != null || !field.getChildren().isEmpty()) {
      return -1;
    }
    ArrowType type = field.getType();
    if (type instanceof ArrowType.Bool) {
      return BOOLEAN;
    } else if (type instanceof ArrowType.Int integer && integer.getIsSigned()) {
      switch (integer.getBitWidth()) {
        case 8:
          return BYTE;
        case 16:
          return SHORT;
        case 32:
          return INT;
        case 64:
          return LONG;
        default:
          return -1;
      }
    } else if (type instanceof ArrowType.FloatingPoint floating) {
      return floating.getPrecision() == FloatingPointPrecision.DOUBLE
          ? DOUBLE
          : floating.getPrecision() == FloatingPointPrecision.SINGLE ? FLOAT : -1;
    } else if (type instanceof ArrowType.Date date) {
      return date.getUnit() == DateUnit.DAY ? INT : -1;
    } else if (type instanceof ArrowType.Timestamp timestamp) {
      return timestamp.getUnit() == TimeUnit.MICROSECOND ? LONG : -1;
    } else if (type instanceof ArrowType.Decimal decimal && decimal.getBitWidth() == 128) {
      return decimal.getPrecision() <= Decimal.MAX_LONG_DIGITS() ? DECIMAL : WIDE_DECIMAL;
    } else if (type instanceof ArrowType.Utf8) {
      return STRING;
    } else if (type instanceof ArrowType.Binary) {
      return BINARY;
    }
    return -1;
  }

  /** Empties the batch, keeping the buffers. */
  void reset() {
    for (FieldVector vector : vectors) {
      vector.reset();
    }
    root.setRowCount(0);
    count = 0;
    capacity = 0; // addresses are taken again on the first row
    Arrays.fill(ends, 0);
  }

  /** Appends one row. */
  void write(InternalRow row) {
    int at = count;
    if (at >= capacity) {
      grow(at);
    }
    for (int c = 0; c < kinds.length; c++) {
      int kind = kinds[c];
      if (row.isNullAt(c)) {
        if (kind >= STRING) {
          Platform.putInt(null, offsets[c] + 4L * (at + 1), ends[c]);
        }
        continue; // the validity bit stays 0: reset() and grow() zero it
      }
      long bits = validity[c] + (at >>> 3);
      Platform.putByte(null, bits, (byte) (Platform.getByte(null, bits) | (1 << (at & 7))));
      switch (kind) {
        case BOOLEAN:
          if (row.getBoolean(c)) {
            long byteAt = data[c] + (at >>> 3);
            Platform.putByte(null, byteAt, (byte) (Platform.getByte(null, byteAt) | (1 << (at & 7))));
          }
          break;
        case BYTE:
          Platform.putByte(null, data[c] + at, row.getByte(c));
          break;
        case SHORT:
          Platform.putShort(null, data[c] + 2L * at, row.getShort(c));
          break;
        case INT:
          Platform.putInt(null, data[c] + 4L * at, row.getInt(c));
          break;
        case LONG:
          Platform.putLong(null, data[c] + 8L * at, row.getLong(c));
          break;
        case FLOAT:
          Platform.putFloat(null, data[c] + 4L * at, row.getFloat(c));
          break;
        case DOUBLE:
          Platform.putDouble(null, data[c] + 8L * at, row.getDouble(c));
          break;
        case DECIMAL:
          // An UnsafeRow keeps a decimal of up to 18 digits as its unscaled long.
          long unscaled =
              row instanceof UnsafeRow
                  ? row.getLong(c)
                  : row.getDecimal(c, precisions[c], scales[c]).toUnscaledLong();
          Platform.putLong(null, data[c] + 16L * at, unscaled);
          Platform.putLong(null, data[c] + 16L * at + 8, unscaled >> 63);
          break;
        case WIDE_DECIMAL:
          DecimalUtility.writeBigDecimalToArrowBuf(
              row.getDecimal(c, precisions[c], scales[c]).toJavaBigDecimal(),
              vectors[c].getDataBuffer(), at, DecimalVector.TYPE_WIDTH);
          break;
        case STRING:
          UTF8String text = row.getUTF8String(c);
          long start = reserve(c, text.numBytes());
          text.writeToMemory(null, start);
          break;
        default:
          byte[] bytes = row.getBinary(c);
          long to = reserve(c, bytes.length);
          Platform.copyMemory(bytes, Platform.BYTE_ARRAY_OFFSET, null, to, bytes.length);
      }
    }
    count = at + 1;
  }

  /** Rows written since the last reset. */
  int count() {
    return count;
  }

  /** Sets the value counts and row count of the batch and returns it. */
  VectorSchemaRoot finish() {
    for (int c = 0; c < kinds.length; c++) {
      if (kinds[c] >= STRING) {
        // Offsets were written raw: tell the vector, or setValueCount would "fill holes" over them.
        ((BaseVariableWidthVector) vectors[c]).setLastSet(count - 1);
      }
    }
    root.setRowCount(count);
    return root;
  }

  /**
   * Makes room for {@code length} more bytes in string column {@code c} for row {@code count},
   * writes its end offset, and returns where its bytes go.
   */
  private long reserve(int c, int length) {
    BaseVariableWidthVector vector = (BaseVariableWidthVector) vectors[c];
    long end = (long) ends[c] + length;
    if (end > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "column '" + vector.getName() + "': the strings of one batch would pass 2 GiB, Arrow's"
              + " limit; lower spark.sql.execution.arrow.maxRecordsPerBatch");
    }
    if (end > vector.getDataBuffer().capacity()) {
      vector.reallocDataBuffer(end);
      data[c] = vector.getDataBuffer().memoryAddress();
    }
    long start = data[c] + ends[c];
    ends[c] = (int) end;
    Platform.putInt(null, offsets[c] + 4L * (count + 1), (int) end);
    return start;
  }

  /** Grows every vector to hold row {@code row}, zeroing new validity bits, and takes addresses. */
  private void grow(int row) {
    int room = Integer.MAX_VALUE;
    for (int c = 0; c < kinds.length; c++) {
      FieldVector vector = vectors[c];
      if (kinds[c] >= STRING) {
        BaseVariableWidthVector strings = (BaseVariableWidthVector) vector;
        while (strings.getValueCapacity() <= row) {
          strings.reallocValidityAndOffsetBuffers();
        }
        offsets[c] = strings.getOffsetBuffer().memoryAddress();
        data[c] = strings.getDataBuffer().memoryAddress();
        if (row == 0) {
          Platform.putInt(null, offsets[c], 0);
        }
      } else {
        BaseFixedWidthVector fixed = (BaseFixedWidthVector) vector;
        while (fixed.getValueCapacity() <= row) {
          fixed.reAlloc(); // new bytes are zeroed
        }
        data[c] = fixed.getDataBuffer().memoryAddress();
      }
      validity[c] = vector.getValidityBuffer().memoryAddress();
      room = Math.min(room, vector.getValueCapacity());
    }
    capacity = room;
  }
}

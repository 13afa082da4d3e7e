package io.github.sparkarrow.spark;

import static io.github.sparkarrow.spark.RowCopier.BINARY;
import static io.github.sparkarrow.spark.RowCopier.BOOLEAN;
import static io.github.sparkarrow.spark.RowCopier.BYTE;
import static io.github.sparkarrow.spark.RowCopier.DECIMAL;
import static io.github.sparkarrow.spark.RowCopier.DOUBLE;
import static io.github.sparkarrow.spark.RowCopier.FLOAT;
import static io.github.sparkarrow.spark.RowCopier.INT;
import static io.github.sparkarrow.spark.RowCopier.LONG;
import static io.github.sparkarrow.spark.RowCopier.SHORT;
import static io.github.sparkarrow.spark.RowCopier.STRING;

import java.util.Arrays;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.DecimalUtility;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Spark's columnar batches into a batch of flat Arrow columns, column by column: the fast path for
 * input that Spark already produces as columns (a Parquet or ORC file scan, a cached DataFrame of
 * numbers). Each column is read through Spark's public {@code ColumnVector} getters (which decode
 * dictionaries and constant partition columns) in one loop per type; the Arrow buffers are checked
 * once per batch to hold it and then written raw, as {@link RowCopier} writes rows. The kinds of
 * column are {@link RowCopier}'s, so both paths cover the same types.
 *
 * <p>Not thread-safe; one per task.
 */
final class ColumnCopier {

  private final VectorSchemaRoot root;
  private final FieldVector[] vectors;
  private final int[] kinds;
  /** Per Arrow column, the index of the Spark column it is copied from. */
  private final int[] columns;
  private final int[] precisions;
  private final int[] scales;
  private final Seen[] seen;

  private ColumnCopier(VectorSchemaRoot root, int[] kinds, int[] columns) {
    this.root = root;
    this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    this.kinds = kinds;
    this.columns = columns;
    this.precisions = new int[kinds.length];
    this.scales = new int[kinds.length];
    this.seen = new Seen[kinds.length];
    for (int c = 0; c < kinds.length; c++) {
      seen[c] = new Seen();
      if (vectors[c] instanceof DecimalVector decimal) {
        precisions[c] = decimal.getPrecision();
        scales[c] = decimal.getScale();
      }
    }
  }

  /**
   * A copier into {@code root} from Spark batches whose column {@code columns[c]} holds Arrow
   * column {@code c}, or null if a column of the schema is not flat.
   */
  static ColumnCopier into(VectorSchemaRoot root, int[] columns) {
    int[] kinds = new int[columns.length];
    for (int c = 0; c < kinds.length; c++) {
      kinds[c] = RowCopier.kind(root.getSchema().getFields().get(c));
      if (kinds[c] < 0) {
        return null;
      }
    }
    return new ColumnCopier(root, kinds, columns);
  }

  /** Rows {@code from} to {@code from + count} of {@code batch}, in place of what the root held. */
  VectorSchemaRoot copy(ColumnarBatch batch, int from, int count) {
    for (int c = 0; c < kinds.length; c++) {
      ColumnVector column = batch.column(columns[c]);
      FieldVector vector = vectors[c];
      if (kinds[c] >= STRING) {
        BaseVariableWidthVector bytes = (BaseVariableWidthVector) vector;
        if (bytes.getValueCapacity() < count) {
          bytes.allocateNew(Math.max(count * 16L, bytes.getDataBuffer().capacity()), count);
        }
        copyBytes(column, from, count, bytes, kinds[c] == STRING, seen[c]);
      } else {
        BaseFixedWidthVector fixed = (BaseFixedWidthVector) vector;
        if (fixed.getValueCapacity() < count) {
          fixed.allocateNew(count);
        }
        copyFixed(column, from, count, fixed, kinds[c], precisions[c], scales[c]);
      }
      long validity = vector.getValidityBuffer().memoryAddress();
      if (column.hasNull()) {
        putBits(validity, count, i -> !column.isNullAt(from + i));
      } else {
        Platform.setMemory(validity, (byte) 0xFF, bitBytes(count));
      }
    }
    root.setRowCount(count);
    return root;
  }

  /** One loop per type; a null slot's value is left as it was (Arrow ignores it). */
  private static void copyFixed(
      ColumnVector column, int from, int count, BaseFixedWidthVector vector, int kind,
      int precision, int scale) {
    long at = vector.getDataBuffer().memoryAddress();
    boolean nulls = column.hasNull();
    switch (kind) {
      case BOOLEAN:
        putBits(at, count, i -> (!nulls || !column.isNullAt(from + i)) && column.getBoolean(from + i));
        break;
      case BYTE:
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            Platform.putByte(null, at + i, column.getByte(from + i));
          }
        }
        break;
      case SHORT:
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            Platform.putShort(null, at + 2L * i, column.getShort(from + i));
          }
        }
        break;
      case INT:
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            Platform.putInt(null, at + 4L * i, column.getInt(from + i));
          }
        }
        break;
      case LONG:
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            Platform.putLong(null, at + 8L * i, column.getLong(from + i));
          }
        }
        break;
      case FLOAT:
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            Platform.putFloat(null, at + 4L * i, column.getFloat(from + i));
          }
        }
        break;
      case DOUBLE:
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            Platform.putDouble(null, at + 8L * i, column.getDouble(from + i));
          }
        }
        break;
      case DECIMAL:
        // Up to 18 digits: the unscaled long, sign-extended to Arrow's 128 bits.
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            long unscaled = column.getDecimal(from + i, precision, scale).toUnscaledLong();
            Platform.putLong(null, at + 16L * i, unscaled);
            Platform.putLong(null, at + 16L * i + 8, unscaled >> 63);
          }
        }
        break;
      default: // WIDE_DECIMAL
        ArrowBuf data = vector.getDataBuffer();
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            Decimal value = column.getDecimal(from + i, precision, scale);
            DecimalUtility.writeBigDecimalToArrowBuf(
                value.toJavaBigDecimal(), data, i, DecimalVector.TYPE_WIDTH);
          }
        }
    }
  }

  /**
   * Strings or binaries: offsets and bytes, the data buffer grown as needed. A dictionary-encoded
   * column (Parquet's usual string encoding) is decoded once per distinct value in the batch:
   * Spark's reader decodes (and copies) an entry on every read, so each later row with the same
   * entry copies the bytes already in the Arrow buffer instead.
   */
  private static void copyBytes(
      ColumnVector column, int from, int count, BaseVariableWidthVector vector, boolean utf8,
      Seen seen) {
    long offsets = vector.getOffsetBuffer().memoryAddress();
    long data = vector.getDataBuffer().memoryAddress();
    long capacity = vector.getDataBuffer().capacity();
    boolean nulls = column.hasNull();
    WritableColumnVector ids =
        column instanceof WritableColumnVector writable && writable.hasDictionary()
            ? writable.getDictionaryIds()
            : null;
    if (ids != null) {
      seen.nextBatch();
    }
    long end = 0;
    Platform.putInt(null, offsets, 0);
    for (int i = 0; i < count; i++) {
      if (!nulls || !column.isNullAt(from + i)) {
        int id = ids == null ? -1 : ids.getDictId(from + i);
        long earlier = id < 0 ? -1 : seen.start(id);
        UTF8String text = null;
        byte[] binary = null;
        int length;
        if (earlier >= 0) {
          length = seen.length(id);
        } else if (utf8) {
          text = column.getUTF8String(from + i);
          length = text.numBytes();
        } else {
          binary = column.getBinary(from + i);
          length = binary.length;
        }
        if (end + length > capacity) {
          if (end + length > Integer.MAX_VALUE) {
            throw new IllegalStateException(
                "column '" + vector.getName() + "': the values of one batch would pass 2 GiB,"
                    + " Arrow's limit; lower spark.sql.execution.arrow.maxRecordsPerBatch");
          }
          vector.reallocDataBuffer(Math.max(end + length, capacity * 2));
          data = vector.getDataBuffer().memoryAddress();
          capacity = vector.getDataBuffer().capacity();
        }
        if (earlier >= 0) {
          Platform.copyMemory(null, data + earlier, null, data + end, length);
        } else {
          if (text != null) {
            text.writeToMemory(null, data + end);
          } else {
            Platform.copyMemory(binary, Platform.BYTE_ARRAY_OFFSET, null, data + end, length);
          }
          if (id >= 0) {
            seen.put(id, end, length);
          }
        }
        end += length;
      }
      Platform.putInt(null, offsets + 4L * (i + 1), (int) end);
    }
    // Offsets were written raw: tell the vector, or setValueCount would "fill holes" over them.
    vector.setLastSet(count - 1);
  }

  /** Where each dictionary entry's bytes were first written in the current batch, by id. */
  private static final class Seen {
    private int[] batchOf = new int[0];
    private long[] starts = new long[0];
    private int[] lengths = new int[0];
    private int batch;

    void nextBatch() {
      batch++;
    }

    /** The offset of entry {@code id}'s bytes in this batch, or -1 if not written yet. */
    long start(int id) {
      return id < batchOf.length && batchOf[id] == batch ? starts[id] : -1;
    }

    int length(int id) {
      return lengths[id];
    }

    void put(int id, long start, int length) {
      if (id >= batchOf.length) {
        int size = Math.max(id + 1, batchOf.length * 2);
        batchOf = Arrays.copyOf(batchOf, size);
        starts = Arrays.copyOf(starts, size);
        lengths = Arrays.copyOf(lengths, size);
      }
      batchOf[id] = batch;
      starts[id] = start;
      lengths[id] = length;
    }
  }

  /** Arrow's bit layout (least significant bit first) of {@code count} booleans at an address. */
  private static void putBits(long address, int count, IntPredicate bit) {
    for (int start = 0; start < count; start += 8) {
      int bits = 0;
      for (int i = 0; i < 8 && start + i < count; i++) {
        if (bit.test(start + i)) {
          bits |= 1 << i;
        }
      }
      Platform.putByte(null, address + (start >>> 3), (byte) bits);
    }
  }

  private static long bitBytes(int count) {
    return (count + 7L) >>> 3;
  }
}

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

import io.github.sparkarrow.runtime.KeyedRoot;
import io.github.sparkarrow.runtime.StringKeys;
import java.lang.reflect.Field;
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
 * input read as columns (a Parquet or ORC file scan, a cached DataFrame decoded by {@link
 * CachedBatches}). Each column is read through Spark's public {@code ColumnVector} getters (which
 * decode dictionaries and constant partition columns) in one loop per type; the Arrow buffers are
 * checked once per batch to hold it and then written raw, as {@link RowCopier} writes rows. The
 * kinds of column are {@link RowCopier}'s, so both paths cover the same types.
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
  private final Decoded[] decoded;
  /** Per Arrow column, its keys if the root is a {@link KeyedRoot} and it holds strings. */
  private final StringKeys[] keys;

  private ColumnCopier(VectorSchemaRoot root, int[] kinds, int[] columns) {
    this.root = root;
    this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
    this.kinds = kinds;
    this.columns = columns;
    this.precisions = new int[kinds.length];
    this.scales = new int[kinds.length];
    this.decoded = new Decoded[kinds.length];
    this.keys = new StringKeys[kinds.length];
    for (int c = 0; c < kinds.length; c++) {
      decoded[c] = new Decoded();
      if (root instanceof KeyedRoot keyed) {
        keys[c] = keyed.keys(c);
      }
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
        copyBytes(column, from, count, bytes, kinds[c] == STRING, decoded[c], keys[c]);
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
        // Up to 18 digits: the unscaled long, sign-extended to Arrow's 128 bits. Spark's own
        // vectors (a Parquet scan's) hold it as an int up to 9 digits and a long above, the
        // storage their getDecimal reads (dictionaries included), without the Decimal it makes
        // per value; other vectors (ORC's) go through getDecimal.
        boolean ints = precision <= Decimal.MAX_INT_DIGITS();
        boolean raw = column instanceof WritableColumnVector;
        for (int i = 0; i < count; i++) {
          if (!nulls || !column.isNullAt(from + i)) {
            long unscaled = !raw
                ? column.getDecimal(from + i, precision, scale).toUnscaledLong()
                : ints ? column.getInt(from + i) : column.getLong(from + i);
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
   * column (Parquet's usual string encoding) is decoded once per entry for as long as its
   * dictionary lasts (a column chunk): Spark's reader decodes (and copies) an entry on every read.
   * With {@code keyed} (a {@link KeyedRoot}'s string column), the rows are keyed by their
   * dictionary ids, so a reader builds one {@code String} per entry; else it is null.
   */
  private static void copyBytes(
      ColumnVector column, int from, int count, BaseVariableWidthVector vector, boolean utf8,
      Decoded decoded, StringKeys keyed) {
    long offsets = vector.getOffsetBuffer().memoryAddress();
    long data = vector.getDataBuffer().memoryAddress();
    long capacity = vector.getDataBuffer().capacity();
    boolean nulls = column.hasNull();
    WritableColumnVector ids = null;
    if (column instanceof WritableColumnVector writable && writable.hasDictionary()) {
      ids = writable.getDictionaryIds();
      if (decoded.use(writable) && keyed != null) {
        keyed.newDictionary();
      }
    }
    if (keyed != null) {
      if (ids != null) {
        keyed.startBatch(count);
      } else {
        keyed.unkeyed();
      }
    }
    long end = 0;
    Platform.putInt(null, offsets, 0);
    for (int i = 0; i < count; i++) {
      if (!nulls || !column.isNullAt(from + i)) {
        Object base;
        long address;
        int length;
        if (ids != null) {
          int id = ids.getDictId(from + i);
          address = Platform.BYTE_ARRAY_OFFSET + decoded.start(id, from + i); // may grow bytes()
          base = decoded.bytes();
          length = decoded.length(id);
          if (keyed != null) {
            keyed.key(i, id);
          }
        } else if (utf8) {
          UTF8String text = column.getUTF8String(from + i);
          base = text.getBaseObject();
          address = text.getBaseOffset();
          length = text.numBytes();
        } else {
          byte[] binary = column.getBinary(from + i);
          base = binary;
          address = Platform.BYTE_ARRAY_OFFSET;
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
        Platform.copyMemory(base, address, null, data + end, length);
        end += length;
      } else if (keyed != null && ids != null) {
        keyed.key(i, -1);
      }
      Platform.putInt(null, offsets + 4L * (i + 1), (int) end);
    }
    // Offsets were written raw: tell the vector, or setValueCount would "fill holes" over them.
    vector.setLastSet(count - 1);
    if (keyed != null && ids != null) {
      keyed.endBatch(count);
    }
  }

  /**
   * The entries of one column's dictionary decoded so far, each once, kept while the dictionary
   * lasts. Spark's Parquet reader wraps the column chunk's dictionary anew for every batch, so the
   * chunk's own dictionary (a field of the wrapper, read reflectively: Spark has no getter) says
   * whether it is still the same one; any other dictionary (a cached batch's, from {@link
   * CachedBatches}) is its own key. Where it cannot be read, entries are decoded once per batch.
   * It holds at most the entries' bytes, which the reader's own dictionary holds as well.
   */
  private static final class Decoded {
    /** {@code WritableColumnVector.dictionary}, then {@code ParquetDictionary.dictionary}. */
    private static final Field[] CHAIN = chain();

    private Object current;
    private WritableColumnVector column;
    private byte[] bytes = new byte[1 << 12];
    private int used;
    private int[] starts = new int[0];
    private int[] lengths = new int[0];

    /**
     * The batch's column, whose dictionary ids are read next; true if its dictionary is not the
     * last batch's (or cannot be told apart from it).
     */
    boolean use(WritableColumnVector next) {
      column = next;
      Object key = null;
      if (CHAIN != null) {
        try {
          key = CHAIN[0].get(next);
          if (CHAIN[1].getDeclaringClass().isInstance(key)) {
            key = CHAIN[1].get(key); // Parquet's wrapper, new per batch, of the chunk's dictionary
          }
        } catch (IllegalAccessException e) {
          key = null;
        }
      }
      if (key == null || key != current) {
        current = key;
        used = 0;
        Arrays.fill(starts, -1);
        return true;
      }
      return false;
    }

    byte[] bytes() {
      return bytes;
    }

    /** Where the entry of row {@code row} starts in {@link #bytes()}, decoding it if it is new. */
    int start(int id, int row) {
      if (id >= starts.length) {
        int size = Math.max(id + 1, starts.length * 2);
        int old = starts.length;
        starts = Arrays.copyOf(starts, size);
        lengths = Arrays.copyOf(lengths, size);
        Arrays.fill(starts, old, size, -1);
      }
      if (starts[id] < 0) {
        byte[] entry = column.getBinary(row); // the dictionary's decodeToBinary
        if ((long) used + entry.length > Integer.MAX_VALUE - 8) {
          throw new IllegalStateException("a dictionary of more than 2 GiB");
        }
        if (used + entry.length > bytes.length) {
          bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8,
              Math.max((long) used + entry.length, bytes.length * 2L)));
        }
        System.arraycopy(entry, 0, bytes, used, entry.length);
        starts[id] = used;
        lengths[id] = entry.length;
        used += entry.length;
      }
      return starts[id];
    }

    int length(int id) {
      return lengths[id];
    }

    private static Field[] chain() {
      try {
        Field vector = WritableColumnVector.class.getDeclaredField("dictionary");
        Field parquet = Class.forName(
                "org.apache.spark.sql.execution.datasources.parquet.ParquetDictionary")
            .getDeclaredField("dictionary");
        vector.setAccessible(true);
        parquet.setAccessible(true);
        return new Field[] {vector, parquet};
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
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

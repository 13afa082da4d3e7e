package io.github.sparkarrow.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Decodes strings from a {@link VarCharVector} through one reused buffer, so a string costs one
 * copy and the {@code String} itself (Arrow's {@code get} copies into a new array first). Its
 * offsets and bytes are read with one bounds check each, as {@link ArrowValues}' readers do: a
 * row outside the batch, or offsets outside the data (a malformed batch), is an exception. One per
 * generated reader; not thread-safe, like the reader.
 *
 * <p>Over a {@link KeyedRoot}, the keyed rows of a string column share one {@code String} per
 * dictionary entry: the first read of an entry builds it, the next ones return it (so compare
 * strings with {@code equals}, as always, never {@code ==}).
 */
public final class Utf8Reader {

  private static final StringKeys[] NONE = {};

  private byte[] buffer = new byte[64];
  /** The keys of the root's string columns, if it is a {@link KeyedRoot}. */
  private final StringKeys[] keyed;
  /** The index in {@link #keyed} of the column found last. */
  private int last;

  /** A reader of strings from {@code root}'s vectors, using its keys if it is a {@link KeyedRoot}. */
  public Utf8Reader(VectorSchemaRoot root) {
    if (root instanceof KeyedRoot keyedRoot) {
      keyed = IntStream.range(0, root.getFieldVectors().size())
          .mapToObj(keyedRoot::keys)
          .filter(Objects::nonNull)
          .toArray(StringKeys[]::new);
    } else {
      keyed = NONE;
    }
  }

  /** The string at {@code index}, which must not be null. */
  public String read(VarCharVector vector, int index) {
    StringKeys keys = keysOf(vector);
    int key = keys == null ? -1 : keys.keyOf(index);
    if (key < 0) {
      return decode(vector, index);
    }
    String shared = keys.string(key);
    if (shared == null) {
      shared = decode(vector, index);
      keys.remember(key, shared);
    }
    return shared;
  }

  /**
   * The keys of {@code vector}, or null. The search starts at the column found last: a typed
   * accessor reads one column row after row, and a record's columns are read in order, so the
   * column is found at the first or the second look however many string columns there are.
   */
  private StringKeys keysOf(VarCharVector vector) {
    for (int i = 0, at = last; i < keyed.length; i++, at = at + 1 == keyed.length ? 0 : at + 1) {
      if (keyed[at].vector() == vector) {
        last = at;
        return keyed[at];
      }
    }
    return null;
  }

  private String decode(VarCharVector vector, int index) {
    long offsets =
        ArrowValues.address(
            vector.getOffsetBuffer(), (long) index * BaseVariableWidthVector.OFFSET_WIDTH, 8);
    int start = MemoryUtil.UNSAFE.getInt(offsets);
    int end = MemoryUtil.UNSAFE.getInt(offsets + BaseVariableWidthVector.OFFSET_WIDTH);
    ArrowBuf data = vector.getDataBuffer();
    if (start < 0 || end < start || end > data.capacity()) {
      throw new IndexOutOfBoundsException(
          "the string at row " + index + " of '" + vector.getName() + "' has offsets " + start
              + " to " + end + ", outside its " + data.capacity() + " bytes: the batch is"
              + " malformed");
    }
    int length = end - start;
    if (length > buffer.length) {
      buffer = new byte[Math.max(length, buffer.length * 2)];
    }
    MemoryUtil.UNSAFE.copyMemory(
        null, data.memoryAddress() + start, buffer, MemoryUtil.BYTE_ARRAY_BASE_OFFSET, length);
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }
}

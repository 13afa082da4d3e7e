package io.github.sparkarrow.runtime;

import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VarCharVector;

/**
 * The rows of one string column of a {@link KeyedRoot}, keyed by the entry of the dictionary they
 * were decoded from (a Parquet column chunk's, a cached batch's, or a cached batch's runs, one
 * entry per run), so that {@link Utf8Reader} builds each distinct {@code String} once per
 * dictionary instead of once per row. The column's Arrow
 * data is whole either way; the keys only say which rows hold the same value.
 *
 * <p>Whoever fills the column (this library's Spark input) keys its rows after each batch it
 * writes ({@link #startBatch}, {@link #key}, {@link #endBatch}), or unkeys them. A key holds only
 * while the column's data buffer is the one it was given with, so a reallocated, cleared or
 * transferred column is read from its bytes; an input batch is read-only. Keys from {@value
 * #MAX_KEYS} up are not kept: a dictionary keeps at most that many strings. Not thread-safe, like
 * the batch it belongs to.
 */
public final class StringKeys {

  /** The keys whose strings are kept: a dictionary's first 65,536 entries. */
  public static final int MAX_KEYS = 1 << 16;

  private final VarCharVector vector;
  private int[] keys = new int[0];
  /** Rows 0 to {@code rows - 1} are keyed while the data buffer is {@code data}. */
  private int rows;
  private ArrowBuf data;
  /** Per key, its string once built; null until then. */
  private String[] strings = new String[0];

  StringKeys(VarCharVector vector) {
    this.vector = vector;
  }

  /** The next keys are a new dictionary's: forgets the strings of the last one. */
  public void newDictionary() {
    Arrays.fill(strings, null);
  }

  /** Rows 0 to {@code count - 1} of the batch being written are keyed next, by {@link #key}. */
  public void startBatch(int count) {
    rows = 0;
    data = null;
    if (keys.length < count) {
      keys = new int[Math.max(count, keys.length * 2)];
    }
  }

  /** Row {@code row}'s value is the dictionary's entry {@code key}; a negative key is none. */
  public void key(int row, int key) {
    keys[row] = key < MAX_KEYS ? key : -1;
  }

  /** The batch's {@code count} rows are written and keyed. */
  public void endBatch(int count) {
    rows = count;
    data = vector.getDataBuffer();
  }

  /** The batch's rows carry no keys. */
  public void unkeyed() {
    rows = 0;
    data = null;
  }

  /** Forgets the keys and the strings. */
  void clear() {
    unkeyed();
    strings = new String[0];
  }

  VarCharVector vector() {
    return vector;
  }

  /** The key of row {@code row}, or -1 if it has none. */
  int keyOf(int row) {
    return row >= 0 && row < rows && vector.getDataBuffer() == data ? keys[row] : -1;
  }

  /** The string of key {@code key} if built already, else null. */
  String string(int key) {
    return key < strings.length ? strings[key] : null;
  }

  void remember(int key, String string) {
    if (key >= strings.length) {
      strings = Arrays.copyOf(strings, Math.min(MAX_KEYS, Math.max(key + 1, strings.length * 2)));
    }
    strings[key] = string;
  }
}

package io.github.sparkarrow.runtime;

import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * A batch whose top-level string columns carry {@link StringKeys}: which rows hold the same
 * dictionary entry, where the input was dictionary-encoded. Any consumer reads it as the plain
 * {@link VectorSchemaRoot} it is; a generated reader's strings use the keys (see {@link
 * Utf8Reader}). {@link #clear()} drops them.
 */
public final class KeyedRoot extends VectorSchemaRoot {

  private final StringKeys[] keys;

  public KeyedRoot(List<Field> fields, List<FieldVector> vectors) {
    super(fields, vectors, 0);
    keys = new StringKeys[vectors.size()];
    for (int c = 0; c < keys.length; c++) {
      if (vectors.get(c) instanceof VarCharVector strings) {
        keys[c] = new StringKeys(strings);
      }
    }
  }

  /** The keys of column {@code column}, or null if it is not a string column. */
  public StringKeys keys(int column) {
    return keys[column];
  }

  @Override
  public void clear() {
    for (StringKeys k : keys) {
      if (k != null) {
        k.clear();
      }
    }
    super.clear();
  }
}

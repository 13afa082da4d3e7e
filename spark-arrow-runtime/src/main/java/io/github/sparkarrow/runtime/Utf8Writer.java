package io.github.sparkarrow.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.VarCharVector;

/**
 * Encodes strings into a {@link VarCharVector} through one reused buffer: ASCII strings (the
 * common case) cost no allocation; others are encoded by {@code String.getBytes(UTF_8)}, so the
 * bytes are exactly the JDK's (an unpaired surrogate becomes {@code ?}). One per generated writer;
 * not thread-safe, like the writer.
 */
public final class Utf8Writer {

  private byte[] buffer = new byte[64];

  /**
   * Writes {@code value} at {@code index}, refusing to take the vector's data past Arrow's 2 GiB
   * offsets.
   */
  public void write(VarCharVector vector, int index, String value, String column, int row) {
    int length = value.length();
    if (length > buffer.length) {
      buffer = new byte[Math.max(length, buffer.length * 2)];
    }
    byte[] bytes = buffer;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        ArrowValues.setBytes(vector, index, value.getBytes(StandardCharsets.UTF_8), column, row);
        return;
      }
      bytes[i] = (byte) c;
    }
    ArrowValues.setBytes(vector, index, bytes, length, column, row);
  }
}

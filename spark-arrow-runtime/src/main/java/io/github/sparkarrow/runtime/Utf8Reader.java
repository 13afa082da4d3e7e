package io.github.sparkarrow.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.VarCharVector;

/**
 * Decodes strings from a {@link VarCharVector} through one reused buffer, so a string costs one
 * copy and the {@code String} itself (Arrow's {@code get} copies into a new array first). One per
 * generated reader; not thread-safe, like the reader.
 */
public final class Utf8Reader {

  private byte[] buffer = new byte[64];

  /** The string at {@code index}, which must not be null. */
  public String read(VarCharVector vector, int index) {
    int start = vector.getStartOffset(index);
    int length = vector.getEndOffset(index) - start;
    if (length > buffer.length) {
      buffer = new byte[Math.max(length, buffer.length * 2)];
    }
    vector.getDataBuffer().getBytes(start, buffer, 0, length);
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }
}

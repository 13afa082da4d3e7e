package io.github.sparkarrow.runtime;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what an Arrow IPC writer writes, on the heap: each write copies once, straight from the
 * (usually off-heap) buffer into chunks that are never copied to grow, and {@link #toByteArray}
 * joins them with one more copy. A {@code ByteArrayOutputStream} behind {@code
 * Channels.newChannel} copies each buffer through an 8 KiB array, then again whenever it grows,
 * and again to return the bytes: twice the copies, and a profile's third of the work of writing a
 * table.
 */
final class HeapChannel implements WritableByteChannel {

  /** The most a Java array holds, and so the most IPC bytes one table holds. */
  static final long MAX_BYTES = Integer.MAX_VALUE - 8;
  private static final int FIRST_CHUNK = 64 << 10;
  /**
   * Under half of G1's smallest region (1 MiB), so that no chunk is a humongous object, whatever
   * the heap's size.
   */
  private static final int MAX_CHUNK = 256 << 10;

  private final long maxBytes;
  private final List<byte[]> full = new ArrayList<>();
  private byte[] chunk = new byte[FIRST_CHUNK];
  private int position;
  private long size;
  private boolean open = true;

  HeapChannel() {
    this(MAX_BYTES);
  }

  /** A channel that holds at most {@code maxBytes}. */
  HeapChannel(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public int write(ByteBuffer source) throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int written = source.remaining();
    if (size + written > maxBytes) {
      throw new IllegalStateException("an Arrow table holds at most " + maxBytes + " bytes of"
          + " Arrow IPC (a Java array), and this one would hold more: put fewer rows in a table"
          + " (maxRecordsPerTable)");
    }
    while (source.hasRemaining()) {
      if (position == chunk.length) {
        full.add(chunk);
        chunk = new byte[(int) Math.min(MAX_CHUNK, Math.max(FIRST_CHUNK, size))];
        position = 0;
      }
      int n = Math.min(source.remaining(), chunk.length - position);
      source.get(chunk, position, n);
      position += n;
      size += n;
    }
    return written;
  }

  /** Everything written, in one array. */
  byte[] toByteArray() {
    byte[] all = new byte[(int) size];
    int at = 0;
    for (byte[] bytes : full) {
      System.arraycopy(bytes, 0, all, at, bytes.length);
      at += bytes.length;
    }
    System.arraycopy(chunk, 0, all, at, position);
    return all;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}

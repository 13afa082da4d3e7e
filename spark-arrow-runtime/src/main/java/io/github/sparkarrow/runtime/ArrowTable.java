package io.github.sparkarrow.runtime;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * An immutable table: an Arrow {@link Schema} and its record batches, held in the Arrow IPC
 * stream format (schema, dictionaries, batches, end of stream) on the Java heap. So it is {@link
 * Serializable}: it can live in a Spark RDD, be cached, shuffled and collected, or be written to
 * a file or socket as it is ({@link #toIpcStream()}), and any Arrow implementation reads it.
 *
 * <p><b>Memory.</b> A table holds no Arrow (off-heap) memory. {@link #open} reads it into buffers
 * of the caller's allocator, which the returned reader owns: close the reader.
 *
 * <p>This is the RDD-of-Arrow-tables unit of Spark's SPIP SPARK-26413; see {@code
 * SparkArrow.toArrowTables}. It needs no Spark.
 */
public final class ArrowTable implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] ipc;
  private final long rowCount;
  private final int batchCount;
  private transient Schema schema;

  private ArrowTable(byte[] ipc, Schema schema, long rowCount, int batchCount) {
    this.ipc = ipc;
    this.schema = schema;
    this.rowCount = rowCount;
    this.batchCount = batchCount;
  }

  /**
   * A table of every batch {@code reader} loads, read to its end (dictionaries included). The
   * caller still owns and closes the reader.
   */
  public static ArrowTable from(ArrowReader reader) {
    try {
      return write(reader.getVectorSchemaRoot(), reader, ArrowStreams.batches(reader));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A table of the batches {@code batches} gives, each of them {@code root} refilled (as a writer
   * or a reader refills its root); an empty iterator makes a table with the schema and no rows.
   */
  public static ArrowTable of(VectorSchemaRoot root, Iterator<VectorSchemaRoot> batches) {
    return write(root, null, batches);
  }

  /** A table of one batch. */
  public static ArrowTable of(VectorSchemaRoot batch) {
    return write(batch, null, java.util.List.of(batch).iterator());
  }

  /** A table with {@code schema} and no rows. */
  public static ArrowTable empty(Schema schema) {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      return write(root, null, java.util.Collections.emptyIterator());
    }
  }

  private static ArrowTable write(
      VectorSchemaRoot root, DictionaryProvider dictionaries, Iterator<VectorSchemaRoot> batches) {
    HeapChannel out = new HeapChannel();
    long rows = 0;
    int count = 0;
    try (ArrowStreamWriter writer =
        new ArrowStreamWriter(root, dictionaries, out)) {
      // The first batch is asked for before the schema is written: a reader loads its
      // dictionaries with it, and the stream writer writes dictionaries with the schema.
      boolean more = batches.hasNext();
      writer.start();
      for (; more; more = batches.hasNext()) {
        VectorSchemaRoot batch = batches.next();
        if (batch != root) {
          throw new IllegalArgumentException("every batch must be the root the table was given");
        }
        rows += batch.getRowCount();
        count++;
        writer.writeBatch();
      }
      writer.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrowTable(out.toByteArray(), root.getSchema(), rows, count);
  }

  /**
   * A table of an Arrow IPC stream's bytes, as {@link #toIpcStream()} gives them or any Arrow
   * implementation writes them. The stream is read once, to count its rows and to check it.
   *
   * @throws IllegalArgumentException if the bytes are not a whole Arrow IPC stream
   */
  public static ArrowTable fromIpcStream(byte[] ipc) {
    try (BufferAllocator allocator = new RootAllocator();
        ArrowStreamReader reader =
            new ArrowStreamReader(new ByteArrayReadableSeekableByteChannel(ipc), allocator)) {
      long rows = 0;
      int count = 0;
      Schema schema = reader.getVectorSchemaRoot().getSchema();
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
        count++;
      }
      return new ArrowTable(ipc.clone(), schema, rows, count);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a whole Arrow IPC stream: " + e.getMessage(), e);
    }
  }

  /** The table's schema. */
  public Schema schema() {
    Schema known = schema;
    if (known == null) {
      try {
        known = MessageSerializer.deserializeSchema(
            new org.apache.arrow.vector.ipc.ReadChannel(
                new ByteArrayReadableSeekableByteChannel(ipc)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      schema = known;
    }
    return known;
  }

  /** Rows in all batches. */
  public long rowCount() {
    return rowCount;
  }

  /** Record batches (an empty table has none). */
  public int batchCount() {
    return batchCount;
  }

  /** Bytes of the IPC stream the table is kept as. */
  public long sizeInBytes() {
    return ipc.length;
  }

  /**
   * A reader over the table's batches, in order; their buffers come from {@code allocator}. The
   * caller owns the reader and closes it, which frees them.
   */
  public ArrowReader open(BufferAllocator allocator) {
    return new ArrowStreamReader(new ByteArrayReadableSeekableByteChannel(ipc), allocator);
  }

  /** The table's Arrow IPC stream as a read-only view of the bytes the table holds (no copy). */
  public ByteBuffer ipcBuffer() {
    return ByteBuffer.wrap(ipc).asReadOnlyBuffer();
  }

  /** The table as an Arrow IPC stream (a copy). */
  public byte[] toIpcStream() {
    return ipc.clone();
  }

  @Override
  public String toString() {
    return "ArrowTable[" + rowCount + " rows in " + batchCount + " batches, " + ipc.length
        + " bytes; " + schema() + "]";
  }
}

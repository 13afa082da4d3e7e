package io.github.sparkarrow.runtime;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Appends records to Arrow vectors, one row per record: the straight-line, per-record
 * specialisation of Spark's {@code ArrowWriter}. The annotation processor generates one per
 * record type ({@code PersonArrowWriter}); get it from {@link ArrowRecordType#newWriter}.
 *
 * <p><b>Memory.</b> A writer allocates its {@link #root()} from the allocator it was created with
 * and owns it: {@link #close()} frees every buffer. The root is reused from batch to batch:
 * {@link #finish()} seals the current batch, {@link #reset()} empties it for the next one and
 * keeps the buffers (they only grow). Whoever holds a finished root must be done with it before
 * {@code reset()} or {@code close()}; to keep a batch, transfer its vectors out (Arrow's {@code
 * TransferPair}) or write it out (an IPC stream).
 *
 * <p><b>Bad data.</b> A null in a NOT NULL column, a decimal that does not fit its precision and
 * scale, a value out of the column's range, or string data past 2 GiB in one batch throws {@link
 * ArrowDataException} naming the column and the row; nothing is silently nulled or truncated. The
 * row that failed is not counted, and the writer stays usable and closable.
 *
 * <p>Not thread-safe.
 *
 * @param <T> the record type
 */
public interface ArrowRecordWriter<T extends Record> extends AutoCloseable {

  /** Appends one record as the next row. */
  void write(T record);

  /** Appends every record, in order. */
  default void writeAll(Iterable<? extends T> records) {
    for (T record : records) {
      write(record);
    }
  }

  /** The vectors written to; owned by this writer. */
  VectorSchemaRoot root();

  /** Rows written since the last {@link #reset()}. */
  int rowCount();

  /** Sets the value counts and the row count of {@link #root()} and returns it. */
  VectorSchemaRoot finish();

  /** Empties the vectors for the next batch, keeping their buffers. */
  void reset();

  /** Frees the vectors. */
  @Override
  void close();
}

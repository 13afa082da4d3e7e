package io.github.sparkarrow.runtime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/** Records to and from Arrow streams: any {@link ArrowReader}, and the Arrow IPC stream format. */
public final class ArrowStreams {

  private ArrowStreams() {}

  /**
   * The records of every batch {@code reader} loads, lazily, in order. The caller keeps owning the
   * reader (and closes it); each batch is read before the next is loaded. A null in a column that
   * is NOT NULL in the record fails with an {@link ArrowDataException} naming it.
   *
   * @throws IllegalArgumentException (from the first {@code hasNext}) if the stream's schema is not
   *     the record's
   */
  public static <T extends Record> Iterator<T> records(ArrowReader reader, ArrowRecordType<T> type) {
    NotNullCheck notNull = NotNullCheck.of(type.arrowSchema(), type.recordClass().getSimpleName());
    return new Iterator<>() {
      private ArrowRecordReader<T> batch;
      private int row;

      @Override
      public boolean hasNext() {
        try {
          while (batch == null || row >= batch.rowCount()) {
            if (!reader.loadNextBatch()) {
              return false;
            }
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            if (batch == null || batch.root() != root) {
              batch = type.newReader(root);
            }
            notNull.check(root);
            row = 0;
          }
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return batch.get(row++);
      }
    };
  }

  /**
   * The batches {@code reader} loads, lazily: each is the reader's root, refilled by the next
   * {@code hasNext()}. The caller keeps owning the reader.
   *
   * @throws UncheckedIOException from {@code hasNext()} where loading fails
   */
  public static Iterator<VectorSchemaRoot> batches(ArrowReader reader) {
    return new Iterator<>() {
      private Boolean loaded;

      @Override
      public boolean hasNext() {
        if (loaded == null) {
          try {
            loaded = reader.loadNextBatch();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return loaded;
      }

      @Override
      public VectorSchemaRoot next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        loaded = null;
        try {
          return reader.getVectorSchemaRoot();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /**
   * {@code function} over the batches of {@code input}, as a reader of its output batches, of
   * {@code schema} (a {@link TypedBatchFunction}'s is its {@code outputSchema()}): a batch
   * function run without Spark, over a file, a DuckDB result or any other Arrow stream, lazily,
   * one batch at a time. The reader owns {@code input} and closes it; see {@link
   * BatchFunctionReader} for who owns each batch.
   */
  public static BatchFunctionReader map(
      ArrowReader input, ArrowBatchFunction function, Schema schema, BufferAllocator allocator) {
    return new BatchFunctionReader(
        allocator,
        schema,
        context -> {
          try {
            return function.apply(batches(input), context);
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException("the batch function failed: " + e, e);
          }
        },
        input);
  }

  /**
   * Writes {@code records} to {@code out} as an Arrow IPC stream of batches of at most {@code
   * batchSize} rows (the schema, then the batches, then the end-of-stream marker). The batch
   * buffers come from {@code allocator} and are freed before this returns; {@code out} is flushed,
   * not closed.
   *
   * @return the number of records written
   */
  public static <T extends Record> long writeStream(
      Iterator<? extends T> records,
      ArrowRecordType<T> type,
      OutputStream out,
      BufferAllocator allocator,
      int batchSize) {
    long count = 0;
    // Arrow's stream writer closes the stream it writes to; the caller's is not ours to close.
    try (ArrowRecordWriter<T> writer = type.newWriter(allocator);
        ArrowStreamWriter stream = new ArrowStreamWriter(writer.root(), null, unclosed(out))) {
      stream.start();
      Iterator<VectorSchemaRoot> batches = ArrowBatches.write(records, writer, batchSize);
      while (batches.hasNext()) {
        count += batches.next().getRowCount();
        stream.writeBatch();
      }
      stream.end();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }

  /**
   * The records of an Arrow IPC stream, lazily. Close the returned stream (try-with-resources): it
   * frees the batch buffers, which come from {@code allocator}, and closes {@code in}. A stream
   * read to its end frees them, and closes {@code in}, by itself; one left half-read keeps them
   * until it is closed.
   *
   * @throws IllegalArgumentException (when reading starts) if the stream's schema is not the
   *     record's
   */
  public static <T extends Record> Stream<T> readStream(
      InputStream in, ArrowRecordType<T> type, BufferAllocator allocator) {
    ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
    Iterator<T> records = records(reader, type);
    Runnable close =
        new Runnable() {
          private boolean closed;

          @Override
          public void run() {
            if (!closed) {
              closed = true;
              try {
                reader.close();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }
        };
    Iterator<T> closingAtEnd =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            boolean more;
            try {
              more = records.hasNext();
            } catch (RuntimeException e) {
              close.run();
              throw e;
            }
            if (!more) {
              close.run();
            }
            return more;
          }

          @Override
          public T next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return records.next();
          }
        };
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(
                closingAtEnd, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(close);
  }

  /** {@code out}, except that closing it only flushes it. */
  static OutputStream unclosed(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        out.flush();
      }
    };
  }
}

package io.github.sparkarrow.runtime;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads records back from a batch. The annotation processor generates one per record type
 * ({@code PersonArrowReader}); get it from {@link ArrowRecordType#newReader}.
 *
 * <p>Besides {@link #get(int)}, which builds a new record, a generated reader has typed access to
 * each top-level column: {@code long id(int row)} (no allocation for primitive columns), {@code
 * boolean isAgeNull(int row)} for nullable columns, and {@code int ageOr(int row, int ifNull)}
 * for nullable numeric columns, which allocates nothing either.
 *
 * <p><b>Memory.</b> A reader owns nothing: it reads the root it was given, which its owner
 * closes. It reads whatever the root holds when called, so a root reloaded with the next batch
 * (as an {@code ArrowReader} does) can be read by the same reader.
 *
 * <p>A null in a column that is NOT NULL in the record (possible when the batch came from
 * elsewhere), or a value the Java type cannot hold, throws {@link ArrowDataException} naming the
 * column and row.
 *
 * @param <T> the record type
 */
public interface ArrowRecordReader<T extends Record> extends Iterable<T> {

  /** The batch read from. */
  VectorSchemaRoot root();

  /** The rows in the batch. */
  default int rowCount() {
    return root().getRowCount();
  }

  /** The record at {@code row}, newly built. */
  T get(int row);

  /** The records of the batch in row order, each newly built. */
  @Override
  default Iterator<T> iterator() {
    return new Iterator<>() {
      private final int rows = rowCount();
      private int next;

      @Override
      public boolean hasNext() {
        return next < rows;
      }

      @Override
      public T next() {
        if (next >= rows) {
          throw new NoSuchElementException();
        }
        return get(next++);
      }
    };
  }

  /** The records of the batch in row order, each newly built. */
  default Stream<T> stream() {
    return IntStream.range(0, rowCount()).mapToObj(this::get);
  }
}

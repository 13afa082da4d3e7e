package io.github.sparkarrow.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Cutting record iterators into Arrow batches. */
public final class ArrowBatches {

  private ArrowBatches() {}

  /**
   * Writes {@code records} in batches of at most {@code batchSize} rows, lazily.
   *
   * <p><b>Memory.</b> Every batch is {@code writer}'s own root, reset and refilled by the next call
   * to {@code next()}: use (or transfer, or write out) a batch before asking for the next. The
   * caller keeps owning the writer and closes it. No empty batch is produced, not even for no
   * records.
   */
  public static <T extends Record> Iterator<VectorSchemaRoot> write(
      Iterator<? extends T> records, ArrowRecordWriter<T> writer, int batchSize) {
    requirePositive(batchSize);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        if (!records.hasNext()) {
          throw new NoSuchElementException();
        }
        writer.reset();
        while (writer.rowCount() < batchSize && records.hasNext()) {
          writer.write(records.next());
        }
        return writer.finish();
      }
    };
  }

  /**
   * Moves the batch in {@code from} into {@code to}, which has the same schema: the buffers are
   * transferred, not copied ({@code to}'s old ones released), and {@code from} is left empty. So a
   * batch can outlive the root its producer refills, as a consumer through the C Data Interface
   * may keep it.
   */
  public static void move(VectorSchemaRoot from, VectorSchemaRoot to) {
    for (int i = 0; i < from.getFieldVectors().size(); i++) {
      from.getVector(i).makeTransferPair(to.getVector(i)).transfer();
    }
    to.setRowCount(from.getRowCount());
    from.setRowCount(0);
  }

  /** {@code items} as lists of {@code batchSize} (the last may be shorter), lazily. */
  public static <T> Iterator<List<T>> chunks(Iterator<? extends T> items, int batchSize) {
    requirePositive(batchSize);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return items.hasNext();
      }

      @Override
      public List<T> next() {
        if (!items.hasNext()) {
          throw new NoSuchElementException();
        }
        List<T> chunk = new ArrayList<>(Math.min(batchSize, 1024));
        while (chunk.size() < batchSize && items.hasNext()) {
          chunk.add(items.next());
        }
        return chunk;
      }
    };
  }

  private static void requirePositive(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    }
  }
}

package io.github.sparkarrow.runtime;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A {@link BatchMapper} as an {@link ArrowBatchFunction}: each input batch is read through the
 * input type's generated reader, and the output type's generated writer (one per task, reset per
 * batch, closed by the task context) makes the output batch.
 *
 * <p>Input columns may hold nulls where the input record has NOT NULL (Spark reads every file
 * column as nullable): each batch is checked with a {@link NotNullCheck} before the mapper sees it,
 * and the first such null fails with an {@link ArrowDataException} that names the column, the
 * partition and the row within the partition. Errors of the generated readers and writers are
 * placed in the partition the same way.
 */
public final class TypedBatchFunction<I extends Record, O extends Record> implements ArrowBatchFunction {
  private static final long serialVersionUID = 1L;

  private final ArrowRecordType<I> in;
  private final ArrowRecordType<O> out;
  private final BatchMapper<?, ?> mapper;

  public TypedBatchFunction(ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<?, ?> mapper) {
    this.in = in;
    this.out = out;
    this.mapper = mapper;
  }

  /** The schema of the batches it returns: the output record's. */
  public Schema outputSchema() {
    return out.arrowSchema();
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Iterator<VectorSchemaRoot> apply(
      Iterator<VectorSchemaRoot> batches, ArrowTaskContext context) {
    ArrowRecordWriter<O> writer = context.closeAtEnd(out.newWriter(context.allocator()));
    NotNullCheck notNull = NotNullCheck.of(in.arrowSchema(), in.recordClass().getSimpleName());
    BatchMapper raw = mapper;
    return new Iterator<>() {
      private ArrowRecordReader<I> reader;
      /** Rows of the partition read, and written, before this batch. */
      private long rowsIn;
      private long rowsOut;

      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        if (!batches.hasNext()) {
          throw new NoSuchElementException();
        }
        VectorSchemaRoot batch = batches.next();
        if (reader == null || reader.root() != batch) {
          reader = in.newReader(batch);
        }
        writer.reset();
        try {
          notNull.check(batch);
          raw.map(reader, writer);
        } catch (ArrowDataException e) {
          // A reader's error is about an input row, a writer's about an output row.
          throw e.inPartition(context.partition(), thrownByWriter(e) ? rowsOut : rowsIn);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("the batch mapper failed: " + e, e);
        }
        rowsIn += batch.getRowCount();
        VectorSchemaRoot result = writer.finish();
        rowsOut += result.getRowCount();
        return result;
      }
    };
  }

  /**
   * Whether a generated writer threw {@code e} (so its row is an output row), rather than a
   * generated reader or the NOT NULL check (an input row): the nearest generated class on the stack.
   */
  private static boolean thrownByWriter(ArrowDataException e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      String name = frame.getClassName();
      if (name.endsWith("ArrowWriter")) {
        return true;
      }
      if (name.endsWith("ArrowReader") || name.equals(NotNullCheck.class.getName())) {
        return false;
      }
    }
    return false;
  }
}

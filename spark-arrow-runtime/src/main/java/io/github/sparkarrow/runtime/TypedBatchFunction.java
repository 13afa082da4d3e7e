package io.github.sparkarrow.runtime;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A {@link BatchMapper} as an {@link ArrowBatchFunction}: each input batch is read through the
 * input type's generated reader, and the output type's generated writer (one per task, reset per
 * batch, closed by the task context) makes the output batch.
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

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Iterator<VectorSchemaRoot> apply(
      Iterator<VectorSchemaRoot> batches, ArrowTaskContext context) {
    ArrowRecordWriter<O> writer = context.closeAtEnd(out.newWriter(context.allocator()));
    BatchMapper raw = mapper;
    return new Iterator<>() {
      private ArrowRecordReader<I> reader;

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
          raw.map(reader, writer);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("the batch mapper failed: " + e, e);
        }
        return writer.finish();
      }
    };
  }
}

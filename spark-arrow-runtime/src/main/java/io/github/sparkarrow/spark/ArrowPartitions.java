package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowDataException;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.ArrowTaskContext;
import io.github.sparkarrow.runtime.NotNullCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskContext$;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.TaskCompletionListener;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * What runs on executors: Spark rows into Arrow batches, Arrow batches back into Spark rows
 * (zero-copy, through {@code ArrowColumnVector}s), and Arrow IPC bytes in and out. Every Arrow
 * buffer a task allocates comes from its {@link ArrowTaskContext}, which the task's completion
 * listener closes on success, failure, kill and early stop.
 */
final class ArrowPartitions {

  private ArrowPartitions() {}

  /** The task's Arrow context, closed when the task completes. */
  static ArrowTaskContext taskContext(String purpose) {
    TaskContext task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException(purpose + " runs in a Spark task only");
    }
    ArrowTaskContext context =
        new ArrowTaskContext(
            ArrowAllocators.child(
                purpose + " stage " + task.stageId() + " partition " + task.partitionId()
                    + " attempt " + task.taskAttemptId()),
            task.partitionId(),
            work -> () -> {
              // The task's threads see its TaskContext, as Spark's Python runner threads do.
              TaskContext$.MODULE$.setTaskContext(task);
              try {
                work.run();
              } finally {
                TaskContext$.MODULE$.unset();
              }
            });
    task.addTaskCompletionListener((TaskCompletionListener) completed -> context.close());
    return context;
  }

  /**
   * Rows into batches of at most {@code batchSize} rows, in one reused root: copied by a {@link
   * RowCopier} when every column is flat, else written by Spark's {@code ArrowWriter}.
   */
  static Iterator<VectorSchemaRoot> batches(
      Iterator<InternalRow> rows, Schema schema, int batchSize, ArrowTaskContext context) {
    VectorSchemaRoot root = context.closeAtEnd(VectorSchemaRoot.create(schema, context.allocator()));
    RowCopier copier = RowCopier.into(root);
    ArrowWriter writer = copier == null ? ArrowWriter.create(root) : null;
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        if (copier != null) {
          copier.reset();
          while (copier.count() < batchSize && rows.hasNext()) {
            copier.write(rows.next());
          }
          return copier.finish();
        }
        writer.reset();
        int count = 0;
        while (count < batchSize && rows.hasNext()) {
          writer.write(rows.next());
          count++;
        }
        writer.finish();
        return root;
      }
    };
  }

  /**
   * The rows of each batch, without copying: each batch is wrapped in {@code ArrowColumnVector}s
   * and read through {@code ColumnarBatch.rowIterator()} (one reused row, which Spark projects
   * before asking for the next). Each batch's schema must match {@code declared}.
   */
  static Iterator<InternalRow> rows(Iterator<VectorSchemaRoot> batches, Schema declared, String what) {
    return new Iterator<>() {
      private Iterator<InternalRow> current = Collections.emptyIterator();
      private Schema checked;

      @Override
      public boolean hasNext() {
        while (!current.hasNext()) {
          if (!batches.hasNext()) {
            return false;
          }
          VectorSchemaRoot batch = batches.next();
          if (batch.getSchema() != checked) {
            ArrowSchemas.requireMatches(declared, batch.getSchema(), what);
            checked = batch.getSchema();
          }
          List<FieldVector> vectors = batch.getFieldVectors();
          ColumnVector[] columns = new ColumnVector[vectors.size()];
          for (int i = 0; i < columns.length; i++) {
            columns[i] = FixedWidthColumnVector.of(vectors.get(i), batch.getRowCount());
          }
          current = new ColumnarBatch(columns, batch.getRowCount()).rowIterator();
        }
        return true;
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /**
   * A partition through an {@link ArrowBatchFunction}: its elements (rows, or columnar batches)
   * become Arrow input batches, the function's output batches become rows.
   */
  abstract static class MapInArrow<T>
      extends AbstractFunction1<scala.collection.Iterator<T>, scala.collection.Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShippedSchema input;
    private final ShippedSchema output;
    private final ArrowBatchFunction function;
    private final int batchSize;

    MapInArrow(Schema input, Schema output, ArrowBatchFunction function, int batchSize) {
      this.input = new ShippedSchema(input);
      this.output = new ShippedSchema(output);
      this.function = function;
      this.batchSize = batchSize;
    }

    abstract Iterator<VectorSchemaRoot> batches(
        Iterator<T> elements, Schema schema, int batchSize, ArrowTaskContext context);

    @Override
    public scala.collection.Iterator<InternalRow> apply(scala.collection.Iterator<T> elements) {
      ArrowTaskContext context = taskContext("mapInArrow");
      Iterator<VectorSchemaRoot> in =
          batches(JavaConverters.asJavaIterator(elements), input.get(), batchSize, context);
      return JavaConverters.asScalaIterator(
          rows(run(function, in, context), output.get(), "the output schema declared to mapInArrow"));
    }
  }

  /** Rows into batches through Spark's {@code ArrowWriter}. */
  static final class RowsMapInArrow extends MapInArrow<InternalRow> {
    private static final long serialVersionUID = 1L;

    RowsMapInArrow(Schema input, Schema output, ArrowBatchFunction function, int batchSize) {
      super(input, output, function, batchSize);
    }

    @Override
    Iterator<VectorSchemaRoot> batches(
        Iterator<InternalRow> rows, Schema schema, int batchSize, ArrowTaskContext context) {
      return ArrowPartitions.batches(rows, schema, batchSize, context);
    }
  }

  /** Columnar batches into Arrow batches, column by column. */
  static final class ColumnarMapInArrow extends MapInArrow<ColumnarBatch> {
    private static final long serialVersionUID = 1L;

    ColumnarMapInArrow(Schema input, Schema output, ArrowBatchFunction function, int batchSize) {
      super(input, output, function, batchSize);
    }

    @Override
    Iterator<VectorSchemaRoot> batches(
        Iterator<ColumnarBatch> columns, Schema schema, int batchSize, ArrowTaskContext context) {
      return ColumnarInput.batches(columns, schema, batchSize, context);
    }
  }

  /** The user's function applied, its checked exceptions wrapped. */
  static Iterator<VectorSchemaRoot> run(
      ArrowBatchFunction function, Iterator<VectorSchemaRoot> in, ArrowTaskContext context) {
    try {
      return function.apply(in, context);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the mapInArrow function failed: " + e, e);
    }
  }

  /** Rows into Arrow IPC streams of one batch each. */
  static final class RowsToIpc
      extends AbstractFunction1<scala.collection.Iterator<InternalRow>, scala.collection.Iterator<byte[]>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShippedSchema schema;
    private final String recordName;
    private final int batchSize;

    RowsToIpc(Schema schema, String recordName, int batchSize) {
      this.schema = new ShippedSchema(schema);
      this.recordName = recordName;
      this.batchSize = batchSize;
    }

    @Override
    public scala.collection.Iterator<byte[]> apply(scala.collection.Iterator<InternalRow> rows) {
      ArrowTaskContext context = taskContext("collect");
      Iterator<VectorSchemaRoot> batches =
          batches(JavaConverters.asJavaIterator(rows), schema.get(), batchSize, context);
      NotNullCheck notNull = NotNullCheck.of(schema.get(), recordName);
      Iterator<byte[]> streams =
          new Iterator<>() {
            private long rows;

            @Override
            public boolean hasNext() {
              return batches.hasNext();
            }

            @Override
            public byte[] next() {
              VectorSchemaRoot batch = batches.next();
              try {
                notNull.check(batch);
              } catch (ArrowDataException e) {
                throw e.inPartition(context.partition(), rows);
              }
              rows += batch.getRowCount();
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              try (ArrowStreamWriter writer = new ArrowStreamWriter(batch, null, out)) {
                writer.start();
                writer.writeBatch();
                writer.end();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return out.toByteArray();
            }
          };
      return JavaConverters.asScalaIterator(streams);
    }
  }
}

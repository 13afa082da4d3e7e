package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.ArrowTaskContext;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskContext$;
import org.apache.spark.sql.catalyst.InternalRow;
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
   * become Arrow input batches through the shared {@link SparkInput}, the function's output
   * batches become rows.
   */
  static final class MapInArrow
      extends AbstractFunction1<scala.collection.Iterator<Object>, scala.collection.Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SparkInput input;
    private final ShippedSchema output;
    private final ArrowBatchFunction function;

    MapInArrow(SparkInput input, Schema output, ArrowBatchFunction function) {
      this.input = input;
      this.output = new ShippedSchema(output);
      this.function = function;
    }

    @Override
    public scala.collection.Iterator<InternalRow> apply(scala.collection.Iterator<Object> elements) {
      ArrowTaskContext context = taskContext("mapInArrow");
      Iterator<VectorSchemaRoot> in = input.batches(JavaConverters.asJavaIterator(elements), context);
      return JavaConverters.asScalaIterator(
          rows(run(function, in, context), output.get(), "the output schema declared to mapInArrow"));
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
}

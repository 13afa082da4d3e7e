package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowTaskContext;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.InputAdapter;
import org.apache.spark.sql.execution.ProjectExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.execution.columnar.DefaultCachedBatchSerializer;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.JavaConverters;

/**
 * The one input path of every capability: a DataFrame's partitions as Arrow batches of a given
 * schema, built on the driver and shipped with the task's function.
 *
 * <p>Where the DataFrame's plan already produces columnar batches and every column is flat, the
 * batches are copied into Arrow column by column ({@link ColumnCopier}), skipping Spark's rows
 * entirely: a Parquet or ORC file scan read by Spark's vectorized reader (with its columns pruned,
 * reordered or renamed by a projection), and a cached DataFrame that Spark's cache serves as
 * columns (numbers and booleans only). There each Arrow batch holds the rows of one of Spark's
 * batches at most ({@code spark.sql.parquet.columnarReaderBatchSize}, 4,096 by default, or the
 * cache's 10,000), and at most the batch size asked for. Any other plan is read as rows: copied by
 * a {@link RowCopier} when every column is flat, else written by Spark's {@code ArrowWriter}.
 */
final class SparkInput implements Serializable {
  private static final long serialVersionUID = 1L;

  private final transient RDD<?> partitions;
  private final ShippedSchema schema;
  private final int batchSize;
  /** Per Arrow column, the index of the Spark batch's column that holds it; null for rows. */
  private final int[] columns;
  /** Whether Spark's batches are the reader's to close once copied (the cache's). */
  private final boolean closeCopied;

  private SparkInput(
      RDD<?> partitions, Schema schema, int batchSize, int[] columns, boolean closeCopied) {
    this.partitions = partitions;
    this.schema = new ShippedSchema(schema);
    this.batchSize = batchSize;
    this.columns = columns;
    this.closeCopied = closeCopied;
  }

  /**
   * {@code df}'s partitions as batches of {@code schema} (whose columns are {@code df}'s, in
   * order), of at most {@code batchSize} rows; read as rows if {@code rowsOnly}.
   */
  static SparkInput of(Dataset<Row> df, Schema schema, int batchSize, boolean rowsOnly) {
    if (!rowsOnly && flat(schema)) {
      SparkInput columnar = columnar(df.queryExecution().executedPlan(), schema, batchSize);
      if (columnar != null) {
        return columnar;
      }
    }
    return new SparkInput(df.queryExecution().toRdd(), schema, batchSize, null, false);
  }

  /** The RDD whose partitions {@link #batches} reads: of rows, or of Spark's columnar batches. */
  @SuppressWarnings("unchecked")
  RDD<Object> partitions() {
    return (RDD<Object>) partitions;
  }

  Schema schema() {
    return schema.get();
  }

  /**
   * A partition's batches: an iterator of Arrow batches, each valid until the next is asked for,
   * that can also be asked for a batch of fewer rows than the batch size.
   */
  interface Batches extends Iterator<VectorSchemaRoot> {
    /** The next batch, of at most {@code maxRows} rows (and at most the batch size). */
    VectorSchemaRoot next(int maxRows);

    @Override
    default VectorSchemaRoot next() {
      return next(Integer.MAX_VALUE);
    }
  }

  /** A partition's elements as Arrow batches, in one reused root from the task's allocator. */
  Batches batches(Iterator<Object> elements, ArrowTaskContext context) {
    VectorSchemaRoot root =
        context.closeAtEnd(VectorSchemaRoot.create(schema.get(), context.allocator()));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Batches batches =
        columns != null
            ? columnBatches((Iterator) elements, root)
            : rowBatches((Iterator) elements, root);
    return batches;
  }

  private Batches rowBatches(Iterator<InternalRow> rows, VectorSchemaRoot root) {
    RowCopier copier = RowCopier.into(root);
    ArrowWriter writer = copier == null ? ArrowWriter.create(root) : null;
    return new Batches() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public VectorSchemaRoot next(int maxRows) {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        int limit = Math.min(batchSize, maxRows);
        if (copier != null) {
          copier.reset();
          while (copier.count() < limit && rows.hasNext()) {
            copier.write(rows.next());
          }
          return copier.finish();
        }
        writer.reset();
        int count = 0;
        while (count < limit && rows.hasNext()) {
          writer.write(rows.next());
          count++;
        }
        writer.finish();
        return root;
      }
    };
  }

  /**
   * Each Spark batch closed as soon as it is copied if it is the reader's (the cache's: Spark's
   * cache reader frees its batches only when the task ends, so a task would otherwise keep its
   * whole partition, decompressed, on the heap, and every young collection would copy it). A file
   * scan's batches are its reader's, reused for the next batch: those are left alone.
   */
  private Batches columnBatches(Iterator<ColumnarBatch> input, VectorSchemaRoot root) {
    ColumnCopier copier = ColumnCopier.into(root, columns);
    return new Batches() {
      private ColumnarBatch current;
      private int offset;

      @Override
      public boolean hasNext() {
        while (current == null || offset >= current.numRows()) {
          if (current != null && closeCopied) {
            current.close();
          }
          current = null;
          if (!input.hasNext()) {
            return false;
          }
          current = input.next();
          offset = 0;
        }
        return true;
      }

      @Override
      public VectorSchemaRoot next(int maxRows) {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int rows = Math.min(Math.min(batchSize, maxRows), current.numRows() - offset);
        copier.copy(current, offset, rows);
        offset += rows;
        return root;
      }
    };
  }

  private static boolean flat(Schema schema) {
    for (Field field : schema.getFields()) {
      if (RowCopier.kind(field) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The columnar input of {@code plan}, or null where rows must be read. Only leaves are read
   * (so no adaptive stage is bypassed), under at most a projection of columns: Spark's own cache
   * format, whose batches are built afresh for each cached batch and may be closed once copied
   * (another serializer may reuse its batches), or a file scan.
   */
  private static SparkInput columnar(SparkPlan plan, Schema schema, int batchSize) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      plan = adaptive.inputPlan();
    }
    if (plan instanceof WholeStageCodegenExec codegen) {
      plan = codegen.child();
    }
    List<NamedExpression> projection = null;
    if (plan instanceof ProjectExec project) {
      projection = JavaConverters.seqAsJavaList(project.projectList());
      plan = project.child();
    }
    if (plan instanceof ColumnarToRowExec toRows) {
      plan = toRows.child();
    }
    if (plan instanceof InputAdapter adapter) {
      plan = adapter.child();
    }
    boolean closeCopied;
    if (plan instanceof InMemoryTableScanExec scan
        && scan.supportsColumnar()
        && scan.relation().cacheBuilder().serializer() instanceof DefaultCachedBatchSerializer) {
      closeCopied = true;
    } else if (plan instanceof FileSourceScanExec scan && scan.supportsColumnar()) {
      closeCopied = false;
    } else {
      return null;
    }
    List<Attribute> output = JavaConverters.seqAsJavaList(plan.output());
    int[] columns = new int[schema.getFields().size()];
    if ((projection == null ? output.size() : projection.size()) != columns.length) {
      return null;
    }
    for (int c = 0; c < columns.length; c++) {
      columns[c] = projection == null ? c : indexOf(output, projection.get(c));
      if (columns[c] < 0) {
        return null; // a computed column
      }
    }
    return new SparkInput(plan.executeColumnar(), schema, batchSize, columns, closeCopied);
  }

  /** The index in {@code output} of the column that {@code column} only names or renames. */
  private static int indexOf(List<Attribute> output, NamedExpression column) {
    Object value = column instanceof Alias alias ? alias.child() : column;
    if (!(value instanceof Attribute attribute)) {
      return -1;
    }
    for (int i = 0; i < output.size(); i++) {
      if (output.get(i).exprId().equals(attribute.exprId())) {
        return i;
      }
    }
    return -1;
  }
}

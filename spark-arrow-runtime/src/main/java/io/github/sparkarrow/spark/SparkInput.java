package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowTaskContext;
import io.github.sparkarrow.runtime.KeyedRoot;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.SparkContext;
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
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.JavaConverters;

/**
 * The one input path of every capability: a DataFrame's partitions as Arrow batches of a given
 * schema, built on the driver and shipped with the task's function.
 *
 * <p>Where the DataFrame's plan reads columns and every column is flat, they are copied into Arrow
 * column by column ({@link ColumnCopier}), skipping Spark's rows entirely: a Parquet or ORC file
 * scan's batches from Spark's vectorized reader, and a cached DataFrame's batches in Spark's own
 * cache format, decoded into column vectors ({@link CachedBatches}) where Spark would serve all but
 * numbers as rows; either with its columns pruned, reordered or renamed by a projection. There each
 * Arrow batch holds the rows of one of Spark's batches at most ({@code
 * spark.sql.parquet.columnarReaderBatchSize}, 4,096 by default, or the cache's 10,000), and at most
 * the batch size asked for. Any other plan is read as rows: copied by a {@link RowCopier} when
 * every column is flat, else written by Spark's {@code ArrowWriter}.
 */
final class SparkInput implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The DataFrame, planned when a job first asks for {@link #partitions}; on the driver only. */
  private final transient Dataset<Row> df;
  private final transient boolean rowsOnly;
  private transient RDD<Object> partitions;
  /** What the plan gave: the RDD whose elements {@link #batches} reads; null until planned. */
  private transient RDD<?> planned;
  private final ShippedSchema schema;
  private final int batchSize;
  /**
   * Per Arrow column, the index of the Spark batch's column that holds it; null for rows. Set
   * when the plan is made, which is before Spark serializes a task that reads it.
   */
  private int[] columns;
  /** The cache's batches to decode into Spark's batches; null for a file scan or rows. */
  private CachedBatches cache;

  private SparkInput(Dataset<Row> df, Schema schema, int batchSize, boolean rowsOnly) {
    this.df = df;
    this.rowsOnly = rowsOnly;
    this.schema = new ShippedSchema(schema);
    this.batchSize = batchSize;
  }

  /**
   * {@code df}'s partitions as batches of {@code schema} (whose columns are {@code df}'s, in
   * order), of at most {@code batchSize} rows; read as rows if {@code rowsOnly}. Nothing is
   * planned or run here: see {@link #partitions}.
   *
   * @throws IllegalArgumentException if {@code df} is a streaming DataFrame
   */
  static SparkInput of(Dataset<Row> df, Schema schema, int batchSize, boolean rowsOnly) {
    if (df.isStreaming()) {
      throw new IllegalArgumentException("the DataFrame is a streaming one (readStream), and batch"
          + " functions run over the partitions of a static DataFrame: run them on each"
          + " micro-batch, in df.writeStream().foreachBatch((batch, id) -> …), where the batch is"
          + " a static DataFrame");
    }
    return new SparkInput(df, schema, batchSize, rowsOnly);
  }

  /**
   * The RDD whose partitions {@link #batches} reads: of rows, Spark's batches or cached ones. The
   * DataFrame is planned (and where Spark's adaptive execution runs stages to plan it, they run)
   * when a job first asks for the partitions, so a function's input runs with the action that
   * reads its output, not when the function is applied.
   */
  RDD<Object> partitions() {
    if (partitions == null) {
      partitions = new DeferredRDD(df.sparkSession().sparkContext(), this::plan);
    }
    return partitions;
  }

  /** Plans the DataFrame, once: its columnar input where there is one, else its rows. */
  private synchronized RDD<?> plan() {
    if (planned == null) {
      // Planning runs on the thread that submits the job reading the output: the plan's own
      // stages must not report to that query's SQL execution (its UI would show this plan).
      SparkContext context = df.sparkSession().sparkContext();
      String key = SQLExecution.EXECUTION_ID_KEY();
      String execution = context.getLocalProperty(key);
      context.setLocalProperty(key, null);
      try {
        if (!rowsOnly && flat(schema.get())) {
          planned = columnar(df.queryExecution().executedPlan());
        }
        if (planned == null) {
          planned = df.queryExecution().toRdd();
        }
      } finally {
        context.setLocalProperty(key, execution);
      }
    }
    return planned;
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
    VectorSchemaRoot root = context.closeAtEnd(root(context.allocator()));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Batches batches =
        cache != null
            ? columnBatches(cache.decode((Iterator) elements), root)
            : columns != null
                ? columnBatches((Iterator) elements, root)
                : rowBatches((Iterator) elements, root);
    return batches;
  }

  /**
   * The batches' reused root. Copied from columns, it is a {@link KeyedRoot}, so a record reader
   * builds one {@code String} per dictionary entry where Spark's column is dictionary-encoded.
   */
  private VectorSchemaRoot root(BufferAllocator allocator) {
    VectorSchemaRoot plain = VectorSchemaRoot.create(schema.get(), allocator);
    return columns == null ? plain : new KeyedRoot(plain.getSchema().getFields(),
        plain.getFieldVectors());
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
   * Spark's batches, each valid until the next is asked for: a file scan's are its reader's, the
   * cache's are {@link CachedBatches}'s, each reused for the next batch.
   */
  private Batches columnBatches(Iterator<ColumnarBatch> input, VectorSchemaRoot root) {
    ColumnCopier copier = ColumnCopier.into(root, columns);
    return new Batches() {
      private ColumnarBatch current;
      private int offset;

      @Override
      public boolean hasNext() {
        while (current == null || offset >= current.numRows()) {
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
   * The columnar input of {@code plan} (its columns and cache noted), or null where rows must be
   * read. Only leaves are read
   * (so no adaptive stage is bypassed), under at most a projection of columns: a file scan, or a
   * cache in Spark's own format (whose batches this library decodes; see {@link CachedBatches}).
   */
  private RDD<?> columnar(SparkPlan plan) {
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
    if (!(plan instanceof InMemoryTableScanExec
        || plan instanceof FileSourceScanExec scan && scan.supportsColumnar())) {
      return null;
    }
    List<Attribute> output = JavaConverters.seqAsJavaList(plan.output());
    int[] read = new int[schema.get().getFields().size()];
    if ((projection == null ? output.size() : projection.size()) != read.length) {
      return null;
    }
    for (int c = 0; c < read.length; c++) {
      read[c] = projection == null ? c : indexOf(output, projection.get(c));
      if (read[c] < 0) {
        return null; // a computed column
      }
    }
    if (plan instanceof InMemoryTableScanExec scan) {
      cache = CachedBatches.of(scan, read);
      // The decoded batches hold the columns read, in order.
      columns = cache == null ? null : IntStream.range(0, read.length).toArray();
      return cache == null ? null : cache.rdd();
    }
    columns = read;
    return plan.executeColumnar();
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

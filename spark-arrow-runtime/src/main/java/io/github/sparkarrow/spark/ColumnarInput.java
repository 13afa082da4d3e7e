package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowTaskContext;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The fast input path: when the input is a cached DataFrame that Spark serves as columnar
 * batches (numbers and booleans) and every column is fixed-width, the batches are copied into
 * Arrow column by column, instead of turning them into rows and back through Spark's
 * row-at-a-time {@code ArrowWriter}.
 */
final class ColumnarInput {

  private ColumnarInput() {}

  /** The columnar batches of {@code input}'s plan, or null where the row path must be taken. */
  static RDD<ColumnarBatch> batchesOf(Dataset<Row> input) {
    for (StructField field : input.schema().fields()) {
      if (width(field.dataType()) == 0) {
        return null;
      }
    }
    SparkPlan plan = input.queryExecution().executedPlan();
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      plan = adaptive.inputPlan();
    }
    if (plan instanceof WholeStageCodegenExec codegen) {
      plan = codegen.child();
    }
    if (plan instanceof ColumnarToRowExec toRows) {
      plan = toRows.child();
    }
    // Only a cached DataFrame's scan: a leaf, so no adaptive stage is bypassed.
    if (plan instanceof InMemoryTableScanExec scan && scan.supportsColumnar()) {
      return scan.executeColumnar();
    }
    return null;
  }

  /** Bytes per value of a fixed-width type the fast path copies; 0 for any other type. */
  static int width(DataType type) {
    if (type instanceof LongType || type instanceof DoubleType || type instanceof TimestampType
        || type instanceof TimestampNTZType) {
      return 8;
    } else if (type instanceof IntegerType || type instanceof FloatType || type instanceof DateType) {
      return 4;
    } else if (type instanceof ShortType) {
      return 2;
    } else if (type instanceof ByteType) {
      return 1;
    } else if (type instanceof BooleanType) {
      return -1; // bits
    }
    return 0;
  }

  /**
   * Spark's batches as Arrow batches of at most {@code batchSize} rows, in one reused root from
   * the task's allocator. Each Arrow batch is valid until the next call to {@code next()}.
   */
  static Iterator<VectorSchemaRoot> batches(
      Iterator<ColumnarBatch> input, Schema schema, int batchSize, ArrowTaskContext context) {
    VectorSchemaRoot root = context.closeAtEnd(VectorSchemaRoot.create(schema, context.allocator()));
    List<FieldVector> vectors = root.getFieldVectors();
    int capacity = Math.min(batchSize, 1 << 16);
    return new Iterator<>() {
      private ColumnarBatch current;
      private int offset;
      private int allocated;

      @Override
      public boolean hasNext() {
        while (current == null || offset >= current.numRows()) {
          if (!input.hasNext()) {
            return false;
          }
          current = input.next();
          offset = 0;
        }
        return true;
      }

      @Override
      public VectorSchemaRoot next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int rows = Math.min(batchSize, current.numRows() - offset);
        if (rows > allocated) {
          for (FieldVector vector : vectors) {
            ((BaseFixedWidthVector) vector).allocateNew(Math.max(rows, capacity));
          }
          allocated = Math.max(rows, capacity);
        }
        for (int c = 0; c < vectors.size(); c++) {
          copy(current.column(c), offset, rows, (BaseFixedWidthVector) vectors.get(c));
        }
        root.setRowCount(rows);
        offset += rows;
        return root;
      }
    };
  }

  /** {@code count} values from row {@code from} of a Spark column into an Arrow vector. */
  static void copy(ColumnVector column, int from, int count, BaseFixedWidthVector vector) {
    ArrowBuf validity = vector.getValidityBuffer();
    ArrowBuf data = vector.getDataBuffer();
    DataType type = column.dataType();
    boolean nulls = column.hasNull();
    // One loop per type; a null slot's value is left as it was (Arrow ignores it).
    if (type instanceof DoubleType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          data.setDouble((long) i * 8, column.getDouble(from + i));
        }
      }
    } else if (width(type) == 8) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          data.setLong((long) i * 8, column.getLong(from + i));
        }
      }
    } else if (type instanceof FloatType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          data.setFloat((long) i * 4, column.getFloat(from + i));
        }
      }
    } else if (width(type) == 4) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          data.setInt((long) i * 4, column.getInt(from + i));
        }
      }
    } else if (type instanceof ShortType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          data.setShort((long) i * 2, column.getShort(from + i));
        }
      }
    } else if (type instanceof ByteType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          data.setByte(i, column.getByte(from + i));
        }
      }
    } else {
      for (int i = 0; i < count; i++) {
        boolean value = (!nulls || !column.isNullAt(from + i)) && column.getBoolean(from + i);
        BitVectorHelper.setValidityBit(data, i, value ? 1 : 0);
      }
    }
    if (nulls) {
      for (int i = 0; i < count; i++) {
        BitVectorHelper.setValidityBit(validity, i, column.isNullAt(from + i) ? 0 : 1);
      }
    } else {
      for (int i = 0; i < count; i++) {
        BitVectorHelper.setBit(validity, i);
      }
    }
  }
}

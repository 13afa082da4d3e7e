package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowTaskContext;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
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
import org.apache.spark.sql.execution.columnar.DefaultCachedBatchSerializer;
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
import org.apache.spark.unsafe.Platform;

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
    // Only a cached DataFrame's scan: a leaf, so no adaptive stage is bypassed. Only Spark's own
    // cache format, whose batches are built afresh for each cached batch and may be closed once
    // copied (see batches()); another serializer may reuse its batches.
    if (plan instanceof InMemoryTableScanExec scan
        && scan.supportsColumnar()
        && scan.relation().cacheBuilder().serializer() instanceof DefaultCachedBatchSerializer) {
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
   *
   * <p>Each Spark batch is closed as soon as it is copied. Spark's cache reader frees its batches
   * only when the task ends, so without this a task would keep its whole partition, decompressed,
   * on the heap: every young collection then copies it, which costs more than the whole copy.
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
          if (current != null) {
            current.close();
            current = null;
          }
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

  /**
   * {@code count} values from row {@code from} of a Spark column into an Arrow vector. The
   * vector's buffers are checked once to hold {@code count} rows, then written with raw stores, as
   * Spark's own off-heap column vectors are: a per-value bounds check would cost more than the copy.
   */
  static void copy(ColumnVector column, int from, int count, BaseFixedWidthVector vector) {
    DataType type = column.dataType();
    int width = width(type);
    ArrowBuf validity = vector.getValidityBuffer();
    ArrowBuf data = vector.getDataBuffer();
    requireCapacity(validity, bitBytes(count), vector);
    requireCapacity(data, width < 0 ? bitBytes(count) : (long) count * width, vector);
    long at = data.memoryAddress();
    boolean nulls = column.hasNull();
    // One loop per type; a null slot's value is left as it was (Arrow ignores it).
    if (type instanceof DoubleType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          Platform.putDouble(null, at + 8L * i, column.getDouble(from + i));
        }
      }
    } else if (width == 8) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          Platform.putLong(null, at + 8L * i, column.getLong(from + i));
        }
      }
    } else if (type instanceof FloatType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          Platform.putFloat(null, at + 4L * i, column.getFloat(from + i));
        }
      }
    } else if (width == 4) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          Platform.putInt(null, at + 4L * i, column.getInt(from + i));
        }
      }
    } else if (type instanceof ShortType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          Platform.putShort(null, at + 2L * i, column.getShort(from + i));
        }
      }
    } else if (type instanceof ByteType) {
      for (int i = 0; i < count; i++) {
        if (!nulls || !column.isNullAt(from + i)) {
          Platform.putByte(null, at + i, column.getByte(from + i));
        }
      }
    } else {
      putBits(at, count, i -> (!nulls || !column.isNullAt(from + i)) && column.getBoolean(from + i));
    }
    long valid = validity.memoryAddress();
    if (nulls) {
      putBits(valid, count, i -> !column.isNullAt(from + i));
    } else {
      Platform.setMemory(valid, (byte) 0xFF, bitBytes(count));
    }
  }

  /** Arrow's bit layout (least significant bit first) of {@code count} booleans at an address. */
  private static void putBits(long address, int count, IntPredicate bit) {
    for (int start = 0; start < count; start += 8) {
      int bits = 0;
      for (int i = 0; i < 8 && start + i < count; i++) {
        if (bit.test(start + i)) {
          bits |= 1 << i;
        }
      }
      Platform.putByte(null, address + (start >>> 3), (byte) bits);
    }
  }

  private static long bitBytes(int count) {
    return (count + 7L) >>> 3;
  }

  private static void requireCapacity(ArrowBuf buffer, long bytes, BaseFixedWidthVector vector) {
    if (buffer.capacity() < bytes) {
      throw new IllegalStateException(
          "internal error: " + vector.getField() + " has " + buffer.capacity() + " bytes, needs "
              + bytes);
    }
  }
}

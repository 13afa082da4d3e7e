package io.github.sparkarrow.it;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowTaskContext;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Batch functions for tests: pass-through, with a delay or a failure; ids doubled. */
final class BatchFunctions {

  private BatchFunctions() {}

  /** Passes every batch through, sleeping {@code millis} before each. */
  static ArrowBatchFunction delayEach(long millis) {
    return (batches, context) -> passThrough(batches, millis, -1);
  }

  /** Passes batches through and throws {@code boom at batch k} at batch {@code k}. */
  static ArrowBatchFunction failAtBatch(int k) {
    return (batches, context) -> passThrough(batches, 0, k);
  }

  private static Iterator<VectorSchemaRoot> passThrough(
      Iterator<VectorSchemaRoot> batches, long millis, int failAt) {
    return new Iterator<>() {
      private int batch;

      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        if (++batch == failAt) {
          throw new IllegalStateException("boom at batch " + failAt);
        }
        if (millis > 0) {
          try {
            Thread.sleep(millis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
          }
        }
        return batches.next();
      }
    };
  }

  /** One row per input batch: its row count ({@code rows INT}), in a root the task frees. */
  static Iterator<VectorSchemaRoot> rowCounts(
      Iterator<VectorSchemaRoot> batches, ArrowTaskContext context) {
    Schema schema = new Schema(List.of(Field.nullable("rows", new ArrowType.Int(32, true))));
    VectorSchemaRoot root = context.closeAtEnd(VectorSchemaRoot.create(schema, context.allocator()));
    IntVector rows = (IntVector) root.getVector(0);
    return perBatch(batches, root, in -> {
      rows.allocateNew(1);
      rows.set(0, in.getRowCount());
      root.setRowCount(1);
    });
  }

  /**
   * Each {@code id} (BIGINT, column 0) doubled into its own output root, allocated from the task
   * and freed by it. Static: a lambda in a test method would capture the (unserializable) test
   * instance.
   */
  static Iterator<VectorSchemaRoot> doubleIds(
      Iterator<VectorSchemaRoot> batches, ArrowTaskContext context) {
    Schema schema =
        new Schema(List.of(Field.notNullable("doubled", new ArrowType.Int(64, true))));
    VectorSchemaRoot root = context.closeAtEnd(VectorSchemaRoot.create(schema, context.allocator()));
    BigIntVector doubled = (BigIntVector) root.getVector(0);
    return perBatch(batches, root, in -> {
      BigIntVector id = (BigIntVector) in.getVector(0);
      root.allocateNew();
      for (int i = 0; i < in.getRowCount(); i++) {
        doubled.setSafe(i, id.get(i) * 2);
      }
      root.setRowCount(in.getRowCount());
    });
  }

  /** {@code fill} refills {@code out} from each input batch in turn; {@code out} is the output. */
  private static Iterator<VectorSchemaRoot> perBatch(
      Iterator<VectorSchemaRoot> batches, VectorSchemaRoot out, Consumer<VectorSchemaRoot> fill) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        fill.accept(batches.next());
        return out;
      }
    };
  }
}

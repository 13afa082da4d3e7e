package io.github.sparkarrow.it;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import java.util.Iterator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Batch functions for tests: pass-through, with a delay or a failure. */
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
}

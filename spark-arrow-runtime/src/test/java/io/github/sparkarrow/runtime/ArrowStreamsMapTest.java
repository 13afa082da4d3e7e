package io.github.sparkarrow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A batch function over any Arrow stream, without Spark: {@link ArrowStreams#map}. */
class ArrowStreamsMapTest {

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close(); // fails on a leaked buffer
  }

  private ArrowReader input(long rows) {
    return input(rows, allocator);
  }

  private static ArrowReader input(long rows, BufferAllocator allocator) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(ArrowPipeTest.SCHEMA, allocator)) {
      return ArrowTable.of(root, ArrowPipeTest.batches(root, rows, 100)).open(allocator);
    }
  }

  @Test
  void runsTheFunctionBatchByBatchAndClosesItsInput() throws Exception {
    long rows = 0;
    long ids = 0;
    try (BatchFunctionReader mapped =
        ArrowStreams.map(input(250), (batches, context) -> batches, ArrowPipeTest.SCHEMA, allocator)) {
      while (mapped.loadNextBatch()) {
        VectorSchemaRoot batch = mapped.getVectorSchemaRoot();
        rows += batch.getRowCount();
        BigIntVector id = (BigIntVector) batch.getVector(0);
        for (int row = 0; row < batch.getRowCount(); row++) {
          ids += id.get(row);
        }
      }
      assertThat(mapped.failure()).isNull();
    }
    assertThat(rows).isEqualTo(250);
    assertThat(ids).isEqualTo(249L * 250 / 2);
  }

  @Test
  void keepsTheFunctionsFailure() throws Exception {
    try (BatchFunctionReader mapped = ArrowStreams.map(input(250), (batches, context) ->
        new Iterator<>() {
          private int batch;

          @Override
          public boolean hasNext() {
            return batches.hasNext();
          }

          @Override
          public VectorSchemaRoot next() {
            if (++batch == 2) {
              throw new IllegalStateException("boom at batch 2");
            }
            return batches.next();
          }
        }, ArrowPipeTest.SCHEMA, allocator)) {
      assertThat(mapped.loadNextBatch()).isTrue();
      assertThatThrownBy(mapped::loadNextBatch).hasMessage("boom at batch 2");
      assertThat(mapped.failure()).hasMessage("boom at batch 2");
    }
  }

  @Test
  void aLeakFailsTheCloseAndIsKept() throws Exception {
    BufferAllocator leaky = new RootAllocator(); // the leak stays in it
    BatchFunctionReader mapped = ArrowStreams.map(input(10, leaky), (batches, context) -> {
      new BigIntVector("forgotten", context.allocator()).allocateNew(10);
      return batches;
    }, ArrowPipeTest.SCHEMA, leaky);
    while (mapped.loadNextBatch()) {
      assertThat(mapped.getVectorSchemaRoot().getRowCount()).isEqualTo(10);
    }
    assertThatThrownBy(mapped::close).hasMessageContaining("Arrow memory still allocated");
    assertThat(mapped.failure()).hasMessageContaining("Arrow memory still allocated");
    assertThatThrownBy(leaky::close).isInstanceOf(IllegalStateException.class);
  }
}

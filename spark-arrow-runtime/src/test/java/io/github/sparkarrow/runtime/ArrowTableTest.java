package io.github.sparkarrow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Arrow tables without Spark, and a pipe as a plain batch function. */
class ArrowTableTest {

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private ArrowTable table(long rows) {
    return table(rows, 100);
  }

  private ArrowTable table(long rows, int batchSize) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(ArrowPipeTest.SCHEMA, allocator)) {
      return ArrowTable.of(root, ArrowPipeTest.batches(root, rows, batchSize));
    }
  }

  private static long rows(ArrowReader reader) throws Exception {
    long rows = 0;
    while (reader.loadNextBatch()) {
      rows += reader.getVectorSchemaRoot().getRowCount();
    }
    return rows;
  }

  @Test
  void aTableIsSerializableIpcAndReadsBackWhole() throws Exception {
    ArrowTable table = table(250);
    assertThat(table.rowCount()).isEqualTo(250);
    assertThat(table.batchCount()).isEqualTo(3);
    assertThat(table.schema()).isEqualTo(ArrowPipeTest.SCHEMA);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(table);
    }
    ArrowTable copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ArrowTable) in.readObject();
    }
    assertThat(copy.schema()).isEqualTo(ArrowPipeTest.SCHEMA); // read back from the IPC bytes
    assertThat(copy.toIpcStream()).isEqualTo(table.toIpcStream());
    // The buffer is a read-only view of the same bytes.
    java.nio.ByteBuffer view = table.ipcBuffer();
    assertThat(view.isReadOnly()).isTrue();
    byte[] viewed = new byte[view.remaining()];
    view.get(viewed);
    assertThat(viewed).isEqualTo(table.toIpcStream());
    try (ArrowReader reader = copy.open(allocator)) {
      assertThat(rows(reader)).isEqualTo(250);
    }
    // Another program's stream, and what is not one.
    ArrowTable fromBytes = ArrowTable.fromIpcStream(table.toIpcStream());
    assertThat(fromBytes.rowCount()).isEqualTo(250);
    try (ArrowReader reader = fromBytes.open(allocator)) {
      assertThat(ArrowTable.from(reader).rowCount()).isEqualTo(250);
    }
    byte[] cut = Arrays.copyOf(table.toIpcStream(), table.toIpcStream().length / 2);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ArrowTable.fromIpcStream(cut))
        .withMessageStartingWith("not a whole Arrow IPC stream");
    ArrowTable empty = ArrowTable.empty(ArrowPipeTest.SCHEMA);
    assertThat(empty.rowCount()).isZero();
    assertThat(empty.batchCount()).isZero();
    assertThat(empty.schema()).isEqualTo(ArrowPipeTest.SCHEMA);
  }

  @Test
  void aPipeIsABatchFunctionOverAnyArrowStream() throws Exception {
    ArrowBatchFunction cat =
        ArrowPipe.function(
            new ArrowPipe.Settings(List.of("cat"), Map.of(), null, Duration.ofSeconds(30), 1024),
            ArrowPipeTest.SCHEMA, ArrowPipeTest.SCHEMA);
    ArrowTable table = table(1_000);
    try (ArrowReader input = table.open(allocator);
        ArrowTaskContext context = ArrowTaskContext.childOf(allocator, "pipe function")) {
      Iterator<VectorSchemaRoot> output = cat.apply(ArrowStreams.batches(input), context);
      long rows = 0;
      while (output.hasNext()) {
        rows += output.next().getRowCount();
      }
      assertThat(rows).isEqualTo(1_000);
    }
  }

  @Test
  void aLargeTableHoldsExactlyWhatArrowsStreamWriterWrites() throws Exception {
    long rows = 300_000; // several MiB: past the first chunk and past many full ones
    ByteArrayOutputStream oracle = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(ArrowPipeTest.SCHEMA, allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(oracle))) {
      writer.start();
      for (Iterator<VectorSchemaRoot> batches = ArrowPipeTest.batches(root, rows, 4_096); batches.hasNext(); ) {
        batches.next();
        writer.writeBatch();
      }
      writer.end();
    }
    ArrowTable table = table(rows, 4_096);
    assertThat(oracle.size()).isGreaterThan(3 << 20);
    assertThat(table.toIpcStream()).isEqualTo(oracle.toByteArray());
    try (ArrowReader reader = table.open(allocator)) {
      assertThat(rows(reader)).isEqualTo(rows);
    }
  }

  @Test
  void theHeapChannelJoinsHeapAndDirectWritesAndRefusesWhatNoArrayHolds() throws Exception {
    HeapChannel channel = new HeapChannel(300_000);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    java.util.Random random = new java.util.Random(3);
    for (int size : new int[] {0, 1, 65_535, 2, 70_000, 1 << 16, 13, 60_000}) {
      byte[] bytes = new byte[size];
      random.nextBytes(bytes);
      java.nio.ByteBuffer buffer = size % 2 == 0
          ? java.nio.ByteBuffer.allocateDirect(size).put(bytes).flip()
          : java.nio.ByteBuffer.wrap(bytes);
      assertThat(channel.write(buffer)).isEqualTo(size);
      assertThat(buffer.hasRemaining()).isFalse();
      expected.write(bytes);
    }
    assertThat(channel.toByteArray()).isEqualTo(expected.toByteArray());
    assertThatIllegalStateException()
        .isThrownBy(() -> channel.write(java.nio.ByteBuffer.allocate(50_000)))
        .withMessageContaining("at most 300000 bytes")
        .withMessageContaining("maxRecordsPerTable");
    channel.close();
    assertThatThrownBy(() -> channel.write(java.nio.ByteBuffer.allocate(1)))
        .isInstanceOf(java.nio.channels.ClosedChannelException.class);
  }
}

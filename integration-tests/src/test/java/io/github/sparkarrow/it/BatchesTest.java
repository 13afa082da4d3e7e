package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowReader;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderArrowWriter;
import io.github.sparkarrow.it.records.Primitives;
import io.github.sparkarrow.it.records.PrimitivesArrowSchema;
import io.github.sparkarrow.it.records.PrimitivesArrowWriter;
import io.github.sparkarrow.it.records.Temporals;
import io.github.sparkarrow.it.records.TemporalsArrowSchema;
import io.github.sparkarrow.it.records.TextsArrowSchema;
import io.github.sparkarrow.runtime.ArrowBatches;
import io.github.sparkarrow.runtime.ArrowStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Batch sizes, writer reuse across batches, time precision, and the stream helpers. */
class BatchesTest extends ArrowTestSupport {

  /** 1, 3, the initial capacity of a new writer's vectors -1, +0 and +1, and 100,000. */
  static IntStream batchSizes() {
    int capacity;
    try (BufferAllocator allocator = new RootAllocator();
        OrderArrowWriter writer = OrderArrowSchema.INSTANCE.newWriter(allocator)) {
      capacity = writer.root().getVector("order_id").getValueCapacity();
    }
    return IntStream.of(1, 3, capacity - 1, capacity, capacity + 1, 100_000);
  }

  @ParameterizedTest
  @MethodSource("batchSizes")
  void batchSizes(int rows) {
    try (OrderArrowWriter writer = OrderArrowSchema.INSTANCE.newWriter(allocator)) {
      List<Order> orders = RandomRecords.orders(rows, rows);
      writer.writeAll(orders);
      VectorSchemaRoot root = writer.finish();
      validate(root);
      assertThat(root.getRowCount()).isEqualTo(rows);
      OrderArrowReader reader = OrderArrowSchema.INSTANCE.newReader(root);
      for (int row = 0; row < rows; row++) {
        assertThat(reader.get(row)).isEqualTo(orders.get(row));
      }
    }
  }

  @Test
  void oneWriterIsReusedAcrossManyBatches() {
    List<Order> orders = RandomRecords.orders(20_000, 11);
    List<Order> read = new ArrayList<>();
    int batches = 0;
    try (OrderArrowWriter writer = OrderArrowSchema.INSTANCE.newWriter(allocator)) {
      Iterator<VectorSchemaRoot> it = ArrowBatches.write(orders.iterator(), writer, 997);
      while (it.hasNext()) {
        VectorSchemaRoot root = it.next();
        assertThat(root).isSameAs(writer.root());
        validate(root);
        OrderArrowSchema.INSTANCE.newReader(root).forEach(read::add);
        batches++;
      }
    }
    assertThat(batches).isEqualTo(21);
    assertThat(read).isEqualTo(orders);
  }

  /**
   * A finished batch's vectors may be transferred out (Arrow's {@code TransferPair}), which leaves
   * the writer's vectors empty; after {@code reset()} the writer grows them again. (Primitives:
   * the columns written without {@code setSafe}.)
   */
  @Test
  void aBatchTransferredOutLeavesTheWriterUsable() {
    RandomRecords random = new RandomRecords(21);
    List<Primitives> first = Stream.generate(random::primitives).limit(1000).toList();
    List<Primitives> second = Stream.generate(random::primitives).limit(5000).toList();
    try (PrimitivesArrowWriter writer = PrimitivesArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.writeAll(first);
      List<FieldVector> moved = new ArrayList<>();
      for (FieldVector vector : writer.finish().getFieldVectors()) {
        TransferPair pair = vector.getTransferPair(allocator);
        pair.transfer();
        moved.add((FieldVector) pair.getTo());
      }
      try (VectorSchemaRoot kept = new VectorSchemaRoot(moved)) {
        kept.setRowCount(first.size());
        writer.reset();
        writer.writeAll(second);
        VectorSchemaRoot root = writer.finish();
        validate(root);
        validate(kept);
        List<Primitives> read = new ArrayList<>();
        PrimitivesArrowSchema.INSTANCE.newReader(kept).forEach(read::add);
        assertThat(read).isEqualTo(first);
        read.clear();
        PrimitivesArrowSchema.INSTANCE.newReader(root).forEach(read::add);
        assertThat(read).isEqualTo(second);
      }
    }
  }

  @Test
  void typedAccessMatchesTheRecords() {
    List<Order> orders = RandomRecords.orders(1000, 5);
    try (OrderArrowWriter writer = OrderArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.writeAll(orders);
      OrderArrowReader reader = OrderArrowSchema.INSTANCE.newReader(writer.finish());
      long sum = 0;
      for (int row = 0; row < reader.rowCount(); row++) {
        sum += reader.orderId(row);
        assertThat(reader.isPlacedAtNull(row)).isEqualTo(orders.get(row).placedAt() == null);
        assertThat(reader.lines(row)).isEqualTo(orders.get(row).lines());
      }
      assertThat(sum).isEqualTo(orders.stream().mapToLong(Order::orderId).sum());
    }
  }

  @Test
  void subMicrosecondDigitsAreDroppedTowardThePastAsInSpark() {
    Temporals written =
        new Temporals(
            null,
            null,
            Instant.ofEpochSecond(-1, 999_999_999),
            Timestamp.valueOf("2024-02-29 12:00:00.123456789"),
            LocalDateTime.of(2024, 2, 29, 12, 0, 0, 123_456_789),
            Duration.ofNanos(-1),
            null);
    try (var writer = TemporalsArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.write(written);
      writer.write(new Temporals(null, null, null, null, null, Duration.ofNanos(1_999), null));
      var reader = TemporalsArrowSchema.INSTANCE.newReader(writer.finish());
      Temporals read = reader.get(0);
      assertThat(read.instant()).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
      assertThat(read.sqlTimestamp()).isEqualTo(Timestamp.valueOf("2024-02-29 12:00:00.123456"));
      assertThat(read.local()).isEqualTo(LocalDateTime.of(2024, 2, 29, 12, 0, 0, 123_456_000));
      assertThat(read.duration()).isEqualTo(Duration.ofNanos(-1_000));
      assertThat(reader.get(1).duration()).isEqualTo(Duration.ofNanos(1_000));
    }
  }

  @Test
  void ipcStreamRoundTrip() {
    List<Order> orders = RandomRecords.orders(5_000, 23);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long written =
        ArrowStreams.writeStream(
            orders.iterator(), OrderArrowSchema.INSTANCE, bytes, allocator, 640);
    assertThat(written).isEqualTo(5_000);
    try (Stream<Order> read =
        ArrowStreams.readStream(
            new ByteArrayInputStream(bytes.toByteArray()), OrderArrowSchema.INSTANCE, allocator)) {
      assertThat(read.collect(Collectors.toList())).isEqualTo(orders);
    }
    try (Stream<?> wrong =
        ArrowStreams.readStream(
            new ByteArrayInputStream(bytes.toByteArray()), TextsArrowSchema.INSTANCE, allocator)) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> wrong.findFirst())
          .withMessageContaining("does not have the schema of");
    }
  }

  @Test
  void writeStreamLeavesTheCallersStreamOpen() throws Exception {
    List<Order> orders = RandomRecords.orders(100, 5);
    AtomicInteger closes = new AtomicInteger();
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closes.incrementAndGet();
          }
        };
    ArrowStreams.writeStream(orders.iterator(), OrderArrowSchema.INSTANCE, bytes, allocator, 30);
    assertThat(closes).hasValue(0);
    // Still usable: a second stream goes after the first, and each reads back whole.
    int first = bytes.size();
    ArrowStreams.writeStream(orders.iterator(), OrderArrowSchema.INSTANCE, bytes, allocator, 30);
    assertThat(closes).hasValue(0);
    byte[] all = bytes.toByteArray();
    try (Stream<Order> read =
        ArrowStreams.readStream(
            new ByteArrayInputStream(all, first, all.length - first), OrderArrowSchema.INSTANCE,
            allocator)) {
      assertThat(read.collect(Collectors.toList())).isEqualTo(orders);
    }
  }

  @Test
  void readStreamFreesItsMemoryWhenReadToTheEnd() {
    List<Order> orders = RandomRecords.orders(1_000, 7);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ArrowStreams.writeStream(orders.iterator(), OrderArrowSchema.INSTANCE, bytes, allocator, 300);
    AtomicInteger closes = new AtomicInteger();
    ByteArrayInputStream in =
        new ByteArrayInputStream(bytes.toByteArray()) {
          @Override
          public void close() {
            closes.incrementAndGet();
          }
        };
    // Not closed by the caller: read to its end, it has freed every buffer and closed its input.
    List<Order> read =
        ArrowStreams.readStream(in, OrderArrowSchema.INSTANCE, allocator)
            .collect(Collectors.toList());
    assertThat(read).isEqualTo(orders);
    assertThat(allocator.getAllocatedMemory()).isZero();
    assertThat(closes).hasValue(1);
    // Half-read, it keeps its batch until closed.
    Stream<Order> half =
        ArrowStreams.readStream(
            new ByteArrayInputStream(bytes.toByteArray()), OrderArrowSchema.INSTANCE, allocator);
    assertThat(half.limit(10).count()).isEqualTo(10);
    assertThat(allocator.getAllocatedMemory()).isPositive();
    half.close();
    assertThat(allocator.getAllocatedMemory()).isZero();
  }

  @Test
  void emptyStreamHasTheSchemaAndNoBatches() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ArrowStreams.writeStream(
        List.<Order>of().iterator(), OrderArrowSchema.INSTANCE, bytes, allocator, 10);
    try (Stream<Order> read =
        ArrowStreams.readStream(
            new ByteArrayInputStream(bytes.toByteArray()), OrderArrowSchema.INSTANCE, allocator)) {
      assertThat(read.count()).isZero();
    }
  }

  @Test
  void chunks() {
    Iterator<List<Integer>> chunks =
        ArrowBatches.chunks(IntStream.range(0, 7).boxed().iterator(), 3);
    List<List<Integer>> all = new ArrayList<>();
    chunks.forEachRemaining(all::add);
    assertThat(all).containsExactly(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6));
    assertThatIllegalArgumentException().isThrownBy(() -> ArrowBatches.chunks(all.iterator(), 0));
  }
}

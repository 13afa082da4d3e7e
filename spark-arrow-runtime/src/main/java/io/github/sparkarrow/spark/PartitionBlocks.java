package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowTable;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.spark.ContextCleaner;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.ByteBufferBlockData;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag;

/**
 * Partitions' Arrow tables moved from the executors to the driver through Spark's block
 * managers, one block per partition, instead of as task results.
 *
 * <p>Why: a task result over {@code spark.task.maxDirectResultSize} (1 MiB) is serialized twice,
 * stored as a block, fetched by the driver over the network (loopback in local mode) and
 * deserialized twice: five or six copies of every byte, and a second or so per 90 MB partition.
 * Here a task stores its tables' own IPC bytes as the block (no copy: the memory store keeps the
 * buffers it is given) and returns only the block's size. The driver reads the block from its
 * own block manager when it is there (local mode: no copy at all), else fetches it once from the
 * executor that has it, and then removes it everywhere.
 *
 * <p>The blocks are named as partitions of the tables' RDD ({@code rdd_<id>_<partition>}), an
 * RDD of the stream's own that is never persisted, so no other block has these names. That lets
 * {@link #removeAll} remove every block a stream's tasks stored, even those of tasks that outran
 * a cancel, and the context cleaner does the same once the tables' RDD is unreachable. The level
 * is {@code MEMORY_AND_DISK_SER}, the level of Spark's own large task results: a block that does
 * not fit in the executor's storage memory goes to its disk.
 *
 * <p>This class holds the Spark internals the driver stream depends on ({@code SparkEnv}'s block
 * manager, {@code ByteBufferBlockData}, {@code ChunkedByteBuffer}); {@code ArrowTablesTest} (local
 * blocks) and {@code ClusterIT} (blocks fetched from executor JVMs) pin their behaviour.
 */
final class PartitionBlocks implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final StorageLevel LEVEL = StorageLevel.MEMORY_AND_DISK_SER();
  private static final ClassTag<byte[]> BYTES = scala.reflect.ClassTag$.MODULE$.apply(byte[].class);

  /** Spark's {@code Int => ByteBuffer} allocator, on the heap. */
  private static final scala.Function1<Object, ByteBuffer> HEAP =
      size -> ByteBuffer.allocate((Integer) size);

  private final int rddId;
  /** The tables, on the driver (tasks need only {@link #rddId}). */
  private final transient JavaRDD<ArrowTable> tables;

  private PartitionBlocks(JavaRDD<ArrowTable> tables) {
    this.rddId = tables.id();
    this.tables = tables;
  }

  /**
   * The blocks of {@code tables}' partitions. {@code tables} must be an RDD of the stream's own,
   * never persisted: the blocks are named as its partitions, and it is registered with the
   * context cleaner, which removes them when it is unreachable.
   */
  static PartitionBlocks of(JavaRDD<ArrowTable> tables) {
    Option<ContextCleaner> cleaner = tables.context().cleaner();
    if (cleaner.isDefined()) {
      cleaner.get().registerRDDForCleanup(tables.rdd());
    }
    return new PartitionBlocks(tables);
  }

  /**
   * Runs the job that stores the tables of partitions {@code from} to {@code to} (exclusive), each
   * as its block; returns the blocks' sizes. Each job has an RDD of its own: when a stage fails,
   * Spark fails every running job whose final stage has the failed stage's RDD in its lineage, so
   * jobs sharing one RDD would all fail with the first partition's error.
   */
  long[] store(int from, int to) {
    JavaRDD<Long> storing =
        tables.mapPartitionsWithIndex(
            (index, partitionTables) -> List.of(put(index, partitionTables)).iterator(), false);
    List<Long>[] sizes = storing.collectPartitions(IntStream.range(from, to).toArray());
    return Arrays.stream(sizes).mapToLong(size -> size.get(0)).toArray();
  }

  private RDDBlockId id(int partition) {
    return new RDDBlockId(rddId, partition);
  }

  /** On an executor: stores the partition's tables, back to back, as its block. */
  private long put(int partition, Iterator<ArrowTable> tables) {
    List<ByteBuffer> chunks = new ArrayList<>();
    long size = 0;
    while (tables.hasNext()) {
      ByteBuffer ipc = tables.next().ipcBuffer();
      size += ipc.remaining();
      chunks.add(ipc);
    }
    // A task killed while it built the tables stores nothing (the stream no longer wants them).
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.killTaskIfInterrupted();
    }
    BlockManager manager = SparkEnv.get().blockManager();
    boolean stored =
        manager.putBytes(
            id(partition), new ChunkedByteBuffer(chunks.toArray(new ByteBuffer[0])), LEVEL, true,
            BYTES);
    if (!stored) {
      throw new IllegalStateException(
          "the block manager of executor " + SparkEnv.get().executorId() + " could not store the "
              + size + " bytes of partition " + partition + "'s Arrow tables");
    }
    return size;
  }

  /**
   * On the driver: the partition's block, as the tables' IPC streams back to back, removed from
   * every block manager that has it; empty if no block manager has it (its executor was lost).
   * The buffers are on the heap and belong to the caller.
   */
  Optional<ByteBuffer[]> take(int partition) {
    RDDBlockId id = id(partition);
    BlockManager manager = SparkEnv.get().blockManager();
    ByteBuffer[] chunks = null;
    Option<BlockData> local = manager.getLocalBytes(id);
    if (local.isDefined()) {
      try {
        BlockData data = local.get();
        chunks =
            onHeap(
                data instanceof ByteBufferBlockData bytes
                    ? bytes.buffer() // the buffers the task stored: no copy
                    : data.toChunkedByteBuffer(HEAP)); // read from disk
      } finally {
        manager.releaseLock(id, Option.empty());
      }
    } else {
      Option<ChunkedByteBuffer> remote = manager.getRemoteBytes(id);
      if (remote.isDefined()) {
        chunks = onHeap(remote.get()); // fetched once, into heap buffers
      }
    }
    if (chunks != null) {
      manager.master().removeBlock(id);
    }
    return Optional.ofNullable(chunks);
  }

  /** The buffer's chunks, copied to the heap if any is direct (removing the block frees those). */
  private static ByteBuffer[] onHeap(ChunkedByteBuffer buffer) {
    ByteBuffer[] chunks = buffer.getChunks();
    for (ByteBuffer chunk : chunks) {
      if (chunk.isDirect()) {
        return buffer.copy(HEAP).getChunks();
      }
    }
    return chunks;
  }

  /** Removes every block of this stream, wherever it is (without waiting). */
  void removeAll() {
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      env.blockManager().master().removeRdd(rddId, false);
    }
  }
}

package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowTable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A DataFrame streamed to the driver as Arrow, partition by partition, in order (what SPARK-54337
 * gives PySpark 4.2): each partition runs as its own job (as in Spark's {@code toLocalIterator}),
 * arrives as Arrow IPC tables of one batch each, and is read one batch at a time into the
 * caller's allocator. While the caller reads a partition, the next one's job runs (one partition
 * ahead, as PySpark's {@code toLocalIterator(prefetchPartitions=True)}), so executors and driver
 * work at once; the first two partitions' jobs start together. The driver holds at most two
 * partitions' IPC bytes on its heap (each table is let go once read) and one batch in Arrow
 * memory, never the whole result; closing the reader cancels the jobs running.
 */
final class DriverStream extends ArrowReader {

  private final Schema schema;
  private final JavaRDD<ArrowTable> rdd;
  private final int partitions;
  private final BufferAllocator allocator;
  /** The next partition whose job is started, and the partition being read (-1: none yet). */
  private int nextPartition;
  private int reading = -1;
  private final ExecutorService fetcher;
  private final String jobGroup = "spark-arrow-stream-" + UUID.randomUUID();
  /** The jobs of the partition to read next and of the one after it, in partition order. */
  private final Deque<Future<List<ArrowTable>>> ahead = new ArrayDeque<>();
  private Queue<ArrowTable> tables = new ArrayDeque<>();
  private ArrowReader current;
  private long bytes;

  private DriverStream(BufferAllocator allocator, Schema schema, JavaRDD<ArrowTable> rdd) {
    super(allocator);
    this.allocator = allocator;
    this.schema = schema;
    this.rdd = rdd;
    this.partitions = rdd.getNumPartitions();
    this.fetcher =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "arrow stream fetcher");
              thread.setDaemon(true);
              return thread;
            });
    fetchAhead();
    fetchAhead();
  }

  static ArrowReader of(Dataset<Row> df, BufferAllocator allocator) {
    int batchSize = SparkArrow.batchSize(df.sparkSession(), ArrowMapOptions.DEFAULT);
    return new DriverStream(
        allocator, ArrowTables.arrowSchema(df), ArrowTables.toArrowTables(df, batchSize));
  }

  static void export(Dataset<Row> df, BufferAllocator allocator, ArrowArrayStream stream) {
    Data.exportArrayStream(allocator, of(df, allocator), stream);
  }

  /** Starts the job of the next partition, if any, on a fetcher thread (in this stream's job group). */
  private void fetchAhead() {
    if (nextPartition >= partitions) {
      return;
    }
    int partition = nextPartition++;
    ahead.add(
        fetcher.submit(
            () -> {
              rdd.context().setJobGroup(jobGroup, "SparkArrow.toArrowReader", true);
              return rdd.collectPartitions(new int[] {partition})[0];
            }));
  }

  /**
   * The tables of the next partition; the job of the one after it is then running (started now,
   * unless it started with the first).
   */
  private boolean nextPartition() throws IOException {
    Future<List<ArrowTable>> next = ahead.poll();
    if (next == null) {
      return false;
    }
    int partition = ++reading;
    try {
      tables = new ArrayDeque<>(next.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for partition " + partition, e);
    } catch (ExecutionException e) {
      throw new IOException(
          "the job of partition " + partition + " failed: " + e.getCause(), e.getCause());
    }
    if (ahead.isEmpty()) {
      fetchAhead();
    }
    return true;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    while (true) {
      if (current != null && current.loadNextBatch()) {
        VectorSchemaRoot root = current.getVectorSchemaRoot();
        try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
          loadRecordBatch(batch); // moves the buffers into this reader's root: no copy
        }
        return true;
      }
      if (current != null) {
        current.close();
        current = null;
      }
      if (tables.isEmpty()) {
        if (!nextPartition()) {
          getVectorSchemaRoot().setRowCount(0);
          return false;
        }
        continue;
      }
      ArrowTable table = tables.poll();
      bytes += table.sizeInBytes();
      current = table.open(allocator);
    }
  }

  @Override
  public long bytesRead() {
    return bytes;
  }

  @Override
  protected void closeReadSource() throws IOException {
    // Stop the fetchers first, so that they submit no job after the group is cancelled.
    for (Future<List<ArrowTable>> job : ahead) {
      job.cancel(true);
    }
    ahead.clear();
    fetcher.shutdownNow();
    try {
      if (!fetcher.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IOException("the threads fetching partitions ahead did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      rdd.context().cancelJobGroup(jobGroup);
    }
    tables.clear();
    if (current != null) {
      current.close();
      current = null;
    }
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }
}

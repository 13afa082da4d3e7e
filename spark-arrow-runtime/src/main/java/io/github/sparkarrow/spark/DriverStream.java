package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A DataFrame streamed to the driver as Arrow, partition by partition, in order (what SPARK-54337
 * gives PySpark 4.2). Partitions run in jobs of their own (as in Spark's {@code toLocalIterator}),
 * whose tasks store each partition as Arrow IPC tables of one batch each in their executor's
 * block manager ({@link PartitionBlocks}); when the reader reaches a partition, the driver takes
 * its block and reads it one batch at a time into the caller's allocator. A job stores one
 * partition at first; once the blocks taken show the partitions to be small, a job stores as many
 * as make about {@link #GROUP_BYTES} (at most {@link #MAX_GROUP}), since each job costs about 17
 * ms. A job of several partitions that fails is run again one partition at a time, so the
 * partitions before the failed one still arrive and the error names its partition.
 *
 * <p>While the caller reads a partition, the jobs after it run, as many as Spark has cores
 * ({@code defaultParallelism}, from 2 to {@link #MAX_JOBS_AHEAD}; PySpark's {@code
 * toLocalIterator(prefetchPartitions=True)} runs one), so executors and driver work at once. The
 * driver holds at most one partition's IPC bytes on its heap (each chunk let go once read) and
 * one batch in Arrow memory, never the whole result; the executors' block managers hold the
 * blocks of the jobs that ran ahead (in storage memory, or on disk when it is full). Closing the
 * reader cancels the jobs running and removes every block stored for it. The typed {@code
 * collect}, which keeps the whole result anyway, runs a single job over all partitions instead.
 */
final class DriverStream extends ArrowReader {

  /**
   * The most jobs run at once: the driver reads a partition 10 to 20 times faster than one core
   * builds it (70 ms against 1.1 s for 1.5 M mixed rows), so more jobs ahead would only keep more
   * blocks waiting.
   */
  private static final int MAX_JOBS_AHEAD = 16;

  /**
   * About how many bytes of blocks one streaming job stores: a job costs about 17 ms in local
   * mode, so partitions that the blocks taken so far show to be small are stored in groups.
   */
  private static final long GROUP_BYTES = 16L << 20;

  /** The most partitions one streaming job stores. */
  private static final int MAX_GROUP = 64;

  private static final ByteBuffer[] NO_CHUNKS = {};

  private final Schema schema;
  private final PartitionBlocks blocks;
  private final SparkContext context;
  private final int partitions;
  private final BufferAllocator allocator;
  private final String jobGroup = "spark-arrow-stream-" + UUID.randomUUID();
  /** How many partitions' jobs run or wait to be read at most: the cores Spark has. */
  private final int jobsAhead;
  /** Whether one job stores every partition at once (the whole result is wanted). */
  private final boolean oneJob;
  /** The threads that run the jobs, as many as jobs ahead. */
  private final ExecutorService jobs;
  /** The partitions whose jobs started and whose blocks are not taken yet, in order. */
  private final Deque<Pending> started = new ArrayDeque<>();
  /** How many partitions the next job stores; and the blocks taken so far, to size it. */
  private int groupSize;
  private long bytesTaken;
  private int blocksTaken;
  /** The next partition whose job is not started, and the partition being read (-1: none yet). */
  private int nextJob;
  private int reading = -1;
  /** The partition being read: its tables' IPC streams, back to back. */
  private Chunks tables = new Chunks(NO_CHUNKS);
  private ArrowReader current;
  private long bytes;

  private DriverStream(
      BufferAllocator allocator, Schema schema, JavaRDD<ArrowTable> tables, boolean oneJob) {
    super(allocator);
    this.oneJob = oneJob;
    this.allocator = allocator;
    this.schema = schema;
    this.blocks = PartitionBlocks.of(tables);
    this.context = tables.context();
    this.partitions = tables.getNumPartitions();
    this.jobsAhead = Math.min(MAX_JOBS_AHEAD, Math.max(2, context.defaultParallelism()));
    // Idle threads end, so that a stream its reader abandons without closing keeps none.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            jobsAhead,
            jobsAhead,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, "arrow stream job");
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    this.jobs = pool;
    this.groupSize = oneJob ? Math.max(1, partitions) : 1;
    startJobs();
  }

  /**
   * A partition whose job started: the size of the block it stores, and whether the job stores
   * other partitions too.
   */
  private record Pending(Future<Long> size, boolean shared) {}

  static ArrowReader of(Dataset<Row> df, BufferAllocator allocator) {
    int batchSize = SparkArrow.batchSize(df.sparkSession(), ArrowMapOptions.DEFAULT);
    return new DriverStream(
        allocator, ArrowTables.arrowSchema(df), ArrowTables.toArrowTables(df, batchSize), false);
  }

  /**
   * The stream of {@code df}'s columns matched to {@code type}'s by name and checked up front (as
   * for {@code mapBatches}), in the record's exact schema. A null where the record has NOT NULL
   * fails the partition's task, naming the column, the partition and the row. With {@code
   * oneJob} (for a caller who keeps the whole result, as {@code collect} does), one job stores
   * every partition at once, its tasks on every core, and the result is held to {@code
   * spark.driver.maxResultSize}; the driver still takes the blocks one at a time, in order.
   */
  private static <T extends Record> ArrowReader of(
      Dataset<Row> df, ArrowRecordType<T> type, BufferAllocator allocator, boolean oneJob) {
    int batchSize = SparkArrow.batchSize(df.sparkSession(), ArrowMapOptions.DEFAULT);
    SparkInput in =
        SparkInput.of(InputColumns.select(df, type, false), type.arrowSchema(), batchSize, false);
    return new DriverStream(
        allocator,
        type.arrowSchema(),
        ArrowTables.tables(in, batchSize, type.recordClass().getSimpleName()),
        oneJob);
  }

  /**
   * The records of {@code df}, read from its stream (see {@link #of(Dataset, ArrowRecordType,
   * BufferAllocator, boolean)} for {@code oneJob}) one batch at a time, the batch's Arrow memory
   * freed as soon as its records are built, so the iterator holds none between calls. Read to
   * its end or to an error, it closes the stream; one abandoned half-way leaves the blocks of the
   * jobs that ran ahead to the context cleaner, and its idle threads end.
   */
  static <T extends Record> Iterator<T> records(
      Dataset<Row> df, ArrowRecordType<T> type, boolean oneJob) {
    ArrowReader stream = of(df, type, ArrowAllocators.root(), oneJob);
    return new Iterator<>() {
      private final List<T> batch = new ArrayList<>();
      private ArrowRecordReader<T> reader;
      private int next;
      private boolean closed;

      @Override
      public boolean hasNext() {
        while (next >= batch.size() && !closed) {
          batch.clear();
          next = 0;
          try {
            if (!stream.loadNextBatch()) {
              stream.close();
              closed = true;
              break;
            }
            VectorSchemaRoot root = stream.getVectorSchemaRoot();
            if (reader == null) {
              reader = type.newReader(root);
            }
            reader.forEach(batch::add);
            root.clear();
          } catch (IOException | RuntimeException e) {
            closed = true;
            try {
              stream.close();
            } catch (IOException | RuntimeException suppressed) {
              e.addSuppressed(suppressed);
            }
            if (e instanceof IOException) {
              throw new UncheckedIOException(e.getMessage(), (IOException) e);
            }
            throw (RuntimeException) e;
          }
        }
        return next < batch.size();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return batch.get(next++);
      }
    };
  }

  static void export(Dataset<Row> df, BufferAllocator allocator, ArrowArrayStream stream) {
    Data.exportArrayStream(allocator, of(df, allocator), stream);
  }

  /**
   * The sizes of a whole result's blocks, if their sum is within {@code
   * spark.driver.maxResultSize}: the limit Spark's own {@code collect} keeps, since the driver
   * will hold all of it.
   */
  private long[] withinMaxResultSize(long[] sizes) {
    long limit = context.conf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
    long total = Arrays.stream(sizes).sum();
    if (limit > 0 && total > limit) {
      throw new IllegalStateException(
          "the " + sizes.length + " partitions' Arrow tables are " + total + " bytes, more than"
              + " spark.driver.maxResultSize (" + limit + " bytes): raise it (0 for no limit),"
              + " or read the rows a partition at a time (toLocalIterator, toArrowReader)");
    }
    return sizes;
  }

  /**
   * Starts jobs (in this stream's job group) of {@code groupSize} partitions each, up to {@code
   * jobsAhead} jobs' worth of partitions ahead of the one being read.
   */
  private void startJobs() {
    while (nextJob < partitions && nextJob <= reading + (long) jobsAhead * groupSize) {
      int from = nextJob;
      int to = Math.min(partitions, from + groupSize);
      nextJob = to;
      CompletableFuture<long[]> job =
          CompletableFuture.supplyAsync(() -> storeBlocks(from, to), jobs);
      for (int partition = from; partition < to; partition++) {
        int index = partition - from;
        started.add(new Pending(job.thenApply(sizes -> sizes[index]), to - from > 1));
      }
    }
  }

  /**
   * Runs the job that stores the blocks of partitions {@code from} to {@code to} (exclusive);
   * returns their sizes. Runs on a thread of {@code jobs}, whose job group it sets.
   */
  private long[] storeBlocks(int from, int to) {
    String description = oneJob ? "SparkArrow.collect" : "SparkArrow.toArrowReader";
    context.setJobGroup(jobGroup, description, true);
    long[] sizes = blocks.store(from, to);
    return oneJob ? withinMaxResultSize(sizes) : sizes;
  }

  /**
   * Runs partition {@code partition}'s job alone (on a job thread: the job group must not be set
   * on the caller's) and returns its block's size.
   */
  private long storeAlone(int partition) throws IOException, InterruptedException {
    try {
      return jobs.submit(() -> storeBlocks(partition, partition + 1)[0]).get();
    } catch (ExecutionException e) {
      throw failed(partition, e);
    }
  }

  private IOException failed(int partition, ExecutionException e) {
    return new IOException(
        (oneJob ? "collecting the partitions" : "the job of partition " + partition)
            + " failed: " + e.getCause(),
        e.getCause());
  }

  /**
   * The tables of the next partition, taken from the block its job stored; then the jobs after
   * it start, sized by the blocks taken so far.
   */
  private boolean nextPartition() throws IOException {
    Pending job = started.poll();
    if (job == null) {
      return false;
    }
    int partition = reading + 1;
    tables = new Chunks(NO_CHUNKS); // let the partition read go before the next arrives
    try {
      long size;
      try {
        size = job.size().get();
      } catch (ExecutionException e) {
        if (!job.shared() || oneJob) {
          throw failed(partition, e);
        }
        // A job of several partitions failed as a whole: run this one alone, so that the
        // partitions before the failed one still arrive and the error names its partition.
        size = storeAlone(partition);
      }
      Optional<ByteBuffer[]> block = blocks.take(partition);
      if (block.isEmpty()) {
        // Lost with its executor between the job and the fetch: run the job again.
        storeAlone(partition);
        block = blocks.take(partition);
      }
      if (block.isEmpty()) {
        throw new IOException(
            "the " + size + " bytes partition " + partition + "'s task stored were lost twice"
                + " before the driver could fetch them (executors lost?)");
      }
      tables = new Chunks(block.get());
      bytesTaken += size;
      blocksTaken++;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for partition " + partition, e);
    }
    reading = partition;
    if (!oneJob) {
      long average = Math.max(1, bytesTaken / blocksTaken);
      groupSize = (int) Math.max(1, Math.min(MAX_GROUP, GROUP_BYTES / average));
    }
    startJobs();
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
        root.clear(); // this reader's root is now the buffers' only owner
        return true;
      }
      if (current != null) {
        current.close();
        current = null;
      }
      if (!tables.hasRemaining()) {
        bytes += tables.read;
        if (!nextPartition()) {
          getVectorSchemaRoot().setRowCount(0);
          return false;
        }
        continue;
      }
      current = new ArrowStreamReader(tables, allocator); // the next table
    }
  }

  @Override
  public long bytesRead() {
    return bytes + tables.read;
  }

  @Override
  protected void closeReadSource() throws IOException {
    // Stop the threads first, so that they start no job after the group is cancelled.
    started.forEach(job -> job.size().cancel(true));
    started.clear();
    jobs.shutdownNow();
    try {
      if (!jobs.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IOException("the threads running the partitions' jobs did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      context.cancelJobGroup(jobGroup);
      blocks.removeAll();
    }
    tables = new Chunks(NO_CHUNKS);
    if (current != null) {
      current.close();
      current = null;
    }
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }

  /**
   * A partition's block read as one channel: its tables' IPC streams back to back, each read to
   * its end-of-stream marker by a reader of its own. Each chunk is let go once read. Closing it
   * (as each table's reader does) does nothing: the next table follows.
   */
  private static final class Chunks implements ReadableByteChannel {
    private final ByteBuffer[] chunks;
    private int next;
    long read;

    Chunks(ByteBuffer[] chunks) {
      this.chunks = chunks;
    }

    boolean hasRemaining() {
      while (next < chunks.length && !chunks[next].hasRemaining()) {
        chunks[next++] = null;
      }
      return next < chunks.length;
    }

    @Override
    public int read(ByteBuffer target) {
      if (!hasRemaining()) {
        return -1;
      }
      ByteBuffer chunk = chunks[next];
      int length = Math.min(chunk.remaining(), target.remaining());
      target.put(chunk.slice(chunk.position(), length));
      chunk.position(chunk.position() + length);
      read += length;
      return length;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}

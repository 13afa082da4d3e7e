package io.github.sparkarrow.duckdb;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowBatches;
import io.github.sparkarrow.runtime.ArrowDataException;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.ArrowTaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A batch function run over one input stream by several threads, as Spark runs it over a
 * partition per core: each worker takes the next input batch (moved out of the input's root under
 * a lock), runs the function in a task context of its own, and hands its output batches (moved,
 * not copied) to whoever reads this reader (DuckDB, through the C Data Interface). The output's
 * row order is not the input's. Errors about a row name the row of the whole stream.
 *
 * <p>Closing it stops the workers (after the batch in hand), frees the waiting batches, closes
 * their contexts (a leak there is {@link #failure()}) and then the input.
 */
final class ParallelFunctionReader extends ArrowReader {

  private static final Object END = new Object();

  private final ArrowReader input;
  private final ArrowBatchFunction function;
  private final Schema schema;
  private final BufferAllocator allocator;
  private final List<Thread> threads = new ArrayList<>();
  private final List<ArrowTaskContext> contexts = new ArrayList<>();
  private final BlockingQueue<Object> queue;
  private final AtomicInteger running;
  private final Object inputLock = new Object();
  private boolean inputDone;
  private long inputRows;
  private volatile boolean stop;
  private volatile Throwable failure;
  private boolean started;
  private boolean done;
  private volatile boolean closed; // read by the workers: the reader is gone, drop what they hand

  ParallelFunctionReader(
      BufferAllocator allocator, ArrowReader input, ArrowBatchFunction function, Schema schema,
      int workers, String name) {
    super(allocator);
    this.allocator = allocator;
    this.input = input;
    this.function = function;
    this.schema = schema;
    this.queue = new ArrayBlockingQueue<>(2 * workers);
    this.running = new AtomicInteger(workers);
    try {
      input.getVectorSchemaRoot(); // its schema, read once, before the workers share it
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < workers; i++) {
      ArrowTaskContext context = ArrowTaskContext.childOf(allocator, name + "-" + i);
      contexts.add(context);
      Thread thread = new Thread(() -> work(context), name + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  /** The first exception of a worker (the function's, or a leak found at close), or null. */
  Throwable failure() {
    return failure;
  }

  private void work(ArrowTaskContext context) {
    try {
      VectorSchemaRoot mine =
          context.closeAtEnd(VectorSchemaRoot.create(input.getVectorSchemaRoot().getSchema(), context.allocator()));
      long[] batchStart = {0};
      Iterator<VectorSchemaRoot> batches = new Iterator<>() {
        private Boolean loaded;

        @Override
        public boolean hasNext() {
          if (loaded == null) {
            loaded = take(mine, batchStart);
          }
          return loaded;
        }

        @Override
        public VectorSchemaRoot next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          loaded = null;
          return mine;
        }
      };
      Iterator<VectorSchemaRoot> output = function.apply(batches, context);
      while (!stop) {
        VectorSchemaRoot batch;
        try {
          if (!output.hasNext()) {
            break;
          }
          batch = output.next();
        } catch (ArrowDataException e) {
          // Placed by the function in this worker's share; place it in the whole stream.
          throw new ArrowDataException(e.column(), e.row(), e.problem(), e.getCause())
              .inPartition(0, batchStart[0]);
        }
        ArrowSchemas.requireMatches(schema, batch.getSchema(), "the declared output");
        VectorSchemaRoot out = VectorSchemaRoot.create(schema, allocator);
        ArrowBatches.move(batch, out);
        hand(out);
      }
    } catch (Throwable e) {
      if (failure == null) {
        failure = e;
      }
      stop = true;
      hand(e);
    } finally {
      if (running.decrementAndGet() == 0) {
        hand(END);
      }
    }
  }

  /** Moves the next input batch into {@code mine}; false at the end (or when stopped). */
  private boolean take(VectorSchemaRoot mine, long[] batchStart) {
    synchronized (inputLock) {
      if (stop || inputDone) {
        return false;
      }
      try {
        if (!input.loadNextBatch()) {
          inputDone = true;
          return false;
        }
        VectorSchemaRoot batch = input.getVectorSchemaRoot();
        batchStart[0] = inputRows;
        inputRows += batch.getRowCount();
        ArrowBatches.move(batch, mine);
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void hand(Object item) {
    try {
      while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
        if (closed) {
          free(item);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      free(item);
    }
  }

  private static void free(Object item) {
    if (item instanceof VectorSchemaRoot batch) {
      batch.close();
    }
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    VectorSchemaRoot root = getVectorSchemaRoot();
    root.setRowCount(0);
    if (done) {
      return false;
    }
    if (!started) {
      started = true;
      threads.forEach(Thread::start);
    }
    while (true) {
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the next batch", e);
      }
      if (next == END) {
        done = true;
        if (failure != null) {
          throw rethrow(failure);
        }
        return false;
      }
      if (next instanceof Throwable) {
        done = true;
        throw rethrow(failure);
      }
      try (VectorSchemaRoot batch = (VectorSchemaRoot) next) {
        ArrowBatches.move(batch, root);
      }
      return true;
    }
  }

  private static RuntimeException rethrow(Throwable failure) throws IOException {
    if (failure instanceof IOException io) {
      throw io;
    } else if (failure instanceof RuntimeException runtime) {
      return runtime;
    } else if (failure instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(failure);
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    stop = true;
    try {
      for (Thread thread : threads) {
        while (started && thread.isAlive()) {
          free(queue.poll());
          thread.join(50);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Object item = queue.poll(); item != null; item = queue.poll()) {
        free(item);
      }
      try {
        for (ArrowTaskContext context : contexts) {
          try {
            context.close();
          } catch (RuntimeException e) {
            if (failure == null) {
              failure = e; // a leak; a consumer closing it through the C Data Interface may not say
            }
          }
        }
      } finally {
        input.close();
      }
    }
    if (failure instanceof IllegalStateException leak && leak.getMessage() != null
        && leak.getMessage().contains("leak")) {
      throw leak;
    }
  }
}

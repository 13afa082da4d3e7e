package io.github.sparkarrow.runtime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The Arrow memory of one task: an allocator, and the resources allocated from it that must be
 * freed when the task ends however it ends (success, failure, early stop).
 *
 * <p><b>Memory.</b> The context owns its allocator. {@link #close()} closes every resource given
 * to {@link #closeAtEnd}, newest first, then the allocator; if any buffer is still allocated then,
 * closing the allocator throws ({@code IllegalStateException: Memory was leaked}), so a leak fails
 * the task loudly. On Spark, the task's completion listener calls {@code close()}.
 */
public final class ArrowTaskContext implements AutoCloseable {

  private final BufferAllocator allocator;
  private final int partition;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final UnaryOperator<Runnable> threadSetup;

  /** A context owning {@code allocator}, for {@code partition}. */
  public ArrowTaskContext(BufferAllocator allocator, int partition) {
    this(allocator, partition, UnaryOperator.identity());
  }

  /**
   * A context owning {@code allocator}, for {@code partition}, whose {@link #newThread threads}
   * run their work wrapped by {@code threadSetup} (Spark's glue sets the task's {@code
   * TaskContext} there, as Spark does for the threads of its Python runner).
   */
  public ArrowTaskContext(
      BufferAllocator allocator, int partition, UnaryOperator<Runnable> threadSetup) {
    this.allocator = allocator;
    this.partition = partition;
    this.threadSetup = threadSetup;
  }

  /**
   * A daemon thread for work of this task (not started). Whoever starts it makes it end with the
   * task: register what stops it with {@link #closeAtEnd}.
   */
  public Thread newThread(String name, Runnable work) {
    Thread thread = new Thread(threadSetup.apply(work), name);
    thread.setDaemon(true);
    return thread;
  }

  /** A context with a child allocator of {@code parent}, for use outside Spark. */
  public static ArrowTaskContext childOf(BufferAllocator parent, String name) {
    return new ArrowTaskContext(parent.newChildAllocator(name, 0, Long.MAX_VALUE), 0);
  }

  /** Allocate output batches from here. */
  public BufferAllocator allocator() {
    return allocator;
  }

  /** The partition (0 outside Spark). */
  public int partition() {
    return partition;
  }

  /** Closes {@code resource} when the task ends, before the allocator; returns it. */
  public synchronized <T extends AutoCloseable> T closeAtEnd(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public synchronized void close() {
    RuntimeException failure = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("closing the Arrow resources of a task failed", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    long leaked = allocator.getAllocatedMemory();
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      RuntimeException leak =
          new IllegalStateException(
              "Arrow memory still allocated when the task ended: " + leaked + " bytes of '"
                  + allocator.getName() + "' (partition " + partition + "). Whatever a batch"
                  + " function allocates from context.allocator() must be closed by it, or"
                  + " registered with context.closeAtEnd(...)",
              e);
      if (failure == null) {
        failure = leak;
      } else {
        failure.addSuppressed(leak);
      }
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}

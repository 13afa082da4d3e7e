package io.github.sparkarrow.spark;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The one Arrow root allocator of this JVM (driver or executor), from which every task takes a
 * child allocator that its completion listener closes.
 */
public final class ArrowAllocators {

  private static volatile RootAllocator root;

  private ArrowAllocators() {}

  /** The process-wide root; its {@code getAllocatedMemory()} is 0 when no task holds memory. */
  public static BufferAllocator root() {
    RootAllocator result = root;
    if (result == null) {
      synchronized (ArrowAllocators.class) {
        if (root == null) {
          root = create();
        }
        result = root;
      }
    }
    return result;
  }

  static BufferAllocator child(String name) {
    return root().newChildAllocator(name, 0, Long.MAX_VALUE);
  }

  private static RootAllocator create() {
    try {
      return new RootAllocator(Long.MAX_VALUE);
    } catch (LinkageError | RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (String.valueOf(t.getMessage()).contains("MemoryUtil")
            || t instanceof ExceptionInInitializerError) {
          throw new IllegalStateException(
              "Arrow cannot reach direct memory on this JVM. On Java 17 add"
                  + " --add-opens=java.base/java.nio=ALL-UNNAMED to the JVM (for Spark:"
                  + " spark.driver.extraJavaOptions and spark.executor.extraJavaOptions).",
              e);
        }
      }
      throw e;
    }
  }
}

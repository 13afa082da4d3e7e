package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.spark.ArrowAllocators;
import org.apache.spark.sql.SparkSession;

/** One local Spark session for the whole test JVM, as Delta's tests share theirs. */
final class SparkTestSession {

  private static SparkSession session;

  private SparkTestSession() {}

  static synchronized SparkSession get() {
    if (session == null) {
      session =
          SparkSession.builder()
              .appName("spark-arrow-java tests")
              .master("local[2]")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.session.timeZone", "UTC")
              .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  /**
   * Asserts that no task left Arrow memory in the executor's root allocator. Completion
   * listeners run right after a task ends, so a killed task gets a few seconds to finish first.
   */
  static void assertNoArrowMemoryLeft() throws InterruptedException {
    for (int i = 0; i < 100 && ArrowAllocators.root().getAllocatedMemory() != 0; i++) {
      Thread.sleep(50);
    }
    assertThat(ArrowAllocators.root().getAllocatedMemory()).isZero();
  }
}

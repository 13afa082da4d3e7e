package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.spark.ArrowAllocators;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.BlockId;
import scala.collection.JavaConverters;

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

  /** The RDD blocks every block manager has (the master sends them this filter). */
  static Set<BlockId> rddBlocks() {
    scala.Function1<BlockId, Object> isRdd =
        (scala.Function1<BlockId, Object> & java.io.Serializable) BlockId::isRDD;
    return new HashSet<>(
        JavaConverters.seqAsJavaList(
            SparkEnv.get().blockManager().master().getMatchingBlockIds(isRdd, true)));
  }

  /**
   * Asserts that, once removals have settled (they are asynchronous; 10 s at most), no RDD block
   * is left beyond {@code before}: {@code what} says which.
   */
  static void assertNoRddBlocksBeyond(Set<BlockId> before, String what)
      throws InterruptedException {
    awaitRddBlocks(before::containsAll);
    assertThat(rddBlocks()).as(what).isSubsetOf(before);
  }

  /** The RDD blocks once {@code until} holds of them (removal is asynchronous), or after 10 s. */
  static Set<BlockId> awaitRddBlocks(Predicate<Set<BlockId>> until)
      throws InterruptedException {
    Set<BlockId> blocks = rddBlocks();
    for (int i = 0; i < 200 && !until.test(blocks); i++) {
      Thread.sleep(50);
      blocks = rddBlocks();
    }
    return blocks;
  }
}

package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.spark.ArrowMapOptions;
import io.github.sparkarrow.spark.SparkArrow;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What the cluster tests share: the JVM flags for the JVMs they start, and the killed-job run. */
final class ClusterJobs {

  private ClusterJobs() {}

  /**
   * The Spark/Arrow module flags this test JVM was started with (pom.xml's {@code
   * spark.jvm.flags}), for the Master, Worker and executor JVMs a test starts.
   */
  static List<String> sparkJvmFlags() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            arg ->
                arg.startsWith("--add-opens")
                    || arg.equals("-XX:+IgnoreUnrecognizedVMOptions")
                    || arg.startsWith("-Djdk.reflect")
                    || arg.startsWith("-Dio.netty"))
        .toList();
  }

  /**
   * Runs a job of generated mappers that takes about 15 s on two executors (20 partitions of 100
   * orders, 10 batches of 150 ms each), calls {@code kill} after {@code killAfterMillis} while the
   * job is still running, and checks that the job still returns the right records.
   */
  static void survivesAKill(SparkSession spark, long seed, long killAfterMillis, Runnable kill)
      throws Exception {
    RandomRecords random = new RandomRecords(seed);
    List<Order> input = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      input.add(random.order());
    }
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, input, OrderArrowSchema.INSTANCE).repartition(20);
    Dataset<Row> slow =
        SparkArrow.mapInArrow(orders, orders.schema(), BatchFunctions.delayEach(150),
            ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(10));
    Dataset<Row> totals =
        SparkArrow.mapRecords(slow, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            OrderTotal::of);

    CompletableFuture<List<OrderTotal>> job =
        CompletableFuture.supplyAsync(
            () -> SparkArrow.collect(totals, OrderTotalArrowSchema.INSTANCE));
    Thread.sleep(killAfterMillis);
    assertThat(job).as("the job is still running at the kill").isNotDone();
    kill.run();
    assertThat(job.get(5, TimeUnit.MINUTES))
        .containsExactlyInAnyOrderElementsOf(input.stream().map(OrderTotal::of).toList());
  }
}

package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.spark.ArrowAllocators;
import io.github.sparkarrow.spark.SparkArrow;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A batch function that leaks Arrow memory fails its task, saying so. Arrow cannot free a buffer
 * whose allocator is closed, so the leak stays in the process's root allocator: the build runs
 * this class in a JVM of its own (the surefire execution {@code leak}), away from the tests that
 * check that no memory is left.
 */
class TaskLeakTest {

  @Test
  void memoryAFunctionLeaksFailsItsTaskSayingSo() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> df = spark.range(10).toDF("id").coalesce(1);
    Dataset<Row> leaking =
        SparkArrow.mapInArrow(df, df.schema(), (batches, context) -> {
          context.allocator().buffer(1024);
          return batches;
        });
    assertThatThrownBy(leaking::count)
        .isInstanceOf(SparkException.class)
        .hasStackTraceContaining("Arrow memory still allocated when the task ended: 1024 bytes")
        .hasStackTraceContaining("(partition 0)")
        .hasStackTraceContaining("context.closeAtEnd(...)");
    assertThat(ArrowAllocators.root().getAllocatedMemory()).isEqualTo(1024);
  }
}

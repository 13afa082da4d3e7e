package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.it.pipe.OrderTotalsProgram;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.spark.PipeOptions;
import io.github.sparkarrow.spark.SparkArrow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SparkArrow.pipe: real programs over a DataFrame's partitions, and every way they fail. */
class SparkPipeTest {

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @AfterEach
  void nothingOutlivesItsTask() throws InterruptedException {
    for (int i = 0; i < 100 && ProcessHandle.current().descendants().findAny().isPresent(); i++) {
      Thread.sleep(50);
    }
    SparkTestSession.assertNoArrowMemoryLeft();
    assertThat(ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?")))
        .as("child processes left").isEmpty();
    spark.conf().unset("spark.sql.execution.arrow.maxRecordsPerBatch");
  }

  static List<ArrowTestSupport.Case> cases() {
    return ArrowTestSupport.cases();
  }

  @ParameterizedTest
  @MethodSource("cases")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void everyTypeSurvivesCat(ArrowTestSupport.Case c) {
    List<Record> records = c.records(300, 300);
    ArrowRecordType type = c.type();
    Dataset<Row> df = SparkArrow.createDataFrame(spark, (List) records, type);
    Dataset<Row> piped = SparkArrow.pipe(df, List.of("cat"), type, type, PipeOptions.DEFAULT);
    assertThat(SparkArrow.collect(piped, type))
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(records);
  }

  @Test
  void untypedCatWithBatchesOfOneAndEmptyPartitions() {
    Dataset<Row> df =
        spark.range(0, 50, 1, 2).selectExpr("id", "CAST(id AS STRING) AS text", "id / 3D AS x")
            .repartition(5); // some partitions empty
    Dataset<Row> piped =
        SparkArrow.pipe(df, List.of("cat"), df.schema(),
            PipeOptions.DEFAULT.withMaxRecordsPerBatch(1));
    assertThat(piped.exceptAll(df).count()).isZero();
    assertThat(df.exceptAll(piped).count()).isZero();
    Dataset<Row> empty = df.limit(0).repartition(2);
    assertThat(SparkArrow.pipe(empty, List.of("cat"), df.schema()).count()).isZero();
  }

  @Test
  void aJavaProgramServingTheSameBatchFunction() {
    Dataset<Row> orders =
        SparkArrow.createDataFrame(spark, RandomRecords.orders(2_000, 2_000), OrderArrowSchema.INSTANCE).repartition(2);
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.addAll(ClusterJobs.sparkJvmFlags());
    java.addAll(List.of("-cp", System.getProperty("java.class.path"),
        OrderTotalsProgram.class.getName()));
    Dataset<Row> totals =
        SparkArrow.pipe(orders, java, OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
            PipeOptions.DEFAULT);
    Dataset<Row> bySql = orders.selectExpr(OrderTotal.SQL);
    assertThat(totals.count()).isEqualTo(2_000);
    assertThat(totals.exceptAll(bySql).count()).isZero();
    assertThat(bySql.exceptAll(totals).count()).isZero();
  }

  /**
   * A program in another language: JavaScript on Node with npm's apache-arrow (installed by the
   * build from the lock file), computing a column; equal to the same computation in Spark SQL.
   */
  @Test
  void aJavaScriptProgramComputesAColumn() {
    Path program = Path.of(System.getProperty("node.programs"), "line-totals.mjs");
    assertThat(program).exists();
    assertThat(program.resolveSibling("node_modules/apache-arrow")).exists();
    Dataset<Row> lines =
        spark.range(0, 30_000, 1, 3)
            .selectExpr("id", "IF(id % 13 = 0, NULL, CAST(id % 17 AS INT)) AS quantity",
                "CAST(id % 1000 AS DOUBLE) / 8 AS price");
    StructType out = StructType.fromDDL("id BIGINT NOT NULL, total DOUBLE");
    Dataset<Row> byNode = SparkArrow.pipe(lines, List.of("node", program.toString()), out,
        PipeOptions.DEFAULT.withMaxRecordsPerBatch(4_000));
    Dataset<Row> bySql = lines.selectExpr("id", "quantity * price AS total");
    assertThat(byNode.count()).isEqualTo(30_000);
    assertThat(byNode.exceptAll(bySql).count()).isZero();
    assertThat(bySql.exceptAll(byNode).count()).isZero();
  }

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    assertThat(file.toFile().setExecutable(true)).isTrue();
    return file;
  }

  @Test
  void aFailingProgramFailsTheTaskNamingCommandStatusAndStderr() throws Exception {
    Path failing = script("failing.sh", "cat > /dev/null; echo 'no license for row 3' >&2; exit 2");
    Dataset<Row> df = spark.range(10).toDF("id");
    assertThatThrownBy(() -> SparkArrow.pipe(df, List.of(failing.toString()), df.schema()).count())
        .isInstanceOf(SparkException.class)
        .hasStackTraceContaining("the pipe program [" + failing + "] (exit status 2)")
        .hasStackTraceContaining("no license for row 3");
  }

  @Test
  void aHangingProgramIsKilledAndAnEarlyStopLeavesNothing() throws Exception {
    Path hang = script("hang.sh", "sleep 600");
    Dataset<Row> df = spark.range(10).toDF("id");
    assertThatThrownBy(() -> SparkArrow.pipe(df, List.of(hang.toString()), df.schema(),
            PipeOptions.DEFAULT.withIdleTimeout(Duration.ofSeconds(1))).count())
        .isInstanceOf(SparkException.class)
        .hasStackTraceContaining("neither read nor wrote for PT1S");
    // limit(1): the task stops reading early; its program (and the child it started) must go.
    Path parent = script("parent.sh", "sleep 600 & exec cat");
    Dataset<Row> big = spark.range(0, 1_000_000, 1, 2).toDF("id");
    assertThat(SparkArrow.pipe(big, List.of(parent.toString()), big.schema()).limit(1).count())
        .isEqualTo(1);
  }

  @Test
  void environmentAndSeparateWorkingDirectories() throws Exception {
    Path check = script("check.sh", "test \"$MODE\" = fast && test \"$(pwd)\" != \"" + dir
        + "\" && case \"$(pwd)\" in \"" + dir + "\"/arrow-pipe-*) exec cat ;; *) exit 9 ;; esac");
    Dataset<Row> df = spark.range(0, 100, 1, 2).toDF("id");
    PipeOptions options = PipeOptions.DEFAULT.withEnvironment(java.util.Map.of("MODE", "fast"))
        .withWorkingDirectory(dir.toString()).withSeparateWorkingDirectory(true);
    assertThat(SparkArrow.pipe(df, List.of(check.toString()), df.schema(), options).count())
        .isEqualTo(100);
    try (var left = Files.list(dir)) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("arrow-pipe-")))
          .as("each task's directory is removed when it ends").isEmpty();
    }
  }
}

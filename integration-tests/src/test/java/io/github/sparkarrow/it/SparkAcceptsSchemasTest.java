package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.spark.SparkSchemas;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A local Spark session takes the generated schemas as they are. */
class SparkAcceptsSchemasTest {

  static List<ArrowRecordType<?>> types() {
    return AllRecordTypes.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void createDataFrameWithTheStructTypeAndReadParquetWithTheDdl(
      ArrowRecordType<?> type, @TempDir Path dir) {
    SparkSession spark = SparkTestSession.get();
    StructType structType = SparkSchemas.structType(type);
    Row sample = SampleRows.row(structType);

    Dataset<Row> created = spark.createDataFrame(List.of(sample, sample), structType);
    assertThat(created.schema()).isEqualTo(structType);
    assertThat(created.collectAsList()).hasSize(2);

    String path = dir.resolve("data").toString();
    created.write().parquet(path);
    Dataset<Row> read = spark.read().schema(type.sparkDdl()).parquet(path);
    // File sources read every column as nullable; names, types and comments stay.
    assertThat(read.schema())
        .isEqualTo(SparkTypes.asDdlSeesIt(StructType.fromDDL(type.sparkDdl())).asNullable());
    assertThat(read.collectAsList()).containsExactlyElementsOf(created.collectAsList());

    String firstColumn = structType.fields()[0].name().replace("`", "``");
    assertThat(read.selectExpr("count(`" + firstColumn + "`)").first().getLong(0)).isEqualTo(2L);
  }
}

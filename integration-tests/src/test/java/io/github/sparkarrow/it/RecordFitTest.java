package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.TripArrowSchema;
import io.github.sparkarrow.it.records.TripFareArrowSchema;
import io.github.sparkarrow.spark.RecordFit;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Does this record fit that data": the typed functions' own check, as an API and assertions. */
class RecordFitTest {

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @Test
  void aRecordFitsParquetFilesDataFramesAndSchemas() {
    String path = dir.resolve("trips").toString();
    Dataset<Row> trips =
        spark.range(3).selectExpr("id AS trip_id", "'v' AS vendor", "1 AS passengers",
            "1.5D AS distance", "current_timestamp() AS pickup", "'n' AS note", "id AS extra");
    trips.write().parquet(path);

    RecordFit.assertFitsParquet(spark, TripArrowSchema.INSTANCE, path);
    RecordFit.assertFits(TripArrowSchema.INSTANCE, trips);
    RecordFit.assertFits(TripArrowSchema.INSTANCE, StructType.fromDDL(TripArrowSchema.SPARK_DDL));
    // Nullable columns (every Parquet column) fit NOT NULL components, unless strict.
    assertThat(RecordFit.problems(TripArrowSchema.INSTANCE, spark.read().parquet(path).schema()))
        .isEmpty();
    assertThat(RecordFit.problems(TripArrowSchema.INSTANCE, spark.read().parquet(path).schema(), true))
        .hasSize(4)
        .allMatch(p -> p.contains("may be null in the DataFrame but is NOT NULL"));
  }

  @Test
  void everyProblemInOneMessage() {
    String path = dir.resolve("other").toString();
    spark.range(3).selectExpr("CAST(id AS INT) AS trip_id", "id AS vendor").write().parquet(path);
    assertThatThrownBy(() -> RecordFit.assertFitsParquet(spark, TripArrowSchema.INSTANCE, path))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("the Parquet files at " + path + " does not fit "
            + "io.github.sparkarrow.it.records.Trip:")
        .hasMessageContaining("'trip_id': expected BIGINT, found INT")
        .hasMessageContaining("'vendor': expected STRING, found BIGINT")
        .hasMessageContaining("column 'passengers' (INT NOT NULL) is missing")
        .hasMessageContaining("column 'distance' (DOUBLE NOT NULL) is missing")
        .hasMessageContaining("column 'pickup' (TIMESTAMP) is missing")
        .hasMessageContaining("column 'note' (STRING) is missing");
    assertThat(RecordFit.problems(TripFareArrowSchema.INSTANCE,
            StructType.fromDDL(TripArrowSchema.SPARK_DDL)))
        .containsExactly("column 'fare' (DOUBLE NOT NULL) is missing");
  }

  @Test
  void structFieldsFitByNameInAnyOrderWithOthersBeside() {
    StructType order = StructType.fromDDL(OrderArrowSchema.SPARK_DDL);
    StructType shipTo = StructType.fromDDL("note STRING, ZIP INT, city STRING, street STRING");
    assertThat(RecordFit.problems(OrderArrowSchema.INSTANCE, withShipTo(order, shipTo))).isEmpty();

    StructType noZip = StructType.fromDDL("city STRING, street STRING");
    assertThat(RecordFit.problems(OrderArrowSchema.INSTANCE, withShipTo(order, noZip)))
        .containsExactly("'ship_to.zip' (INT NOT NULL) is missing: 'ship_to' is "
            + noZip.sql());
  }

  private static StructType withShipTo(StructType order, StructType shipTo) {
    StructField[] fields = order.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].name().equals("ship_to")) {
        fields[i] = DataTypes.createStructField("ship_to", shipTo, true);
      }
    }
    return new StructType(fields);
  }
}

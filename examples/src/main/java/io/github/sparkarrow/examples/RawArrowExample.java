package io.github.sparkarrow.examples;

import io.github.sparkarrow.runtime.ArrowTaskContext;
import io.github.sparkarrow.spark.SparkArrow;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code mapInArrow} on raw {@code VectorSchemaRoot}s, as PySpark users write it: each partition's
 * rows arrive as Arrow batches, and the function returns Arrow batches of the declared schema.
 *
 * <p>Run it with {@code mvn -pl examples -am package -DskipTests -Pexample
 * -Dexample.main=io.github.sparkarrow.examples.RawArrowExample}.
 */
public final class RawArrowExample {

  private RawArrowExample() {}

  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .appName("spark-arrow-java mapInArrow example")
            .master("local[*]")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      Dataset<Row> numbers = spark.range(0, 1_000_000, 1, 4).toDF("id");
      StructType schema =
          new StructType().add("id", DataTypes.LongType, false).add("square_mod_97", DataTypes.LongType, false);
      Dataset<Row> squares = SparkArrow.mapInArrow(numbers, schema, RawArrowExample::squares);
      squares.selectExpr("count(*)", "sum(square_mod_97)").show();
    } finally {
      spark.stop();
    }
  }

  /** Reads the {@code id} vector of each batch and writes two vectors of an output batch. */
  static Iterator<VectorSchemaRoot> squares(
      Iterator<VectorSchemaRoot> batches, ArrowTaskContext context) {
    Schema schema =
        new Schema(
            List.of(
                Field.notNullable("id", new ArrowType.Int(64, true)),
                Field.notNullable("square_mod_97", new ArrowType.Int(64, true))));
    // Allocated from the task, freed by the task however it ends.
    VectorSchemaRoot out = context.closeAtEnd(VectorSchemaRoot.create(schema, context.allocator()));
    BigIntVector ids = (BigIntVector) out.getVector(0);
    BigIntVector squares = (BigIntVector) out.getVector(1);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        VectorSchemaRoot in = batches.next();
        BigIntVector id = (BigIntVector) in.getVector("id");
        int rows = in.getRowCount();
        out.allocateNew();
        for (int i = 0; i < rows; i++) {
          long value = id.get(i);
          ids.setSafe(i, value);
          squares.setSafe(i, value * value % 97);
        }
        out.setRowCount(rows);
        return out;
      }
    };
  }
}

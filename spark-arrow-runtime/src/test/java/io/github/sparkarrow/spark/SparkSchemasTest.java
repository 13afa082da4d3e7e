package io.github.sparkarrow.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SparkSchemasTest {

  @Test
  void commentsAttachByArrowPath() {
    Schema schema =
        new Schema(
            List.of(
                new Field(
                    "lines",
                    FieldType.nullable(ArrowType.List.INSTANCE),
                    List.of(
                        new Field(
                            "element",
                            FieldType.notNullable(ArrowType.Struct.INSTANCE),
                            List.of(Field.nullable("price", new ArrowType.Int(32, true))))))));
    StructType struct = SparkSchemas.fromArrow(schema, Map.of("lines.element.price", "unit"));
    StructType element =
        (StructType)
            ((org.apache.spark.sql.types.ArrayType) struct.apply("lines").dataType())
                .elementType();
    assertThat(element.apply("price").getComment().get()).isEqualTo("unit");
    assertThat(element.apply("price").dataType()).isEqualTo(DataTypes.IntegerType);
  }

  @Test
  void typesSparkCannotHoldAreNamedWithTheirPath() {
    Schema unsigned =
        new Schema(
            List.of(
                new Field(
                    "outer",
                    FieldType.nullable(ArrowType.Struct.INSTANCE),
                    List.of(Field.nullable("count", new ArrowType.Int(32, false))))));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkSchemas.fromArrow(unsigned, Map.of()))
        .withMessageContaining("Arrow field 'outer.count'")
        .withMessageContaining("which Spark 3.5 cannot hold");

    Schema nanos =
        new Schema(List.of(Field.nullable("at", new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC"))));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkSchemas.fromArrow(nanos, Map.of()))
        .withMessageContaining("Arrow field 'at'");
  }
}

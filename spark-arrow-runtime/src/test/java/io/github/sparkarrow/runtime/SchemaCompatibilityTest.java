package io.github.sparkarrow.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.runtime.SchemaCompatibility.Target;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/**
 * The rules that differ between targets, and the shape of the messages. Spark's own behaviour for
 * every Parquet rule is checked in integration-tests' SchemaEvolutionTest.
 */
class SchemaCompatibilityTest {

  private static Schema one(ArrowType type) {
    return new Schema(List.of(new Field("x", FieldType.nullable(type), null)));
  }

  private static final ArrowType INT = new ArrowType.Int(32, true);
  private static final ArrowType LONG = new ArrowType.Int(64, true);
  private static final ArrowType FLOAT = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
  private static final ArrowType DOUBLE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

  @Test
  void icebergPromotesWhatSparksParquetReaderCannot() {
    assertThat(SchemaCompatibility.canRead(one(LONG), one(INT)).isCompatible()).isFalse();
    assertThat(SchemaCompatibility.canRead(one(LONG), one(INT), Target.ICEBERG).isCompatible()).isTrue();
    assertThat(SchemaCompatibility.canRead(one(DOUBLE), one(FLOAT)).isCompatible()).isFalse();
    assertThat(SchemaCompatibility.canRead(one(DOUBLE), one(FLOAT), Target.ICEBERG).isCompatible()).isTrue();
    ArrowType d10 = new ArrowType.Decimal(10, 2, 128);
    ArrowType d20 = new ArrowType.Decimal(20, 2, 128);
    assertThat(SchemaCompatibility.canRead(one(d20), one(d10)).isCompatible()).isFalse();
    assertThat(SchemaCompatibility.canRead(one(d20), one(d10), Target.ICEBERG).isCompatible()).isTrue();
    // Never narrowing, in either.
    assertThat(SchemaCompatibility.canRead(one(INT), one(LONG), Target.ICEBERG).isCompatible()).isFalse();
    assertThat(SchemaCompatibility.canRead(one(ArrowType.Binary.INSTANCE), one(ArrowType.Utf8.INSTANCE),
        Target.ICEBERG).isCompatible()).isFalse();
  }

  @Test
  void fullNamesTheDirectionOfEachProblem() {
    SchemaCompatibility full = SchemaCompatibility.full(one(LONG), one(INT));
    assertThat(full.problems())
        .containsExactly(
            "backward (new reads old): x: written as INT, read as BIGINT: Spark's Parquet reader"
                + " cannot convert it (SchemaColumnConvertNotSupportedException). Keep INT, or add"
                + " a new column of the new type and stop writing the old one (Iceberg and Delta"
                + " tables can widen INT to BIGINT).",
            "forward (old reads new): x: written as BIGINT, read as INT: Spark's Parquet reader"
                + " cannot convert it (SchemaColumnConvertNotSupportedException). Keep BIGINT, or"
                + " add a new column of the new type and stop writing the old one (Iceberg and"
                + " Delta tables can widen INT to BIGINT).");
    assertThat(full.toString()).startsWith("incompatible:\n  backward");
    assertThat(SchemaCompatibility.full(one(INT), one(INT)).toString()).isEqualTo("compatible");
  }
}

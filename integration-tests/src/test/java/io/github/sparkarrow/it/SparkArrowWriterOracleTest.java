package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.spark.SparkSchemas;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Validator;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.Function1;

/**
 * The oracle: for the same values, the batch the generated writer produces equals the batch
 * Spark's own path produces (records as Spark rows, Spark's converters to {@code InternalRow},
 * Spark's {@code ArrowWriter}); and the generated reader reads Spark's batch back to the records.
 */
class SparkArrowWriterOracleTest extends ArrowTestSupport {

  static List<Case> cases() {
    return ArrowTestSupport.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void generatedWriterProducesSparksBatch(Case c) {
    RandomRecords random = new RandomRecords(7);
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      records.add(c.next().apply(random));
    }
    ArrowRecordType type = c.type();
    StructType structType = SparkSchemas.structType(type);
    Function1<Object, Object> toCatalyst =
        CatalystTypeConverters.createToCatalystConverter(structType);

    try (ArrowRecordWriter ours = type.newWriter(allocator);
        VectorSchemaRoot spark =
            VectorSchemaRoot.create(
                ArrowUtils.toArrowSchema(structType, "UTC", true, false), allocator)) {
      ours.writeAll(records);
      ours.finish();

      ArrowWriter sparkWriter = ArrowWriter.create(spark);
      for (Record record : records) {
        sparkWriter.write((InternalRow) toCatalyst.apply(RecordRows.row(record)));
      }
      sparkWriter.finish();

      Validator.compareVectorSchemaRoot(ours.root(), spark);

      ArrowRecordReader<Record> reader = type.newReader(spark);
      for (int row = 0; row < records.size(); row++) {
        assertThat(reader.get(row))
            .usingRecursiveComparison(RoundTripTest.STRICT)
            .isEqualTo(records.get(row));
      }
    }
  }
}

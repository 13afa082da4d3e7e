package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** record → generated writer → generated reader → an equal record, over seeded random records. */
class RoundTripTest extends ArrowTestSupport {

  /** Field by field, floats by their bits' order: NaN equals NaN, -0.0 differs from 0.0. */
  static final RecursiveComparisonConfiguration STRICT =
      RecursiveComparisonConfiguration.builder()
          .withStrictTypeChecking(true)
          .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
          .withEqualsForType((a, b) -> Float.compare(a, b) == 0, Float.class)
          .build();

  static List<Case> cases() {
    return ArrowTestSupport.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void randomRecordsRoundTrip(Case c) {
    for (long seed = 1; seed <= 20; seed++) {
      roundTrip(c, seed, 200);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void roundTrip(Case c, long seed, int count) {
    RandomRecords random = new RandomRecords(seed);
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(c.next().apply(random));
    }
    ArrowRecordType type = c.type();
    try (ArrowRecordWriter writer = type.newWriter(allocator)) {
      writer.writeAll(records);
      VectorSchemaRoot root = writer.finish();
      assertThat(root.getRowCount()).isEqualTo(count);
      validate(root);
      ArrowRecordReader<Record> reader = type.newReader(root);
      assertThat(reader.rowCount()).isEqualTo(count);
      for (int row = 0; row < count; row++) {
        assertThat(reader.get(row))
            .as("seed %d row %d", seed, row)
            .usingRecursiveComparison(STRICT)
            .isEqualTo(records.get(row));
      }
      assertThat(reader.stream().count()).isEqualTo(count);
    }
  }
}

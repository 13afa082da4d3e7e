package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.validate.ValidateVectorBufferVisitor;
import org.apache.arrow.vector.validate.ValidateVectorDataVisitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh allocator per test, closed after it, so a leaked buffer fails the test (as arrow-java's
 * own tests do).
 */
abstract class ArrowTestSupport {

  protected BufferAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  /**
   * Arrow's full validation of every vector of a batch: buffers (sizes, offsets) and data (offsets
   * monotonic, UTF-8 valid). Not {@code ValueVectorUtility.validateFull}: its type check in Arrow
   * 12 takes every {@code MapVector} for a list and rejects it.
   */
  static void validate(VectorSchemaRoot root) {
    for (FieldVector vector : root.getFieldVectors()) {
      assertThat(vector.getValueCount()).isEqualTo(root.getRowCount());
      vector.accept(new ValidateVectorBufferVisitor(), null);
      vector.accept(new ValidateVectorDataVisitor(), null);
    }
  }

  /** Every record type with its generator, for parameterized tests. */
  record Case(String name, io.github.sparkarrow.runtime.ArrowRecordType<?> type,
      Function<RandomRecords, ? extends Record> next) {
    @Override
    public String toString() {
      return name;
    }

    /** {@code count} random records of this type, the same for the same seed. */
    List<Record> records(int count, long seed) {
      RandomRecords random = new RandomRecords(seed);
      List<Record> records = new java.util.ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        records.add(next.apply(random));
      }
      return records;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("Primitives", io.github.sparkarrow.it.records.PrimitivesArrowSchema.INSTANCE, RandomRecords::primitives),
        new Case("Boxes", io.github.sparkarrow.it.records.BoxesArrowSchema.INSTANCE, RandomRecords::boxes),
        new Case("Texts", io.github.sparkarrow.it.records.TextsArrowSchema.INSTANCE, RandomRecords::texts),
        new Case("Decimals", io.github.sparkarrow.it.records.DecimalsArrowSchema.INSTANCE, RandomRecords::decimals),
        new Case("Temporals", io.github.sparkarrow.it.records.TemporalsArrowSchema.INSTANCE, RandomRecords::temporals),
        new Case("Collections", io.github.sparkarrow.it.records.CollectionsArrowSchema.INSTANCE, RandomRecords::collections),
        new Case("Maps", io.github.sparkarrow.it.records.MapsArrowSchema.INSTANCE, RandomRecords::maps),
        new Case("Optionals", io.github.sparkarrow.it.records.OptionalsArrowSchema.INSTANCE, RandomRecords::optionals),
        new Case("Order", io.github.sparkarrow.it.records.OrderArrowSchema.INSTANCE, RandomRecords::order),
        new Case("Renamed", io.github.sparkarrow.it.records.RenamedArrowSchema.INSTANCE, RandomRecords::renamed),
        new Case("Awkward", io.github.sparkarrow.it.records.AwkwardArrowSchema.INSTANCE, RandomRecords::awkward));
  }
}

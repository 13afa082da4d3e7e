package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.it.records.Boxes;
import io.github.sparkarrow.it.records.BoxesArrowSchema;
import io.github.sparkarrow.it.records.Collections;
import io.github.sparkarrow.it.records.CollectionsArrowWriter;
import io.github.sparkarrow.it.records.CollectionsArrowSchema;
import io.github.sparkarrow.it.records.Decimals;
import io.github.sparkarrow.it.records.DecimalsArrowSchema;
import io.github.sparkarrow.it.records.DecimalsArrowWriter;
import io.github.sparkarrow.it.records.Maps;
import io.github.sparkarrow.it.records.MapsArrowSchema;
import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderArrowWriter;
import io.github.sparkarrow.it.records.Primitives;
import io.github.sparkarrow.it.records.PrimitivesArrowSchema;
import io.github.sparkarrow.it.records.Temporals;
import io.github.sparkarrow.it.records.TemporalsArrowSchema;
import io.github.sparkarrow.it.records.Texts;
import io.github.sparkarrow.it.records.TextsArrowSchema;
import io.github.sparkarrow.it.records.TextsArrowWriter;
import io.github.sparkarrow.runtime.ArrowDataException;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Period;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

/**
 * Bad data gets a clear exception naming the column and row; nothing is nulled or truncated; the
 * writer stays usable and the allocator is left with no leak (the base class checks it).
 */
class BadDataTest extends ArrowTestSupport {

  private final RandomRecords random = new RandomRecords(3);

  @Test
  void nullInANotNullColumn() {
    try (var writer = TextsArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.write(new Texts("a", "b", null, null, null));
      assertThatThrownBy(() -> writer.write(new Texts("c", null, null, null, null)))
          .isInstanceOf(ArrowDataException.class)
          .hasMessageStartingWith("Texts.required, row 1: null in a NOT NULL column")
          .satisfies(e -> assertThat(((ArrowDataException) e).row()).isEqualTo(1))
          .satisfies(e -> assertThat(((ArrowDataException) e).column()).isEqualTo("Texts.required"));
      writer.write(new Texts("d", "e", null, null, null));
      assertRecovered(writer, 2);
      assertThat(TextsArrowSchema.INSTANCE.newReader(writer.root()).get(1).required())
          .isEqualTo("e");
    }
  }

  @Test
  void nullInNotNullNestedPlaces() {
    try (OrderArrowWriter writer = OrderArrowSchema.INSTANCE.newWriter(allocator)) {
      Order good = random.order();
      writer.write(good);
      Order nullLine =
          new Order(1, good.customer(), Arrays.asList(random.line(), null), null,
              java.util.Optional.empty(), null);
      assertThatThrownBy(() -> writer.write(nullLine))
          .isInstanceOf(ArrowDataException.class)
          .hasMessageStartingWith("Order.lines[], row 1: null in a NOT NULL column");
      Order nullCustomer = new Order(1, null, null, null, java.util.Optional.empty(), null);
      assertThatThrownBy(() -> writer.write(nullCustomer))
          .hasMessageStartingWith("Order.customer, row 1: null");
      Map<String, List<Order.Line>> nullKey = new HashMap<>();
      nullKey.put(null, List.of());
      Order nullMapKey =
          new Order(1, good.customer(), List.of(), nullKey, java.util.Optional.empty(), null);
      assertThatThrownBy(() -> writer.write(nullMapKey))
          .hasMessageStartingWith("Order.linesBySku{key}, row 1: null");
      assertRecovered(writer, 1);
    }
    try (var writer = CollectionsArrowSchema.INSTANCE.newWriter(allocator)) {
      Collections c = random.collections();
      Collections nullElement =
          new Collections(null, Arrays.asList("x", null), null, null, null, null, null, null,
              List.of());
      assertThatThrownBy(() -> writer.write(nullElement))
          .hasMessageStartingWith("Collections.requiredStrings[], row 0: null");
      Collections nullList =
          new Collections(null, null, null, null, null, null, null, null, null);
      assertThatThrownBy(() -> writer.write(nullList))
          .hasMessageStartingWith("Collections.requiredList, row 0: null");
      writer.write(c);
      assertRecovered(writer, 1);
    }
    try (var writer = MapsArrowSchema.INSTANCE.newWriter(allocator)) {
      Map<String, Long> nullValue = new HashMap<>();
      nullValue.put("k", null);
      assertThatThrownBy(() -> writer.write(new Maps(null, nullValue, null, null, null, null)))
          .hasMessageStartingWith("Maps.requiredValues{value}, row 0: null");
      assertRecovered(writer, 0);
    }
    try (var writer = BoxesArrowSchema.INSTANCE.newWriter(allocator)) {
      assertThatThrownBy(
              () -> writer.write(new Boxes(null, null, null, null, null, null, null, null, null)))
          .hasMessageStartingWith("Boxes.requiredBig, row 0: null");
      assertRecovered(writer, 0);
    }
  }

  @Test
  void decimalsThatDoNotFitAreRejectedNotRoundedOrNulled() {
    try (DecimalsArrowWriter writer = DecimalsArrowSchema.INSTANCE.newWriter(allocator)) {
      assertThatThrownBy(() -> writer.write(decimals(new BigDecimal("1.005"), null)))
          .isInstanceOf(ArrowDataException.class)
          .hasMessage(
              "Decimals.money, row 0: 1.005 has more fractional digits than DECIMAL(18,2) keeps."
                  + " Round it first, e.g. with setScale(2, RoundingMode.HALF_UP).");
      assertThatThrownBy(() -> writer.write(decimals(new BigDecimal("12345678901234567.89"), null)))
          .hasMessage(
              "Decimals.money, row 0: 12345678901234567.89 does not fit DECIMAL(18,2). Give the"
                  + " component a larger @ArrowDecimal precision.");
      assertThatThrownBy(() -> writer.write(decimals(null, BigInteger.TEN.pow(20))))
          .hasMessageStartingWith("Decimals.narrowInteger, row 0: 100000000000000000000 does not"
              + " fit DECIMAL(20,0)");
      // Fewer fractional digits are widened exactly.
      writer.write(decimals(new BigDecimal("1.5"), BigInteger.TEN.pow(19)));
      assertRecovered(writer, 1);
      assertThat(DecimalsArrowSchema.INSTANCE.newReader(writer.root()).get(0).money())
          .isEqualTo(new BigDecimal("1.50"));
    }
  }

  @Test
  void periodsWithDaysAreRejected() {
    try (var writer = TemporalsArrowSchema.INSTANCE.newWriter(allocator)) {
      assertThatThrownBy(
              () -> writer.write(new Temporals(null, null, null, null, null, null, Period.of(1, 2, 3))))
          .hasMessageStartingWith("Temporals.period, row 0: P1Y2M3D has days");
      assertRecovered(writer, 0);
    }
  }

  @Test
  void stringDataPastTwoGibibytesIsRejected() {
    try (TextsArrowWriter writer = TextsArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.write(new Texts("first", "x", null, null, null));
      // Stand in for 2 GiB of earlier rows: move the end offset of row 0 close to the limit.
      VarCharVector text = (VarCharVector) writer.root().getVector("text");
      int realEnd = text.getEndOffset(0);
      text.getOffsetBuffer().setInt(4, Integer.MAX_VALUE - 3);
      assertThatThrownBy(() -> writer.write(new Texts("four", "x", null, null, null)))
          .isInstanceOf(ArrowDataException.class)
          .hasMessageStartingWith(
              "Texts.text, row 1: this value of 4 bytes would take the column's data in this"
                  + " batch past 2 GiB");
      text.getOffsetBuffer().setInt(4, realEnd);
      writer.write(new Texts("two", "x", null, null, null));
      assertRecovered(writer, 2);
    }
  }

  @Test
  void aBatchOfAnotherSchemaIsRejectedNamingEveryColumn() {
    try (ArrowRecordWriter<Primitives> writer = PrimitivesArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.finish();
      assertThatIllegalArgumentException()
          .isThrownBy(() -> TextsArrowSchema.INSTANCE.newReader(writer.root()))
          .withMessageStartingWith(
              "the batch does not have the schema of io.github.sparkarrow.it.records.Texts:")
          .withMessageContaining("column 1 of '': expected 'text', found 'flag'")
          .withMessageContaining("column 'initial' is not in the record");
    }
    Schema wrongType =
        new Schema(
            List.of(
                Field.nullable("text", new ArrowType.Int(32, true)),
                Field.notNullable("required", ArrowType.Utf8.INSTANCE)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(wrongType, allocator)) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> TextsArrowSchema.INSTANCE.newReader(root))
          .withMessageContaining("column 'text': expected Utf8, found Int(32, true)")
          .withMessageContaining("column 'uuid' is missing")
          .withMessageContaining("column 'color' is missing")
          .withMessageContaining("column 'bytes' is missing");
    }
  }

  @Test
  void aNullWhereTheRecordHasNotNullIsReportedOnRead() {
    // A batch from elsewhere may mark NOT NULL columns nullable; it reads, with a check per value.
    try (CollectionsArrowWriter writer = CollectionsArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.write(random.collections());
      writer.finish();
      ListVector required = (ListVector) writer.root().getVector("requiredList");
      required.setNull(0);
      var reader = CollectionsArrowSchema.INSTANCE.newReader(writer.root());
      assertThatThrownBy(() -> reader.get(0))
          .isInstanceOf(ArrowDataException.class)
          .hasMessageStartingWith(
              "Collections.requiredList, row 0: null where the record has NOT NULL");
    }
  }

  @Test
  void aRowOutsideTheBatchOrOfAClearedBatchIsAnExceptionNotARead() {
    // Readers read values straight from memory, each read bounds-checked against its buffer.
    try (var writer = PrimitivesArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.write(random.primitives());
      writer.write(random.primitives());
      VectorSchemaRoot root = writer.finish();
      var reader = PrimitivesArrowSchema.INSTANCE.newReader(root);
      assertThat(reader.get(1)).isNotNull();
      assertThatThrownBy(() -> reader.get(-1))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("outside the Arrow buffer");
      int capacity = root.getVector("big").getValueCapacity();
      assertThatThrownBy(() -> reader.get(capacity * 8))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("the row is not in the batch");
      root.clear(); // its vectors now hold empty buffers
      assertThatThrownBy(() -> reader.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void stringOffsetsOutsideTheDataAreAnExceptionNotARead() {
    // A batch from another program may carry offsets past its data: never read past the buffer.
    try (TextsArrowWriter writer = TextsArrowSchema.INSTANCE.newWriter(allocator)) {
      writer.write(new Texts("a", "bc", null, null, null));
      writer.write(new Texts("de", "f", null, null, null));
      VectorSchemaRoot root = writer.finish();
      VarCharVector text = (VarCharVector) root.getVector("text");
      var reader = TextsArrowSchema.INSTANCE.newReader(root);
      assertThat(reader.get(1).text()).isEqualTo("de");

      text.getOffsetBuffer().setInt(2L * 4, 1 << 30); // row 1 ends far past the data
      assertThatThrownBy(() -> reader.get(1))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessage("the string at row 1 of 'text' has offsets 1 to 1073741824, outside its "
              + text.getDataBuffer().capacity() + " bytes: the batch is malformed");
      text.getOffsetBuffer().setInt(2L * 4, 0); // row 1 ends before it starts
      assertThatThrownBy(() -> reader.get(1))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("has offsets 1 to 0");
      assertThat(reader.get(0).text()).isEqualTo("a");
    }
  }

  private Decimals decimals(BigDecimal money, BigInteger narrow) {
    return new Decimals(null, money, null, null, null, narrow, null);
  }

  /** After errors, the batch holds exactly the good rows and passes Arrow's validation. */
  private static void assertRecovered(ArrowRecordWriter<?> writer, int rows) {
    assertThat(writer.rowCount()).isEqualTo(rows);
    VectorSchemaRoot root = writer.finish();
    assertThat(root.getRowCount()).isEqualTo(rows);
    validate(root);
  }
}

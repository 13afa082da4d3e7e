package com.example;

import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.ArrowValues;
import io.github.sparkarrow.runtime.Utf8Reader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.Generated;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Reads {@link Line} records from a batch with its schema. It owns nothing: the batch's owner closes it.
 */
@Generated("io.github.sparkarrow.processor.HasArrowSparkSchemaProcessor")
public final class LineArrowReader implements ArrowRecordReader<Line> {
  private final VectorSchemaRoot root;

  private final BigIntVector idVector;

  private final IntVector quantityVector;

  private final DecimalVector priceVector;

  private final VarCharVector noteVector;

  private final ListVector tagsVector;

  private final VarCharVector tagsElementVector;

  private final MapVector countsVector;

  private final StructVector countsEntriesVector;

  private final VarCharVector countsKeyVector;

  private final BigIntVector countsValueVector;

  private final StructVector storeVector;

  private final VarCharVector storeNameVector;

  private final IntVector storeZipVector;

  private final TimeStampMicroTZVector atVector;

  private final Utf8Reader utf8;

  /**
   * Reads {@code root}, which must have the schema of {@link Line}.
   *
   * @throws IllegalArgumentException naming every column that differs
   */
  public LineArrowReader(VectorSchemaRoot root) {
    ArrowSchemas.requireMatches(LineArrowSchema.getArrowSchema(), root.getSchema(), "com.example.Line");
    this.root = root;
    this.idVector = (BigIntVector) root.getVector(0);
    this.quantityVector = (IntVector) root.getVector(1);
    this.priceVector = (DecimalVector) root.getVector(2);
    this.noteVector = (VarCharVector) root.getVector(3);
    this.tagsVector = (ListVector) root.getVector(4);
    this.tagsElementVector = (VarCharVector) tagsVector.getDataVector();
    this.countsVector = (MapVector) root.getVector(5);
    this.countsEntriesVector = (StructVector) countsVector.getDataVector();
    this.countsKeyVector = (VarCharVector) countsEntriesVector.getChildByOrdinal(0);
    this.countsValueVector = (BigIntVector) countsEntriesVector.getChildByOrdinal(1);
    this.storeVector = (StructVector) root.getVector(6);
    this.storeNameVector = (VarCharVector) storeVector.getChildByOrdinal(0);
    this.storeZipVector = (IntVector) storeVector.getChildByOrdinal(1);
    this.atVector = (TimeStampMicroTZVector) root.getVector(7);
    this.utf8 = new Utf8Reader(root);
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  /**
   * The {@code id} column ({@code BIGINT NOT NULL}) at {@code row}.
   */
  public long id(int row) {
    return ArrowValues.getLong(idVector.getDataBuffer(), ArrowValues.requireSet(idVector, row, "Line.id", row));
  }

  /**
   * The {@code quantity} column ({@code INT}) at {@code row}.
   */
  public Integer quantity(int row) {
    return ArrowValues.isNull(quantityVector.getValidityBuffer(), row) ? null : ArrowValues.getInt(quantityVector.getDataBuffer(), row);
  }

  /**
   * Whether the {@code quantity} column is null at {@code row}.
   */
  public boolean isQuantityNull(int row) {
    return ArrowValues.isNull(quantityVector.getValidityBuffer(), row);
  }

  /**
   * The {@code quantity} column at {@code row}, or {@code ifNull} where it is null; allocates nothing.
   */
  public int quantityOr(int row, int ifNull) {
    return ArrowValues.isNull(quantityVector.getValidityBuffer(), row) ? ifNull : ArrowValues.getInt(quantityVector.getDataBuffer(), row);
  }

  /**
   * The {@code price} column ({@code DECIMAL(18,2)}) at {@code row}.
   */
  public BigDecimal price(int row) {
    return ArrowValues.isNull(priceVector.getValidityBuffer(), row) ? null : ArrowValues.getDecimal(priceVector, row);
  }

  /**
   * Whether the {@code price} column is null at {@code row}.
   */
  public boolean isPriceNull(int row) {
    return ArrowValues.isNull(priceVector.getValidityBuffer(), row);
  }

  /**
   * The {@code note} column ({@code STRING}) at {@code row}.
   */
  public Optional<String> note(int row) {
    return ArrowValues.isNull(noteVector.getValidityBuffer(), row) ? Optional.empty() : Optional.of(utf8.read(noteVector, row));
  }

  /**
   * Whether the {@code note} column is null at {@code row}.
   */
  public boolean isNoteNull(int row) {
    return ArrowValues.isNull(noteVector.getValidityBuffer(), row);
  }

  /**
   * The {@code tags} column ({@code ARRAY<STRING>}) at {@code row}.
   */
  public List<String> tags(int row) {
    return tagsVector.isNull(row) ? null : readTags(row, row);
  }

  /**
   * Whether the {@code tags} column is null at {@code row}.
   */
  public boolean isTagsNull(int row) {
    return tagsVector.isNull(row);
  }

  /**
   * The {@code counts} column ({@code MAP<STRING, BIGINT>}) at {@code row}.
   */
  public Map<String, Long> counts(int row) {
    return countsVector.isNull(row) ? null : readCounts(row, row);
  }

  /**
   * Whether the {@code counts} column is null at {@code row}.
   */
  public boolean isCountsNull(int row) {
    return countsVector.isNull(row);
  }

  /**
   * The {@code store} column ({@code STRUCT<`name`: STRING, `zip`: INT NOT NULL>}) at {@code row}.
   */
  public Line.Store store(int row) {
    return storeVector.isNull(row) ? null : readStore(row, row);
  }

  /**
   * Whether the {@code store} column is null at {@code row}.
   */
  public boolean isStoreNull(int row) {
    return storeVector.isNull(row);
  }

  /**
   * The {@code at} column ({@code TIMESTAMP}) at {@code row}.
   */
  public Instant at(int row) {
    return ArrowValues.isNull(atVector.getValidityBuffer(), row) ? null : ArrowValues.instant(ArrowValues.getLong(atVector.getDataBuffer(), row));
  }

  /**
   * Whether the {@code at} column is null at {@code row}.
   */
  public boolean isAtNull(int row) {
    return ArrowValues.isNull(atVector.getValidityBuffer(), row);
  }

  @Override
  public Line get(int row) {
    return new Line(id(row), quantity(row), price(row), note(row), tags(row), counts(row), store(row), at(row));
  }

  private List<String> readTags(int index, int row) {
    int start = tagsVector.getElementStartIndex(index);
    int end = tagsVector.getElementEndIndex(index);
    List<String> out = new ArrayList<>(end - start);
    for (int i = start; i < end; i++) {
      out.add(ArrowValues.isNull(tagsElementVector.getValidityBuffer(), i) ? null : utf8.read(tagsElementVector, i));
    }
    return out;
  }

  private Map<String, Long> readCounts(int index, int row) {
    int start = countsVector.getElementStartIndex(index);
    int end = countsVector.getElementEndIndex(index);
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = start; i < end; i++) {
      out.put(utf8.read(countsKeyVector, ArrowValues.requireSet(countsKeyVector, i, "Line.counts{key}", row)), ArrowValues.isNull(countsValueVector.getValidityBuffer(), i) ? null : ArrowValues.getLong(countsValueVector.getDataBuffer(), i));
    }
    return out;
  }

  private Line.Store readStore(int index, int row) {
    return new Line.Store(
            ArrowValues.isNull(storeNameVector.getValidityBuffer(), index) ? null : utf8.read(storeNameVector, index),
            ArrowValues.getInt(storeZipVector.getDataBuffer(), ArrowValues.requireSet(storeZipVector, index, "Line.store.zip", row)));
  }
}

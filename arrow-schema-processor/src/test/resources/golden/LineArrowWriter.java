package com.example;

import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.ArrowValues;
import io.github.sparkarrow.runtime.Utf8Writer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.processing.Generated;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Writes {@link Line} records to Arrow vectors, one row per record. It owns its {@link #root()}: {@link #finish()} seals a batch, {@link #reset()} reuses the vectors for the next, {@link #close()} frees them. Not thread-safe.
 */
@Generated("io.github.sparkarrow.processor.HasArrowSparkSchemaProcessor")
public final class LineArrowWriter implements ArrowRecordWriter<Line> {
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

  private int rowCount;

  /**
   * Rows that idVector, written without {@code setSafe}, have room for; 0 until checked.
   */
  private int capacity;

  private final Utf8Writer utf8 = new Utf8Writer();

  /**
   * Allocates the vectors of an empty batch from {@code allocator}; {@link #close()} frees them.
   */
  public LineArrowWriter(BufferAllocator allocator) {
    this.root = VectorSchemaRoot.create(LineArrowSchema.getArrowSchema(), allocator);
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
    root.allocateNew();
  }

  @Override
  public void write(Line record) {
    Objects.requireNonNull(record, "record");
    int row = rowCount;
    if (row >= capacity) {
      capacity = ArrowValues.ensureCapacity(row, idVector);
    }
    idVector.getDataBuffer().setLong(8L * row, record.id());
    var quantity = record.quantity();
    if (quantity == null) {
      quantityVector.setNull(row);
    } else {
      quantityVector.setSafe(row, quantity);
    }
    var price = record.price();
    if (price == null) {
      priceVector.setNull(row);
    } else {
      ArrowValues.setDecimal(priceVector, row, price, "Line.price", row);
    }
    var note = record.note();
    if (note == null || note.isEmpty()) {
      noteVector.setNull(row);
    } else {
      utf8.write(noteVector, row, note.get(), "Line.note", row);
    }
    writeTags(record.tags(), row);
    writeCounts(record.counts(), row);
    writeStore(record.store(), row);
    var at = record.at();
    if (at == null) {
      atVector.setNull(row);
    } else {
      atVector.setSafe(row, ArrowValues.micros(at, "Line.at", row));
    }
    rowCount = row + 1;
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public int rowCount() {
    return rowCount;
  }

  @Override
  public VectorSchemaRoot finish() {
    // The columns written without setSafe hold a value in every row.
    ArrowValues.markValid(idVector, rowCount);
    root.setRowCount(rowCount);
    return root;
  }

  @Override
  public void reset() {
    for (FieldVector vector : root.getFieldVectors()) {
      vector.reset();
    }
    root.setRowCount(0);
    rowCount = 0;
    capacity = 0;
  }

  @Override
  public void close() {
    root.close();
  }

  private void writeTags(List<String> value, int row) {
    if (value == null) {
      tagsVector.setNull(row);
    } else {
      int tagsStart = tagsVector.startNewValue(row);
      int tagsCount = 0;
      for (var tagsElement : value) {
        int tagsAt = tagsStart + tagsCount;
        if (tagsElement == null) {
          tagsElementVector.setNull(tagsAt);
        } else {
          utf8.write(tagsElementVector, tagsAt, tagsElement, "Line.tags[]", row);
        }
        tagsCount++;
      }
      tagsVector.endValue(row, tagsCount);
    }
  }

  private void writeCounts(Map<String, Long> value, int row) {
    if (value == null) {
      countsVector.setNull(row);
    } else {
      int countsStart = countsVector.startNewValue(row);
      int countsCount = 0;
      for (var countsEntry : value.entrySet()) {
        int countsAt = countsStart + countsCount;
        countsEntriesVector.setIndexDefined(countsAt);
        var countsKey = countsEntry.getKey();
        if (countsKey == null) {
          throw ArrowValues.nullInNotNull("Line.counts{key}", row);
        }
        utf8.write(countsKeyVector, countsAt, countsKey, "Line.counts{key}", row);
        var countsValue = countsEntry.getValue();
        if (countsValue == null) {
          countsValueVector.setNull(countsAt);
        } else {
          countsValueVector.setSafe(countsAt, countsValue);
        }
        countsCount++;
      }
      countsVector.endValue(row, countsCount);
    }
  }

  private void writeStore(Line.Store value, int row) {
    if (value == null) {
      storeVector.setNull(row);
    } else {
      storeVector.setIndexDefined(row);
      var storeName = value.name();
      if (storeName == null) {
        storeNameVector.setNull(row);
      } else {
        utf8.write(storeNameVector, row, storeName, "Line.store.name", row);
      }
      storeZipVector.setSafe(row, value.zip());
    }
  }
}

package io.github.sparkarrow.it.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * What an Arrow expert writes by hand for {@link BenchRecord}: typed vectors resolved once,
 * {@code setSafe} per value, no checks beyond what Arrow does. The baseline for the generated
 * writer.
 */
final class HandWrittenWriter implements AutoCloseable {
  final VectorSchemaRoot root;
  private final BigIntVector id;
  private final IntVector quantity;
  private final Float8Vector price;
  private final VarCharVector sku;
  private final IntVector discount;
  private final DateDayVector day;
  private final TimeStampMicroTZVector at;
  private final DecimalVector amount;
  private final ListVector tags;
  private final VarCharVector tagsData;
  private final StructVector store;
  private final VarCharVector country;
  private final IntVector zip;
  private int rows;

  HandWrittenWriter(BufferAllocator allocator) {
    root = VectorSchemaRoot.create(BenchRecordArrowSchema.getArrowSchema(), allocator);
    id = (BigIntVector) root.getVector(0);
    quantity = (IntVector) root.getVector(1);
    price = (Float8Vector) root.getVector(2);
    sku = (VarCharVector) root.getVector(3);
    discount = (IntVector) root.getVector(4);
    day = (DateDayVector) root.getVector(5);
    at = (TimeStampMicroTZVector) root.getVector(6);
    amount = (DecimalVector) root.getVector(7);
    tags = (ListVector) root.getVector(8);
    tagsData = (VarCharVector) tags.getDataVector();
    store = (StructVector) root.getVector(9);
    country = (VarCharVector) store.getChildByOrdinal(0);
    zip = (IntVector) store.getChildByOrdinal(1);
    root.allocateNew();
  }

  void write(BenchRecord r) {
    int i = rows++;
    id.setSafe(i, r.id());
    quantity.setSafe(i, r.quantity());
    price.setSafe(i, r.price());
    sku.setSafe(i, r.sku().getBytes(StandardCharsets.UTF_8));
    Integer d = r.discount();
    if (d == null) {
      discount.setNull(i);
    } else {
      discount.setSafe(i, d);
    }
    day.setSafe(i, (int) r.day().toEpochDay());
    Instant instant = r.at();
    at.setSafe(i, instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000);
    BigDecimal a = r.amount();
    amount.setSafe(i, a);
    List<String> t = r.tags();
    int start = tags.startNewValue(i);
    for (int k = 0; k < t.size(); k++) {
      tagsData.setSafe(start + k, t.get(k).getBytes(StandardCharsets.UTF_8));
    }
    tags.endValue(i, t.size());
    store.setIndexDefined(i);
    country.setSafe(i, r.store().country().getBytes(StandardCharsets.UTF_8));
    zip.setSafe(i, r.store().zip());
  }

  VectorSchemaRoot finish() {
    root.setRowCount(rows);
    return root;
  }

  void reset() {
    for (FieldVector v : root.getFieldVectors()) {
      v.reset();
    }
    rows = 0;
  }

  @Override
  public void close() {
    root.close();
  }
}

package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.spark.SparkArrow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DataFrames from Arrow streams written elsewhere: types Spark cannot hold converted where nothing
 * is lost, clear errors where something would be, and nothing leaked.
 */
class ForeignArrowTest {

  private static final long NANOS = 1_700_000_000_123_456_000L;

  private final SparkSession spark = SparkTestSession.get();
  private BufferAllocator allocator;

  @BeforeEach
  void allocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void nothingLeaks() throws InterruptedException {
    allocator.close();
    SparkTestSession.assertNoArrowMemoryLeft();
  }

  /** The dictionary of {@code texts} in {@code values}, encoded as {@code encoding}. */
  private static DictionaryProvider dictionary(
      FieldVector values, DictionaryEncoding encoding, String... texts) {
    values.allocateNew();
    for (int i = 0; i < texts.length; i++) {
      byte[] text = texts[i].getBytes(StandardCharsets.UTF_8);
      if (values instanceof LargeVarCharVector large) {
        large.setSafe(i, text);
      } else {
        ((VarCharVector) values).setSafe(i, text);
      }
    }
    values.setValueCount(texts.length);
    DictionaryProvider.MapDictionaryProvider dictionaries = new DictionaryProvider.MapDictionaryProvider();
    dictionaries.put(new Dictionary(values, encoding));
    return dictionaries;
  }

  /** An IPC stream of two batches of the foreign types (the second: nulls), as another program writes it. */
  private byte[] foreignStream(long nanos) throws IOException {
    DictionaryEncoding encoding = new DictionaryEncoding(1L, false, null);
    Schema schema =
        new Schema(List.of(
            Field.nullable("u8", new ArrowType.Int(8, false)),
            Field.nullable("u64", new ArrowType.Int(64, false)),
            Field.nullable("large", ArrowType.LargeUtf8.INSTANCE),
            new Field("dict", new FieldType(true, ArrowType.Utf8.INSTANCE, encoding), null),
            Field.nullable("ts_ms", new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MILLISECOND, "UTC")),
            Field.nullable("ts_ns", new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.NANOSECOND, null)),
            Field.nullable("date_ms", new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.MILLISECOND)),
            Field.nullable("dec256", new ArrowType.Decimal(10, 2, 256)),
            Field.nullable("fixed", new ArrowType.FixedSizeBinary(3))));
    try (VarCharVector values = new VarCharVector("dict-values", allocator)) {
      DictionaryProvider dictionaries = dictionary(values, encoding, "a", "b");
      Field indexField = new Field("dict", new FieldType(true, new ArrowType.Int(32, true), encoding), null);
      List<Field> physical = new java.util.ArrayList<>(schema.getFields());
      physical.set(3, indexField);
      try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(physical), allocator)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowStreamWriter writer = new ArrowStreamWriter(root, dictionaries, out)) {
          writer.start();
          root.allocateNew();
          ((UInt1Vector) root.getVector(0)).setSafe(0, 255);
          ((UInt8Vector) root.getVector(1)).setSafe(0, -1L);
          ((LargeVarCharVector) root.getVector(2)).setSafe(0, "größer".getBytes(StandardCharsets.UTF_8));
          ((IntVector) root.getVector(3)).setSafe(0, 1);
          ((TimeStampMilliTZVector) root.getVector(4)).setSafe(0, 1_700_000_000_123L);
          ((TimeStampNanoVector) root.getVector(5)).setSafe(0, nanos);
          ((DateMilliVector) root.getVector(6)).setSafe(0, 19_000L * 86_400_000L);
          ((Decimal256Vector) root.getVector(7)).setSafe(0, new BigDecimal("12345.67"));
          ((FixedSizeBinaryVector) root.getVector(8)).setSafe(0, new byte[] {1, 2, 3});
          root.setRowCount(1);
          writer.writeBatch();
          root.allocateNew();
          for (FieldVector vector : root.getFieldVectors()) {
            vector.setNull(0);
          }
          root.setRowCount(1);
          writer.writeBatch();
          writer.end();
        }
        return out.toByteArray();
      }
    }
  }

  @Test
  void foreignTypesAreConvertedWithoutLoss() throws IOException {
    Dataset<Row> df;
    try (ArrowReader reader = new ArrowStreamReader(new ByteArrayInputStream(foreignStream(NANOS)), allocator)) {
      df = SparkArrow.createDataFrame(spark, reader);
    }
    assertThat(df.schema().toDDL())
        .isEqualTo("u8 SMALLINT,u64 DECIMAL(20,0),large STRING,dict STRING,ts_ms TIMESTAMP,"
            + "ts_ns TIMESTAMP_NTZ,date_ms DATE,dec256 DECIMAL(10,2),fixed BINARY");
    List<Row> rows = df.collectAsList();
    assertThat(rows).hasSize(2);
    Row row = rows.get(0);
    assertThat(row.getShort(0)).isEqualTo((short) 255);
    assertThat(row.getDecimal(1)).isEqualByComparingTo("18446744073709551615");
    assertThat(row.getString(2)).isEqualTo("größer");
    assertThat(row.getString(3)).isEqualTo("b");
    assertThat(((Timestamp) row.get(4)).toInstant()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(row.get(5)).isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_456_000));
    assertThat(((Date) row.get(6)).toLocalDate()).isEqualTo(LocalDate.ofEpochDay(19_000));
    assertThat(row.getDecimal(7)).isEqualByComparingTo("12345.67");
    assertThat((byte[]) row.get(8)).containsExactly(1, 2, 3);
    for (int i = 0; i < rows.get(1).size(); i++) {
      assertThat(rows.get(1).isNullAt(i)).as("column %d of the row of nulls", i).isTrue();
    }
  }

  /**
   * Arrow's types of 64-bit offsets read as Spark's STRING, BINARY and ARRAY at any depth (a list
   * of large strings, a struct of large binaries, a large list of structs, a dictionary of large
   * strings), as pyarrow hands pandas 3's strings over; they were refused inside lists and structs.
   */
  @Test
  void largeOffsetTypesAtAnyDepthReadAsSparksTypes() throws IOException {
    DictionaryEncoding encoding = new DictionaryEncoding(2L, false, null);
    Schema schema = new Schema(List.of(
        new Field("tags", FieldType.nullable(ArrowType.List.INSTANCE),
            List.of(Field.nullable("element", ArrowType.LargeUtf8.INSTANCE))),
        new Field("point", FieldType.nullable(ArrowType.Struct.INSTANCE),
            List.of(Field.nullable("label", ArrowType.LargeBinary.INSTANCE))),
        new Field("lines", FieldType.nullable(ArrowType.LargeList.INSTANCE),
            List.of(new Field("element", FieldType.nullable(ArrowType.Struct.INSTANCE),
                List.of(Field.nullable("sku", ArrowType.LargeUtf8.INSTANCE))))),
        new Field("kind", new FieldType(true, new ArrowType.Int(32, true), encoding), null)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LargeVarCharVector kinds = new LargeVarCharVector("kind-values", allocator);
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      DictionaryProvider dictionaries = dictionary(kinds, encoding, "klein", "größer");
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, dictionaries, out)) {
        writer.start();
        for (int batch = 0; batch < 2; batch++) {
          root.allocateNew();
          var tags = (org.apache.arrow.vector.complex.ListVector) root.getVector(0);
          var tag = (LargeVarCharVector) tags.getDataVector();
          var point = (org.apache.arrow.vector.complex.StructVector) root.getVector(1);
          var label = (org.apache.arrow.vector.LargeVarBinaryVector) point.getChild("label");
          var lines = (org.apache.arrow.vector.complex.LargeListVector) root.getVector(2);
          var line = (org.apache.arrow.vector.complex.StructVector) lines.getDataVector();
          var sku = (LargeVarCharVector) line.getChild("sku");
          for (int i = 0; i < 3; i++) {
            if (i == 2) {
              tags.setNull(i);
              point.setNull(i);
              lines.setNull(i);
              ((IntVector) root.getVector(3)).setNull(i);
              continue;
            }
            int start = tags.startNewValue(i);
            tag.setSafe(start, ("t" + batch + i).getBytes(StandardCharsets.UTF_8));
            tag.setNull(start + 1);
            tags.endValue(i, 2);
            point.setIndexDefined(i);
            label.setSafe(i, new byte[] {(byte) batch, (byte) i});
            long first = lines.startNewValue(i);
            line.setIndexDefined((int) first);
            sku.setSafe((int) first, ("sku-" + batch + i).getBytes(StandardCharsets.UTF_8));
            lines.endValue(i, 1);
            ((IntVector) root.getVector(3)).setSafe(i, i);
          }
          root.setRowCount(3);
          writer.writeBatch();
        }
        writer.end();
      }
    }
    Dataset<Row> df;
    try (ArrowReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
      df = SparkArrow.createDataFrame(spark, reader);
    }
    assertThat(df.schema().toDDL()).isEqualTo("tags ARRAY<STRING>,point STRUCT<label: BINARY>,"
        + "lines ARRAY<STRUCT<sku: STRING>>,kind STRING");
    assertThat(df.toJSON().collectAsList()).containsExactly(
        "{\"tags\":[\"t00\",null],\"point\":{\"label\":\"AAA=\"},\"lines\":[{\"sku\":\"sku-00\"}],\"kind\":\"klein\"}",
        "{\"tags\":[\"t01\",null],\"point\":{\"label\":\"AAE=\"},\"lines\":[{\"sku\":\"sku-01\"}],\"kind\":\"größer\"}",
        "{}",
        "{\"tags\":[\"t10\",null],\"point\":{\"label\":\"AQA=\"},\"lines\":[{\"sku\":\"sku-10\"}],\"kind\":\"klein\"}",
        "{\"tags\":[\"t11\",null],\"point\":{\"label\":\"AQE=\"},\"lines\":[{\"sku\":\"sku-11\"}],\"kind\":\"größer\"}",
        "{}");
  }

  @Test
  void aValueThatWouldLoseDigitsIsAnErrorNamingColumnAndRow() throws IOException {
    try (ArrowReader reader =
        new ArrowStreamReader(new ByteArrayInputStream(foreignStream(NANOS + 789)), allocator)) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> SparkArrow.createDataFrame(spark, reader))
          .withMessageContaining("column 'ts_ns', row 0")
          .withMessageContaining("digits below the microsecond");
    }
  }

  @Test
  void typesSparkCannotHoldAreAnErrorNamingEveryColumn() throws IOException {
    Schema schema = new Schema(List.of(
        Field.nullable("ok", new ArrowType.Int(32, true)),
        Field.nullable("time", new ArrowType.Time(org.apache.arrow.vector.types.TimeUnit.MILLISECOND, 32)),
        Field.nullable("dec", new ArrowType.Decimal(40, 2, 256))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
      root.allocateNew();
      ((TimeMilliVector) root.getVector(1)).setSafe(0, 1000);
      root.setRowCount(1);
      writer.start();
      writer.writeBatch();
      writer.end();
    }
    try (ArrowReader reader = new ArrowStreamReader(new ByteArrayInputStream(out.toByteArray()), allocator)) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> SparkArrow.createDataFrame(spark, reader))
          .withMessageStartingWith("the Arrow stream has columns Spark 3.5 cannot hold")
          .withMessageContaining("time: Spark 3.5 has no type for Arrow's Time(MILLISECOND, 32)")
          .withMessageContaining("dec: Decimal(40, 2, 256) has more than the 38 digits")
          .withMessageNotContaining("  ok:");
    }
  }

  @Test
  void aStreamThatFailsHalfWayIsAClearErrorAndLeaksNothing() throws IOException {
    byte[] whole = foreignStream(NANOS);
    try (ArrowReader reader = new ArrowStreamReader(new ByteArrayInputStream(whole), allocator) {
      private int batches;

      @Override
      public boolean loadNextBatch() throws IOException {
        if (batches++ == 1) {
          throw new IOException("connection reset");
        }
        return super.loadNextBatch();
      }
    }) {
      assertThatThrownBy(() -> SparkArrow.createDataFrame(spark, reader))
          .hasMessageContaining("reading the Arrow stream failed: batch ")
          .hasMessageEndingWith(": connection reset");
    }
    // Cut short: half of the bytes.
    try (ArrowReader reader = new ArrowStreamReader(
        new ByteArrayInputStream(Arrays.copyOf(whole, whole.length / 2)), allocator)) {
      assertThatThrownBy(() -> SparkArrow.createDataFrame(spark, reader))
          .hasMessageContaining("reading the Arrow stream failed");
    }
  }
}

package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.it.records.evolution.TripAddedOptionalArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripAddedPrimitiveArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripRenamedArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripStrictElementsArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripV1;
import io.github.sparkarrow.it.records.evolution.TripV1ArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripWidenedArrowSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.SchemaCompatibility;
import io.github.sparkarrow.spark.SparkArrow;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.collection.JavaConverters;

/**
 * Every rule of {@link SchemaCompatibility} against Spark itself: Parquet written with the old
 * schema, read with {@code spark.read().schema(newSchema)}, with the vectorized reader on and
 * off. What Spark does (reads the same values, fails, or reads a null where the new schema is NOT
 * NULL) is written in the table below, checked, and the checker's verdict must follow from it.
 */
class SchemaEvolutionTest {

  /** What Spark does when it reads the old data with the new schema. */
  enum Outcome {
    /** The values come back as written (a new column as null). */
    READS,
    /** Reading throws. */
    FAILS,
    /** Reading works, and a value is null where the new schema says NOT NULL. */
    NULL_IN_NOT_NULL,
    /** Reading works, and gives other values than were written. */
    CHANGES_VALUES
  }

  record Case(
      String name,
      StructType older,
      StructType newer,
      List<Row> rows,
      Outcome vectorized,
      Outcome rowBased,
      boolean compatible) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static StructType ddl(String ddl) {
    return StructType.fromDDL(ddl);
  }

  private static Case c(String name, String older, String newer, Outcome vectorized,
      Outcome rowBased, boolean compatible, Object[]... rows) {
    return new Case(name, ddl(older), ddl(newer), rows(rows), vectorized, rowBased, compatible);
  }

  private static List<Row> rows(Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] row : rows) {
      out.add(RowFactory.create(row));
    }
    return out;
  }

  private static Object[] r(Object... values) {
    return values;
  }

  private static final Outcome R = Outcome.READS;
  private static final Outcome F = Outcome.FAILS;
  private static final Outcome N = Outcome.NULL_IN_NOT_NULL;
  private static final Outcome C = Outcome.CHANGES_VALUES;

  static List<Case> cases() {
    BigDecimal price = new BigDecimal("12345678.90");
    StructType intArray = new StructType().add("xs", DataTypes.createArrayType(DataTypes.IntegerType, true));
    StructType intArrayNotNull =
        new StructType().add("xs", DataTypes.createArrayType(DataTypes.IntegerType, false));
    StructType mapNullable =
        new StructType().add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType, true));
    StructType mapNotNull =
        new StructType().add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType, false));
    return List.of(
        c("new nullable column", "id BIGINT", "id BIGINT, note STRING", R, R, true, r(1L), r(2L)),
        c("new NOT NULL column", "id BIGINT", "id BIGINT, n INT NOT NULL", N, N, false, r(1L)),
        c("dropped column", "id BIGINT, x STRING", "id BIGINT", R, R, true, r(1L, "a"), r(2L, null)),
        c("reordered columns", "a INT, b STRING", "b STRING, a INT", R, R, true, r(1, "x"), r(null, "y")),
        c("case-only rename", "Count INT", "count INT", R, R, true, r(3), r(4)),
        c("renamed column (reads as null)", "count INT", "total INT", R, R, false, r(3)),
        c("comment only", "a INT COMMENT 'old'", "a INT COMMENT 'new'", R, R, true, r(1)),
        c("NOT NULL to nullable", "a INT NOT NULL", "a INT", R, R, true, r(1)),
        c("nullable to NOT NULL, a null written", "a INT", "a INT NOT NULL", N, N, false, r(1), r((Object) null)),
        c("INT to BIGINT", "a INT", "a BIGINT", F, F, false, r(1)),
        c("BIGINT to INT", "a BIGINT", "a INT", F, F, false, r(1L)),
        c("INT to DOUBLE", "a INT", "a DOUBLE", F, F, false, r(1)),
        c("FLOAT to DOUBLE", "a FLOAT", "a DOUBLE", F, F, false, r(1.5f)),
        c("INT to STRING", "a INT", "a STRING", F, F, false, r(1)),
        c("BOOLEAN to INT", "a BOOLEAN", "a INT", F, F, false, r(true)),
        c("DATE to TIMESTAMP_NTZ", "a DATE", "a TIMESTAMP_NTZ", F, F, false, r(Date.valueOf("2024-01-02"))),
        c("TIMESTAMP to TIMESTAMP_NTZ", "a TIMESTAMP", "a TIMESTAMP_NTZ", F, F, false,
            r(Timestamp.valueOf("2024-01-02 03:04:05"))),
        c("TIMESTAMP_NTZ to TIMESTAMP", "a TIMESTAMP_NTZ", "a TIMESTAMP", R, R, true,
            r(LocalDateTime.parse("2024-01-02T03:04:05"))),
        c("SMALLINT to INT", "a SMALLINT", "a INT", R, R, true, r((short) -7), r((short) 32000)),
        c("TINYINT to INT", "a TINYINT", "a INT", R, R, true, r((byte) -7)),
        c("TINYINT to SMALLINT", "a TINYINT", "a SMALLINT", R, R, true, r((byte) 100)),
        c("INT to SMALLINT", "a INT", "a SMALLINT", C, C, false, r(70_000)),
        c("DECIMAL(10,2) to DECIMAL(12,2)", "a DECIMAL(10,2)", "a DECIMAL(12,2)", R, R, true, r(price)),
        c("DECIMAL(10,2) to DECIMAL(20,2)", "a DECIMAL(10,2)", "a DECIMAL(20,2)", F, R, false, r(price)),
        c("DECIMAL(5,2) to DECIMAL(12,2)", "a DECIMAL(5,2)", "a DECIMAL(12,2)", F, R, false,
            r(new BigDecimal("123.45"))),
        c("DECIMAL(5,2) to DECIMAL(9,2)", "a DECIMAL(5,2)", "a DECIMAL(9,2)", R, R, true,
            r(new BigDecimal("123.45"))),
        c("DECIMAL(20,2) to DECIMAL(25,2)", "a DECIMAL(20,2)", "a DECIMAL(25,2)", R, R, true,
            r(new BigDecimal("123456789012345678.90"))),
        c("DECIMAL(10,2) to DECIMAL(12,4)", "a DECIMAL(10,2)", "a DECIMAL(12,4)", F, R, false, r(price)),
        c("DECIMAL(10,2) to DECIMAL(9,2)", "a DECIMAL(10,2)", "a DECIMAL(9,2)", F, R, false,
            r(new BigDecimal("1234.50"))),
        c("STRING to BINARY", "a STRING", "a BINARY", R, R, true, r("text")),
        c("BINARY to STRING", "a BINARY", "a STRING", R, R, true, r("text".getBytes(StandardCharsets.UTF_8))),
        c("struct: new nullable field", "s STRUCT<a: INT>", "s STRUCT<a: INT, b: STRING>", R, R, true,
            r(RowFactory.create(1)), r((Object) null)),
        c("struct: new NOT NULL field", "s STRUCT<a: INT>", "s STRUCT<a: INT, b: INT NOT NULL>", N, N, false,
            r(RowFactory.create(1))),
        c("struct: fields reordered, case changed", "s STRUCT<a: INT, b: STRING>",
            "s STRUCT<B: STRING, a: INT>", R, R, true, r(RowFactory.create(1, "x"))),
        c("struct: field INT to BIGINT", "s STRUCT<a: INT>", "s STRUCT<a: BIGINT>", F, F, false,
            r(RowFactory.create(1))),
        c("array element INT to BIGINT", "xs ARRAY<INT>", "xs ARRAY<BIGINT>", F, F, false,
            r(List.of(1, 2))),
        c("map value INT to BIGINT", "m MAP<STRING, INT>", "m MAP<STRING, BIGINT>", F, F, false,
            r(Map.of("k", 1))),
        new Case("array element nullable to NOT NULL", intArray, intArrayNotNull,
            rows(r(Arrays.asList(1, null))), N, N, false),
        new Case("array element NOT NULL to nullable", intArrayNotNull, intArray,
            rows(r(List.of(1, 2))), R, R, true),
        new Case("map value nullable to NOT NULL", mapNullable, mapNotNull,
            rows(r(java.util.Collections.singletonMap("k", null))), N, N, false));
  }

  private final SparkSession spark = SparkTestSession.get();

  @TempDir Path dir;

  @AfterAll
  static void vectorizedReaderBackOn() {
    SparkTestSession.get().conf().unset("spark.sql.parquet.enableVectorizedReader");
  }

  @ParameterizedTest
  @MethodSource("cases")
  void theCheckerAgreesWithSpark(Case c) {
    String path = dir.resolve("data").toString();
    spark.createDataFrame(scalaRows(c.rows()), c.older()).coalesce(1).write().parquet(path);

    Outcome vectorized = read(path, c, true);
    Outcome rowBased = read(path, c, false);
    assertThat(List.of(vectorized, rowBased))
        .as("what Spark does, vectorized and row-based")
        .containsExactly(c.vectorized(), c.rowBased());

    SchemaCompatibility verdict = SchemaCompatibility.canRead(arrow(c.newer()), arrow(c.older()));
    assertThat(verdict.isCompatible()).as("%s", verdict).isEqualTo(c.compatible());
    // The verdict follows from Spark's behaviour: compatible only where both readers read the
    // data back, and never compatible where the default (vectorized) reader fails.
    if (c.compatible()) {
      assertThat(vectorized).isEqualTo(Outcome.READS);
      assertThat(rowBased).isEqualTo(Outcome.READS);
    }
    if (vectorized != Outcome.READS) {
      assertThat(verdict.isCompatible()).isFalse();
    }
    for (String problem : verdict.problems()) {
      assertThat(problem).matches("[A-Za-z_.\\[\\]{}]+: .+\\. .+");
    }
  }

  private Outcome read(String path, Case c, boolean vectorized) {
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", vectorized);
    List<Row> read;
    try {
      read = spark.read().schema(c.newer()).parquet(path).collectAsList();
    } catch (Exception e) { // SparkException, undeclared
      return Outcome.FAILS;
    }
    for (Row row : read) {
      if (nullInNotNull(row, c.newer())) {
        return Outcome.NULL_IN_NOT_NULL;
      }
    }
    // The same values as written, by column name (ignoring case), compared as strings.
    assertThat(read).hasSameSizeAs(c.rows());
    for (int i = 0; i < read.size(); i++) {
      for (StructField field : c.newer().fields()) {
        int written = index(c.older(), field.name());
        String expected =
            written < 0
                ? null
                : text(c.rows().get(i).get(written), c.older().fields()[written].dataType());
        String actual = text(read.get(i).get(c.newer().fieldIndex(field.name())), field.dataType());
        if (!java.util.Objects.equals(expected, actual)) {
          return Outcome.CHANGES_VALUES;
        }
      }
    }
    return Outcome.READS;
  }

  private static int index(StructType struct, String name) {
    String[] names = struct.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  /** A value as text, the same for equal values of different widths; struct fields by name. */
  private static String text(Object value, DataType type) {
    if (value == null) {
      return null;
    } else if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    } else if (value instanceof Row row && type instanceof StructType struct) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        String field = text(row.get(i), struct.fields()[i].dataType());
        if (field != null) {
          fields.add(struct.fields()[i].name().toLowerCase(Locale.ROOT) + "=" + field);
        }
      }
      fields.sort(null);
      return fields.toString();
    } else if (value instanceof scala.collection.Seq<?> seq) {
      return text(JavaConverters.seqAsJavaList(seq), type);
    } else if (value instanceof List<?> list && type instanceof ArrayType array) {
      List<String> elements = new ArrayList<>();
      list.forEach(e -> elements.add(text(e, array.elementType())));
      return elements.toString();
    } else if (value instanceof scala.collection.Map<?, ?> map) {
      return text(JavaConverters.mapAsJavaMap(map), type);
    } else if (value instanceof Map<?, ?> map && type instanceof MapType mapType) {
      List<String> entries = new ArrayList<>();
      map.forEach((k, v) -> entries.add(text(k, mapType.keyType()) + "=" + text(v, mapType.valueType())));
      entries.sort(null);
      return entries.toString();
    } else if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    } else if (value instanceof Timestamp timestamp) {
      return timestamp.toLocalDateTime().toString();
    }
    return value.toString();
  }

  private static boolean nullInNotNull(Object value, DataType type) {
    if (value == null) {
      return false;
    }
    if (type instanceof StructType struct) {
      Row row = (Row) value;
      for (int i = 0; i < struct.fields().length; i++) {
        StructField field = struct.fields()[i];
        if (row.isNullAt(i) ? !field.nullable() : nullInNotNull(row.get(i), field.dataType())) {
          return true;
        }
      }
    } else if (type instanceof ArrayType array) {
      for (Object element : JavaConverters.seqAsJavaList((scala.collection.Seq<?>) value)) {
        if (element == null ? !array.containsNull() : nullInNotNull(element, array.elementType())) {
          return true;
        }
      }
    } else if (type instanceof MapType map) {
      for (Object element : JavaConverters.mapAsJavaMap((scala.collection.Map<?, ?>) value).values()) {
        if (element == null ? !map.valueContainsNull() : nullInNotNull(element, map.valueType())) {
          return true;
        }
      }
    }
    return false;
  }

  static List<ArrowRecordType<? extends Record>> newVersions() {
    return List.of(TripV1ArrowSchema.INSTANCE, TripAddedOptionalArrowSchema.INSTANCE,
        TripAddedPrimitiveArrowSchema.INSTANCE, TripWidenedArrowSchema.INSTANCE,
        TripRenamedArrowSchema.INSTANCE, TripStrictElementsArrowSchema.INSTANCE);
  }

  /**
   * A record's versions as a user meets them: version 1 written to Parquet, read back by each new
   * version through {@code spark.read().schema(newDdl)} and {@code SparkArrow.collect}.
   */
  @ParameterizedTest
  @MethodSource("newVersions")
  void recordVersionsReadWhatVersion1WroteAsTheCheckerSays(ArrowRecordType<? extends Record> newer) {
    String path = dir.resolve("trips").toString();
    List<TripV1> written =
        List.of(new TripV1(1, 2, "acme", Arrays.asList(3, null)), new TripV1(2, 1, null, null));
    SparkArrow.createDataFrame(spark, written, TripV1ArrowSchema.INSTANCE)
        .coalesce(1).write().parquet(path);
    SchemaCompatibility verdict =
        SchemaCompatibility.backward(newer.arrowSchema(), TripV1ArrowSchema.INSTANCE.arrowSchema());
    for (boolean vectorized : new boolean[] {true, false}) {
      spark.conf().set("spark.sql.parquet.enableVectorizedReader", vectorized);
      Dataset<Row> read = spark.read().schema(newer.sparkDdl()).parquet(path);
      List<? extends Record> records;
      try {
        records = SparkArrow.collect(read, newer);
      } catch (Exception e) { // SparkException, undeclared
        assertThat(verdict.isCompatible()).as("%s failed: %s", newer, e).isFalse();
        continue;
      }
      // Read: each component as version 1 wrote it (by name), or the check says what is lost.
      List<String> lost = new ArrayList<>();
      for (int i = 0; i < written.size(); i++) {
        for (var component : newer.recordClass().getRecordComponents()) {
          Object now = value(records.get(i), component.getName());
          // TripRenamed means its operator to be version 1's vendor.
          Object then = value(written.get(i), component.getName().equals("operator") ? "vendor" : component.getName());
          if (!java.util.Objects.equals(text(now), text(then))) {
            lost.add(component.getName());
          }
        }
      }
      assertThat(verdict.isCompatible()).as("%s; differing: %s", verdict, lost).isEqualTo(lost.isEmpty());
    }
  }

  private static Object value(Record record, String component) {
    for (var c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(component)) {
        try {
          Object value = c.getAccessor().invoke(record);
          return value instanceof java.util.Optional<?> o ? o.orElse(null) : value;
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
  }

  private static String text(Object value) {
    return value instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(value);
  }

  private static Schema arrow(StructType struct) {
    return ArrowUtils.toArrowSchema(struct, "UTC", true, false);
  }

  private static List<Row> scalaRows(List<Row> rows) {
    List<Row> out = new ArrayList<>();
    for (Row row : rows) {
      Object[] values = new Object[row.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = toScala(row.get(i));
      }
      out.add(RowFactory.create(values));
    }
    return out;
  }

  private static Object toScala(Object value) {
    if (value instanceof List<?> list) {
      return JavaConverters.asScalaBuffer(new ArrayList<>(list)).toSeq();
    } else if (value instanceof Map<?, ?> map) {
      return JavaConverters.mapAsScalaMap(new java.util.HashMap<>(map));
    }
    return value;
  }
}

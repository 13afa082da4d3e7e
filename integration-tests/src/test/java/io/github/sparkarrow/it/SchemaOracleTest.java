package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.sparkarrow.it.records.Address;
import io.github.sparkarrow.it.records.CollectionsArrowSchema;
import io.github.sparkarrow.it.records.JacksonRenamedArrowSchema;
import io.github.sparkarrow.it.records.MapsArrowSchema;
import io.github.sparkarrow.it.records.Optionals;
import io.github.sparkarrow.it.records.OptionalsArrowSchema;
import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.Renamed;
import io.github.sparkarrow.it.records.RenamedArrowSchema;
import io.github.sparkarrow.it.records.TestStructArrowSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordTypes;
import io.github.sparkarrow.spark.SparkSchemas;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated schemas against Spark's own implementations: {@code ArrowUtils} in both
 * directions, and Spark's DDL parser.
 */
class SchemaOracleTest {

  static List<ArrowRecordType<?>> types() {
    return AllRecordTypes.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void arrowSchemaIsWhatSparksArrowUtilsBuildsFromTheStructType(ArrowRecordType<?> type) {
    StructType structType = SparkSchemas.structType(type);
    assertThat(type.arrowSchema())
        .isEqualTo(ArrowUtils.toArrowSchema(structType, "UTC", true, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void sparksArrowUtilsReadsTheArrowSchemaAsTheStructType(ArrowRecordType<?> type) {
    // Arrow fields carry no comments; everything else must agree exactly.
    assertThat(ArrowUtils.fromArrowSchema(type.arrowSchema()))
        .isEqualTo(SparkTypes.withoutMetadata(SparkSchemas.structType(type)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void ddlParsesToTheStructTypeExceptWhatDdlCannotSay(ArrowRecordType<?> type) {
    StructType structType = SparkSchemas.structType(type);
    StructType parsed = StructType.fromDDL(type.sparkDdl());
    assertThat(parsed).isEqualTo(SparkTypes.asDdlSeesIt(structType));
    assertThat(parsed.toDDL()).isEqualTo(SparkTypes.asDdlSeesIt(structType).toDDL());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("types")
  void runtimeLookUpStaticAccessorsAndSerializationGiveTheSingleton(ArrowRecordType<?> type)
      throws Exception {
    assertThat(ArrowRecordTypes.of(type.recordClass())).isSameAs(type);
    Class<?> companion = type.getClass();
    assertThat(companion.getMethod("getSparkDdl").invoke(null)).isEqualTo(type.sparkDdl());
    assertThat(companion.getField("SPARK_DDL").get(null)).isEqualTo(type.sparkDdl());
    assertThat(companion.getMethod("getArrowSchema").invoke(null)).isSameAs(type.arrowSchema());
    assertThat(roundTrip(type)).isSameAs(type);
    assertThat(companion.getAnnotations()).isEmpty(); // @Generated is source-only
  }

  @Test
  void theIssuesExample() {
    assertThat(TestStructArrowSchema.getSparkDdl())
        .isEqualTo("`col` STRING, `int_col` BIGINT NOT NULL");
  }

  @Test
  void namingRulesRenamesAndEscaping() {
    StructType renamed = SparkSchemas.structType(RenamedArrowSchema.INSTANCE);
    assertThat(renamed.fieldNames())
        .containsExactly(
            "user_id",
            "http_url_value",
            "select",
            "with `back` quotes and spaces",
            "commented",
            "inner");
    assertThat(field(renamed, "commented").getComment().get())
        .isEqualTo("it's a \"comment\" with \\ backslash,\nnewline and 100% ünïcödé 😀");
    StructType inner = (StructType) field(renamed, "inner").dataType();
    assertThat(inner.fieldNames()).containsExactly("camelCase", "innerValue");
    assertThat(field(inner, "innerValue").getComment().get()).isEqualTo("inner");
    assertThat(RenamedArrowSchema.getSparkDdl()).doesNotContain("\n");
    assertThat(Arrays.asList(
            SparkSchemas.structType(JacksonRenamedArrowSchema.INSTANCE).fieldNames()))
        .containsExactly("user_name", "wins");
  }

  @Test
  void nestedRecordsAndNullability() {
    StructType order = SparkSchemas.structType(OrderArrowSchema.INSTANCE);
    assertThat(order.fieldNames())
        .containsExactly("order_id", "customer", "lines", "lines_by_sku", "ship_to", "placed_at");
    assertThat(field(order, "order_id").nullable()).isFalse();
    assertThat(field(order, "customer").nullable()).isFalse();
    ArrayType lines = (ArrayType) field(order, "lines").dataType();
    assertThat(lines.containsNull()).isFalse();
    StructType line = (StructType) lines.elementType();
    // Nested records take the enclosing record's snake_case naming.
    assertThat(line.fieldNames()).containsExactly("sku", "quantity", "unit_price");
    assertThat(field(line, "unit_price").dataType()).isEqualTo(DataTypes.createDecimalType(18, 2));
    assertThat(field(line, "unit_price").getComment().get()).isEqualTo("unit price");
    assertThat(OrderArrowSchema.INSTANCE.comments())
        .containsEntry("lines.element.unit_price", "unit price")
        .containsEntry("lines_by_sku.entries.value.element.unit_price", "unit price")
        .containsEntry("placed_at", "when the order was placed");

    StructType collections = SparkSchemas.structType(CollectionsArrowSchema.INSTANCE);
    assertThat(((ArrayType) field(collections, "requiredStrings").dataType()).containsNull())
        .isFalse();
    assertThat(((ArrayType) field(collections, "strings").dataType()).containsNull()).isTrue();
    assertThat(((ArrayType) field(collections, "ints").dataType()).containsNull()).isFalse();
    assertThat(field(collections, "requiredList").nullable()).isFalse();

    StructType maps = SparkSchemas.structType(MapsArrowSchema.INSTANCE);
    assertThat(((MapType) field(maps, "requiredValues").dataType()).valueContainsNull())
        .isFalse();
    assertThat(((MapType) field(maps, "counts").dataType()).valueContainsNull()).isTrue();

    StructType optionals = SparkSchemas.structType(OptionalsArrowSchema.INSTANCE);
    assertThat(optionals.fields()).allMatch(StructField::nullable);
    assertThat(field(optionals, "number").dataType()).isEqualTo(DataTypes.IntegerType);
  }

  @Test
  void lookUpExplainsWhatIsMissing() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ArrowRecordTypes.of(Address.class))
        .withMessageContaining("Address is not a record annotated with @HasArrowSparkSchema");
    assertThat(ArrowRecordTypes.companionName(Renamed.Inner.class))
        .isEqualTo("io.github.sparkarrow.it.records.Renamed_InnerArrowSchema");
    assertThat(ArrowRecordTypes.of(Order.class).recordClass()).isEqualTo(Order.class);
    assertThat(ArrowRecordTypes.of(Optionals.class)).isSameAs(OptionalsArrowSchema.INSTANCE);
  }

  private static StructField field(StructType struct, String name) {
    return struct.apply(name);
  }

  private static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }
}

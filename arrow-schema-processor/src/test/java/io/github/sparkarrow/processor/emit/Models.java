package io.github.sparkarrow.processor.emit;

import io.github.sparkarrow.processor.model.ClassRef;
import io.github.sparkarrow.processor.model.Column;
import io.github.sparkarrow.processor.model.JavaType;
import io.github.sparkarrow.processor.model.JavaType.Kind;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.model.SqlType;
import io.github.sparkarrow.processor.model.SqlType.PrimitiveKind;
import io.github.sparkarrow.processor.model.SqlType.TemporalKind;
import io.github.sparkarrow.processor.model.Value;
import java.util.List;

/** Models built by hand, without javac, for emitter tests. */
final class Models {

  private Models() {}

  static Value notNull(PrimitiveKind kind) {
    return new Value(new SqlType.Primitive(kind), false, JavaType.of(Kind.PRIMITIVE));
  }

  static Value boxed(PrimitiveKind kind) {
    return new Value(new SqlType.Primitive(kind), true, JavaType.of(Kind.BOXED));
  }

  static Value string() {
    return new Value(new SqlType.Text(), true, JavaType.of(Kind.STRING));
  }

  static Value temporal(TemporalKind kind, Kind java) {
    return new Value(new SqlType.Temporal(kind), true, JavaType.of(java));
  }

  static Value listOf(Value element) {
    return new Value(new SqlType.ListOf(element), true, JavaType.of(Kind.LIST));
  }

  static Value mapOf(Value key, Value value) {
    return new Value(new SqlType.MapOf(key, value), true, JavaType.of(Kind.MAP));
  }

  static Value struct(RecordModel record) {
    return new Value(new SqlType.Struct(record), true, JavaType.named(Kind.RECORD, record.type()));
  }

  static Column column(String name, Value value) {
    return new Column(name, name, "", value);
  }

  /** {@code record TestStruct(String col, long intCol)} with snake_case naming. */
  static RecordModel testStruct() {
    return new RecordModel(
        ClassRef.of("test", "TestStruct"),
        List.of(
            new Column("col", "col", "", string()),
            new Column("int_col", "intCol", "", notNull(PrimitiveKind.LONG))));
  }

  static RecordModel address() {
    return new RecordModel(
        ClassRef.of("test", "Order", "Address"),
        List.of(
            column("city", string()),
            new Column("zip", "zip", "postal code", notNull(PrimitiveKind.INT))));
  }

  /** Every SQL type, nested in lists, maps and structs. */
  static RecordModel everything() {
    return new RecordModel(
        ClassRef.of("test", "Order"),
        List.of(
            column("flag", notNull(PrimitiveKind.BOOLEAN)),
            column("tiny", boxed(PrimitiveKind.BYTE)),
            column("small", notNull(PrimitiveKind.SHORT)),
            column("int", boxed(PrimitiveKind.INT)),
            column("big", notNull(PrimitiveKind.LONG)),
            column("real", boxed(PrimitiveKind.FLOAT)),
            column("double", notNull(PrimitiveKind.DOUBLE)),
            new Column("name", "name", "it's a \\ name", string()),
            column("bytes", new Value(new SqlType.Binary(), true, JavaType.of(Kind.BYTE_ARRAY))),
            column(
                "price",
                new Value(new SqlType.Decimal(18, 2), false, JavaType.of(Kind.BIG_DECIMAL))),
            column("day", temporal(TemporalKind.DATE, Kind.LOCAL_DATE)),
            column("at", temporal(TemporalKind.TIMESTAMP, Kind.INSTANT)),
            column("local", temporal(TemporalKind.TIMESTAMP_NTZ, Kind.LOCAL_DATE_TIME)),
            column("took", temporal(TemporalKind.DAY_TIME_INTERVAL, Kind.DURATION)),
            column("age", temporal(TemporalKind.YEAR_MONTH_INTERVAL, Kind.PERIOD)),
            column("tags", listOf(string().withNullable(false))),
            column("addresses", listOf(struct(address()))),
            column(
                "by_city",
                mapOf(string().withNullable(false), listOf(boxed(PrimitiveKind.LONG)))),
            column("home", struct(address()))));
  }
}

package io.github.sparkarrow.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import io.github.sparkarrow.processor.model.Column;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.model.SqlType;
import io.github.sparkarrow.processor.model.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a record as the Java expression of its Arrow {@code Schema}, field for field what Spark
 * 3.5's {@code ArrowUtils.toArrowSchema(structType, "UTC", true, false)} builds: lists with an
 * {@code element} child, maps with a non-null {@code entries} struct of a non-null {@code key} and
 * a {@code value}, timestamps in microseconds ({@code "UTC"} for TIMESTAMP, no zone for
 * TIMESTAMP_NTZ).
 */
public final class ArrowSchemaEmitter {

  static final String ARROW_POJO = "org.apache.arrow.vector.types.pojo";
  static final String ARROW_TYPES = "org.apache.arrow.vector.types";
  static final ClassName SCHEMA = ClassName.get(ARROW_POJO, "Schema");
  static final ClassName FIELD = ClassName.get(ARROW_POJO, "Field");
  static final ClassName FIELD_TYPE = ClassName.get(ARROW_POJO, "FieldType");
  static final ClassName ARROW_TYPE = ClassName.get(ARROW_POJO, "ArrowType");
  static final ClassName LIST = ClassName.get("java.util", "List");

  /** Arrow's child names, as Spark and Arrow's own MapVector use them. */
  public static final String ELEMENT = "element";

  public static final String ENTRIES = "entries";
  public static final String KEY = "key";
  public static final String VALUE = "value";

  private ArrowSchemaEmitter() {}

  /** {@code new Schema(List.of(Field.notNullable("id", new ArrowType.Int(64, true)), …))} */
  public static CodeBlock schema(RecordModel record) {
    return CodeBlock.of("new $T($L)", SCHEMA, fieldList(record));
  }

  /**
   * Column comments by Arrow field path ({@code address.city}, {@code lines.element.price}), in
   * declaration order; Arrow fields carry no comment, so Spark's {@code StructType} takes them
   * from here.
   */
  public static Map<String, String> comments(RecordModel record) {
    Map<String, String> comments = new LinkedHashMap<>();
    collectComments(record, "", comments);
    return comments;
  }

  private static void collectComments(RecordModel record, String prefix, Map<String, String> out) {
    for (Column column : record.columns()) {
      String path = prefix + column.name();
      if (column.hasComment()) {
        out.put(path, column.comment());
      }
      collectComments(column.value().type(), path, out);
    }
  }

  private static void collectComments(SqlType type, String path, Map<String, String> out) {
    if (type instanceof SqlType.Struct struct) {
      collectComments(struct.record(), path + ".", out);
    } else if (type instanceof SqlType.ListOf list) {
      collectComments(list.element().type(), path + "." + ELEMENT, out);
    } else if (type instanceof SqlType.MapOf map) {
      collectComments(map.key().type(), path + "." + ENTRIES + "." + KEY, out);
      collectComments(map.value().type(), path + "." + ENTRIES + "." + VALUE, out);
    }
  }

  private static CodeBlock fieldList(RecordModel record) {
    List<CodeBlock> fields = new ArrayList<>();
    for (Column column : record.columns()) {
      fields.add(field(column.name(), column.value()));
    }
    return list(fields);
  }

  /** {@code List.of(} then one item a line, indented one level deeper than the line it opens. */
  private static CodeBlock list(List<CodeBlock> items) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of($>$>", LIST);
    for (int i = 0; i < items.size(); i++) {
      code.add("\n$L", items.get(i));
      if (i < items.size() - 1) {
        code.add(",");
      }
    }
    return code.add("$<$<)").build();
  }

  private static CodeBlock field(String name, Value value) {
    return field(name, value.nullable(), value.type().accept(SHAPE));
  }

  private static CodeBlock field(String name, boolean nullable, Shape shape) {
    String nullability = nullable ? "nullable" : "notNullable";
    if (shape.children().isEmpty()) {
      return CodeBlock.of("$T.$L($S, $L)", FIELD, nullability, name, shape.type());
    }
    return CodeBlock.of(
        "new $T($S, $T.$L($L), $L)",
        FIELD,
        name,
        FIELD_TYPE,
        nullability,
        shape.type(),
        list(shape.children()));
  }

  private static CodeBlock arrow(String member) {
    return CodeBlock.of("$T.$L", ARROW_TYPE, member);
  }

  /** An Arrow field without its name and nullability: its type and its child fields. */
  private record Shape(CodeBlock type, List<CodeBlock> children) {
    static Shape leaf(String format, Object... args) {
      return new Shape(CodeBlock.of(format, args), List.of());
    }
  }

  private static final ClassName TIME_UNIT = ClassName.get(ARROW_TYPES, "TimeUnit");

  /** The shape of the field of each type. */
  private static final SqlType.Visitor<Shape> SHAPE =
      new SqlType.Visitor<>() {
        @Override
        public Shape primitive(SqlType.Primitive type) {
          ClassName precision = ClassName.get(ARROW_TYPES, "FloatingPointPrecision");
          switch (type.kind()) {
            case BOOLEAN:
              return Shape.leaf("$T.Bool.INSTANCE", ARROW_TYPE);
            case FLOAT:
              return Shape.leaf("new $T.FloatingPoint($T.SINGLE)", ARROW_TYPE, precision);
            case DOUBLE:
              return Shape.leaf("new $T.FloatingPoint($T.DOUBLE)", ARROW_TYPE, precision);
            default:
              return Shape.leaf("new $T.Int($L, true)", ARROW_TYPE, type.kind().bitWidth());
          }
        }

        @Override
        public Shape text(SqlType.Text type) {
          return Shape.leaf("$T.Utf8.INSTANCE", ARROW_TYPE);
        }

        @Override
        public Shape binary(SqlType.Binary type) {
          return Shape.leaf("$T.Binary.INSTANCE", ARROW_TYPE);
        }

        @Override
        public Shape decimal(SqlType.Decimal type) {
          return Shape.leaf(
              "new $T.Decimal($L, $L, 128)", ARROW_TYPE, type.precision(), type.scale());
        }

        @Override
        public Shape temporal(SqlType.Temporal type) {
          switch (type.kind()) {
            case DATE:
              return Shape.leaf(
                  "new $T.Date($T.DAY)", ARROW_TYPE, ClassName.get(ARROW_TYPES, "DateUnit"));
            case TIMESTAMP:
              return Shape.leaf("new $T.Timestamp($T.MICROSECOND, $S)", ARROW_TYPE, TIME_UNIT, "UTC");
            case TIMESTAMP_NTZ:
              return Shape.leaf("new $T.Timestamp($T.MICROSECOND, null)", ARROW_TYPE, TIME_UNIT);
            case DAY_TIME_INTERVAL:
              return Shape.leaf("new $T.Duration($T.MICROSECOND)", ARROW_TYPE, TIME_UNIT);
            case YEAR_MONTH_INTERVAL:
              return Shape.leaf(
                  "new $T.Interval($T.YEAR_MONTH)",
                  ARROW_TYPE,
                  ClassName.get(ARROW_TYPES, "IntervalUnit"));
            default:
              throw new AssertionError(type.kind());
          }
        }

        @Override
        public Shape list(SqlType.ListOf type) {
          return new Shape(
              arrow("List.INSTANCE"), List.of(field(ELEMENT, type.element())));
        }

        @Override
        public Shape map(SqlType.MapOf type) {
          Shape entries =
              new Shape(
                  arrow("Struct.INSTANCE"),
                  List.of(
                      field(KEY, type.key()), field(VALUE, type.value())));
          return new Shape(
              CodeBlock.of("new $T.Map(false)", ARROW_TYPE),
              List.of(field(ENTRIES, false, entries)));
        }

        @Override
        public Shape struct(SqlType.Struct type) {
          List<CodeBlock> children = new ArrayList<>();
          for (Column column : type.record().columns()) {
            children.add(field(column.name(), column.value()));
          }
          return new Shape(arrow("Struct.INSTANCE"), children);
        }
      };
}

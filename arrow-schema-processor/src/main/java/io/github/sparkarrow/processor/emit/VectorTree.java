package io.github.sparkarrow.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import io.github.sparkarrow.processor.model.Column;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.model.SqlType;
import io.github.sparkarrow.processor.model.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The typed Arrow vectors of a record, one field each in a generated writer or reader: a column's
 * vector, a list's element vector, a map's entries, key and value vectors, a struct's children.
 * The writer and the reader declare the same fields from the same tree.
 */
final class VectorTree {

  static final String VECTOR = "org.apache.arrow.vector";
  static final String COMPLEX = "org.apache.arrow.vector.complex";
  static final ClassName STRUCT_VECTOR = ClassName.get(COMPLEX, "StructVector");

  /**
   * One vector.
   *
   * @param field the generated field's name, e.g. {@code linesElementPriceVector}
   * @param type the vector class
   * @param init how to get it from the root or its parent
   * @param value what it holds
   * @param path the value's path for messages, e.g. {@code Order.lines[].price}
   * @param children element; key and value; or struct fields, in order
   * @param entries for a map, the field of its entries struct vector, else null
   */
  record Node(
      String field,
      ClassName type,
      CodeBlock init,
      Value value,
      String path,
      List<Node> children,
      String entries) {}

  private final List<Node> columns = new ArrayList<>();
  private final List<FieldSpec> fields = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  VectorTree(RecordModel record, Set<String> reserved) {
    names.addAll(reserved);
    List<Column> cols = record.columns();
    for (int i = 0; i < cols.size(); i++) {
      Column column = cols.get(i);
      columns.add(
          node(
              column.component(),
              column.value(),
              record.type().simpleName() + "." + column.component(),
              CodeBlock.of("root.getVector($L)", i)));
    }
  }

  /** The top-level columns, in order. */
  List<Node> columns() {
    return columns;
  }

  /** {@code private final XVector field;} for every vector, parents first. */
  List<FieldSpec> fields() {
    return fields;
  }

  /** Statements assigning every field from {@code root}, parents first. */
  CodeBlock assignments() {
    CodeBlock.Builder code = CodeBlock.builder();
    for (Node column : columns) {
      assign(code, column);
    }
    return code.build();
  }

  private void assign(CodeBlock.Builder code, Node node) {
    code.addStatement("this.$N = ($T) $L", node.field(), node.type(), node.init());
    if (node.entries() != null) {
      code.addStatement(
          "this.$N = ($T) $N.getDataVector()", node.entries(), STRUCT_VECTOR, node.field());
    }
    for (Node child : node.children()) {
      assign(code, child);
    }
  }

  private Node node(String name, Value value, String path, CodeBlock init) {
    String field = unique(name + "Vector");
    ClassName type = vectorClass(value.type());
    fields.add(FieldSpec.builder(type, field, Modifier.PRIVATE, Modifier.FINAL).build());
    List<Node> children = new ArrayList<>();
    String entries = null;
    SqlType sql = value.type();
    if (sql instanceof SqlType.ListOf list) {
      children.add(
          node(name + "Element", list.element(), path + "[]",
              CodeBlock.of("$N.getDataVector()", field)));
    } else if (sql instanceof SqlType.MapOf map) {
      entries = unique(name + "EntriesVector");
      fields.add(FieldSpec.builder(STRUCT_VECTOR, entries, Modifier.PRIVATE, Modifier.FINAL).build());
      children.add(
          node(name + "Key", map.key(), path + "{key}",
              CodeBlock.of("$N.getChildByOrdinal(0)", entries)));
      children.add(
          node(name + "Value", map.value(), path + "{value}",
              CodeBlock.of("$N.getChildByOrdinal(1)", entries)));
    } else if (sql instanceof SqlType.Struct struct) {
      List<Column> cols = struct.record().columns();
      for (int i = 0; i < cols.size(); i++) {
        Column column = cols.get(i);
        children.add(
            node(name + capitalize(column.component()), column.value(),
                path + "." + column.component(),
                CodeBlock.of("$N.getChildByOrdinal($L)", field, i)));
      }
    }
    return new Node(field, type, init, value, path, children, entries);
  }

  private String unique(String name) {
    String candidate = name;
    for (int i = 2; !names.add(candidate); i++) {
      candidate = name + i;
    }
    return candidate;
  }

  static String capitalize(String name) {
    return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
  }

  static ClassName vectorClass(SqlType type) {
    return type.accept(
        new SqlType.Visitor<ClassName>() {
          @Override
          public ClassName primitive(SqlType.Primitive type) {
            switch (type.kind()) {
              case BOOLEAN:
                return vector("BitVector");
              case BYTE:
                return vector("TinyIntVector");
              case SHORT:
                return vector("SmallIntVector");
              case INT:
                return vector("IntVector");
              case LONG:
                return vector("BigIntVector");
              case FLOAT:
                return vector("Float4Vector");
              case DOUBLE:
                return vector("Float8Vector");
              default:
                throw new AssertionError(type.kind());
            }
          }

          @Override
          public ClassName text(SqlType.Text type) {
            return vector("VarCharVector");
          }

          @Override
          public ClassName binary(SqlType.Binary type) {
            return vector("VarBinaryVector");
          }

          @Override
          public ClassName decimal(SqlType.Decimal type) {
            return vector("DecimalVector");
          }

          @Override
          public ClassName temporal(SqlType.Temporal type) {
            switch (type.kind()) {
              case DATE:
                return vector("DateDayVector");
              case TIMESTAMP:
                return vector("TimeStampMicroTZVector");
              case TIMESTAMP_NTZ:
                return vector("TimeStampMicroVector");
              case DAY_TIME_INTERVAL:
                return vector("DurationVector");
              case YEAR_MONTH_INTERVAL:
                return vector("IntervalYearVector");
              default:
                throw new AssertionError(type.kind());
            }
          }

          @Override
          public ClassName list(SqlType.ListOf type) {
            return ClassName.get(COMPLEX, "ListVector");
          }

          @Override
          public ClassName map(SqlType.MapOf type) {
            return ClassName.get(COMPLEX, "MapVector");
          }

          @Override
          public ClassName struct(SqlType.Struct type) {
            return STRUCT_VECTOR;
          }
        });
  }

  /** Whether values of {@code type} are read and written through child vectors. */
  static boolean isNested(SqlType type) {
    return type instanceof SqlType.ListOf
        || type instanceof SqlType.MapOf
        || type instanceof SqlType.Struct;
  }

  /**
   * How a fixed-width value sits in its vector's data buffer: the suffix of the {@code ArrowBuf}
   * accessors for it ({@code Int} for {@code getInt}/{@code setInt}) and its width in bytes.
   */
  record DataSlot(String accessor, int width) {}

  /** The {@link DataSlot} of a primitive other than a boolean (a bit), or of a temporal value. */
  static DataSlot dataSlot(SqlType type) {
    if (type instanceof SqlType.Primitive primitive) {
      int width = primitive.kind().bitWidth() / 8;
      switch (primitive.kind()) {
        case BYTE:
          return new DataSlot("Byte", width);
        case SHORT:
          return new DataSlot("Short", width);
        case INT:
          return new DataSlot("Int", width);
        case LONG:
          return new DataSlot("Long", width);
        case FLOAT:
          return new DataSlot("Float", width);
        case DOUBLE:
          return new DataSlot("Double", width);
        default:
          throw new AssertionError(primitive.kind()); // a boolean is a bit
      }
    }
    SqlType.TemporalKind kind = ((SqlType.Temporal) type).kind();
    boolean days =
        kind == SqlType.TemporalKind.DATE || kind == SqlType.TemporalKind.YEAR_MONTH_INTERVAL;
    return days ? new DataSlot("Int", 4) : new DataSlot("Long", 8);
  }

  private static ClassName vector(String simpleName) {
    return ClassName.get(VECTOR, simpleName);
  }
}

package io.github.sparkarrow.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.sparkarrow.processor.model.Column;
import io.github.sparkarrow.processor.model.JavaType;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.model.SqlType;
import io.github.sparkarrow.processor.model.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The {@code PersonArrowReader} of a record: {@code get(row)} builds a record, and one typed
 * accessor per top-level column reads a value without building the record ({@code long id(int
 * row)}, {@code boolean isAgeNull(int row)}, {@code int ageOr(int row, int ifNull)}).
 */
public final class ReaderEmitter {

  public static final String SUFFIX = "ArrowReader";
  static final ClassName READER = ClassName.get("io.github.sparkarrow.runtime", "ArrowRecordReader");
  static final ClassName SCHEMAS = ClassName.get("io.github.sparkarrow.runtime", "ArrowSchemas");
  static final ClassName VALUES = WriterEmitter.VALUES;
  static final ClassName UTF8_READER = ClassName.get("io.github.sparkarrow.runtime", "Utf8Reader");
  static final String UTF8_FIELD = "utf8";

  /** Accessor names a column cannot take, as {@code ArrowRecordReader} already uses them. */
  private static final Set<String> TAKEN =
      Set.of("get", "root", "rowCount", "iterator", "stream", "spliterator", "forEach");

  private ReaderEmitter() {}

  public static ClassName readerName(RecordModel record) {
    return ClassName.get(record.type().packageName(), record.type().companionName(SUFFIX));
  }

  public static TypeSpec reader(RecordModel record) {
    ClassName self = readerName(record);
    ClassName recordClass = JavaTypes.className(record.type());
    VectorTree tree = new VectorTree(record, Set.of("root", UTF8_FIELD));
    List<MethodSpec> helpers = new ArrayList<>();

    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addJavadoc(
                "Reads {@link $T} records from a batch with its schema. It owns nothing: the"
                    + " batch's owner closes it.\n",
                recordClass)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(ParameterizedTypeName.get(READER, recordClass))
            .addField(
                FieldSpec.builder(WriterEmitter.ROOT, "root", Modifier.PRIVATE, Modifier.FINAL)
                    .build())
            .addFields(tree.fields())
            .addMethod(
                MethodSpec.constructorBuilder()
                    .addJavadoc(
                        "Reads {@code root}, which must have the schema of {@link $T}.\n\n"
                            + "@throws IllegalArgumentException naming every column that"
                            + " differs\n",
                        recordClass)
                    .addModifiers(Modifier.PUBLIC)
                    .addParameter(WriterEmitter.ROOT, "root")
                    .addStatement(
                        "$T.requireMatches($T.getArrowSchema(), root.getSchema(), $S)",
                        SCHEMAS,
                        CompanionEmitter.companionName(record.type()),
                        record.type().canonicalName())
                    .addStatement("this.root = root")
                    .addCode(tree.assignments())
                    .addCode(hasText(record)
                        ? CodeBlock.of("this.$N = new $T(root);\n", UTF8_FIELD, UTF8_READER)
                        : CodeBlock.of(""))
                    .build())
            .addMethod(
                WriterEmitter.override("root", WriterEmitter.ROOT)
                    .addStatement("return root")
                    .build());

    CodeBlock.Builder arguments = CodeBlock.builder();
    for (int i = 0; i < record.columns().size(); i++) {
      Column column = record.columns().get(i);
      VectorTree.Node node = tree.columns().get(i);
      String accessor = TAKEN.contains(column.component()) ? column.component() + "Column"
          : column.component();
      arguments.add(i == 0 ? "$N(row)" : ", $N(row)", accessor);
      type.addMethods(accessors(column, node, accessor, helpers));
    }
    type.addMethod(
        WriterEmitter.override("get", recordClass)
            .addParameter(int.class, "row")
            .addStatement("return new $T($L)", recordClass, arguments.build())
            .build());
    type.addMethods(helpers);
    if (hasText(record)) {
      type.addField(
          FieldSpec.builder(UTF8_READER, UTF8_FIELD, Modifier.PRIVATE, Modifier.FINAL)
              .build());
    }
    return type.build();
  }

  static boolean hasText(RecordModel record) {
    return record.columns().stream().anyMatch(c -> hasText(c.value().type()));
  }

  private static boolean hasText(SqlType type) {
    if (type instanceof SqlType.Text) {
      return true;
    } else if (type instanceof SqlType.ListOf list) {
      return hasText(list.element().type());
    } else if (type instanceof SqlType.MapOf map) {
      return hasText(map.key().type()) || hasText(map.value().type());
    } else if (type instanceof SqlType.Struct struct) {
      return hasText(struct.record());
    }
    return false;
  }

  /** The public accessors of one column. */
  private static List<MethodSpec> accessors(
      Column column, VectorTree.Node node, String accessor, List<MethodSpec> helpers) {
    List<MethodSpec> methods = new ArrayList<>();
    Value value = column.value();
    String sql = SparkDdlEmitter.typeName(value.type()) + (value.nullable() ? "" : " NOT NULL");
    methods.add(
        MethodSpec.methodBuilder(accessor)
            .addJavadoc("The {@code $L} column ({@code $L}) at {@code row}.\n", column.name(), sql)
            .addModifiers(Modifier.PUBLIC)
            .returns(JavaTypes.typeName(value))
            .addParameter(int.class, "row")
            .addStatement("return $L", read(value, node, "row", helpers))
            .build());
    if (value.nullable()) {
      methods.add(
          MethodSpec.methodBuilder("is" + VectorTree.capitalize(column.component()) + "Null")
              .addJavadoc("Whether the {@code $L} column is null at {@code row}.\n", column.name())
              .addModifiers(Modifier.PUBLIC)
              .returns(boolean.class)
              .addParameter(int.class, "row")
              .addStatement("return $L", isNull(node, CodeBlock.of("row")))
              .build());
      if (value.type() instanceof SqlType.Primitive primitive) {
        TypeName prim = JavaTypes.primitive(primitive.kind());
        methods.add(
            MethodSpec.methodBuilder(column.component() + "Or")
                .addJavadoc(
                    "The {@code $L} column at {@code row}, or {@code ifNull} where it is null;"
                        + " allocates nothing.\n",
                    column.name())
                .addModifiers(Modifier.PUBLIC)
                .returns(prim)
                .addParameter(int.class, "row")
                .addParameter(prim, "ifNull")
                .addStatement(
                    "return $L ? ifNull : $L",
                    isNull(node, CodeBlock.of("row")),
                    present(value, node, CodeBlock.of("row"), helpers))
                .build());
      }
    }
    return methods;
  }

  /** An expression reading {@code value} at {@code index} of {@code node}, null handling included. */
  private static CodeBlock read(
      Value value, VectorTree.Node node, String index, List<MethodSpec> helpers) {
    if (!value.nullable()) {
      CodeBlock checked =
          CodeBlock.of("$T.requireSet($N, $L, $S, row)", VALUES, node.field(), index, node.path());
      return present(value, node, checked, helpers);
    }
    CodeBlock present = present(value, node, CodeBlock.of("$L", index), helpers);
    CodeBlock absent;
    switch (value.java().wrapper()) {
      case OPTIONAL:
        absent = CodeBlock.of("$T.empty()", Optional.class);
        present = CodeBlock.of("$T.of($L)", Optional.class, present);
        break;
      case OPTIONAL_INT:
        absent = CodeBlock.of("$T.empty()", OptionalInt.class);
        present = CodeBlock.of("$T.of($L)", OptionalInt.class, present);
        break;
      case OPTIONAL_LONG:
        absent = CodeBlock.of("$T.empty()", OptionalLong.class);
        present = CodeBlock.of("$T.of($L)", OptionalLong.class, present);
        break;
      case OPTIONAL_DOUBLE:
        absent = CodeBlock.of("$T.empty()", OptionalDouble.class);
        present = CodeBlock.of("$T.of($L)", OptionalDouble.class, present);
        break;
      default:
        absent = CodeBlock.of("null");
    }
    return CodeBlock.of("$L ? $L : $L", isNull(node, CodeBlock.of("$L", index)), absent, present);
  }

  /**
   * Whether {@code node}'s value at {@code index} is null: for a flat column straight from its
   * validity buffer ({@code ArrowValues.isNull}, one bounds check), else through the vector.
   */
  private static CodeBlock isNull(VectorTree.Node node, CodeBlock index) {
    return VectorTree.isNested(node.value().type())
        ? CodeBlock.of("$N.isNull($L)", node.field(), index)
        : CodeBlock.of("$T.isNull($N.getValidityBuffer(), $L)", VALUES, node.field(), index);
  }

  /** An expression reading a value known to be set at {@code index}. */
  private static CodeBlock present(
      Value value, VectorTree.Node node, CodeBlock index, List<MethodSpec> helpers) {
    String field = node.field();
    String path = node.path();
    JavaType.Kind kind = value.java().kind();
    SqlType sql = value.type();
    if (sql instanceof SqlType.Primitive primitive) {
      return primitive.kind() == SqlType.PrimitiveKind.BOOLEAN
          ? CodeBlock.of("$T.getBit($N.getDataBuffer(), $L)", VALUES, field, index)
          : fixedWidth(node, index);
    }
    if (sql instanceof SqlType.Text) {
      CodeBlock text = CodeBlock.of("$N.read($N, $L)", UTF8_FIELD, field, index);
      switch (kind) {
        case CHAR:
        case CHARACTER:
          return CodeBlock.of("$T.charOf($L, $S, row)", VALUES, text, path);
        case UUID:
          return CodeBlock.of("$T.uuidOf($L, $S, row)", VALUES, text, path);
        case ENUM:
          return CodeBlock.of(
              "$T.enumOf($T.class, $L, $S, row)",
              VALUES,
              JavaTypes.className(value.java().named()),
              text,
              path);
        default:
          return text;
      }
    }
    if (sql instanceof SqlType.Binary) {
      return CodeBlock.of("$N.get($L)", field, index);
    }
    if (sql instanceof SqlType.Decimal) {
      CodeBlock decimal = CodeBlock.of("$T.getDecimal($N, $L)", VALUES, field, index);
      return kind == JavaType.Kind.BIG_INTEGER
          ? CodeBlock.of("$L.toBigIntegerExact()", decimal)
          : decimal;
    }
    if (sql instanceof SqlType.Temporal) {
      switch (kind) {
        case LOCAL_DATE:
          return CodeBlock.of("$T.localDate($L)", VALUES, fixedWidth(node, index));
        case SQL_DATE:
          return CodeBlock.of("$T.sqlDate($L)", VALUES, fixedWidth(node, index));
        case INSTANT:
          return CodeBlock.of("$T.instant($L)", VALUES, fixedWidth(node, index));
        case SQL_TIMESTAMP:
          return CodeBlock.of("$T.sqlTimestamp($L)", VALUES, fixedWidth(node, index));
        case LOCAL_DATE_TIME:
          return CodeBlock.of("$T.localDateTime($L)", VALUES, fixedWidth(node, index));
        case DURATION:
          return CodeBlock.of("$T.duration($L)", VALUES, fixedWidth(node, index));
        case PERIOD:
          return CodeBlock.of("$T.period($L)", VALUES, fixedWidth(node, index));
        default:
          throw new AssertionError(kind);
      }
    }
    // Lists, maps and structs are read by a private method of their own.
    String method = "read" + VectorTree.capitalize(field.replaceFirst("Vector(\\d*)$", "$1"));
    helpers.add(readMethod(method, value, node, helpers));
    return CodeBlock.of("$N($L, row)", method, index);
  }

  /**
   * A fixed-width value straight from the data buffer ({@code ArrowValues.getLong} and the like,
   * one bounds check): the null check has been made, and the vector's {@code get} would make it
   * again.
   */
  private static CodeBlock fixedWidth(VectorTree.Node node, CodeBlock index) {
    String accessor = VectorTree.dataSlot(node.value().type()).accessor();
    return CodeBlock.of("$T.get$L($N.getDataBuffer(), $L)", VALUES, accessor, node.field(), index);
  }

  private static MethodSpec readMethod(
      String name, Value value, VectorTree.Node node, List<MethodSpec> helpers) {
    TypeName type = JavaTypes.plainTypeName(value);
    MethodSpec.Builder method =
        MethodSpec.methodBuilder(name)
            .addModifiers(Modifier.PRIVATE)
            .returns(type)
            .addParameter(int.class, "index")
            .addParameter(int.class, "row");
    SqlType sql = value.type();
    String field = node.field();
    if (sql instanceof SqlType.Struct struct) {
      CodeBlock.Builder args = CodeBlock.builder();
      List<Column> columns = struct.record().columns();
      for (int i = 0; i < columns.size(); i++) {
        args.add(i == 0 ? "$L" : ",\n$L",
            read(columns.get(i).value(), node.children().get(i), "index", helpers));
      }
      return method.addStatement("return new $T(\n$>$>$L$<$<)", type, args.build()).build();
    }
    method
        .addStatement("int start = $N.getElementStartIndex(index)", field)
        .addStatement("int end = $N.getElementEndIndex(index)", field);
    if (sql instanceof SqlType.MapOf map) {
      method
          .addStatement("$T out = new $T<>()", type, LinkedHashMap.class)
          .beginControlFlow("for (int i = start; i < end; i++)")
          .addStatement(
              "out.put($L, $L)",
              read(map.key(), node.children().get(0), "i", helpers),
              read(map.value(), node.children().get(1), "i", helpers))
          .endControlFlow();
      return method.addStatement("return out").build();
    }
    SqlType.ListOf list = (SqlType.ListOf) sql;
    CodeBlock element = read(list.element(), node.children().get(0), "i", helpers);
    if (value.java().kind() == JavaType.Kind.ARRAY) {
      TypeName component = JavaTypes.typeName(list.element());
      TypeName erased = JavaTypes.erasure(component);
      if (!erased.equals(component)) {
        method.addAnnotation(
            AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "unchecked")
                .build());
      }
      method
          .addStatement("$T out = new $T[end - start]", type, erased)
          .beginControlFlow("for (int i = start; i < end; i++)")
          .addStatement("out[i - start] = $L", element)
          .endControlFlow();
    } else {
      Class<?> impl = value.java().kind() == JavaType.Kind.SET ? LinkedHashSet.class : ArrayList.class;
      method
          .addStatement("$T out = new $T<>(end - start)", type, impl)
          .beginControlFlow("for (int i = start; i < end; i++)")
          .addStatement("out.add($L)", element)
          .endControlFlow();
    }
    return method.addStatement("return out").build();
  }
}

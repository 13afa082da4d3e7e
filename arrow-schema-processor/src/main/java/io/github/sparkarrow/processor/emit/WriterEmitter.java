package io.github.sparkarrow.processor.emit;

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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The {@code PersonArrowWriter} of a record: straight-line code that appends one record per row,
 * loops for collections, no reflection and no per-value dispatch.
 *
 * <p>Most values are written with Arrow's {@code setSafe}. A top-level NOT NULL column of fixed
 * width (a number, date, timestamp or interval) is written more cheaply, since it never holds a
 * null: one room check per row for all such columns, then a plain store into the data buffer;
 * {@code finish()} marks all its rows valid at once. {@code setSafe} would check the room, set a
 * validity bit and bounds-check each buffer for every value.
 */
public final class WriterEmitter {

  public static final String SUFFIX = "ArrowWriter";
  static final ClassName ROOT = ClassName.get("org.apache.arrow.vector", "VectorSchemaRoot");
  static final ClassName ALLOCATOR = ClassName.get("org.apache.arrow.memory", "BufferAllocator");
  static final ClassName FIELD_VECTOR = ClassName.get("org.apache.arrow.vector", "FieldVector");
  static final ClassName WRITER = ClassName.get("io.github.sparkarrow.runtime", "ArrowRecordWriter");
  static final ClassName VALUES = ClassName.get("io.github.sparkarrow.runtime", "ArrowValues");

  static final ClassName UTF8_WRITER = ClassName.get("io.github.sparkarrow.runtime", "Utf8Writer");
  static final String UTF8_FIELD = "utf8";
  private static final Set<String> RESERVED = Set.of("root", "rowCount", "capacity", UTF8_FIELD);

  private WriterEmitter() {}

  public static ClassName writerName(RecordModel record) {
    return ClassName.get(record.type().packageName(), record.type().companionName(SUFFIX));
  }

  public static TypeSpec writer(RecordModel record) {
    ClassName self = writerName(record);
    ClassName recordClass = JavaTypes.className(record.type());
    VectorTree tree = new VectorTree(record, RESERVED);

    MethodSpec constructor =
        MethodSpec.constructorBuilder()
            .addJavadoc(
                "Allocates the vectors of an empty batch from {@code allocator}; {@link #close()}"
                    + " frees them.\n")
            .addModifiers(Modifier.PUBLIC)
            .addParameter(ALLOCATOR, "allocator")
            .addStatement(
                "this.root = $T.create($T.getArrowSchema(), allocator)",
                ROOT,
                CompanionEmitter.companionName(record.type()))
            .addCode(tree.assignments())
            .addStatement("root.allocateNew()")
            .build();

    // Locals never shadow the writer's fields (a component may be called "rowCount" or "utf8").
    Set<String> taken = new HashSet<>(RESERVED);
    tree.fields().forEach(f -> taken.add(f.name()));
    Locals locals = new Locals(taken, "record", "row");
    CodeBlock.Builder body = CodeBlock.builder();
    body.addStatement("$T.requireNonNull(record, $S)", Objects.class, "record");
    body.addStatement("int row = rowCount");
    List<String> dataOnly = new ArrayList<>();
    for (int i = 0; i < record.columns().size(); i++) {
      if (isDataOnly(record.columns().get(i).value())) {
        dataOnly.add(tree.columns().get(i).field());
      }
    }
    CodeBlock dataOnlyVectors = CodeBlock.of("$L", String.join(", ", dataOnly));
    if (!dataOnly.isEmpty()) {
      body.beginControlFlow("if (row >= capacity)")
          .addStatement("capacity = $T.ensureCapacity(row, $L)", VALUES, dataOnlyVectors)
          .endControlFlow();
    }
    List<MethodSpec> columnWriters = new ArrayList<>();
    for (int i = 0; i < record.columns().size(); i++) {
      Column column = record.columns().get(i);
      VectorTree.Node node = tree.columns().get(i);
      CodeBlock value = CodeBlock.of("record.$N()", column.component());
      if (VectorTree.isNested(column.value().type())) {
        // A collection or struct gets a method of its own: write() stays short to read, and
        // small enough for the JIT to compile early.
        String method = "write" + VectorTree.capitalize(column.component());
        body.addStatement("$N($L, row)", method, value);
        CodeBlock.Builder code = CodeBlock.builder();
        writeValue(code, column.value(), CodeBlock.of("value"), node, "row",
            new Locals(taken, "value", "row"));
        columnWriters.add(
            MethodSpec.methodBuilder(method)
                .addModifiers(Modifier.PRIVATE)
                .addParameter(JavaTypes.typeName(column.value()), "value")
                .addParameter(int.class, "row")
                .addCode(code.build())
                .build());
      } else {
        writeValue(body, column.value(), value, node, "row", locals, dataOnly.contains(node.field()));
      }
    }
    body.addStatement("rowCount = row + 1");

    MethodSpec.Builder finish = override("finish", ROOT);
    if (!dataOnly.isEmpty()) {
      finish.addComment("The columns written without setSafe hold a value in every row.");
      for (String field : dataOnly) {
        finish.addStatement("$T.markValid($N, rowCount)", VALUES, field);
      }
    }
    finish.addStatement("root.setRowCount(rowCount)").addStatement("return root");
    MethodSpec.Builder reset =
        override("reset", TypeName.VOID)
            .beginControlFlow("for ($T vector : root.getFieldVectors())", FIELD_VECTOR)
            .addStatement("vector.reset()")
            .endControlFlow()
            .addStatement("root.setRowCount(0)")
            .addStatement("rowCount = 0");
    if (!dataOnly.isEmpty()) {
      // Checked again on the next write: the vectors may have been transferred out meanwhile.
      reset.addStatement("capacity = 0");
    }

    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addJavadoc(
            "Writes {@link $T} records to Arrow vectors, one row per record. It owns its {@link"
                + " #root()}: {@link #finish()} seals a batch, {@link #reset()} reuses the vectors"
                + " for the next, {@link #close()} frees them. Not thread-safe.\n",
            recordClass)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(WRITER, recordClass))
        .addField(FieldSpec.builder(ROOT, "root", Modifier.PRIVATE, Modifier.FINAL).build())
        .addFields(tree.fields())
        .addField(int.class, "rowCount", Modifier.PRIVATE);
    if (!dataOnly.isEmpty()) {
      type.addField(
          FieldSpec.builder(int.class, "capacity", Modifier.PRIVATE)
              .addJavadoc("Rows that $L, written without {@code setSafe}, have room for; 0 until"
                  + " checked.\n", dataOnlyVectors)
              .build());
    }
    type.addMethod(constructor)
        .addMethod(
            override("write", TypeName.VOID)
                .addParameter(recordClass, "record")
                .addCode(body.build())
                .build())
        .addMethod(override("root", ROOT).addStatement("return root").build())
        .addMethod(override("rowCount", TypeName.INT).addStatement("return rowCount").build())
        .addMethod(finish.build())
        .addMethod(reset.build())
        .addMethod(override("close", TypeName.VOID).addStatement("root.close()").build())
        .addMethods(columnWriters);
    if (ReaderEmitter.hasText(record)) {
      type.addField(
          FieldSpec.builder(UTF8_WRITER, UTF8_FIELD, Modifier.PRIVATE, Modifier.FINAL)
              .initializer("new $T()", UTF8_WRITER)
              .build());
    }
    return type.build();
  }

  static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(returns);
  }

  /**
   * Writes {@code expr} (evaluated once) into {@code node} at {@code index}: null handling, then
   * the value. {@code row} is always in scope for messages.
   */
  private static void writeValue(
      CodeBlock.Builder code, Value value, CodeBlock expr, VectorTree.Node node, String index,
      Locals locals) {
    writeValue(code, value, expr, node, index, locals, false);
  }

  /** {@code dataOnly}: a column of {@link #isDataOnly}, written without its validity bit. */
  private static void writeValue(
      CodeBlock.Builder code, Value value, CodeBlock expr, VectorTree.Node node, String index,
      Locals locals, boolean dataOnly) {
    JavaType java = value.java();
    if (java.wrapper() == JavaType.Wrapper.NONE
        && (java.kind() == JavaType.Kind.PRIMITIVE || java.kind() == JavaType.Kind.CHAR)) {
      writePresent(code, value, expr, node, index, locals, dataOnly);
      return;
    }
    String local;
    if (isIdentifier(expr)) {
      local = expr.toString();
    } else {
      local = locals.fresh(baseName(node));
      code.addStatement("var $N = $L", local, expr);
    }
    String isAbsent =
        java.wrapper() == JavaType.Wrapper.NONE
            ? local + " == null"
            : local + " == null || " + local + ".isEmpty()";
    CodeBlock present;
    switch (java.wrapper()) {
      case OPTIONAL:
        present = CodeBlock.of("$N.get()", local);
        break;
      case OPTIONAL_INT:
        present = CodeBlock.of("$N.getAsInt()", local);
        break;
      case OPTIONAL_LONG:
        present = CodeBlock.of("$N.getAsLong()", local);
        break;
      case OPTIONAL_DOUBLE:
        present = CodeBlock.of("$N.getAsDouble()", local);
        break;
      default:
        present = CodeBlock.of("$N", local);
    }
    code.beginControlFlow("if ($L)", isAbsent);
    if (value.nullable()) {
      code.addStatement("$N.setNull($L)", node.field(), index);
      code.nextControlFlow("else");
      writePresent(code, value, present, node, index, locals, false);
      code.endControlFlow();
    } else {
      code.addStatement("throw $T.nullInNotNull($S, row)", VALUES, node.path());
      code.endControlFlow();
      writePresent(code, value, present, node, index, locals, dataOnly);
    }
  }

  /**
   * A NOT NULL value of one fixed-width Arrow vector, besides booleans (whose values are bits).
   * Only top-level columns qualify: their index is the row.
   */
  private static boolean isDataOnly(Value value) {
    if (value.nullable()) {
      return false;
    }
    return value.type() instanceof SqlType.Temporal
        || (value.type() instanceof SqlType.Primitive primitive
            && primitive.kind() != SqlType.PrimitiveKind.BOOLEAN);
  }

  /** Stores a {@link #isDataOnly} value with its data buffer's {@code ArrowBuf} setter. */
  private static CodeBlock dataStore(Value value, String field, String index, CodeBlock expr) {
    VectorTree.DataSlot slot = VectorTree.dataSlot(value.type());
    return CodeBlock.of(
        "$N.getDataBuffer().set$L($LL * $L, $L)", field, slot.accessor(), slot.width(), index, expr);
  }

  private static boolean isIdentifier(CodeBlock expr) {
    return expr.toString().matches("[A-Za-z_$][A-Za-z0-9_$]*");
  }

  /** Writes a value known not to be null. */
  private static void writePresent(
      CodeBlock.Builder code, Value value, CodeBlock expr, VectorTree.Node node, String index,
      Locals locals, boolean dataOnly) {
    String field = node.field();
    String path = node.path();
    JavaType.Kind kind = value.java().kind();
    SqlType sql = value.type();
    if (dataOnly) {
      CodeBlock converted = expr;
      if (sql instanceof SqlType.Temporal) {
        converted = CodeBlock.of("$T.$L($L, $S, row)", VALUES, convert((SqlType.Temporal) sql), expr,
            path);
      }
      code.addStatement(dataStore(value, field, index, converted));
    } else if (sql instanceof SqlType.Primitive primitive) {
      if (primitive.kind() == SqlType.PrimitiveKind.BOOLEAN) {
        code.addStatement("$N.setSafe($L, $L ? 1 : 0)", field, index, expr);
      } else {
        code.addStatement("$N.setSafe($L, $L)", field, index, expr);
      }
    } else if (sql instanceof SqlType.Text) {
      CodeBlock text;
      switch (kind) {
        case CHAR:
        case CHARACTER:
          text = CodeBlock.of("String.valueOf($L)", expr);
          break;
        case UUID:
          text = CodeBlock.of("$L.toString()", expr);
          break;
        case ENUM:
          text = CodeBlock.of("$L.name()", expr);
          break;
        default:
          text = expr;
      }
      code.addStatement("$N.write($N, $L, $L, $S, row)", UTF8_FIELD, field, index, text, path);
    } else if (sql instanceof SqlType.Binary) {
      code.addStatement("$T.setBytes($N, $L, $L, $S, row)", VALUES, field, index, expr, path);
    } else if (sql instanceof SqlType.Decimal) {
      CodeBlock decimal =
          kind == JavaType.Kind.BIG_INTEGER ? CodeBlock.of("new $T($L)", BigDecimal.class, expr) : expr;
      code.addStatement("$T.setDecimal($N, $L, $L, $S, row)", VALUES, field, index, decimal, path);
    } else if (sql instanceof SqlType.Temporal temporal) {
      code.addStatement(
          "$N.setSafe($L, $T.$L($L, $S, row))", field, index, VALUES, convert(temporal), expr,
          path);
    } else if (sql instanceof SqlType.ListOf list) {
      String start = locals.fresh(baseName(node) + "Start");
      String count = locals.fresh(baseName(node) + "Count");
      String element = locals.fresh(baseName(node.children().get(0)));
      String at = locals.fresh(baseName(node) + "At");
      code.addStatement("int $N = $N.startNewValue($L)", start, field, index);
      code.addStatement("int $N = 0", count);
      code.beginControlFlow("for (var $N : $L)", element, expr);
      code.addStatement("int $N = $N + $N", at, start, count);
      writeValue(code, list.element(), CodeBlock.of("$N", element), node.children().get(0), at,
          locals);
      code.addStatement("$N++", count);
      code.endControlFlow();
      code.addStatement("$N.endValue($L, $N)", field, index, count);
    } else if (sql instanceof SqlType.MapOf map) {
      String start = locals.fresh(baseName(node) + "Start");
      String count = locals.fresh(baseName(node) + "Count");
      String entry = locals.fresh(baseName(node) + "Entry");
      String at = locals.fresh(baseName(node) + "At");
      code.addStatement("int $N = $N.startNewValue($L)", start, field, index);
      code.addStatement("int $N = 0", count);
      code.beginControlFlow("for (var $N : $L.entrySet())", entry, expr);
      code.addStatement("int $N = $N + $N", at, start, count);
      code.addStatement("$N.setIndexDefined($N)", node.entries(), at);
      writeValue(code, map.key(), CodeBlock.of("$N.getKey()", entry), node.children().get(0), at,
          locals);
      writeValue(code, map.value(), CodeBlock.of("$N.getValue()", entry), node.children().get(1),
          at, locals);
      code.addStatement("$N++", count);
      code.endControlFlow();
      code.addStatement("$N.endValue($L, $N)", field, index, count);
    } else if (sql instanceof SqlType.Struct struct) {
      String local = expr.toString();
      if (!isIdentifier(expr)) {
        local = locals.fresh(baseName(node) + "Value");
        code.addStatement("var $N = $L", local, expr);
      }
      code.addStatement("$N.setIndexDefined($L)", field, index);
      for (int i = 0; i < struct.record().columns().size(); i++) {
        Column column = struct.record().columns().get(i);
        writeValue(code, column.value(), CodeBlock.of("$N.$N()", local, column.component()),
            node.children().get(i), index, locals);
      }
    } else {
      throw new AssertionError(sql);
    }
  }

  /** The {@code ArrowValues} method turning a Java temporal value into Arrow's number. */
  private static String convert(SqlType.Temporal temporal) {
    switch (temporal.kind()) {
      case DATE:
        return "epochDay";
      case YEAR_MONTH_INTERVAL:
        return "months";
      default:
        return "micros";
    }
  }

  /** {@code linesElementPrice} from {@code linesElementPriceVector}. */
  private static String baseName(VectorTree.Node node) {
    return node.field().replaceFirst("Vector\\d*$", "");
  }
}

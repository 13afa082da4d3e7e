package io.github.sparkarrow.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.sparkarrow.processor.model.ClassRef;
import io.github.sparkarrow.processor.model.RecordModel;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * The {@code PersonArrowSchema} companion of a record: its Spark DDL and Arrow schema as
 * constants, and the singleton {@code ArrowRecordType} the runtime works with.
 */
public final class CompanionEmitter {

  public static final String SUFFIX = "ArrowSchema";
  static final ClassName RECORD_TYPE =
      ClassName.get("io.github.sparkarrow.runtime", "ArrowRecordType");

  private CompanionEmitter() {}

  public static ClassName companionName(ClassRef record) {
    return ClassName.get(record.packageName(), record.companionName(SUFFIX));
  }

  public static TypeSpec companion(RecordModel record) {
    ClassName self = companionName(record.type());
    ClassName recordClass = JavaTypes.className(record.type());
    TypeName classOfRecord =
        ParameterizedTypeName.get(ClassName.get(Class.class), recordClass);
    Map<String, String> comments = ArrowSchemaEmitter.comments(record);

    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addJavadoc(
                "The Spark SQL and Arrow schema of {@link $T}, derived from its components at"
                    + " compile time.\n",
                recordClass)
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(ParameterizedTypeName.get(RECORD_TYPE, recordClass))
            .addField(
                FieldSpec.builder(long.class, "serialVersionUID", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL)
                    .initializer("1L")
                    .build())
            .addField(
                FieldSpec.builder(String.class, "SPARK_DDL", Modifier.PUBLIC, Modifier.STATIC,
                        Modifier.FINAL)
                    .addJavadoc("The Spark DDL of {@link $T}, for {@code StructType.fromDDL} and"
                        + " {@code DataFrameReader.schema}.\n", recordClass)
                    .initializer("$S", SparkDdlEmitter.ddl(record))
                    .build())
            .addField(
                FieldSpec.builder(ArrowSchemaEmitter.SCHEMA, "ARROW_SCHEMA", Modifier.PRIVATE,
                        Modifier.STATIC, Modifier.FINAL)
                    .initializer(ArrowSchemaEmitter.schema(record))
                    .build());
    if (!comments.isEmpty()) {
      type.addField(
          FieldSpec.builder(
                  ParameterizedTypeName.get(Map.class, String.class, String.class),
                  "COMMENTS",
                  Modifier.PRIVATE,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .initializer(commentsMap(comments))
              .build());
    }
    type.addField(
            FieldSpec.builder(self, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The runtime's handle on {@link $T}.\n", recordClass)
                .initializer("new $T()", self)
                .build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(
            MethodSpec.methodBuilder("getSparkDdl")
                .addJavadoc("Returns {@link #SPARK_DDL}.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(String.class)
                .addStatement("return SPARK_DDL")
                .build())
        .addMethod(
            MethodSpec.methodBuilder("getArrowSchema")
                .addJavadoc("The Arrow schema of {@link $T}; immutable and shared.\n", recordClass)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ArrowSchemaEmitter.SCHEMA)
                .addStatement("return ARROW_SCHEMA")
                .build())
        .addMethod(
            override("recordClass", classOfRecord).addStatement("return $T.class", recordClass)
                .build())
        .addMethod(override("sparkDdl", ClassName.get(String.class))
            .addStatement("return SPARK_DDL").build())
        .addMethod(override("arrowSchema", ArrowSchemaEmitter.SCHEMA)
            .addStatement("return ARROW_SCHEMA").build());
    if (!comments.isEmpty()) {
      type.addMethod(
          override("comments", ParameterizedTypeName.get(Map.class, String.class, String.class))
              .addStatement("return COMMENTS")
              .build());
    }
    type.addMethod(
            override("newWriter", WriterEmitter.writerName(record))
                .addParameter(WriterEmitter.ALLOCATOR, "allocator")
                .addStatement("return new $T(allocator)", WriterEmitter.writerName(record))
                .build())
        .addMethod(
            override("newReader", ReaderEmitter.readerName(record))
                .addParameter(WriterEmitter.ROOT, "root")
                .addStatement("return new $T(root)", ReaderEmitter.readerName(record))
                .build());
    type.addMethod(
        MethodSpec.methodBuilder("readResolve")
            .addJavadoc("Keeps the singleton when a Spark closure ships it to an executor.\n")
            .addModifiers(Modifier.PRIVATE)
            .returns(Object.class)
            .addStatement("return INSTANCE")
            .build());
    return type.build();
  }

  private static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(returns);
  }

  private static CodeBlock commentsMap(Map<String, String> comments) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.ofEntries(", Map.class);
    int i = 0;
    for (Map.Entry<String, String> e : comments.entrySet()) {
      code.add("\n    $T.entry($S, $S)", Map.class, e.getKey(), e.getValue());
      if (++i < comments.size()) {
        code.add(",");
      }
    }
    return code.add(")").build();
  }
}

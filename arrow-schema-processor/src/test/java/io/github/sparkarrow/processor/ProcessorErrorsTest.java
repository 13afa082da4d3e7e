package io.github.sparkarrow.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.github.sparkarrow.processor.scan.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per diagnostic: the message, the file, the line of the offending component, and that
 * it is the only error.
 */
class ProcessorErrorsTest {

  /** A processor instance runs once, so each compile gets a new one. */
  private static Compiler javac() {
    return Compiler.javac().withProcessors(new HasArrowSparkSchemaProcessor());
  }

  private static JavaFileObject source(String name, String... lines) {
    StringBuilder text =
        new StringBuilder(
            "package test;\n"
                + "import io.github.sparkarrow.annotations.*;\n"
                + "import java.math.*;\n"
                + "import java.time.*;\n"
                + "import java.util.*;\n");
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return JavaFileObjects.forSourceString("test." + name, text.toString());
  }

  /** Compiles and asserts exactly one error, of {@code message}, on the line with {@code line}. */
  private static void assertOnlyError(
      Message message, String fragment, String line, JavaFileObject source) {
    Compilation compilation = javac().compile(source);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining(message.tag() + " " + fragment)
        .inFile(source)
        .onLineContaining(line);
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void classInsteadOfRecord() {
    assertOnlyError(
        Message.NOT_A_RECORD,
        "@HasArrowSparkSchema goes on a record, and test.Bean is a class",
        "class Bean",
        source("Bean", "@HasArrowSparkSchema", "public class Bean { long id; }"));
  }

  @Test
  void interfaceInsteadOfRecord() {
    assertOnlyError(
        Message.NOT_A_RECORD,
        "@HasArrowSparkSchema goes on a record, and test.Shape is an interface",
        "interface Shape",
        source("Shape", "@HasArrowSparkSchema", "public interface Shape {}"));
  }

  @Test
  void genericRecord() {
    assertOnlyError(
        Message.GENERIC_RECORD,
        "Box: record test.Box has type parameters",
        "record Box",
        source("Box", "@HasArrowSparkSchema", "public record Box<T>(T value) {}"));
  }

  @Test
  void genericNestedRecord() {
    assertOnlyError(
        Message.GENERIC_RECORD,
        "Order.pair: record test.Order.Pair has type parameters",
        "Pair<String> pair",
        source(
            "Order",
            "@HasArrowSparkSchema",
            "public record Order(long id,",
            "    Pair<String> pair) {",
            "  public record Pair<T>(T left, T right) {}",
            "}"));
  }

  @Test
  void privateRecord() {
    assertOnlyError(
        Message.INACCESSIBLE_RECORD,
        "Hidden: test.Outer.Hidden is private",
        "record Hidden",
        source(
            "Outer",
            "public class Outer {",
            "  @HasArrowSparkSchema private record Hidden(long id) {}",
            "}"));
  }

  @Test
  void emptyRecord() {
    assertOnlyError(
        Message.EMPTY_RECORD,
        "Nothing: record test.Nothing has no components",
        "record Nothing",
        source("Nothing", "@HasArrowSparkSchema", "public record Nothing() {}"));
  }

  @Test
  void recursiveRecord() {
    assertOnlyError(
        Message.RECURSIVE_RECORD,
        "Tree.children[].children[]: record test.Tree.Node contains itself",
        "List<Node> children) {}",
        source(
            "Tree",
            "@HasArrowSparkSchema",
            "public record Tree(String name,",
            "    List<Node> children) {",
            "  public record Node(String label,",
            "      List<Node> children) {}",
            "}"));
  }

  @Test
  void objectComponent() {
    assertOnlyError(
        Message.OBJECT_TYPE,
        "Bag.payload: Object has no Spark or Arrow type",
        "Object payload",
        source("Bag", "@HasArrowSparkSchema", "public record Bag(long id,", "    Object payload) {}"));
  }

  @Test
  void rawList() {
    assertOnlyError(
        Message.RAW_TYPE,
        "Bag.items: raw type java.util.List has no element type",
        "List items",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "@SuppressWarnings(\"rawtypes\")",
            "public record Bag(long id,",
            "    List items) {}"));
  }

  @Test
  void wildcard() {
    assertOnlyError(
        Message.WILDCARD,
        "Bag.items[]: wildcard ? extends java.lang.CharSequence",
        "List<? extends CharSequence> items",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    List<? extends CharSequence> items) {}"));
  }

  @Test
  void interfaceComponent() {
    assertOnlyError(
        Message.INTERFACE,
        "Bag.text: interface java.lang.CharSequence has no Spark or Arrow type",
        "CharSequence text",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    CharSequence text) {}"));
  }

  @Test
  void unsupportedClassNamesThePathThroughCollections() {
    assertOnlyError(
        Message.LEGACY_DATE,
        "Order.lines[].when: java.util.Date has no Spark or Arrow type. Use Instant for a"
            + " TIMESTAMP",
        "Date when",
        source(
            "Order",
            "@HasArrowSparkSchema",
            "public record Order(long id, List<Line> lines) {",
            "  public record Line(String sku,",
            "      Date when) {}",
            "}"));
  }

  @Test
  void optionalOfOptional() {
    assertOnlyError(
        Message.NESTED_OPTIONAL,
        "Bag.maybe: Optional inside Optional",
        "Optional<Optional<String>> maybe",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    Optional<Optional<String>> maybe) {}"));
  }

  @Test
  void mapKeyContainingMap() {
    assertOnlyError(
        Message.MAP_KEY_MAP,
        "Bag.index{key}: a map key is or contains a map",
        "Map<List<Map<String, String>>, Long> index",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    Map<List<Map<String, String>>, Long> index) {}"));
  }

  @Test
  void optionalMapKey() {
    assertOnlyError(
        Message.MAP_KEY_NULLABLE,
        "Bag.index{key}: a map key can never be null in Spark or Arrow, and this one is an"
            + " Optional",
        "Map<Optional<String>, Long> index",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    Map<Optional<String>, Long> index) {}"));
  }

  @Test
  void nullableMapKey() {
    assertOnlyError(
        Message.MAP_KEY_NULLABLE,
        "Bag.index{key}: a map key can never be null in Spark or Arrow, and this one is marked"
            + " nullable",
        "Map<@Nullable String, Long> index",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    Map<@Nullable String, Long> index) {",
            "  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE)",
            "  @interface Nullable {}",
            "}"));
  }

  @Test
  void nullablePrimitive() {
    assertOnlyError(
        Message.NULLABLE_PRIMITIVE,
        "Bag.count: primitive int cannot be null, and it is marked @Nullable. Use its box"
            + " (Integer)",
        "@Nullable int count",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @Nullable int count) {",
            "  @interface Nullable {}",
            "}"));
  }

  @Test
  void nonNullOptional() {
    assertOnlyError(
        Message.NONNULL_OPTIONAL,
        "Bag.name: an Optional is a nullable column, and it is marked @NonNull",
        "@NonNull Optional<String> name",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @NonNull Optional<String> name) {",
            "  @interface NonNull {}",
            "}"));
  }

  @Test
  void conflictingNullability() {
    assertOnlyError(
        Message.CONFLICTING_NULLABILITY,
        "Bag.name: marked both @Nonnull and @Nullable",
        "@Nonnull @Nullable String name",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @Nonnull @Nullable String name) {",
            "  @interface Nonnull {}",
            "  @interface Nullable {}",
            "}"));
  }

  @Test
  void decimalPrecisionOutOfRange() {
    assertOnlyError(
        Message.DECIMAL_OUT_OF_RANGE,
        "Bag.price: @ArrowDecimal(precision = 39, scale = 2) is out of range",
        "precision = 39",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @ArrowDecimal(precision = 39, scale = 2) BigDecimal price) {}"));
  }

  @Test
  void decimalScaleAbovePrecision() {
    assertOnlyError(
        Message.DECIMAL_OUT_OF_RANGE,
        "Bag.rates[]: @ArrowDecimal(precision = 4, scale = 5) is out of range",
        "List<@ArrowDecimal",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    List<@ArrowDecimal(precision = 4, scale = 5) BigDecimal> rates) {}"));
  }

  @Test
  void decimalScaleOnBigInteger() {
    assertOnlyError(
        Message.DECIMAL_SCALE_ON_INTEGER,
        "Bag.big: a BigInteger has no fractional digits, and @ArrowDecimal gives scale 2",
        "BigInteger big",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @ArrowDecimal(precision = 20, scale = 2) BigInteger big) {}"));
  }

  @Test
  void decimalOnString() {
    assertOnlyError(
        Message.DECIMAL_NOT_DECIMAL,
        "Bag.name: @ArrowDecimal applies to BigDecimal and BigInteger, and this is"
            + " java.lang.String",
        "String name",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @ArrowDecimal(precision = 10, scale = 2) String name) {}"));
  }

  @Test
  void decimalOnListSaysWhereItGoes() {
    assertOnlyError(
        Message.DECIMAL_NOT_DECIMAL,
        "Bag.prices: @ArrowDecimal applies to BigDecimal and BigInteger, and this is"
            + " java.util.List<java.math.BigDecimal>. Remove it, or put it on the decimal type"
            + " argument",
        "List<BigDecimal> prices",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @ArrowDecimal(precision = 10, scale = 2) List<BigDecimal> prices) {}"));
  }

  @Test
  void duplicateColumnByRename() {
    assertOnlyError(
        Message.DUPLICATE_COLUMN,
        "Bag.other: column name `id` is already used by Bag.id",
        "String other",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    @ArrowColumn(name = \"id\") String other) {}"));
  }

  @Test
  void duplicateColumnAfterSnakeCaseIgnoringCase() {
    assertOnlyError(
        Message.DUPLICATE_COLUMN,
        "Bag.user_ID: column name `user_id` is already used by Bag.userId",
        "String user_ID",
        source(
            "Bag",
            "@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)",
            "public record Bag(String userId,",
            "    String user_ID) {}"));
  }

  @Test
  void duplicateColumnByJacksonRename() {
    assertOnlyError(
        Message.DUPLICATE_COLUMN,
        "Bag.b: column name `A` is already used by Bag.a",
        "String b",
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(String a,",
            "    @com.fasterxml.jackson.annotation.JsonProperty(\"A\") String b) {}"));
  }

  @Test
  void unresolvedTypeIsReportedAfterTheLastRound() {
    JavaFileObject source =
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    NoSuchType missing) {}");
    Compilation compilation = javac().compile(source);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining(Message.UNRESOLVED_TYPE.tag() + " Bag.missing: type NoSuchType")
        .inFile(source)
        .onLineContaining("NoSuchType missing");
    assertThat(compilation).hadErrorContaining("cannot find symbol");
  }

  @Test
  void everyBadComponentIsReportedInOneCompile() {
    JavaFileObject source =
        source(
            "Bag",
            "@HasArrowSparkSchema",
            "public record Bag(long id,",
            "    Object first,",
            "    Date second,",
            "    Map<Map<String, String>, String> third) {}");
    Compilation compilation = javac().compile(source);
    assertThat(compilation).hadErrorCount(3);
    assertThat(compilation)
        .hadErrorContaining(Message.OBJECT_TYPE.tag())
        .inFile(source)
        .onLineContaining("Object first");
    assertThat(compilation)
        .hadErrorContaining(Message.LEGACY_DATE.tag())
        .inFile(source)
        .onLineContaining("Date second");
    assertThat(compilation)
        .hadErrorContaining(Message.MAP_KEY_MAP.tag())
        .inFile(source)
        .onLineContaining("Map<Map<String, String>, String> third");
  }

  @Test
  void aBadRecordDoesNotStopAGoodOne(@TempDir Path out) throws IOException {
    JavaFileObject bad = source("Bad", "@HasArrowSparkSchema", "public record Bad(Object o) {}");
    JavaFileObject good = source("Good", "@HasArrowSparkSchema", "public record Good(long id) {}");
    assertThat(javac().compile(bad, good)).hadErrorCount(1);

    // compile-testing hides generated files of a failed compile, so ask javac directly.
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(out));
      files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(out));
      JavaCompiler.CompilationTask task =
          compiler.getTask(null, files, diagnostic -> {}, null, null, List.of(bad, good));
      task.setProcessors(List.of(new HasArrowSparkSchemaProcessor()));
      task.call();
    }
    assertThat(Files.exists(out.resolve("test/GoodArrowSchema.java"))).isTrue();
    assertThat(Files.exists(out.resolve("test/BadArrowSchema.java"))).isFalse();
  }

  @Test
  void aNestedRecordsErrorIsReportedOnceThoughTwoRecordsReachIt() {
    JavaFileObject source =
        source(
            "Order",
            "@HasArrowSparkSchema",
            "public record Order(long id, Line line) {",
            "  @HasArrowSparkSchema",
            "  public record Line(String sku,",
            "      Object price) {}",
            "}");
    Compilation compilation = javac().compile(source);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(Message.OBJECT_TYPE.tag())
        .inFile(source)
        .onLineContaining("Object price");
  }
}

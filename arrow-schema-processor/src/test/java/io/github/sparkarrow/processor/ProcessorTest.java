package io.github.sparkarrow.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the processor generates, and how it behaves across rounds. */
class ProcessorTest {

  private static final String GOLDEN_RECORD =
      String.join(
          "\n",
          "package com.example;",
          "",
          "import io.github.sparkarrow.annotations.*;",
          "import java.math.BigDecimal;",
          "import java.time.*;",
          "import java.util.*;",
          "",
          "@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)",
          "public record Person(",
          "    long id,",
          "    @ArrowColumn(comment = \"the person's name\") String fullName,",
          "    Integer age,",
          "    List<String> tags,",
          "    Map<String, List<Address>> places,",
          "    Optional<Address> home,",
          "    @ArrowDecimal(precision = 18, scale = 2) BigDecimal balance,",
          "    Instant created,",
          "    LocalDateTime local,",
          "    Duration duration,",
          "    Period period,",
          "    byte[] blob,",
          "    int[] numbers,",
          "    char initial,",
          "    UUID uuid,",
          "    Color color,",
          "    OptionalLong maybeLong) {",
          "  public enum Color { RED }",
          "  public record Address(String city, @ArrowColumn(comment = \"postal\") int zip) {}",
          "}");

  @Test
  void companionMatchesTheGoldenSource() {
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new HasArrowSparkSchemaProcessor())
            .withOptions("-Xlint:all", "-Werror")
            .compile(JavaFileObjects.forSourceString("com.example.Person", GOLDEN_RECORD));
    assertThat(compilation).succeededWithoutWarnings();
    String generated = generatedText(compilation, "com/example/PersonArrowSchema.java");
    String golden = Goldens.expect("golden/PersonArrowSchema.java", generated);
    assertThat(compilation)
        .generatedSourceFile("com.example.PersonArrowSchema")
        .hasSourceEquivalentTo(
            JavaFileObjects.forSourceString("com.example.PersonArrowSchema", golden));
    // Exact text too: the output is reproducible (no timestamp), and readable as formatted.
    assertThat(compilation)
        .generatedSourceFile("com.example.PersonArrowSchema")
        .contentsAsUtf8String()
        .isEqualTo(golden);
  }

  /** One golden per emitter: the writer and the reader of a small record with every shape. */
  @Test
  void writerAndReaderMatchTheirGoldenSources() {
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new HasArrowSparkSchemaProcessor())
            .withOptions("-Xlint:all", "-Werror")
            .compile(JavaFileObjects.forSourceString("com.example.Line", SMALL_RECORD));
    assertThat(compilation).succeededWithoutWarnings();
    for (String name : new String[] {"LineArrowWriter", "LineArrowReader"}) {
      String generated = generatedText(compilation, "com/example/" + name + ".java");
      String golden = Goldens.expect("golden/" + name + ".java", generated);
      assertThat(compilation)
          .generatedSourceFile("com.example." + name)
          .contentsAsUtf8String()
          .isEqualTo(golden);
    }
  }

  private static final String SMALL_RECORD =
      String.join(
          "\n",
          "package com.example;",
          "",
          "import io.github.sparkarrow.annotations.*;",
          "import java.math.BigDecimal;",
          "import java.time.Instant;",
          "import java.util.*;",
          "",
          "@HasArrowSparkSchema",
          "public record Line(",
          "    long id,",
          "    Integer quantity,",
          "    @ArrowDecimal(precision = 18, scale = 2) BigDecimal price,",
          "    Optional<String> note,",
          "    List<String> tags,",
          "    Map<String, Long> counts,",
          "    Store store,",
          "    Instant at) {",
          "  public record Store(String name, int zip) {}",
          "}");

  @Test
  void nestedRecordCompanionIsNamedOuterUnderscoreInner() {
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new HasArrowSparkSchemaProcessor())
            .compile(
                JavaFileObjects.forSourceString(
                    "com.example.Outer",
                    "package com.example;\n"
                        + "public class Outer {\n"
                        + "  @io.github.sparkarrow.annotations.HasArrowSparkSchema\n"
                        + "  record Inner(long id) {}\n"
                        + "}\n"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("com.example.Outer_InnerArrowSchema")
        .contentsAsUtf8String()
        .contains("implements ArrowRecordType<Outer.Inner>");
  }

  @Test
  void recordInTheDefaultPackage() {
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new HasArrowSparkSchemaProcessor())
            .compile(
                JavaFileObjects.forSourceString(
                    "Flat",
                    "@io.github.sparkarrow.annotations.HasArrowSparkSchema\n"
                        + "record Flat(long id) {}\n"));
    assertThat(compilation).succeeded();
    assertThat(compilation).generatedSourceFile("FlatArrowSchema");
  }

  static String generatedText(Compilation compilation, String path) {
    try {
      return compilation
          .generatedFile(javax.tools.StandardLocation.SOURCE_OUTPUT, path)
          .orElseThrow(() -> new AssertionError("not generated: " + path))
          .getCharContent(false)
          .toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A record whose component type another processor generates in the first round is deferred and
   * generated in the next round, as AutoValue defers types that reference missing classes.
   */
  @Test
  void recordReferencingATypeGeneratedLaterIsDeferred() {
    JavaFileObject record =
        JavaFileObjects.forSourceString(
            "com.example.UsesGenerated",
            "package com.example;\n"
                + "@io.github.sparkarrow.annotations.HasArrowSparkSchema\n"
                + "public record UsesGenerated(long id, Later later) {}\n");
    Compilation compilation =
        Compiler.javac()
            .withProcessors(new GeneratesLater(), new HasArrowSparkSchemaProcessor())
            .compile(record);
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .generatedSourceFile("com.example.UsesGeneratedArrowSchema")
        .contentsAsUtf8String()
        .contains("`later` STRUCT<`value`: STRING>");
  }

  /** Generates {@code com.example.Later} in the first round. */
  private static final class GeneratesLater extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!done) {
        done = true;
        try (Writer writer =
            processingEnv.getFiler().createSourceFile("com.example.Later").openWriter()) {
          writer.write("package com.example;\npublic record Later(String value) {}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }
}

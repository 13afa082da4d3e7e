package io.github.sparkarrow.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;

/**
 * The one place generated sources are written, as Dagger's {@code SourceFileGenerator}: each file
 * carries {@code @Generated} with the processor's name and no timestamp (builds stay
 * reproducible), names its originating element (Gradle's isolating incremental processing needs
 * it) and skips {@code java.lang} imports.
 */
public final class SourceFiles {

  public static final String PROCESSOR =
      "io.github.sparkarrow.processor.HasArrowSparkSchemaProcessor";
  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");

  private final Filer filer;

  public SourceFiles(Filer filer) {
    this.filer = filer;
  }

  /** The file as it is written: {@code @Generated} added, two-space indent. */
  public static JavaFile javaFile(String packageName, TypeSpec type, Element originating) {
    TypeSpec.Builder builder =
        type.toBuilder()
            .addAnnotation(
                AnnotationSpec.builder(GENERATED).addMember("value", "$S", PROCESSOR).build());
    if (originating != null) {
      builder.addOriginatingElement(originating);
    }
    return JavaFile.builder(packageName, builder.build())
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
  }

  public void write(String packageName, TypeSpec type, Element originating) {
    try {
      javaFile(packageName, type, originating).writeTo(filer);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not write " + packageName + "." + type.name() + ": " + e.getMessage(), e);
    }
  }
}

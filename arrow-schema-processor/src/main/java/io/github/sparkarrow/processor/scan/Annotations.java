package io.github.sparkarrow.processor.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** Reads annotation mirrors by name, so any package's {@code @NonNull} is recognised. */
final class Annotations {

  static final String HAS_ARROW_SPARK_SCHEMA =
      "io.github.sparkarrow.annotations.HasArrowSparkSchema";
  static final String ARROW_COLUMN = "io.github.sparkarrow.annotations.ArrowColumn";
  static final String ARROW_DECIMAL = "io.github.sparkarrow.annotations.ArrowDecimal";
  static final String JSON_PROPERTY = "com.fasterxml.jackson.annotation.JsonProperty";

  /** What a nullability annotation says, recognised by simple name in any package. */
  enum Nullness {
    NON_NULL,
    NULLABLE;

    static Optional<Nullness> of(AnnotationMirror mirror) {
      switch (simpleName(mirror)) {
        case "NonNull":
        case "Nonnull":
        case "NotNull":
          return Optional.of(NON_NULL);
        case "Nullable":
        case "CheckForNull":
          return Optional.of(NULLABLE);
        default:
          return Optional.empty();
      }
    }
  }

  private Annotations() {}

  static String qualifiedName(AnnotationMirror mirror) {
    return ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
  }

  static String simpleName(AnnotationMirror mirror) {
    return mirror.getAnnotationType().asElement().getSimpleName().toString();
  }

  static Optional<AnnotationMirror> find(List<? extends AnnotationMirror> mirrors, String name) {
    for (AnnotationMirror mirror : mirrors) {
      if (qualifiedName(mirror).equals(name)) {
        return Optional.of(mirror);
      }
    }
    return Optional.empty();
  }

  /** The mirrors of every nullability annotation among {@code mirrors}. */
  static List<AnnotationMirror> nullness(List<? extends AnnotationMirror> mirrors) {
    List<AnnotationMirror> found = new ArrayList<>();
    for (AnnotationMirror mirror : mirrors) {
      if (Nullness.of(mirror).isPresent()) {
        found.add(mirror);
      }
    }
    return found;
  }

  /** An element's value, the annotation's default where it is not given. */
  static Object value(AnnotationMirror mirror, String element) {
    Map<? extends ExecutableElement, ? extends AnnotationValue> values =
        mirror.getElementValues();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : values.entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(element)) {
        return e.getValue().getValue();
      }
    }
    for (ExecutableElement method :
        javax.lang.model.util.ElementFilter.methodsIn(
            mirror.getAnnotationType().asElement().getEnclosedElements())) {
      if (method.getSimpleName().contentEquals(element) && method.getDefaultValue() != null) {
        return method.getDefaultValue().getValue();
      }
    }
    return null;
  }

  static String stringValue(AnnotationMirror mirror, String element) {
    Object value = value(mirror, element);
    return value == null ? "" : value.toString();
  }
}

package io.github.sparkarrow.processor.model;

import java.util.List;

/**
 * A Java class named without javac: its package and its simple names from the outermost class
 * inwards ({@code com.example}, {@code [Outer, Inner]}).
 */
public record ClassRef(String packageName, List<String> simpleNames) {

  public ClassRef {
    simpleNames = List.copyOf(simpleNames);
    if (simpleNames.isEmpty()) {
      throw new IllegalArgumentException("a class needs a simple name");
    }
  }

  public static ClassRef of(String packageName, String... simpleNames) {
    return new ClassRef(packageName, List.of(simpleNames));
  }

  /** {@code Inner} */
  public String simpleName() {
    return simpleNames.get(simpleNames.size() - 1);
  }

  /** {@code com.example.Outer.Inner} */
  public String canonicalName() {
    String dotted = String.join(".", simpleNames);
    return packageName.isEmpty() ? dotted : packageName + "." + dotted;
  }

  /**
   * The simple name of a generated top-level class for this one: {@code Outer_Inner} + suffix, as
   * AutoValue and record-builder name theirs.
   */
  public String companionName(String suffix) {
    return String.join("_", simpleNames) + suffix;
  }
}

package io.github.sparkarrow.processor.emit;

import java.util.HashSet;
import java.util.Set;

/** Names of local variables in one generated method, each used once. */
final class Locals {

  private final Set<String> used = new HashSet<>();

  /** Locals that avoid {@code fields} (which they would shadow) and {@code parameters}. */
  Locals(Set<String> fields, String... parameters) {
    used.addAll(fields);
    used.addAll(Set.of(parameters));
  }

  String fresh(String base) {
    String name = base;
    for (int i = 2; !used.add(name); i++) {
      name = base + i;
    }
    return name;
  }
}

package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;

@HasArrowSparkSchema
public record Primitives(
    boolean flag, byte tiny, short small, int number, long big, float real, double precise,
    char initial) {}

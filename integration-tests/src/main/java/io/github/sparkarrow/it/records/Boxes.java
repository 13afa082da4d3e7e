package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import org.jspecify.annotations.NonNull;

@HasArrowSparkSchema
public record Boxes(
    Boolean flag,
    Byte tiny,
    Short small,
    Integer number,
    Long big,
    Float real,
    Double precise,
    Character initial,
    @NonNull Long requiredBig) {}

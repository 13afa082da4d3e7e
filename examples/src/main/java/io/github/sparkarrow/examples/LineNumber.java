package io.github.sparkarrow.examples;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;

/** The seed of one generated order line: a row of {@code spark.range}. */
@HasArrowSparkSchema
public record LineNumber(long id) {}

package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;

/** A row of a query result: a text key and a number, either may be null. */
@HasArrowSparkSchema
public record KeyValue(String key, Long value) {}

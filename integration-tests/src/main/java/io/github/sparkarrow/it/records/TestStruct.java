package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;

/** The example from the issue: {@code `col` STRING, `int_col` BIGINT NOT NULL}. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record TestStruct(String col, long intCol) {}

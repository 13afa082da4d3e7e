package io.github.sparkarrow.examples;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;

/** One row of the example's summary: the priced lines of a country. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record CountrySummary(
    String country,
    long lines,
    long units,
    @ArrowDecimal(precision = 38, scale = 2) BigDecimal gross,
    @ArrowDecimal(precision = 38, scale = 2) BigDecimal discount,
    @ArrowDecimal(precision = 38, scale = 2) BigDecimal net,
    double avgUnits) {}

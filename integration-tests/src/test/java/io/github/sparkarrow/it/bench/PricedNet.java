package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;

/**
 * Three of the example's priced line columns, in another order: the input of a function of
 * another shape after the pricing, in {@link EngineBenchmark}.
 */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record PricedNet(@ArrowDecimal(precision = 18, scale = 2) BigDecimal net, String country, long orderId) {}

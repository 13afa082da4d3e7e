package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

@HasArrowSparkSchema
public record Decimals(
    BigDecimal plain,
    @ArrowDecimal(precision = 18, scale = 2) BigDecimal money,
    @ArrowDecimal(precision = 38, scale = 38) BigDecimal fraction,
    @ArrowDecimal(precision = 1, scale = 0) BigDecimal digit,
    BigInteger integer,
    @ArrowDecimal(precision = 20, scale = 0) BigInteger narrowInteger,
    List<@ArrowDecimal(precision = 10, scale = 4) BigDecimal> rates) {}

package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The benchmark record: ten components of the common kinds. */
@HasArrowSparkSchema
public record BenchRecord(
    long id,
    int quantity,
    double price,
    String sku,
    Integer discount,
    LocalDate day,
    Instant at,
    @ArrowDecimal(precision = 18, scale = 2) BigDecimal amount,
    List<String> tags,
    Store store) {

  public record Store(String country, int zip) {}
}

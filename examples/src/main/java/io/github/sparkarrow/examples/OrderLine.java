package io.github.sparkarrow.examples;

import io.github.sparkarrow.annotations.ArrowColumn;
import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One line of a customer order. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record OrderLine(
    long orderId,
    @ArrowColumn(comment = "stock keeping unit") String sku,
    int quantity,
    @ArrowDecimal(precision = 18, scale = 2) BigDecimal unitPrice,
    Instant orderedAt,
    Optional<String> coupon,
    List<String> tags,
    Store store) {

  /** Nested records become STRUCT columns; they need no annotation. */
  public record Store(String country, String city) {}
}

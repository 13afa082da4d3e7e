package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ArrowColumn;
import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.NonNull;

/** Nesting in every combination: records in lists, maps of lists of records, Optional records. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record Order(
    long orderId,
    @NonNull Customer customer,
    List<@NonNull Line> lines,
    Map<String, List<Line>> linesBySku,
    Optional<Address> shipTo,
    @ArrowColumn(comment = "when the order was placed") Instant placedAt) {

  public record Customer(long customerId, String name, List<Address> addresses) {}

  public record Line(
      String sku,
      int quantity,
      @ArrowColumn(comment = "unit price") @ArrowDecimal(precision = 18, scale = 2)
          BigDecimal unitPrice) {}
}

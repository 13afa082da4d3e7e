package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.time.Instant;

/** What a computing batch function derives from an {@link Order}. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record OrderTotal(
    long orderId,
    int lineCount,
    @ArrowDecimal(precision = 38, scale = 2) BigDecimal total,
    Instant placedAt) {

  public static OrderTotal of(Order order) {
    BigDecimal total = BigDecimal.ZERO.setScale(2);
    int count = 0;
    if (order.lines() != null) {
      count = order.lines().size();
      for (Order.Line line : order.lines()) {
        if (line.unitPrice() != null) {
          total = total.add(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
        }
      }
    }
    return new OrderTotal(order.orderId(), count, total, order.placedAt());
  }

  /** The same computation in Spark SQL, over an Order DataFrame. */
  public static final String[] SQL = {
    "order_id",
    "CASE WHEN lines IS NULL THEN 0 ELSE size(lines) END AS line_count",
    "aggregate(coalesce(lines, array()), CAST(0 AS DECIMAL(38,2)),"
        + " (acc, l) -> CAST(acc + coalesce(l.unit_price * l.quantity, 0) AS DECIMAL(38,2)))"
        + " AS total",
    "placed_at"
  };
}

package io.github.sparkarrow.examples;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** An order line with its derived columns. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record PricedLine(
    long orderId,
    String sku,
    String country,
    LocalDate day,
    int quantity,
    @ArrowDecimal(precision = 18, scale = 2) BigDecimal gross,
    @ArrowDecimal(precision = 18, scale = 2) BigDecimal discount,
    @ArrowDecimal(precision = 18, scale = 2) BigDecimal net,
    boolean couponUsed) {

  private static final BigDecimal TEN_PERCENT = new BigDecimal("0.10");

  /** Gross price, 10% off with a coupon, and the day (UTC) of the order. */
  public static PricedLine of(OrderLine line) {
    BigDecimal gross = line.unitPrice().multiply(BigDecimal.valueOf(line.quantity()));
    boolean coupon = line.coupon().isPresent();
    BigDecimal discount =
        coupon
            ? gross.multiply(TEN_PERCENT).setScale(2, RoundingMode.HALF_EVEN)
            : BigDecimal.ZERO.setScale(2);
    return new PricedLine(
        line.orderId(),
        line.sku(),
        line.store().country(),
        LocalDate.ofInstant(line.orderedAt(), ZoneOffset.UTC),
        line.quantity(),
        gross,
        discount,
        gross.subtract(discount),
        coupon);
  }
}

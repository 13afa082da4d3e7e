package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;

/** The Spark benchmark's input row. */
@HasArrowSparkSchema
public record Sale(long id, int quantity, double price, long store) {

  /** The computation every case runs: the sale's value, 10% off every tenth sale. */
  public static double value(long id, int quantity, double price) {
    return quantity * price * (id % 10 == 0 ? 0.9 : 1.0);
  }

  public static Sale of(Seed seed) {
    long id = seed.id();
    return new Sale(id, (int) (id % 7) + 1, (id % 1000) * 0.1, id % 100);
  }

  /** A row of {@code spark.range}. */
  @HasArrowSparkSchema
  public record Seed(long id) {}

  /** The benchmark's output row. */
  @HasArrowSparkSchema
  public record Value(long store, double value) {

    public static Value of(Sale sale) {
      return new Value(sale.store(), Sale.value(sale.id(), sale.quantity(), sale.price()));
    }
  }
}

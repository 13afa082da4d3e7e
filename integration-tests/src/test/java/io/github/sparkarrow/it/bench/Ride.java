package io.github.sparkarrow.it.bench;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** The mixed-type benchmark's input row, as a job reading files declares it (8 columns). */
@HasArrowSparkSchema
public record Ride(
    long id,
    String vendor,
    Instant pickup,
    LocalDate day,
    double distance,
    @ArrowDecimal(precision = 10, scale = 2) BigDecimal fare,
    int passengers,
    String zone) {

  /** The computation every case runs. */
  public static double charge(double distance, int passengers, BigDecimal fare) {
    return distance * passengers + (fare == null ? 0 : fare.doubleValue());
  }

  /** The same in Spark SQL. */
  public static final String[] SQL = {
    "id", "distance * passengers + coalesce(CAST(fare AS DOUBLE), 0D) AS charge"
  };

  /**
   * The same, reading all 8 columns as the record does: the four it does not need are only
   * tested for null, which adds {@code id * 0} or 0 (the sum is unchanged, and Spark cannot fold
   * the test away, as it would between two literals), so Spark's scan decodes every column.
   */
  public static final String[] SQL_ALL_COLUMNS = {
    "id", "distance * passengers + coalesce(CAST(fare AS DOUBLE), 0D)"
        + " + IF(vendor IS NULL AND pickup IS NULL AND day IS NULL AND zone IS NULL, id * 0D, 0D)"
        + " AS charge"
  };

  /** The output row. */
  @HasArrowSparkSchema
  public record Charge(long id, double charge) {

    public static Charge of(Ride ride) {
      return new Charge(ride.id(), Ride.charge(ride.distance(), ride.passengers(), ride.fare()));
    }

    public static Charge of(Fare fare) {
      return new Charge(fare.id(), Ride.charge(fare.distance(), fare.passengers(), fare.fare()));
    }
  }

  /** Only the 4 columns the computation reads: a record the scan can be pruned to. */
  @HasArrowSparkSchema
  public record Fare(
      long id,
      double distance,
      @ArrowDecimal(precision = 10, scale = 2) BigDecimal fare,
      int passengers) {}
}

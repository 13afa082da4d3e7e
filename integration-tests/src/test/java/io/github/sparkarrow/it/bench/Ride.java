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

  /** The output row. */
  @HasArrowSparkSchema
  public record Charge(long id, double charge) {

    public static Charge of(Ride ride) {
      return new Charge(ride.id(), Ride.charge(ride.distance(), ride.passengers(), ride.fare()));
    }
  }
}

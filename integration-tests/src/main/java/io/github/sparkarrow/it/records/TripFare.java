package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import org.jspecify.annotations.NonNull;

/** What a mapper derives from a {@link Trip}. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record TripFare(long tripId, @NonNull String vendor, double fare) {

  public static TripFare of(Trip trip) {
    return new TripFare(trip.tripId(), trip.vendor(), 2.5 + 1.75 * trip.distance() * trip.passengers());
  }

  /** The same computation in Spark SQL, over a Trip DataFrame. */
  public static final String[] SQL = {
    "trip_id", "vendor", "2.5D + 1.75D * distance * passengers AS fare"
  };
}

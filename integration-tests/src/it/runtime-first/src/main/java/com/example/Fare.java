package com.example;

import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;

@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record Fare(long tripId, double fare) {

  public static Fare of(Trip trip) {
    return new Fare(trip.tripId(), 2.5 + trip.distance() * trip.passengers());
  }
}

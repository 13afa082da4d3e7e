package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;

/** A record whose compact constructor validates and normalizes: encoders must run it. */
@HasArrowSparkSchema
public record Reading(String sensor, double celsius) {

  public Reading {
    if (celsius < -273.15) {
      throw new IllegalArgumentException(sensor + ": " + celsius + " °C is below absolute zero");
    }
    sensor = sensor == null ? null : sensor.trim();
  }
}

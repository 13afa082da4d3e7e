package io.github.sparkarrow.it.records.evolution;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;

/** Adds a primitive, NOT NULL: old data reads null there. */
@HasArrowSparkSchema
public record TripAddedPrimitive(long tripId, int passengers, String vendor, List<Integer> stops, int tolls) {}

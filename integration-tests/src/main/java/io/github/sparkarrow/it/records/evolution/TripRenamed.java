package io.github.sparkarrow.it.records.evolution;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;

/** Renames vendor: old data reads null there. */
@HasArrowSparkSchema
public record TripRenamed(long tripId, int passengers, String operator, List<Integer> stops) {}

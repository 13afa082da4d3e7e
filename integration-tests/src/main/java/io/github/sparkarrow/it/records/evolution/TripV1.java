package io.github.sparkarrow.it.records.evolution;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;

/** Version 1, as released. */
@HasArrowSparkSchema
public record TripV1(long tripId, int passengers, String vendor, List<Integer> stops) {}

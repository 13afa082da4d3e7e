package io.github.sparkarrow.it.records.evolution;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;
import org.jspecify.annotations.NonNull;

/** Makes list elements NOT NULL: old lists may hold nulls. */
@HasArrowSparkSchema
public record TripStrictElements(long tripId, int passengers, String vendor, List<@NonNull Integer> stops) {}

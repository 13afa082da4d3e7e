package io.github.sparkarrow.it.records.evolution;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;
import java.util.Optional;

/** Adds a nullable column: compatible. */
@HasArrowSparkSchema
public record TripAddedOptional(long tripId, int passengers, String vendor, List<Integer> stops, Optional<String> note) {}

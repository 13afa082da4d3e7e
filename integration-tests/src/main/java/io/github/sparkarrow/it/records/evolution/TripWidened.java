package io.github.sparkarrow.it.records.evolution;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;

/** Widens int to long: Spark's Parquet reader cannot. */
@HasArrowSparkSchema
public record TripWidened(long tripId, long passengers, String vendor, List<Integer> stops) {}

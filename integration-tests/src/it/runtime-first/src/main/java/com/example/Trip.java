package com.example;

import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.time.Instant;

@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record Trip(long tripId, String vendor, int passengers, double distance, Instant pickup) {}

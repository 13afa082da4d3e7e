package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.NonNull;

/** A record as a job reading files declares it: primitives and @NonNull, over nullable columns. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record Trip(
    long tripId,
    @NonNull String vendor,
    int passengers,
    double distance,
    Instant pickup,
    Optional<String> note) {}

package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;

@HasArrowSparkSchema
public record Temporals(
    LocalDate date,
    java.sql.Date sqlDate,
    Instant instant,
    java.sql.Timestamp sqlTimestamp,
    LocalDateTime local,
    Duration duration,
    Period period) {}

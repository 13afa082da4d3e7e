package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/** Dates and timestamps, top-level and nested: the temporal types every engine has. */
@HasArrowSparkSchema
public record Moments(
    LocalDate date,
    java.sql.Date sqlDate,
    Instant instant,
    java.sql.Timestamp sqlTimestamp,
    LocalDateTime local,
    List<Instant> instants,
    When when,
    Map<String, LocalDateTime> locals) {

  public record When(Instant at, LocalDate day) {}
}

package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ArrowDecimal;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NonNull;

/** A record of the types Spark's own encoders take, for {@code SparkArrow.encoder}. */
@HasArrowSparkSchema
public record Person(
    long id,
    @NonNull String name,
    Integer age,
    List<String> tags,
    Map<String, Long> counts,
    Address address,
    LocalDate born,
    Instant seen,
    @ArrowDecimal(precision = 18, scale = 2) BigDecimal balance,
    double[] scores,
    Mood mood,
    List<Address> homes) {

  public enum Mood {
    HAPPY,
    GRUMPY
  }
}

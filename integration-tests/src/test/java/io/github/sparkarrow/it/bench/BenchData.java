package io.github.sparkarrow.it.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic benchmark input. */
public final class BenchData {

  private BenchData() {}

  /** The mapper the JSON-lines cases use: records, java.time as ISO strings. */
  public static ObjectMapper jackson() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
  }

  public static List<BenchRecord> records(int count) {
    Random random = new Random(42);
    String[] countries = {"FR", "DE", "JP", "US", "BR"};
    String[] tags = {"fresh", "promo", "bulk", "gift", "local", "organic"};
    List<BenchRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(
          new BenchRecord(
              i,
              1 + random.nextInt(20),
              random.nextDouble() * 100,
              String.format("SKU-%012d", random.nextInt(1_000_000)),
              random.nextInt(4) == 0 ? null : random.nextInt(50),
              LocalDate.ofEpochDay(18_000 + random.nextInt(2_000)),
              Instant.ofEpochSecond(1_600_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000) * 1000L),
              BigDecimal.valueOf(random.nextInt(10_000_000), 2),
              List.of(tags[random.nextInt(6)], tags[random.nextInt(6)], tags[random.nextInt(6)]),
              new BenchRecord.Store(countries[random.nextInt(5)], 10_000 + random.nextInt(90_000))));
    }
    return records;
  }
}

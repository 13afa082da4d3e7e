package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's engine API as a user writes it: a CSV file, a typed function, SQL, on DuckDB. */
class DuckDbConsumerTest {

  @Test
  void aPipelineOverACsvFileOnEmbeddedDuckDb() throws Exception {
    Path csv = Files.createTempDirectory("trips").resolve("trips.csv");
    StringBuilder text = new StringBuilder("trip_id,vendor,passengers,distance,pickup\n");
    List<Fare> expected = new ArrayList<>();
    for (long id = 0; id < 1000; id++) {
      Trip trip = new Trip(id, "v" + id % 3, (int) (id % 4 + 1), id / 10d,
          Instant.parse("2024-01-01T00:00:00Z").plusSeconds(id));
      text.append(id).append(",").append(trip.vendor()).append(",").append(trip.passengers())
          .append(",").append(trip.distance()).append(",").append(trip.pickup()).append("\n");
      expected.add(Fare.of(trip));
    }
    Files.writeString(csv, text);

    try (Engine engine = DuckDbEngine.open()) {
      engine.read(Source.csv(csv.toString(), TripArrowSchema.INSTANCE))
          .mapRecords(TripArrowSchema.INSTANCE, FareArrowSchema.INSTANCE, Fare::of)
          .createView("fares");
      List<Fare> fares = engine.sql("SELECT * FROM fares ORDER BY trip_id")
          .collect(FareArrowSchema.INSTANCE);
      assertEquals(expected, fares);
    }
  }
}

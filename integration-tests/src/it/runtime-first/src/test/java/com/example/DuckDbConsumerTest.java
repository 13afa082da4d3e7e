package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's engine API as a user writes it: a CSV file, a typed function, SQL, a partitioned
 * write read back, one partition overwritten, on DuckDB.
 */
class DuckDbConsumerTest {

  @Test
  void aPipelineOverACsvFileOnEmbeddedDuckDb() throws Exception {
    Path csv = Files.createTempDirectory("trips").resolve("trips.csv");
    StringBuilder text = new StringBuilder("trip_id,vendor,passengers,distance,pickup\n");
    List<Fare> expected = new ArrayList<>();
    List<Trip> trips = new ArrayList<>();
    for (long id = 0; id < 1000; id++) {
      Trip trip = new Trip(id, "v" + id % 3, (int) (id % 4 + 1), id / 10d,
          Instant.parse("2024-01-01T00:00:00Z").plusSeconds(id));
      trips.add(trip);
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

      // The trips written partitioned by vendor, as the README shows, and read back.
      Path byVendor = csv.resolveSibling("by_vendor");
      engine.read(Source.csv(csv.toString(), TripArrowSchema.INSTANCE))
          .writeParquet(byVendor.toString(), "vendor");
      assertTrue(Files.isDirectory(byVendor.resolve("vendor=v1")));
      engine.read(Source.parquet(byVendor.toString(), TripArrowSchema.INSTANCE)).createView("back");
      assertEquals(trips, engine.sql("SELECT * FROM back ORDER BY trip_id")
          .collect(TripArrowSchema.INSTANCE));

      // One vendor's partition rewritten from the lake itself; the others stay.
      engine.sql("SELECT trip_id, vendor, passengers, distance * 2 AS distance, pickup FROM back"
              + " WHERE vendor = 'v1'")
          .overwritePartitions(byVendor.toString(), "vendor");
      List<Trip> doubled = new ArrayList<>();
      for (Trip t : trips) {
        doubled.add(t.vendor().equals("v1")
            ? new Trip(t.tripId(), t.vendor(), t.passengers(), t.distance() * 2, t.pickup()) : t);
      }
      engine.read(Source.parquet(byVendor.toString(), TripArrowSchema.INSTANCE)).createView("again");
      assertEquals(doubled, engine.sql("SELECT * FROM again ORDER BY trip_id")
          .collect(TripArrowSchema.INSTANCE));

      // A header that names the columns in another order is refused, saying so.
      Path swapped = Files.writeString(csv.resolveSibling("swapped.csv"),
          "vendor,trip_id,passengers,distance,pickup\nv0,1,1,0.5,2024-01-01T00:00:00Z\n");
      EngineException e = assertThrows(EngineException.class,
          () -> engine.read(Source.csv(swapped.toString(), TripArrowSchema.INSTANCE)));
      assertTrue(e.getMessage().contains("CSV header does not conform to the schema."), e.getMessage());
    }
  }
}

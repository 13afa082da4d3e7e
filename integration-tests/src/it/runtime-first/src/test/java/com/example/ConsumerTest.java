package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sparkarrow.spark.SparkArrow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsumerTest {

  @Test
  void theRuntimeDeclaredFirstKeepsSparksLibraries() {
    // slf4j 1.7 finds no 2.x binding and logs to the NOP logger; Spark's log4j binding must win.
    String factory = LoggerFactory.getILoggerFactory().getClass().getName();
    assertTrue(factory.startsWith("org.apache.logging.slf4j"), factory);
    String netty = io.netty.util.Version.identify().get("netty-common").artifactVersion();
    assertEquals("4.1.96.Final", netty);
    String buffer = io.netty.util.Version.identify().get("netty-buffer").artifactVersion();
    assertEquals("4.1.96.Final", buffer);
  }

  @Test
  void aJobOverParquetFiles() throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    try {
      Path dir = Files.createTempDirectory("trips");
      String path = dir.resolve("trips.parquet").toString();
      spark.range(1000)
          .selectExpr("id AS trip_id", "concat('v', id % 3) AS vendor",
              "CAST(id % 4 + 1 AS INT) AS passengers", "id / 10D AS distance",
              "TIMESTAMP '2024-01-01 00:00:00' AS pickup")
          .write().parquet(path);

      // Every column of a Parquet file is nullable; the record's primitives still read it.
      Dataset<Row> trips = spark.read().parquet(path);
      Dataset<Row> fares =
          SparkArrow.mapRecords(trips, TripArrowSchema.INSTANCE, FareArrowSchema.INSTANCE, Fare::of);
      Dataset<Row> expected = trips.selectExpr("trip_id", "2.5D + distance * passengers AS fare");
      assertEquals(1000, fares.count());
      assertEquals(0, fares.exceptAll(expected).count());
      List<Fare> collected = SparkArrow.collect(fares, FareArrowSchema.INSTANCE);
      assertEquals(1000, collected.size());
    } finally {
      spark.stop();
    }
  }
}

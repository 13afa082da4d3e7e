package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.it.records.Temporals;
import io.github.sparkarrow.it.records.TemporalsArrowSchema;
import io.github.sparkarrow.runtime.ArrowValues;
import io.github.sparkarrow.spark.SparkArrow;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.junit.jupiter.api.Test;

/**
 * {@code java.sql.Timestamp} and {@code java.sql.Date} against Spark's own conversions ({@code
 * DateTimeUtils.fromJavaTimestamp}, {@code toJavaTimestamp}, {@code fromJavaDate}, {@code
 * toJavaDate}) in the JVM's default zone: the build runs this class under UTC and again under
 * America/Los_Angeles, whose daylight-saving overlaps name two instants with one local time.
 */
class TemporalOracleTest {

  /**
   * Instants around every offset change in 2023–2025 of the default zone and of
   * America/Los_Angeles, and far dates.
   */
  static List<Instant> edges() {
    List<Instant> instants = new ArrayList<>();
    for (ZoneId zone : List.of(ZoneId.systemDefault(), ZoneId.of("America/Los_Angeles"))) {
      ZoneRules rules = zone.getRules();
      for (ZoneOffsetTransition t = rules.nextTransition(Instant.parse("2023-01-01T00:00:00Z"));
          t != null && t.getInstant().isBefore(Instant.parse("2026-01-01T00:00:00Z"));
          t = rules.nextTransition(t.getInstant())) {
        Instant edge = t.getInstant();
        for (long seconds : new long[] {-3600, -1800, -1, 0, 1, 1800, 3599, 3600}) {
          instants.add(edge.plusSeconds(seconds));
          instants.add(edge.plusSeconds(seconds).plusNanos(123_456_000));
        }
      }
    }
    for (String text : new String[] {"1969-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z",
        "1900-01-01T00:00:00Z", "1883-11-18T12:00:00Z", "1582-10-15T00:00:00Z",
        "1582-10-16T07:52:58.000001Z", "2262-04-11T23:47:16.854775Z", "9999-12-31T23:59:59.999999Z"}) {
      instants.add(Instant.parse(text));
    }
    return instants;
  }

  @Test
  void timestampsConvertAsSparkConvertsThem() {
    List<Instant> edges = edges();
    assertThat(edges).hasSizeGreaterThan(90);
    for (Instant instant : edges) {
      Timestamp timestamp = Timestamp.from(instant);
      long spark = DateTimeUtils.fromJavaTimestamp(timestamp);
      assertThat(ArrowValues.micros(timestamp, "t", 0)).as("micros of %s", instant).isEqualTo(spark);
      Timestamp back = ArrowValues.sqlTimestamp(spark);
      Timestamp sparkBack = DateTimeUtils.toJavaTimestamp(spark);
      assertThat(back).as("timestamp of %s", instant).isEqualTo(sparkBack);
      assertThat(back.toInstant()).isEqualTo(instant);
    }
  }

  @Test
  void datesConvertAsSparkConvertsThem() {
    for (String text : new String[] {"1969-12-31", "1970-01-01", "2024-03-10", "2024-11-03",
        "1582-10-15", "1900-01-01", "0001-01-01", "9999-12-31"}) {
      java.sql.Date date = java.sql.Date.valueOf(LocalDate.parse(text));
      int spark = DateTimeUtils.fromJavaDate(date);
      assertThat(ArrowValues.epochDay(date, "d", 0)).as(text).isEqualTo(spark);
      assertThat(ArrowValues.sqlDate(spark)).as(text).isEqualTo(DateTimeUtils.toJavaDate(spark));
    }
  }

  @Test
  void sharedDatesAreTheDatesSparkReads() throws Exception {
    int first = (int) LocalDate.of(1900, 1, 1).toEpochDay();
    int end = (int) LocalDate.of(2100, 1, 1).toEpochDay();
    List<Integer> days = new ArrayList<>();
    for (int day = first - 400; day < end + 400; day++) {
      days.add(day);
    }
    for (int day : new int[] {
        (int) LocalDate.MIN.toEpochDay(), (int) LocalDate.MAX.toEpochDay(), -719162, 2932896}) {
      days.add(day);
    }
    // Two threads fill the shared dates at once: each still reads its own day.
    Runnable check = () -> {
      for (int day : days) {
        LocalDate date = ArrowValues.localDate(day);
        assertThat(date).as("day %d", day).isEqualTo(LocalDate.ofEpochDay(day));
        assertThat(date).as("day %d", day).isEqualTo(DateTimeUtils.daysToLocalDate(day));
      }
    };
    java.util.concurrent.FutureTask<Void> other = new java.util.concurrent.FutureTask<>(check, null);
    new Thread(other).start();
    check.run();
    other.get();
    assertThat(ArrowValues.localDate(first)).isSameAs(ArrowValues.localDate(first));
    assertThat(ArrowValues.localDate(end - 1)).isSameAs(ArrowValues.localDate(end - 1));
    assertThat(ArrowValues.localDate(end)).isEqualTo(LocalDate.of(2100, 1, 1));
    assertThat(ArrowValues.localDate(first - 1)).isEqualTo(LocalDate.of(1899, 12, 31));
  }

  @Test
  void timestampsInAnOverlapSurviveSpark() {
    SparkSession spark = SparkTestSession.get();
    List<Temporals> records = new ArrayList<>();
    for (Instant instant : edges()) {
      records.add(
          new Temporals(null, null, null, Timestamp.from(instant), null, null, null));
    }
    Dataset<Row> df = SparkArrow.createDataFrame(spark, records, TemporalsArrowSchema.INSTANCE);
    // Spark's own reading of the column agrees with the instants written.
    List<Row> rows = df.select("sqlTimestamp").collectAsList();
    for (int i = 0; i < records.size(); i++) {
      assertThat(((Timestamp) rows.get(i).get(0)).toInstant())
          .isEqualTo(records.get(i).sqlTimestamp().toInstant());
    }
    assertThat(SparkArrow.collect(df, TemporalsArrowSchema.INSTANCE)).isEqualTo(records);
  }
}

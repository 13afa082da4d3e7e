package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.duckdb.DuckDbEngine;
import io.github.sparkarrow.engine.Engine;
import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.it.records.TripArrowSchema;
import io.github.sparkarrow.spark.SparkEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input fails the same way on both engines: an {@link EngineException} naming the engine and
 * what to fix; nothing leaks, and the DuckDB connection stays usable.
 */
class EngineErrorsTest {

  private final SparkSession spark = SparkTestSession.get();
  private DuckDbEngine duckdb;
  private List<Engine> engines;

  @TempDir Path dir;

  @BeforeEach
  void engines() {
    SparkEngine.SQL_SETTINGS.forEach((key, value) -> spark.conf().set(key, value.toString()));
    duckdb = DuckDbEngine.open(ZoneId.of("UTC"), 50);
    engines = List.of(duckdb, SparkEngine.of(spark));
  }

  @AfterEach
  void nothingLeaksAndDuckDbStillWorks() throws InterruptedException {
    SparkEngine.SQL_SETTINGS.keySet().forEach(spark.conf()::unset);
    assertThat(duckdb.allocatedBytes()).isZero();
    assertThat(duckdb.sql("SELECT 42 AS answer").count()).isEqualTo(1);
    duckdb.close();
    SparkTestSession.assertNoArrowMemoryLeft();
  }

  /**
   * A Delta table (a directory holding {@code _delta_log}) is neither read nor written as Parquet
   * on either engine: its Parquet files hold rows the table has since deleted or replaced, which
   * both read without a word, and a Parquet write there deleted its log (writeParquet) or added
   * files the log does not know (overwritePartitions). Delta's own format check refuses Spark's
   * parquet() so, where Delta is on the class path. Its partitions and a glob matching it too.
   */
  @Test
  void aDeltaTableIsNeitherReadNorWrittenAsParquetOnEitherEngine() throws Exception {
    Path lake = dir.resolve("lake");
    Path trips = lake.resolve("trips");
    duckdb.sql("SELECT 1 AS id, 'a' AS note").writeParquet(trips.resolve("year=2024").toString());
    duckdb.sql("SELECT 2 AS id, 'b' AS note").writeParquet(lake.resolve("plain").toString());
    Path log = Files.createDirectories(trips.resolve("_delta_log"));
    Files.writeString(log.resolve("00000000000000000000.json"),
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
    for (Engine engine : engines) {
      for (String read : List.of(trips.toString(), trips.resolve("year=2024").toString(),
          lake + "/*", "file://" + trips)) {
        assertThatThrownBy(() -> engine.read(Source.parquet(read, "id INT, note STRING")).count())
            .as(engine.name() + " " + read)
            .isInstanceOf(EngineException.class)
            .hasMessageContaining(trips + " is a Delta table (it holds _delta_log), whose Parquet"
                + " files hold rows the table has since deleted or replaced")
            .hasMessageContaining("Read it with Delta");
      }
      assertThat(engine.read(Source.parquet(lake.resolve("plain").toString(), "id INT, note STRING"))
          .count()).as(engine.name()).isEqualTo(1);
      Table rows = engine.sql("SELECT 3 AS id, 'c' AS note, 2025 AS year");
      for (org.assertj.core.api.ThrowableAssert.ThrowingCallable write : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
          () -> rows.writeParquet(trips.toString()),
          () -> rows.writeParquet(trips.resolve("copy").toString()),
          () -> rows.overwritePartitions(trips.toString(), "year"))) {
        assertThatThrownBy(write).as(engine.name())
            .isInstanceOf(EngineException.class)
            .hasMessageContaining(trips + " is a Delta table (it holds _delta_log), which writing"
                + " Parquet there would break");
      }
      assertThat(log.resolve("00000000000000000000.json")).exists();
      assertThat(trips.resolve("copy")).doesNotExist();
    }
  }

  /**
   * A column of no type (an untyped NULL: VOID to Spark) is refused by every write on both
   * engines, at any depth, naming it, before anything is written: Spark's Parquet writer refused
   * it in its own words, and DuckDB wrote it as Parquet's NULL type, which Spark reads as an INT.
   */
  @Test
  void aColumnOfNoTypeIsRefusedByWritesOnBothEngines() throws Exception {
    for (Engine engine : engines) {
      boolean onSpark = engine.name().equals("spark");
      Path out = dir.resolve("out-" + engine.name());
      Map<String, String> columns = Map.of("NULL AS n", "'n'",
          (onSpark ? "array(NULL)" : "[NULL]") + " AS l", "'l[]'",
          (onSpark ? "map('k', NULL)" : "MAP {'k': NULL}") + " AS m", "'m{value}'");
      columns.forEach((column, named) -> {
        Table table = engine.sql("SELECT 1 AS id, " + column);
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable write : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
            () -> table.writeParquet(out.toString()), () -> table.overwritePartitions(out.toString(), "id"))) {
          assertThatThrownBy(write).as(engine.name() + " " + column)
              .isInstanceOf(EngineException.class)
              .hasMessageContaining(named + " has no type (an untyped NULL, VOID to Spark")
              .hasMessageContaining("CAST(NULL AS STRING)");
        }
        assertThat(out).doesNotExist();
      });
      engine.sql("SELECT 1 AS id, CAST(NULL AS STRING) AS n").writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).schema().toDDL()).isEqualTo("id INT,n STRING");
    }
  }

  @Test
  void parquetWhoseColumnsDoNotFitTheRecord() {
    String path = dir.resolve("trips").toString();
    spark.sql("SELECT CAST(id AS STRING) AS trip_id, 'v' AS vendor, CAST(2 AS BIGINT) AS passengers,"
        + " 1.0D AS distance FROM range(10)").write().parquet(path);
    for (Engine engine : engines) {
      assertThatThrownBy(() -> engine.read(Source.parquet(path, TripArrowSchema.INSTANCE)).count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageStartingWith(engine.name() + ": PARQUET " + path)
          .hasMessageContaining("trip_id: written as STRING, read as BIGINT")
          .hasMessageContaining("passengers: written as BIGINT, read as INT");
    }
  }

  /**
   * Floats and doubles in the BYTE_STREAM_SPLIT encoding (DuckDB's PARQUET_VERSION V2, pyarrow's
   * use_byte_stream_split), which Spark 3.5's vectorized Parquet reader cannot read: the DuckDB
   * engine reads them; the Spark engine fails naming the file and the two ways out, and the one
   * it names on the session (the row-based reader) reads the same values.
   */
  @Test
  void byteStreamSplitDoublesReadOnDuckDbAndFailOnSparkSayingWhatReadsThem() throws Exception {
    Path split = dir.resolve("split");
    java.nio.file.Files.createDirectories(split);
    try (java.sql.Statement statement = duckdb.connection().createStatement()) {
      statement.execute("COPY (SELECT i AS id, i / 4 AS x FROM range(5) t(i)) TO '"
          + split.resolve("part-0.parquet") + "' (FORMAT parquet, PARQUET_VERSION V2)");
    }
    String sql = "SELECT CAST(sum(x) AS DOUBLE) AS total FROM split";
    duckdb.read(Source.parquet(split.toString(), "id BIGINT, x DOUBLE")).createView("split");
    assertThat(duckdb.sql(sql).collect(EngineErrorsTest_TotalArrowSchema.INSTANCE))
        .containsExactly(new Total(2.5));
    SparkEngine sparkEngine = SparkEngine.of(spark);
    sparkEngine.read(Source.parquet(split.toString(), "id BIGINT, x DOUBLE")).createView("split");
    assertThatThrownBy(() -> sparkEngine.sql(sql).collect(EngineErrorsTest_TotalArrowSchema.INSTANCE))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("Unsupported encoding: BYTE_STREAM_SPLIT (in file://" + split.resolve("part-0.parquet").toUri().getPath())
        .hasMessageContaining("PARQUET_VERSION V1")
        .hasMessageContaining("spark.sql.parquet.enableVectorizedReader=false");
    assertThat(sparkEngine.read(Source.parquet(split.toString(), "id BIGINT")).count()).isEqualTo(5);
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", "false");
    try {
      assertThat(sparkEngine.sql(sql).collect(EngineErrorsTest_TotalArrowSchema.INSTANCE))
          .containsExactly(new Total(2.5));
    } finally {
      spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
    }
  }

  @HasArrowSparkSchema
  record Total(double total) {}

  /**
   * A bad value far into a file, read through a function on DuckDB, comes out of DuckDB's Arrow
   * stream of the function's input, not from the query's start: it reads in the same words as
   * without a function, not as the stream's {@code IOException: [errno -1] …}.
   */
  @Test
  void aBadValueFarIntoAFileReadsTheSameThroughAFunction() throws Exception {
    StringBuilder text = new StringBuilder("id,n\n");
    for (int i = 0; i < 300_000; i++) {
      text.append(i).append(',').append(i == 250_000 ? "7.5" : String.valueOf(i)).append('\n');
    }
    Path files = Files.createDirectories(dir.resolve("late"));
    Files.writeString(files.resolve("part-0.csv"), text);
    Table table = duckdb.read(Source.csv(files.toString(), "id INT, n INT"));
    List<String> messages = new java.util.ArrayList<>();
    for (Table written : List.of(table, table.mapInArrow(table.schema(), (in, context) -> in))) {
      assertThatThrownBy(() -> written.writeParquet(dir.resolve("late-out").toString()))
          .isInstanceOf(EngineException.class)
          .satisfies(e -> messages.add(e.getMessage()));
    }
    String says = "'7.5' in column n is no INT as Spark reads CSV (Spark's FAILFAST mode fails on it)";
    assertThat(messages.get(0)).contains(says);
    assertThat(messages.get(1)).contains("mapInArrow failed: Invalid Input Error: CSV " + files + ": " + says)
        .doesNotContain("errno").doesNotContain("IOException");
  }

  @Test
  void csvWithAValueThatDoesNotParse() throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"),
        "trip_id,vendor,passengers,distance,pickup,note\n1,a,2,1.0,2024-01-01 00:00:00,\n2,b,two,1.0,2024-01-01 00:00:00,\n");
    for (Engine engine : engines) {
      assertThatThrownBy(() -> engine.read(Source.csv(csv.toString(), TripArrowSchema.INSTANCE))
              .collect(TripArrowSchema.INSTANCE))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("two");
    }
  }

  /**
   * Booleans and integers in CSV are read as Spark reads them on both engines: DuckDB alone would
   * take {@code yes}, {@code 1} or {@code t} for true, and {@code 7.0}, {@code  7}, {@code 1e3} or
   * {@code 0x10} for integers, where Spark's FAILFAST read fails.
   */
  @Test
  void csvBooleansAndIntegersThatSparkRefusesFailOnBothEngines() throws Exception {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("yes,7", "'yes' in column ok is no BOOLEAN");
    values.put("1,7", "'1' in column ok is no BOOLEAN");
    values.put("t,7", "'t' in column ok is no BOOLEAN");
    values.put("true,7.0", "'7.0' in column n is no BIGINT");
    values.put("true, 7", "' 7' in column n is no BIGINT");
    values.put("true,1e3", "'1e3' in column n is no BIGINT");
    values.put("true,0x10", "'0x10' in column n is no BIGINT");
    String ddl = "id INT, ok BOOLEAN, n BIGINT";
    eachFailsOnBothEngines(ddl, "csv", value -> "id,ok,n\n1,TRUE,+7\n2," + value + "\n", values,
        "For input string");
    // What Spark takes, DuckDB reads the same.
    readTheSameOnBothEngines(ddl, "csv", "id,ok,n\n1,TRUE,+7\n2,False,-3\n3,,\n",
        "[[1,true,7], [2,false,-3], [3,null,null]]");
  }

  /**
   * CSV doubles, decimals, dates and timestamps are checked against the syntax Spark parses:
   * DuckDB alone would take {@code inf}, {@code nan}, {@code 1_000}, a decimal with a leading space,
   * {@code 2024/01/05}, and a TIMESTAMP_NTZ with a zone (dropping it).
   */
  @Test
  void csvDoublesDecimalsDatesAndTimestampsThatSparkRefusesFailOnBothEngines() throws Exception {
    String ok = "1.5,1.5,2024-01-05,2024-01-05 10:00:00,2024-01-05 10:00:00";
    String ddl = "id INT, x DOUBLE, d DECIMAL(10,2), day DATE, at TIMESTAMP, local TIMESTAMP_NTZ";
    java.util.function.Function<String, String> file = value -> "id,x,d,day,at,local\n1," + ok
        + "\n2," + value + "\n";
    Map<String, String> doubles = new java.util.LinkedHashMap<>();
    doubles.put("inf" + ok.substring(3), "'inf' in column x is no DOUBLE");
    doubles.put("nan" + ok.substring(3), "'nan' in column x is no DOUBLE");
    doubles.put("1_000" + ok.substring(3), "'1_000' in column x is no DOUBLE");
    eachFailsOnBothEngines(ddl, "csv", file, doubles, "For input string");
    eachFailsOnBothEngines(ddl, "csv", file, Map.of("1.5, 1.5" + ok.substring(7),
        "' 1.5' in column d is no DECIMAL(10,2)"), "is neither a decimal digit");
    eachFailsOnBothEngines(ddl, "csv", file, Map.of("1.5,1.5,2024/01/05" + ok.substring(18),
        "'2024/01/05' in column day is no DATE"), "Text '2024/01/05' could not be parsed");
    eachFailsOnBothEngines(ddl, "csv", file, Map.of(
        "1.5,1.5,2024-01-05,2024/01/05 10:00:00,2024-01-05 10:00:00",
        "'2024/01/05 10:00:00' in column at is no TIMESTAMP"), "cannot be cast to \"TIMESTAMP\"");
    eachFailsOnBothEngines(ddl, "csv", file, Map.of(
        "1.5,1.5,2024-01-05,2024-01-05 10:00:00,2024-01-05T10:00:00Z",
        "'2024-01-05T10:00:00Z' in column local is no TIMESTAMP_NTZ"), "[TimestampNTZType]");
    // What Spark takes, DuckDB reads the same: Java's type suffix, the CSV options' infinity, a
    // date of a year alone.
    readTheSameOnBothEngines(ddl, "csv", "id,x,d,day,at,local\n"
            + "1,2.5d,+1.5,2024-1-5,2024-01-05T10:00:00Z,2024-01-05 10:00:00\n"
            + "2,-Inf,.5,2024-01-05 10:00, 2024-01-05 10:00:00 ,2024-01-05T10:00:00.5\n"
            + "3,Inf,1e2,+2024,,\n4, 2.5 ,1.005,2024-01-05T23:00,2024-01-05,2024-01-05\n",
        "[[1,2.5,1.50,2024-01-05,2024-01-05 10:00:00.0,2024-01-05T10:00], [2,-Infinity,0.50,"
            + "2024-01-05,2024-01-05 10:00:00.0,2024-01-05T10:00:00.500], [3,Infinity,100.00,2024-01-01,"
            + "null,null], [4,2.5,1.01,2024-01-05,2024-01-05 00:00:00.0,2024-01-05T00:00]]");
  }

  /**
   * Timestamps in each syntax Spark's CSV and JSON readers take (its stringToTimestamp) read the
   * same on both engines: a year alone, a year and month, an hour alone, one-digit parts, a fraction
   * of more than 6 digits (cut), and after the seconds a zone of each form Java's ZoneId takes:
   * offsets ({@code -1:0}, {@code +0130}, {@code UTC+01:00}, {@code GMT+1}), short ids ({@code PST},
   * {@code EST}), regions ({@code Europe/Paris}; a repeated hour is its earlier instant). DuckDB
   * alone failed on the partial texts, read a named zone or text after the time as if it were not
   * there, and read hour 24 as the next day: out-of-range parts now fail on both. JSON strings
   * too, at every depth.
   */
  @Test
  void timestampsInEachSyntaxSparkTakesReadTheSameOnBothEngines() throws Exception {
    String ddl = "id INT, ts TIMESTAMP, ntz TIMESTAMP_NTZ";
    readTheSameOnBothEngines(ddl, "csv", "id,ts,ntz\n1,2024,2024-01\n"
            + "2,2024-01-05 10, 2024-1-5 1:2:3 \n3,2024-01-05 10:00:00.1234567,+2024-01-05T10:00:00.\n"
            + "4,2024-01-05 10:00:00 Europe/Paris,\n5,2024-10-27 02:30:00Europe/Paris,\n"
            + "6,2024-01-05 10:00:00 PST,\n"
            + "7,2024-01-05 10:00:00-1:0,\n8,2024-01-05 10:00:00.5 +0130,\n"
            + "9,2024-01-05 10:00:00UTC+01:00,\n10,2024-01-05 10:00:00 GMT+1,\n"
            + "11,2024-01-05 10:00:00 EST,\n12,2024-01-05T10:00:00 UT,\n",
        "[[1,2024-01-01 00:00:00.0,2024-01-01T00:00], [2,2024-01-05 10:00:00.0,2024-01-05T01:02:03],"
            + " [3,2024-01-05 10:00:00.123456,2024-01-05T10:00], [4,2024-01-05 09:00:00.0,null],"
            + " [5,2024-10-27 00:30:00.0,null], [6,2024-01-05 18:00:00.0,null],"
            + " [7,2024-01-05 11:00:00.0,null], [8,2024-01-05 08:30:00.5,null],"
            + " [9,2024-01-05 09:00:00.0,null], [10,2024-01-05 09:00:00.0,null],"
            + " [11,2024-01-05 15:00:00.0,null], [12,2024-01-05 10:00:00.0,null]]");
    // The same in JSON, inside lists, maps and structs.
    readTheSameOnBothEngines("id INT, l ARRAY<TIMESTAMP>, m MAP<STRING, TIMESTAMP>,"
            + " st STRUCT<t: TIMESTAMP, n: TIMESTAMP_NTZ>", "json",
        "{\"id\": 1, \"l\": [\"2024-01-05 10:00:00 Europe/Paris\", \"2024\", null, 1704448800],"
            + " \"m\": {\"k\": \"2024-01-05T10:00:00.5+01:30\"},"
            + " \"st\": {\"t\": \"2024-10-27 02:30:00 ECT\", \"n\": \"2024-01-05 1:2:3\"}}\n{\"id\": 2}\n",
        "[[1,WrappedArray(2024-01-05 09:00:00.0, 2024-01-01 00:00:00.0, null, 2024-01-05 10:00:00.0),"
            + "Map(k -> 2024-01-05 08:30:00.5),[2024-10-27 00:30:00.0,2024-01-05T01:02:03]],"
            + " [2,null,null,null]]");
    java.util.function.Function<String, String> file =
        value -> "id,ts,ntz\n1,2024-01-05,2024-01-05\n2," + value + "\n";
    Map<String, String> values = new java.util.LinkedHashMap<>();
    for (String ts : List.of("2024-01-05 24:00:00", "2024-02-30 10:00:00", "2024-01-05 10:60:00",
        "2024-01-05 10:00:00+18:01", "2024-01-05T")) {
      values.put(ts + ",", "'" + ts + "' in column ts is no TIMESTAMP");
    }
    values.put("2024-01-05 10:00:00 abc,", "Unknown TimeZone 'abc'"); // DuckDB's words
    eachFailsOnBothEngines(ddl, "csv", file, values, "cannot be cast to \"TIMESTAMP\"");
    eachFailsOnBothEngines(ddl, "csv", file, Map.of(",2024-01-05 10:00:00 PST",
        "'2024-01-05 10:00:00 PST' in column ntz is no TIMESTAMP_NTZ"), "[TimestampNTZType]");
  }

  /**
   * A TIMESTAMP partition column's directory values are read as Spark casts them ({@code at=2024}
   * is its first instant); one Spark cannot cast fails on both engines with ANSI SQL (as {@link
   * SparkEngine#local()} sets it; Spark 3.5's default reads it as null), on DuckDB naming the
   * partition column and what to do.
   */
  @Test
  void timestampPartitionValuesReadAsSparkCastsThem() throws Exception {
    Path good = Files.createDirectories(dir.resolve("parts-good").resolve("at=2024"));
    Files.writeString(good.resolve("part-0.json"), "{\"id\": 1}\n");
    Path bad = Files.createDirectories(dir.resolve("parts-bad").resolve("at=2024-13-01"));
    Files.writeString(bad.resolve("part-0.json"), "{\"id\": 1}\n");
    String ddl = "id INT, at TIMESTAMP";
    for (Engine engine : engines) {
      Path out = dir.resolve("parts-" + engine.name());
      engine.read(Source.json(good.getParent().toString(), ddl)).writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).collectAsList().toString())
          .as(engine.name()).isEqualTo("[[1,2024-01-01 00:00:00.0]]");
      assertThatThrownBy(() -> engine.read(Source.json(bad.getParent().toString(), ddl))
              .writeParquet(dir.resolve("parts-bad-" + engine.name()).toString()))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(engine == duckdb
              ? "'2024-13-01' in partition column at is no TIMESTAMP (Spark fails to cast it"
                  + " too, with ANSI SQL): rename its directory, or declare the column STRING"
              : "Failed to cast value `2024-13-01` to `TimestampType` for partition column `at`");
    }
  }

  /**
   * A CSV null text ({@code withNullValue("NA")}, Spark's {@code nullValue}) reads as null on both
   * engines in every type, quoted or not; an unquoted empty field stays null and a quoted one is
   * an empty string, as Spark reads them (DuckDB alone would take both or neither as null), and
   * the text with more around it stays text. A JSON source has no null text.
   */
  @Test
  void csvNullTextReadsTheSameOnBothEngines() throws Exception {
    Path files = Files.createDirectories(dir.resolve("csv-na"));
    Files.writeString(files.resolve("part-0.csv"), "id,s,n,day\n1,NA,NA,NA\n2,\"NA\",3,\"NA\"\n"
        + "3,,,\n4,\"\",5,2024-01-05\n5, NA,6,\n6,NAN,7,\n");
    String ddl = "id INT, s STRING, n INT, day DATE";
    for (Engine engine : engines) {
      Path out = dir.resolve("csv-na-" + engine.name());
      engine.read(Source.csv(files.toString(), ddl).withNullValue("NA")).writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).orderBy("id").collectAsList().toString())
          .as(engine.name())
          .isEqualTo("[[1,null,null,null], [2,null,3,null], [3,null,null,null], [4,,5,2024-01-05],"
              + " [5, NA,6,null], [6,NAN,7,null]]");
    }
    // A quoted empty field is then text, which is no INT on either engine.
    Path empty = Files.createDirectories(dir.resolve("csv-na-empty"));
    Files.writeString(empty.resolve("part-0.csv"), "id,s,n,day\n1,a,\"\",\n");
    for (Engine engine : engines) {
      Table table = engine.read(Source.csv(empty.toString(), ddl).withNullValue("NA"));
      assertThatThrownBy(() -> table.writeParquet(dir.resolve("csv-na-empty-out").toString()))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(engine == duckdb ? "'' in column n is no INT" : "For input string");
    }
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Source.json(files.toString(), ddl).withNullValue("NA"))
        .withMessageContaining("a null text is a CSV option");
  }

  /**
   * A line break in a quoted CSV value (RFC 4180 allows it) fails the read on both engines unless
   * the source is read {@code withMultiLine(true)} (Spark's {@code multiLine}); then both read it,
   * a CRLF inside a value of a CRLF file as LF, as Spark reads it. DuckDB alone would read the
   * value either way, with its CRLF.
   */
  @Test
  void csvLineBreaksInQuotedValuesReadTheSameOnBothEngines() throws Exception {
    Path files = Files.createDirectories(dir.resolve("csv-lines"));
    Files.writeString(files.resolve("part-0.csv"),
        "id,s,n\r\n1,a,1\r\n2,\"b\r\nc\",2\r\n3,\"d\ne\",3\r\n4,f,4\r\n");
    String ddl = "id INT, s STRING, n INT";
    for (Engine engine : engines) {
      Table table = engine.read(Source.csv(files.toString(), ddl));
      assertThatThrownBy(() -> table.writeParquet(dir.resolve("lines-" + engine.name()).toString()))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(engine == duckdb
              ? "a quoted value in column s holds a line break, which Spark reads only with"
                  + " multiLine: read the source withMultiLine(true) (the value's first line: 'b')"
              : "MALFORMED_CSV_RECORD] Malformed CSV record: 2,\"b (a CSV line Spark cannot split"
                  + " into fields: a quoted value that holds a line break, which Spark reads only"
                  + " with Source.withMultiLine(true)");
      Path out = dir.resolve("multi-line-" + engine.name());
      engine.read(Source.csv(files.toString(), ddl).withMultiLine(true)).writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).orderBy("id").collectAsList().toString()
              .replace("\r", "\\r").replace("\n", "\\n"))
          .as(engine.name())
          .isEqualTo("[[1,a,1], [2,b\\nc,2], [3,d\\ne,3], [4,f,4]]");
    }
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Source.parquet(files.toString(), ddl).withMultiLine(true))
        .withMessageContaining("multiLine is a CSV and JSON option");
  }

  /**
   * A CSV file that is not UTF-8 (a Windows-1252 {@code é}, as Excel writes CSV in western
   * Europe) fails every read on both engines, saying to save it as UTF-8. Spark alone read such
   * bytes as U+FFFD without a word, so a value holding U+FFFD is refused on both (DuckDB fails
   * on the bytes themselves, without its advice of reader options the engine does not take).
   */
  @Test
  void csvThatIsNotUtf8FailsEveryReadOnBothEngines() throws Exception {
    Path latin = Files.createTempDirectory(dir, "csv-latin-");
    Files.write(latin.resolve("part-0.csv"),
        "id,s\n1,ok\n2,caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Path replaced = Files.createTempDirectory(dir, "csv-fffd-");
    Files.writeString(replaced.resolve("part-0.csv"), "id,s\n1,ok\n2,caf\uFFFD\n");
    for (Path files : List.of(latin, replaced)) {
      for (Engine engine : engines) {
        Source source = Source.csv(files.toString(), "id INT, s STRING");
        String words = files == latin && engine == duckdb
            ? "This file is not utf-8 encoded"
            : EngineException.replacementCharacter(source, "s") + "caf\uFFFD')";
        Table table = engine.read(source);
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable read : List.<
            org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(table::count,
            () -> table.writeParquet(files + "-out"))) {
          assertThatThrownBy(read)
              .as(engine.name() + ": " + files)
              .isInstanceOf(EngineException.class)
              .hasMessageContaining(words)
              .hasMessageContaining("save the file as UTF-8")
              .hasMessageNotContaining("ignore_errors");
        }
      }
    }
  }

  /**
   * Blank lines in CSV read as Spark reads them on both engines: no row, where DuckDB alone read
   * an empty line of a one-column file as a NULL (its quoted {@code ""} is still null, or empty
   * text with a null text given), and blank lines before the first line of a file without a
   * header are skipped (the engine's check of the first line counted them). Still different, as
   * the README says: blank lines before a header, which DuckDB's reader would take for the
   * header, are refused on DuckDB; a line of spaces among several columns fails there; a line
   * longer than DuckDB's 2,000,000 bytes, or lines ending in both LF and CRLF, fail there,
   * saying so.
   */
  @Test
  void blankCsvLinesReadTheSameOnBothEngines() throws Exception {
    Map<Source, String> files = new java.util.LinkedHashMap<>();
    files.put(csv("id,flag,n\n1,true,5\n\n\n3,false,8\n\n", "id INT, flag BOOLEAN, n INT", true, null),
        "[[1,true,5], [3,false,8]]");
    files.put(csv("\n\n1,true,5\n\n3,false,8\n", "id INT, flag BOOLEAN, n INT", false, null),
        "[[1,true,5], [3,false,8]]");
    files.put(csv("id,flag,n\r1,true,5\r\r3,false,8\r", "id INT, flag BOOLEAN, n INT", true, null),
        "[[1,true,5], [3,false,8]]"); // a CR alone ends a line on both readers
    files.put(csv("id\na\n\n\"\"\nc\n\n", "id STRING", true, null), "[[null], [a], [c]]");
    files.put(csv("\n\na\n\nb\n", "id STRING", false, null), "[[a], [b]]");
    files.put(csv("id\n1\n\n\"\"\n2\n", "id INT", true, null), "[[null], [1], [2]]");
    files.put(csv("id\na\nNA\n\"\"\n\n\"NA\"\n", "id STRING", true, "NA"), "[[null], [null], [], [a]]");
    for (Map.Entry<Source, String> file : files.entrySet()) {
      for (Engine engine : engines) {
        Path out = dir.resolve("blank-" + engine.name());
        engine.read(file.getKey()).writeParquet(out.toString());
        assertThat(spark.read().parquet(out.toString()).orderBy("id").collectAsList().toString())
            .as(engine.name() + ": " + file.getKey()).isEqualTo(file.getValue());
      }
    }
    // Lines ending in both LF and CRLF: read on Spark, refused on DuckDB, saying what to do.
    Source mixed = csv("id,s\r\n1,a\n2,b\r\n3,c\n", "id INT, s STRING", true, null);
    assertThat(engines.get(1).read(mixed).count()).isEqualTo(3);
    assertThatThrownBy(() -> duckdb.read(mixed).count())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("If the file's lines end in both LF and CRLF, which Spark reads and"
            + " DuckDB does not: give them one ending, as dos2unix does.");
    // A line longer than DuckDB's limit (2,000,000 bytes): read on Spark, refused on DuckDB.
    Source longLine = csv("id,s\n1," + "x".repeat(2_500_000) + "\n", "id INT, s STRING", true, null);
    assertThat(engines.get(1).read(longLine).count()).isEqualTo(1);
    assertThatThrownBy(() -> duckdb.read(longLine).count())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("DuckDB reads CSV lines of at most 2,000,000 bytes; Spark reads longer"
            + " ones. Read such a file on Spark, or keep long values out of CSV.")
        .hasMessageNotContaining("max_line_size");
    Source header = csv("\nid,flag\n1,true\n", "id INT, flag BOOLEAN", true, null);
    assertThat(engines.get(1).read(header).count()).isEqualTo(1);
    assertThatThrownBy(() -> duckdb.read(header))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("has blank lines before its header line, which Spark skips and"
            + " DuckDB's reader would take for the header: remove them");
  }

  private Source csv(String text, String ddl, boolean header, String nullValue) throws java.io.IOException {
    Path files = Files.createTempDirectory(dir, "csv-blank-");
    Files.writeString(files.resolve("part-0.csv"), text);
    Source source = Source.csv(files.toString(), ddl).withHeader(header);
    return nullValue == null ? source : source.withNullValue(nullValue);
  }

  /**
   * Every field of every CSV line is parsed whatever a query reads, on both engines. Plain Spark
   * parses only the columns a query reads (its CSV column pruning), so in FAILFAST mode a line of
   * fewer fields read as NULLs in the columns asked for, a line of more lost the rest, a value
   * that does not parse passed unseen, and {@code count()} parsed nothing; DuckDB's reader failed
   * on the lines, not on the values. Now each read below fails on both, and a file without such
   * lines reads the same whatever is asked (a line of empty fields is a row of NULLs, kept).
   */
  @Test
  void everyFieldOfACsvLineIsParsedWhateverAQueryReads() throws Exception {
    String ddl = "id INT, flag BOOLEAN, n INT";
    Map<String, String> lines = new java.util.LinkedHashMap<>();
    lines.put("2", "Expected Number of Columns: 3 Found: 1");
    lines.put("2,false,7,extra", "Expected Number of Columns: 3 Found: 4");
    lines.put("2,yes,7", "'yes' in column flag is no BOOLEAN");
    lines.put("2,false,seven", "'seven' in column n is no INT");
    for (Map.Entry<String, String> line : lines.entrySet()) {
      Path files = Files.createTempDirectory(dir, "csv-fields-");
      Files.writeString(files.resolve("part-0.csv"),
          "id,flag,n\n1,true,5\n" + line.getKey() + "\n3,false,8\n");
      for (Engine engine : engines) {
        Table table = engine.read(Source.csv(files.toString(), ddl));
        table.createView("fields");
        Map<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> reads =
            new java.util.LinkedHashMap<>();
        reads.put("count()", table::count);
        reads.put("count(*)", () -> engine.sql("SELECT count(*) AS c FROM fields")
            .writeParquet(files + "-count-" + engine.name()));
        reads.put("flag", () -> engine.sql("SELECT flag FROM fields")
            .writeParquet(files + "-flag-" + engine.name()));
        reads.put("id, through a function", () -> engine.sql("SELECT id FROM fields")
            .mapInArrow(engine.sql("SELECT id FROM fields").schema(), (in, context) -> in)
            .count());
        reads.forEach((what, read) -> assertThatThrownBy(read)
            .as(engine.name() + ": " + line.getKey() + ", " + what)
            .isInstanceOf(EngineException.class)
            .hasMessageContaining(engine == duckdb ? line.getValue()
                : line.getValue().startsWith("Expected") ? "Malformed CSV record: " + line.getKey()
                : "For input string"));
      }
    }
    Path good = Files.createDirectories(dir.resolve("csv-fields-good"));
    Files.writeString(good.resolve("part-0.csv"), "id,flag,n\n1,true,5\n,,\n3,false,\n");
    for (Engine engine : engines) {
      Table table = engine.read(Source.csv(good.toString(), ddl));
      table.createView("fields");
      assertThat(table.count()).as(engine.name()).isEqualTo(3);
      assertThat(engine.sql("SELECT n FROM fields WHERE n IS NULL").count()).as(engine.name())
          .isEqualTo(2);
      Path out = dir.resolve("csv-fields-good-" + engine.name());
      engine.sql("SELECT flag FROM fields").writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).orderBy("flag").collectAsList().toString())
          .as(engine.name()).isEqualTo("[[null], [false], [true]]");
    }
  }

  /**
   * A JSON source {@code withMultiLine(true)} (Spark's {@code multiLine}) reads each file as one
   * array of objects over any number of lines on both engines, its values read as in JSON lines;
   * an empty array is no rows. Without it both refuse such a file. A file of one object, which
   * Spark reads as one row, is refused on DuckDB, saying what it reads.
   */
  @Test
  void jsonArraysOverManyLinesReadTheSameOnBothEnginesWithMultiLine() throws Exception {
    Path files = Files.createDirectories(dir.resolve("json-array"));
    Files.writeString(files.resolve("part-0.json"), "[\n  {\"id\": 1, \"d\": 1.005, \"day\": \"2024-01\",\n"
        + "   \"l\": [1, 2]},\n  {\"id\": 2,\n   \"s\": {\"a\": \"x\"}}\n]\n");
    Files.writeString(files.resolve("part-1.json"), "[]\n");
    String ddl = "id INT, d DECIMAL(10,2), day DATE, l ARRAY<INT>, s STRUCT<a: STRING>";
    for (Engine engine : engines) {
      Path out = dir.resolve("json-array-" + engine.name());
      engine.read(Source.json(files.toString(), ddl).withMultiLine(true))
          .writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).orderBy("id").collectAsList().toString())
          .as(engine.name())
          .isEqualTo("[[1,1.01,2024-01-01,WrappedArray(1, 2),null], [2,null,null,null,[x]]]");
      Table lines = engine.read(Source.json(files.toString(), ddl));
      assertThatThrownBy(() -> lines.writeParquet(dir.resolve("json-lines-" + engine.name()).toString()))
          .as(engine.name())
          .isInstanceOf(EngineException.class);
    }
    Path object = Files.createDirectories(dir.resolve("json-object"));
    Files.writeString(object.resolve("part-0.json"), "{\n  \"id\": 3\n}\n");
    assertThat(engines.get(1).read(Source.json(object.toString(), ddl).withMultiLine(true)).count())
        .isEqualTo(1);
    Table one = duckdb.read(Source.json(object.toString(), ddl).withMultiLine(true));
    assertThatThrownBy(() -> one.writeParquet(dir.resolve("json-object-out").toString()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("A JSON source read withMultiLine(true) is one array of objects per"
            + " file on the DuckDB engine");
  }

  /**
   * JSON booleans, integers and decimals are read as Spark reads them on both engines: DuckDB
   * alone would round {@code 7.5} into an INT, take {@code "7"} or {@code true} for one, {@code 1}
   * or {@code "true"} for a BOOLEAN, and read a DECIMAL through a double ({@code 1.005} as 1.00).
   */
  @Test
  void jsonBooleansIntegersAndDecimalsAsSparkReadsThem() throws Exception {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("\"ok\": \"true\"", "'\"true\"' in column ok is no BOOLEAN");
    values.put("\"ok\": 1", "'1' in column ok is no BOOLEAN");
    values.put("\"n\": 7.5", "'7.5' in column n is no BIGINT");
    values.put("\"n\": \"7\"", "'\"7\"' in column n is no BIGINT");
    values.put("\"n\": true", "'true' in column n is no BIGINT");
    values.put("\"x\": \"7.5\"", "'\"7.5\"' in column x is no DOUBLE");
    values.put("\"x\": \"inf\"", "'\"inf\"' in column x is no DOUBLE");
    String ddl = "id INT, ok BOOLEAN, n BIGINT, d DECIMAL(10,2), x DOUBLE";
    eachFailsOnBothEngines(ddl, "json", value -> "{\"id\": 1, \"ok\": true, \"n\": 7}\n{\"id\": 2, "
        + value + "}\n", values, "Cannot parse");
    readTheSameOnBothEngines(ddl, "json", "{\"id\": 1, \"ok\": true, \"n\": 7, \"d\": 1.005, \"x\": 2}\n"
            + "{\"id\": 2, \"ok\": false, \"n\": -3, \"d\": \"1.5\", \"x\": \"-INF\"}\n"
            + "{\"id\": 3, \"ok\": null, \"x\": \"NaN\"}\n{\"id\": 4, \"x\": 1.5e3}\n"
            // unquoted, as Spark's parser allows them
            + "{\"id\": 5, \"x\": NaN}\n{\"id\": 6, \"x\": -Infinity}\n{\"id\": 7, \"x\": Infinity}\n"
            + "{\"id\": 8, \"x\": -INF}\n",
        "[[1,true,7,1.01,2.0], [2,false,-3,1.50,-Infinity], [3,null,null,null,NaN],"
            + " [4,null,null,null,1500.0], [5,null,null,null,NaN], [6,null,null,null,-Infinity],"
            + " [7,null,null,null,Infinity], [8,null,null,null,-Infinity]]");
    // Unquoted forms Spark's parser refuses fail on both; single quotes (not JSON) too.
    eachFailsOnBothEngines(ddl, "json", value -> "{\"id\": 1}\n{\"id\": 2, " + value + "}\n",
        Map.of("\"x\": inf", "'inf' in column x is no DOUBLE", "\"x\": INF", "'INF' in column x is"
            + " no DOUBLE"), "token '");
    eachFailsOnBothEngines(ddl, "json", value -> "{\"id\": 1}\n{" + value + "}\n",
        Map.of("'id': 2", "Malformed JSON"), "Unexpected character");
  }

  /**
   * JSON values inside lists, structs and map values are read as Spark reads them, as at the top
   * level (DuckDB alone would round {@code [7.5]} into {@code ARRAY<INT>} and read a nested DECIMAL
   * through a double); dates and timestamps too, a timestamp of a number as epoch seconds.
   */
  @Test
  void nestedJsonValuesAsSparkReadsThemInListsStructsAndMaps() throws Exception {
    Map<String, String> values = new java.util.LinkedHashMap<>();
    values.put("\"l\": [1, 7.5]", "'7.5' in column l[] is no INT");
    values.put("\"l\": 7", "Expected ARRAY, but got UBIGINT: 7"); // DuckDB's words
    values.put("\"s\": {\"a\": \"7\"}", "'\"7\"' in column s.a is no INT");
    values.put("\"s\": [1]", "Expected OBJECT, but got ARRAY: [1]");
    values.put("\"ls\": [{\"n\": 2}, {\"n\": true}]", "'true' in column ls[].n is no BIGINT");
    String ddl = "id INT, l ARRAY<INT>, s STRUCT<a: INT, d: DECIMAL(10,2), t: DATE>,"
        + " m MAP<STRING, DOUBLE>, ls ARRAY<STRUCT<n: BIGINT>>, at TIMESTAMP";
    java.util.function.Function<String, String> file = value -> "{\"id\": 1, \"l\": [1]}\n"
        + "{\"id\": 2, " + value + "}\n";
    eachFailsOnBothEngines(ddl, "json", file, values, "Cannot parse");
    eachFailsOnBothEngines(ddl, "json", file, Map.of("\"s\": {\"a\": 1, \"t\": \"2024/01/05\"}",
        "'\"2024/01/05\"' in column s.t is no DATE"), "cannot be cast to \"DATE\"");
    eachFailsOnBothEngines(ddl, "json", file, Map.of("\"at\": 1704448800.5",
        "'1704448800.5' in column at is no TIMESTAMP"), "Cannot parse");
    // Spark 3.5 says no more than "requirement failed" of a map value it cannot parse.
    eachFailsOnBothEngines(ddl, "json", file, Map.of("\"m\": {\"k\": \"7.5\"}",
        "'\"7.5\"' in column m{value} is no DOUBLE"), "requirement failed");
    readTheSameOnBothEngines(ddl, "json", "{\"id\": 1, \"l\": [1, null], \"s\": {\"a\": 2,"
            + " \"d\": 1.005, \"t\": \"2024-01-05\"}, \"m\": {\"k\": \"-INF\", \"j\": 1.5},"
            + " \"ls\": [{\"n\": 3}, null], \"at\": 1704448800}\n"
            + "{\"id\": 2, \"l\": [], \"s\": {}, \"m\": {}, \"ls\": [],"
            + " \"at\": \"2024-01-05T10:00:00+01:00\"}\n"
            + "{\"id\": 3, \"l\": null, \"s\": {\"d\": \"1.5\", \"t\": \"2024-01\", \"A\": 9},"
            + " \"m\": {\"k\": null}}\n",
        "[[1,WrappedArray(1, null),[2,1.01,2024-01-05],Map(k -> -Infinity, j -> 1.5),"
            + "WrappedArray([3], null),2024-01-05 10:00:00.0], [2,WrappedArray(),[null,null,null],"
            + "Map(),WrappedArray(),2024-01-05 09:00:00.0], [3,null,[null,1.50,2024-01-01],Map(k -> null),"
            + "null,null]]");
    // A key given twice: Spark takes the last value; DuckDB fails, saying so.
    Path twice = Files.createDirectories(dir.resolve("json-twice"));
    Files.writeString(twice.resolve("part-0.json"), "{\"id\": 1, \"s\": {\"a\": 1, \"a\": 2}}\n");
    assertThatThrownBy(() -> duckdb.read(source("json", twice, ddl)).writeParquet(
            dir.resolve("json-twice-out").toString()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("has duplicate key \"a\"");
  }

  /**
   * DuckDB's file readers advise options the engine does not take, most of which would skip rows
   * or read them as null ({@code ignore_errors}, {@code null_padding}): the engine's errors keep
   * where the fault is and say what to do instead.
   */
  @Test
  void fileErrorsSayWhatToDoInsteadOfDuckDbsReaderOptions() throws Exception {
    Path csv = Files.createDirectories(dir.resolve("csv-bad"));
    Files.writeString(csv.resolve("part-0.csv"), "id,ok\n1,true\n2,true,3\n");
    Path json = Files.createDirectories(dir.resolve("json-bad"));
    Files.writeString(json.resolve("part-0.json"), "{\"id\": 1, \"l\": [1]}\n{\"id\": 2, \"l\": 7}\n");
    Map<Table, String> where = Map.of(
        duckdb.read(Source.csv(csv.toString(), "id INT, ok BOOLEAN")), "Original Line: 2,true,3",
        duckdb.read(Source.json(json.toString(), "id INT, l ARRAY<INT>")), "in line 2");
    for (Map.Entry<Table, String> table : where.entrySet()) {
      assertThatThrownBy(() -> table.getKey().writeParquet(dir.resolve("bad-out").toString()))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(table.getValue())
          .hasMessageContaining("fix the file, or declare the schema it has")
          .hasMessageContaining("statement: COPY")
          .hasMessageNotContaining("ignore_errors");
    }
  }

  /**
   * JSON lines that Spark reads and DuckDB's reader refuses fail on the DuckDB engine with what to
   * do: a line of two objects (Spark reads the first and drops the second without a word), a
   * file that starts with a byte order mark (Spark skips it). A trailing comma is the one the other
   * way round: DuckDB reads it, Spark fails (as the README says).
   */
  @Test
  void jsonThatOnlyOneEngineReadsFailsOnTheOtherSayingWhy() throws Exception {
    Map<String, String> files = new java.util.LinkedHashMap<>();
    files.put("{\"id\": 1} {\"id\": 2}\n", "Spark would read the first object of such a line and"
        + " drop the rest without a word");
    files.put("\uFEFF{\"id\": 1}\n", "save the file as UTF-8 without a byte order mark");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path json = Files.createTempDirectory(dir, "json-");
      Files.writeString(json.resolve("part-0.json"), file.getKey());
      assertThat(engines.get(1).read(Source.json(json.toString(), "id INT")).count()).isEqualTo(1);
      assertThatThrownBy(() -> duckdb.read(Source.json(json.toString(), "id INT"))
              .writeParquet(json + "-out"))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining(file.getValue())
          .hasMessageNotContaining("Try auto-detecting");
    }
    Path comma = Files.createTempDirectory(dir, "json-");
    Files.writeString(comma.resolve("part-0.json"), "{\"id\": 1, \"l\": [1, 2,],}\n");
    assertThat(duckdb.read(Source.json(comma.toString(), "id INT, l ARRAY<INT>")).count()).isEqualTo(1);
    assertThatThrownBy(() -> engines.get(1).read(Source.json(comma.toString(), "id INT, l ARRAY<INT>"))
            .writeParquet(comma + "-out"))
        .isInstanceOf(EngineException.class);
  }

  /**
   * A JSON line that is {@code null} (as {@code jq} writes for a missing value), or such an
   * element of a multiLine array, fails every read on both engines, {@code count()} included, as
   * Spark's FAILFAST mode fails on it; DuckDB alone read it as a row of NULLs, as it reads {@code
   * {}}, which stays a row of NULLs on both. A line that is an array of objects is the other way
   * round: Spark reads a row per object, the DuckDB engine fails, saying so.
   */
  @Test
  void aJsonValueOfNullWhereAnObjectIsReadFailsEveryReadOnBothEngines() throws Exception {
    String ddl = "id INT, l ARRAY<INT>";
    Map<Source, String> nulls = new java.util.LinkedHashMap<>();
    Path lines = Files.createTempDirectory(dir, "json-null-");
    Files.writeString(lines.resolve("part-0.json"), "{\"id\": 1, \"l\": [1]}\nnull\n{}\n");
    nulls.put(Source.json(lines.toString(), ddl), "INVALID_JSON_ROOT_FIELD");
    Path array = Files.createTempDirectory(dir, "json-null-");
    Files.writeString(array.resolve("part-0.json"), "[{\"id\": 1, \"l\": [1]},\n null,\n {}]\n");
    nulls.put(Source.json(array.toString(), ddl).withMultiLine(true), "INVALID_JSON_ROOT_FIELD");
    for (Map.Entry<Source, String> source : nulls.entrySet()) {
      for (Engine engine : engines) {
        Table table = engine.read(source.getKey());
        table.createView("nulls");
        Map<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> reads =
            new java.util.LinkedHashMap<>();
        reads.put("count()", table::count);
        reads.put("id", () -> engine.sql("SELECT id FROM nulls")
            .writeParquet(dir.resolve("nulls-" + engine.name()).toString()));
        reads.put("all, through a function", () -> table.mapInArrow(table.schema(),
            (in, context) -> in).writeParquet(dir.resolve("nulls-" + engine.name()).toString()));
        reads.forEach((what, read) -> assertThatThrownBy(read)
            .as(engine.name() + ": " + source.getKey() + ", " + what)
            .isInstanceOf(EngineException.class)
            .hasMessageContaining(engine == duckdb
                ? "a JSON value of null where an object is read, which Spark's FAILFAST mode"
                    + " refuses (DuckDB alone would read a row of NULLs): remove it, or write {}"
                : source.getValue()));
      }
    }
    Files.writeString(lines.resolve("part-0.json"), "{\"id\": 1, \"l\": [1]}\n{}\n");
    for (Engine engine : engines) {
      engine.read(Source.json(lines.toString(), ddl)).createView("objects");
      assertThat(engine.sql("SELECT * FROM objects WHERE id IS NULL AND l IS NULL").count())
          .as(engine.name()).isEqualTo(1);
    }
    // Read whole on DuckDB, a line's nested value of another kind fails a count there too.
    Files.writeString(lines.resolve("part-0.json"), "{\"id\": 1, \"l\": 5}\n");
    assertThat(engines.get(1).read(Source.json(lines.toString(), ddl)).count()).isEqualTo(1);
    assertThatThrownBy(() -> duckdb.read(Source.json(lines.toString(), ddl)).count())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("Expected ARRAY, but got UBIGINT");
    Files.writeString(lines.resolve("part-0.json"), "{\"id\": 1}\n[{\"id\": 2}, {\"id\": 3}]\n");
    assertThat(engines.get(1).read(Source.json(lines.toString(), ddl)).count()).isEqualTo(3);
    assertThatThrownBy(() -> duckdb.read(Source.json(lines.toString(), ddl)).count())
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("Expected OBJECT, but got ARRAY")
        .hasMessageContaining("Where a line is itself an array of objects, Spark reads each object"
            + " as a row; the DuckDB engine reads one object per line");
  }

  /**
   * Each value of {@code values} in a file of its own ({@code file} makes its text) fails the read
   * on both engines: on DuckDB with the value's message, on Spark with {@code sparkMessage}.
   */
  private void eachFailsOnBothEngines(String ddl, String format,
      java.util.function.Function<String, String> file, Map<String, String> values,
      String sparkMessage) throws java.io.IOException {
    for (Map.Entry<String, String> value : values.entrySet()) {
      Path files = Files.createTempDirectory(dir, format + "-");
      Files.writeString(files.resolve("part-0." + format), file.apply(value.getKey()));
      for (Engine engine : engines) {
        Table table = engine.read(source(format, files, ddl));
        // Written as read, and through a function (on DuckDB its input streams: its driver
        // reported an error of the first rows as "Invalid result set").
        for (Table written : List.of(table, table.mapInArrow(table.schema(), (in, context) -> in))) {
          assertThatThrownBy(() -> written.writeParquet(files + "-out"))
              .as(engine.name() + ": " + value.getKey() + (written == table ? "" : ", through a function"))
              .isInstanceOf(EngineException.class)
              .hasMessageContaining(engine == duckdb ? value.getValue() : sparkMessage);
        }
      }
    }
  }

  /** {@code text} read the same on both engines: {@code rows}, by id, as Spark prints them. */
  private void readTheSameOnBothEngines(String ddl, String format, String text, String rows)
      throws java.io.IOException {
    Path files = Files.createDirectories(dir.resolve(format + "-good"));
    Files.writeString(files.resolve("part-0." + format), text);
    for (Engine engine : engines) {
      Path out = dir.resolve(format + "-good-" + engine.name());
      engine.read(source(format, files, ddl)).writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).orderBy("id").collectAsList().toString())
          .as(engine.name()).isEqualTo(rows);
    }
  }

  private static Source source(String format, Path files, String ddl) {
    return format.equals("csv") ? Source.csv(files.toString(), ddl) : Source.json(files.toString(), ddl);
  }

  @Test
  void aTableThatDoesNotFitATypedFunctionListsEveryColumn() {
    for (Engine engine : engines) {
      Table wrong = engine.sql("SELECT 'x' AS order_id, 1 AS placed_at");
      assertThatThrownBy(() -> wrong.mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
              OrderTotal::of).count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("order_id")
          .hasMessageContaining("customer")
          .hasMessageContaining("placed_at");
    }
  }

  /** Queries only one engine runs: each fails on the other with the query and the reason. */
  @Test
  void sqlThatOnlyOneEngineAccepts() {
    Map<String, String> onlyOn = Map.of(
        "SELECT list_value(1, 2) AS l", "duckdb",
        "SELECT sha2('a', 256) AS h", "spark",
        "SELECT list_transform([1, 2], lambda x: x + 1) AS l", "duckdb",
        "SELECT transform(array(1, 2), x -> x + 1) AS l", "spark");
    for (Map.Entry<String, String> query : onlyOn.entrySet()) {
      for (Engine engine : engines) {
        if (engine.name().equals(query.getValue())) {
          assertThat(engine.sql(query.getKey()).count()).as(query.getKey()).isEqualTo(1);
        } else {
          assertThatThrownBy(() -> engine.sql(query.getKey()))
              .as(engine.name() + ": " + query.getKey())
              .isInstanceOf(EngineException.class)
              .hasMessageStartingWith(engine.name() + ": ")
              .hasMessageContaining("rejected the query")
              .hasMessageContaining(query.getKey())
              .hasMessageContaining("SQL on both engines");
        }
      }
    }
  }

  /**
   * A Spark session without the settings under which Spark reads SQL as DuckDB does (a session
   * given to {@link SparkEngine#of}) is refused at {@code sql} and {@code read}, naming what is
   * missing: without them the same SQL gives other values on Spark without a word.
   */
  @Test
  void aSparkSessionThatDoesNotReadSqlAsTheEngineIsRefusedSayingWhatToSet() throws Exception {
    Engine sparkEngine = engines.get(1);
    Path file = Files.writeString(dir.resolve("one.csv"), "id\n1\n");
    spark.conf().unset("spark.sql.ansi.enabled");
    spark.conf().set("spark.sql.parser.escapedStringLiterals", "false");
    spark.conf().set("spark.sql.caseSensitive", "true");
    for (Runnable use : List.<Runnable>of(() -> sparkEngine.sql("SELECT CAST('abc' AS INT) AS n"),
        () -> sparkEngine.read(Source.csv(file.toString(), "id INT")))) {
      assertThatThrownBy(use::run)
          .isInstanceOf(EngineException.class)
          .hasMessage("spark: the session does not read SQL as the engine does: set"
              + " spark.sql.ansi.enabled=true, spark.sql.caseSensitive=false,"
              + " spark.sql.parser.escapedStringLiterals=true on it (SparkEngine.local() sets them;"
              + " see SparkEngine.SQL_SETTINGS). Without them the same SQL gives other results on"
              + " Spark than on DuckDB: a value that does not cast reads as NULL, \"text\" is a"
              + " string, '\\t' a tab, a column named in another case is not found.");
    }
    SparkEngine.SQL_SETTINGS.forEach((key, value) -> spark.conf().set(key, value.toString()));
    // Written, so that the value is computed (a count may leave it out).
    assertThatThrownBy(() -> sparkEngine.sql("SELECT CAST('abc' AS INT) AS n")
            .writeParquet(dir.resolve("n").toString()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("CAST_INVALID_INPUT");
  }

  /**
   * SQL as people write it, with comments (after the last line too) and a closing {@code ;}, runs
   * the same on both engines: DuckDB failed where the engine put such a query inside another (a
   * trailing {@code -- comment} hid the closing parenthesis of {@code COPY (…) TO}).
   */
  @Test
  void sqlWithCommentsAndASemicolonRunsTheSameOnBothEngines() {
    List<String> queries = List.of(
        "SELECT 1 AS a, '--' AS s -- the answer",
        "-- first\nSELECT 1 AS a, '/* no comment */' AS s;\n-- done\n",
        "WITH t AS ( -- the rows\n  SELECT 1 AS a, 'it' || chr(39) || 's -- ;' AS s\n)\nSELECT a, s FROM t; /* end */",
        "SELECT 1 AS a /* inside */, 'x' AS s ;  ");
    List<String> expected = List.of("[1,--]", "[1,/* no comment */]", "[1,it's -- ;]", "[1,x]");
    for (Engine engine : engines) {
      for (int i = 0; i < queries.size(); i++) {
        Path out = dir.resolve("comments-" + engine.name() + "-" + i);
        Table table = engine.sql(queries.get(i));
        table.createView("commented");
        table.writeParquet(out.toString());
        assertThat(table.count()).isEqualTo(1);
        assertThat(spark.read().parquet(out.toString()).collectAsList().toString())
            .as(engine.name() + ": " + queries.get(i)).isEqualTo("[" + expected.get(i) + "]");
      }
    }
  }

  /**
   * A string with backslashes reads the same on both engines with Spark's {@code
   * escapedStringLiterals} (as {@link SparkEngine#local()} sets it): Spark alone would read {@code
   * '\t'} as a tab and drop the backslash of {@code '\d'}. A quote doubled inside a string, one
   * quote on DuckDB and two strings joined on Spark, is refused on both.
   */
  @Test
  void stringsReadTheSameOnBothEnginesOrAreRefused() {
    for (Engine engine : engines) {
      Path out = dir.resolve("strings-" + engine.name());
      engine.sql("SELECT 'C:\\temp' AS path, '\\d+' AS pattern, 'a\\\\b' AS two,"
          + " 'it' || chr(39) || 's' AS quote, regexp_extract('ab12', '\\d+', 0) AS digits")
          .writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).collectAsList().toString())
          .as(engine.name()).isEqualTo("[[C:\\temp,\\d+,a\\\\b,it's,12]]");
      for (String doubled : List.of("SELECT 'it''s' AS s", "SELECT '''' AS s")) {
        assertThatThrownBy(() -> engine.sql(doubled))
            .as(engine.name() + ": " + doubled)
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith(engine.name() + ": a quote doubled inside a string")
            .hasMessageContaining("Write the quote as chr(39)");
      }
    }
  }

  /**
   * A view name that Spark refuses for a temporary view ({@code my view}, {@code a.b}, {@code x-y},
   * {@code Ünïcode}) is refused on both engines, where DuckDB alone would take any name; a
   * keyword, and names in any case, are taken on both.
   */
  @Test
  void viewNamesThatSparkRefusesAreRefusedOnBothEngines() {
    for (Engine engine : engines) {
      for (String name : List.of("my view", "a.b", "x-y", "Ünïcode", "1st", "`q`", "")) {
        assertThatIllegalArgumentException()
            .as(engine.name() + ": " + name)
            .isThrownBy(() -> engine.range(3).createView(name))
            .withMessage("view name '" + name + "': use letters, digits and _, not first a digit"
                + " (Spark takes no other name for a view; a keyword such as order is taken, and"
                + " then quoted in SQL: \"order\")");
      }
      engine.range(3).createView("order");
      engine.range(4).createView("Mixed_Case_2");
      assertThat(engine.sql("SELECT * FROM \"order\"").count()).as(engine.name()).isEqualTo(3);
      // Any name in a query itself: a common table expression's
      assertThat(engine.sql("WITH \"my rows\" AS (SELECT 1 AS a) SELECT a FROM \"my rows\"")
          .count()).as(engine.name()).isEqualTo(1);
      assertThat(engine.sql("SELECT * FROM mixed_CASE_2").count()).as(engine.name()).isEqualTo(4);
    }
  }

  /**
   * Names that are keywords ({@code order}, {@code group}, {@code desc}), which DuckDB refuses bare
   * and Spark takes, are quoted the same way on both engines with Spark's ANSI double-quoted
   * identifiers (as {@link SparkEngine#local()} sets them): double quotes name a column on both,
   * and text in double quotes, which Spark alone would read as a string, fails on both.
   */
  @Test
  void doubleQuotesNameAColumnOnBothEnginesWithAnsiDoubleQuotedIdentifiers() throws Exception {
    String bare = "SELECT order FROM (SELECT 1 AS \"order\")";
    assertThatThrownBy(() -> duckdb.sql(bare))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("syntax error");
    assertThat(engines.get(1).sql(bare).count()).isEqualTo(1);
    for (Engine engine : engines) {
      engine.sql("SELECT 1 AS id, 2 AS \"order\", 'a' AS \"group\", 'b' AS \"desc\"")
          .createView("keywords");
      Path out = dir.resolve("keywords-" + engine.name());
      engine.sql("SELECT id, \"order\" + 1 AS \"order\", \"group\" || \"desc\" AS \"group\""
          + " FROM keywords ORDER BY \"order\"").writeParquet(out.toString());
      assertThat(spark.read().parquet(out.toString()).collectAsList().toString())
          .as(engine.name()).isEqualTo("[[1,3,ab]]");
      assertThatThrownBy(() -> engine.sql("SELECT \"no such column\" AS s").count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("no such column");
    }
  }

  /**
   * What the README's "SQL on both engines" says to write where the engines differ gives the same
   * values and types on both: each expression over columns of a view (not literals, which an
   * engine may fold), written as Parquet and read back by Spark.
   */
  @Test
  void whatTheReadmeSaysToWriteWhereTheEnginesDifferReadsTheSameOnBoth() {
    String select = "SELECT CAST(length(s) AS INT) AS len, substring(s, 1, 2) AS sub,"
        + " CAST(t AS DECIMAL(10,3)) AS dec, CAST(CAST(big AS DECIMAL(20,2)) AS STRING) AS big,"
        + " CAST(CAST(small AS DECIMAL(20,6)) AS STRING) AS small, s || none AS joined,"
        + " CASE WHEN zero > 0 THEN ln(zero) END AS ln, CAST(date_trunc('month', day) AS DATE) AS"
        + " month, CAST(floor(neg) AS INT) AS floored, CAST(sum(n) OVER () AS BIGINT) AS total,"
        + " CAST(round(CAST(cents AS DECIMAL(38,10)), 2) AS DECIMAL(10,2)) AS rounded,"
        + " CAST(ceil(neg) AS BIGINT) AS ceiled, CAST(price / 3 AS DECIMAL(14,6)) AS third,"
        + " CAST(CAST(tiny AS DECIMAL(18,8)) * CAST(tiny AS DECIMAL(19,8)) AS DECIMAL(38,16))"
        + " AS product FROM t";
    List<String> rows = new java.util.ArrayList<>();
    for (Engine engine : engines) {
      engine.sql("SELECT 'né€x' AS s, '12.345' AS t, 1e10 AS big, 1e-5 AS small,"
          + " CAST(NULL AS STRING) AS none, CAST(0 AS DOUBLE) AS zero, DATE '2024-01-05' AS day,"
          + " -1.5 AS neg, 7 AS n, CAST(1.005 AS DOUBLE) AS cents,"
          + " CAST(2.50 AS DECIMAL(10,2)) AS price, CAST(0.0000001 AS DOUBLE) AS tiny")
          .createView("t");
      Path out = dir.resolve("advice-" + engine.name());
      engine.sql(select).writeParquet(out.toString());
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> read = spark.read().parquet(out.toString());
      rows.add(read.schema().toDDL() + " " + read.collectAsList());
    }
    assertThat(rows.get(0)).isEqualTo(rows.get(1)).isEqualTo("len INT,sub STRING,dec DECIMAL(10,3),"
        + "big STRING,small STRING,joined STRING,ln DOUBLE,month DATE,floored INT,total BIGINT,"
        + "rounded DECIMAL(10,2),ceiled BIGINT,third DECIMAL(14,6),product DECIMAL(38,16)"
        + " [[4,né,12.345,10000000000.00,0.000010,null,null,2024-01-01,-2,7,1.01,-1,0.833333,"
        + "1.00E-14]]");
  }

  /** Texts for the functions below: dots, commas, digits, escapes' targets, accents, a NULL. */
  private static final String TEXTS = "(VALUES ('a.b.c'), ('a,b,'), (',a,,b'), (''), ('aaa'),"
      + " ('2024-01-05'), ('$1 \\ x'), ('héllo'), ('a_b'), ('A_B'), ('axb'), ('a\\b'), (' ab  '),"
      + " (NULL)) AS t(s)";

  /**
   * Spark's functions whose DuckDB namesakes compute other values without a word give Spark's on
   * the DuckDB engine too, compared row by row with Spark's own: {@code split} at a regular
   * expression (DuckDB's at a text), {@code regexp_extract}'s group 1 (DuckDB's whole match),
   * {@code regexp_replace} of every match with Java's {@code $1} (DuckDB's first, with {@code
   * \1}), {@code LIKE}'s {@code \} escape (none on DuckDB), {@code dayofweek} from Sunday as 1
   * (DuckDB's 0), {@code concat} NULL with a NULL (DuckDB's skips it), {@code substring} from
   * position 0 and of negative lengths, {@code left}/{@code right} of negative lengths, the array
   * functions over NULLs, repeated values, empty and NULL arrays; and Spark's functions that
   * DuckDB has not ({@code nvl}, {@code locate}, {@code pmod}, {@code initcap}, {@code datediff},
   * {@code add_months}, {@code unix_timestamp}, {@code array_join}, {@code sort_array}, {@code
   * slice}, …), which the DuckDB engine computes as Spark does. Over columns of views (not
   * literals, which an engine may fold), written as Parquet and read back by Spark.
   */
  @Test
  void sparksFunctionsGiveSparksValuesOnBothEngines() throws java.io.IOException {
    List<String> queries = List.of(
        "SELECT s, p, split(s, p) AS r FROM texts, (VALUES ('.'), ('\\.'), (','), (''), ('\\|'),"
            + " (',+'), ('[,.]'), ('a'), ('\\s+')) AS b(p)",
        "SELECT s, p, regexp_extract(s, p) AS r, regexp_extract(s, p, 0) AS whole FROM texts,"
            + " (VALUES ('([a-z]+)([0-9]*)'), ('(\\d+)'), ('(x)|(a)')) AS b(p)",
        "SELECT s, p, r, regexp_replace(s, p, r) AS o FROM texts, (VALUES ('a'), ('\\.'), ('^'),"
            + " ('$'), ('\\s'), ('\\\\')) AS b(p), (VALUES ('b'), ('\\$'), ('\\\\'), (''), ('[$0]'),"
            + " ('\\a'), ('é'), (NULL)) AS c(r)",
        "SELECT s, p, r, regexp_replace(s, p, r) AS o FROM texts, (VALUES ('(\\d+)-(\\d+)'),"
            + " ('([a-z])([a-z])?')) AS b(p), (VALUES ('$2/$1'), ('$1$1'), ('\\$1'), ('$12'),"
            + " ('$0.')) AS c(r)",
        "SELECT s, regexp_replace(s, 'a', 'b', 2) AS o2, regexp_replace(s, '^a', '-', 2) AS a2,"
            + " regexp_replace(s, 'a', 'b', 20) AS o20, regexp_replace(s, '\\s*$', '') AS trimmed,"
            + " regexp_replace(s, '^\\s*', '') AS trimmed2 FROM texts",
        "SELECT s, p, s LIKE p AS l, s NOT LIKE p AS nl, s ILIKE p AS il, s NOT ILIKE p AS nil"
            + " FROM texts, (VALUES ('a\\_b'), ('a\\%b'), ('a_b'), ('a\\\\b'), ('%\\_%'), ('%'),"
            + " (NULL)) AS b(p)",
        "SELECT d, dayofweek(d) AS dw, weekday(d) AS wd, CAST(EXTRACT(DOW FROM d) AS INT) AS dow,"
            + " CAST(date_part('dow', d) AS INT) AS part, CAST(EXTRACT(DAYOFWEEK FROM d) AS INT)"
            + " AS day_of_week, CAST(EXTRACT(DOY FROM d) AS INT) AS doy FROM (VALUES"
            + " (DATE '2024-02-04'), (DATE '2024-02-05'), (DATE '2024-02-06'), (DATE '2024-02-07'),"
            + " (DATE '2024-02-08'), (DATE '2024-02-09'), (DATE '2024-02-10'), (NULL)) AS t(d)",
        "SELECT a, b, concat(a, b) AS ab, concat(a, '-', b) AS dashed, concat(a) AS one,"
            + " concat() AS none FROM (VALUES ('x'), (''), (NULL)) AS t(a), (VALUES ('y'), (NULL))"
            + " AS u(b)",
        "SELECT s, p, n, substring(s, p, n) AS sub, substr(s, p) AS rest, left(s, n) AS l,"
            + " right(s, n) AS r FROM (VALUES ('abc'), ('héllo'), (''), (NULL)) AS a(s), (VALUES (-7),"
            + " (-3), (-1), (0), (1), (2), (4), (7)) AS b(p), (VALUES (-2), (0), (1), (2), (9)) AS c(n)",
        "SELECT id, array_contains(a, 2) AS has2, array_contains(a, 5) AS has5, array_contains(t,"
            + " 'a') AS hasA, array_position(a, 1) AS at1, array_position(t, 'z') AS atZ,"
            + " array_distinct(a) AS da, array_distinct(t) AS dt, array_append(a, 9) AS appended,"
            + " array_prepend(t, NULL) AS prepended, size(a) AS n, size(m) AS nm,"
            + " cardinality(t) AS nt, array_size(a) AS na FROM nested",
        "SELECT s, nvl(s, 'z') AS a, nvl2(s, 'y', 'n') AS b, isnull(s) AS c, isnotnull(s) AS d,"
            + " startswith(s, 'a') AS e, endswith(s, 'b') AS f, locate('a', s) AS g,"
            + " locate('a', s, 2) AS h, locate('', s) AS i, locate('a', s, 0) AS j,"
            + " initcap(s) AS k FROM texts",
        "SELECT a, b, pmod(a, b) AS p FROM (VALUES (-7), (7), (0), (NULL)) AS t(a),"
            + " (VALUES (3), (-3)) AS u(b)",
        "SELECT d, datediff(DATE '2024-03-01', d) AS a, date_sub(d, 3) AS b, add_months(d, 1) AS c,"
            + " add_months(d, -13) AS c2, to_date(CAST(d AS STRING)) AS e,"
            + " unix_timestamp(concat(CAST(d AS STRING), ' 10:00:00')) AS u,"
            + " from_unixtime(unix_timestamp(concat(CAST(d AS STRING), ' 10:00:00'))) AS f"
            + " FROM (VALUES (DATE '2024-01-31'), (DATE '2019-02-28'), (DATE '2024-02-29'), (NULL))"
            + " AS t(d)",
        "SELECT id, array_join(t, '-') AS j, array_join(t, '-', '?') AS jn, array_max(a) AS mx,"
            + " array_min(a) AS mn, sort_array(a) AS sa, sort_array(a, false) AS sd,"
            + " array_sort(t) AS st, array_remove(a, 2) AS r, arrays_overlap(a, a) AS o,"
            + " slice(a, 2, 2) AS s1,"
            + " slice(a, -2, 2) AS s2, slice(a, -9, 3) AS s3, slice(a, 5, 1) AS s4 FROM nested",
        "SELECT id, explode(a) AS x FROM nested",
        "SELECT id, explode_outer(t) AS x FROM nested",
        "SELECT id, sort_array(collect_list(x)) AS l, sort_array(collect_set(x)) AS s FROM"
            + " (SELECT id, explode_outer(a) AS x FROM nested) e GROUP BY id",
        "SELECT collect_list(id) AS l, collect_set(id) AS s FROM nested WHERE id > 9",
        "SELECT s, CAST(s AS TIMESTAMP_LTZ) AS t, CAST(s AS TIMESTAMP_NTZ) AS n,"
            + " unix_timestamp(CAST(s AS TIMESTAMP_LTZ)) AS u,"
            + " TIMESTAMP_LTZ '2024-01-05 10:00:00' AS l,"
            + " CAST(date_trunc('DAY', CAST(s AS TIMESTAMP_LTZ)) AS DATE) AS d FROM (VALUES"
            + " ('2024-07-01 12:00:00'), ('2024-01-05 23:30:00+02:00'), (NULL)) AS t(s)");
    for (Engine engine : engines) {
      engine.sql("SELECT * FROM " + TEXTS).createView("texts");
      nestedView(engine);
    }
    for (String query : queries) {
      List<String> duck = rowsWritten(engines.get(0), query);
      List<String> spark = rowsWritten(engines.get(1), query);
      assertThat(spark).as(query).hasSizeGreaterThan(1); // a row at least, past the schema
      assertThat(duck).as(query).containsExactlyElementsOf(spark);
    }
  }

  /**
   * A subscript whose index is not a text in quotes is refused on both engines, naming it, at any
   * depth: an array's {@code a[i]} counts from 0 on Spark and from 1 on DuckDB ({@code split(s,
   * ',')[0]} was the first part on Spark and NULL on DuckDB, {@code [1]} the second and the first),
   * and neither engine can tell an array from a map before the query runs. {@code element_at}
   * counts from 1 on both (from the end below 0) and takes a map's value; a text in quotes takes a
   * map's value or a struct's field alike.
   */
  @Test
  void arraySubscriptsAreRefusedOnBothEnginesAndElementAtReadsAlike() throws Exception {
    Map<String, String> refused = Map.of(
        "SELECT split(s, ',')[0] AS v FROM texts", "split(s, ',')[0]",
        "SELECT s FROM texts WHERE split(s, ',')[1] = 'b'", "split(s, ',')[1]",
        "SELECT (SELECT max(a[i]) FROM (SELECT a, 1 AS i) x) AS v FROM nested", "a[i]",
        "SELECT m[1 + 1] AS v FROM nested", "m[1 + 1]");
    for (Engine engine : engines) {
      engine.sql("SELECT * FROM " + TEXTS).createView("texts");
      nestedView(engine);
      for (Map.Entry<String, String> query : refused.entrySet()) {
        assertThatThrownBy(() -> engine.sql(query.getKey())).as(engine.name() + ": " + query.getKey())
            .isInstanceOf(EngineException.class)
            .hasMessageStartingWith(engine.name() + ": " + query.getValue() + ": a subscript whose"
                + " index is not a text in quotes reads another element on each engine")
            .hasMessageContaining("Write element_at(a, i + 1) for an array's element");
      }
    }
    String alike = "SELECT id, element_at(a, 1) AS first, element_at(a, -1) AS last,"
        + " element_at(m, 'k') AS k, m['j'] AS j, s['f'] AS f, s.f AS field,"
        + " element_at(split(concat('p,', CAST(id AS STRING)), ','), 2) AS part FROM nested"
        + " WHERE id <> 4"; // Spark fails on element_at of an empty array (DuckDB: NULL)
    List<String> duck = rowsWritten(engines.get(0), alike);
    assertThat(duck).containsExactly(
        "id INT,first INT,last INT,k INT,j INT,f STRING,field STRING,part STRING",
        "[1,1,3,1,2,x,x,1]", "[2,4,null,null,3,null,null,2]", "[3,null,null,null,null,null,null,3]",
        "[5,2,null,null,null,null,null,5]");
    assertThat(rowsWritten(engines.get(1), alike)).isEqualTo(duck);
  }

  /**
   * Arrays with NULLs, repeated and missing values, empty and NULL; maps and structs: the view
   * {@code nested} on {@code engine}.
   */
  private void nestedView(Engine engine) throws java.io.IOException {
    Path json = dir.resolve("nested.json");
    if (!Files.exists(json)) {
      Files.writeString(json, String.join("\n",
          "{\"id\": 1, \"a\": [1, 2, 3], \"m\": {\"k\": 1, \"j\": 2}, \"s\": {\"f\": \"x\"},"
              + " \"t\": [\"b\", \"a\", \"c\"]}",
          "{\"id\": 2, \"a\": [4, null], \"m\": {\"j\": 3}, \"s\": {\"f\": null},"
              + " \"t\": [\"b\", null, \"a\", \"b\", null]}",
          "{\"id\": 3, \"a\": null, \"m\": null, \"s\": null, \"t\": null}",
          "{\"id\": 4, \"a\": [], \"m\": {}, \"s\": {}, \"t\": []}",
          "{\"id\": 5, \"a\": [2, 2, 1, 1, null, null], \"m\": {\"z\": null}, \"t\": [null]}"));
    }
    engine.read(Source.json(json.toString(), "id INT, a ARRAY<INT>, m MAP<STRING, INT>,"
        + " s STRUCT<f: STRING>, t ARRAY<STRING>")).createView("nested");
  }

  /** {@code query}'s rows on {@code engine}, written as Parquet and read by Spark: schema first. */
  private List<String> rowsWritten(Engine engine, String query) {
    Path out = dir.resolve(engine.name() + "-" + Integer.toHexString(query.hashCode()));
    engine.sql(query).writeParquet(out.toString());
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows = spark.read().parquet(out.toString());
    List<String> lines = new java.util.ArrayList<>();
    rows.collectAsList().forEach(row -> lines.add(row.toString()));
    java.util.Collections.sort(lines);
    lines.add(0, rows.schema().toDDL());
    return lines;
  }

  /**
   * Where Spark's and DuckDB's regular expressions place empty matches otherwise (Spark's {@code
   * split('abc', 'x*')} ends in an empty element), the DuckDB engine refuses the pattern, saying
   * what to write; so a positive {@code split} limit, which it cannot compute. What Spark fails on
   * (a {@code $} of no group, a {@code \} at the end of a replacement, a {@code LIKE} escape before
   * a letter) fails on both. More arguments than the DuckDB engine's {@code concat} takes are
   * refused saying how many it takes.
   */
  @Test
  void sparksFunctionsThatDuckDbCannotComputeAlikeAreRefusedThere() {
    Map<String, String> duckDbOnly = Map.of(
        "split(s, 'x*')", "split: the pattern x* matches an empty text",
        "split(s, '\\b')", "split: the pattern \\b matches an empty text (or between characters)",
        "regexp_replace(s, '\\s*', '-')", "regexp_replace: the pattern \\s* matches an empty text",
        "split(s, ',', 2)", "split(s, regex, limit) with a positive limit runs on Spark only");
    Map<String, String> both = Map.of(
        "regexp_replace(s, 'a', '$x')", "regexp_replace: a $ in the replacement is not followed by a"
            + " group number (as on Spark): write $1 for a group, \\$ for a dollar sign",
        "regexp_replace(s, 'a', 'b\\')", "regexp_replace: the replacement ends in a \\ that"
            + " escapes nothing",
        "s LIKE 'a\\b'", "LIKE: the escape character \\ is before something other than _, % or \\"
            + " in a\\b (as on Spark)");
    for (Engine engine : engines) {
      engine.sql("SELECT * FROM " + TEXTS).createView("texts");
      for (Map.Entry<String, String> refused : duckDbOnly.entrySet()) {
        String query = "SELECT " + refused.getKey() + " AS v FROM texts";
        if (engine == duckdb) {
          assertThatThrownBy(() -> rowsWritten(engine, query)).as(query)
              .isInstanceOf(EngineException.class).hasMessageContaining(refused.getValue());
        } else {
          assertThat(rowsWritten(engine, query)).as(query).hasSize(15);
        }
      }
      for (Map.Entry<String, String> refused : both.entrySet()) {
        String query = "SELECT " + refused.getKey() + " AS v FROM texts";
        var thrown = assertThatThrownBy(() -> rowsWritten(engine, query)).as(engine.name() + ": " + query)
            .isInstanceOf(EngineException.class);
        if (engine == duckdb) {
          thrown.hasMessageContaining(refused.getValue());
        }
      }
    }
    String many = "SELECT concat(" + "s, ".repeat(24) + "s) AS v FROM texts";
    assertThatThrownBy(() -> duckdb.sql(many)).isInstanceOf(EngineException.class)
        .hasMessageContaining("concat is a macro on the DuckDB engine that computes Spark's concat,"
            + " of up to 24 arguments: nest it (concat(concat(a, b), c)) or join them with ||");
    assertThat(rowsWritten(engines.get(1), many)).hasSize(15);
    assertThat(rowsWritten(duckdb, "SELECT concat(" + "s, ".repeat(23) + "s) AS v FROM texts"))
        .hasSize(15);
  }

  /**
   * What Spark 3.5 would read as NULL or a wrapped value fails on both engines with ANSI SQL on
   * Spark, as {@link SparkEngine#local()} sets it: values that do not cast, overflows, a modulo by
   * zero.
   */
  @Test
  void sqlThatWouldGiveNullOrAWrappedValueFailsOnBothEnginesWithAnsiSql() {
    List<String> expressions = List.of("CAST(note AS INT)", "CAST(day AS DATE)", "x + 2147483647",
        "CAST(x + 300 AS TINYINT)", "5 % (x - 1)", "CAST(x + 8.99 AS DECIMAL(2,1))");
    for (Engine engine : engines) {
      engine.sql("SELECT CAST(1 AS INT) AS x, 'abc' AS note, '2024-13-01' AS day").createView("t");
      for (String expression : expressions) {
        // Written, so that every value is computed (a count or a filter may be folded away).
        Table values = engine.sql("SELECT " + expression + " AS v FROM t");
        Path out = dir.resolve(engine.name() + "-" + expressions.indexOf(expression));
        assertThatThrownBy(() -> values.writeParquet(out.toString()))
            .as(engine.name() + ": " + expression)
            .isInstanceOf(EngineException.class);
        assertThat(out).doesNotExist();
      }
    }
  }

  @Test
  void aFunctionThatThrowsIsTheCauseOnBothEngines() {
    for (Engine engine : engines) {
      Table orders = engine.fromRecords(OrderArrowSchema.INSTANCE, RandomRecords.orders(200, 3));
      assertThatThrownBy(() -> orders.mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
                  order -> {
                    throw new IllegalStateException("no totals for order " + order.orderId());
                  })
              .count())
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageStartingWith(engine.name() + ": ")
          .hasMessageContaining("no totals for order")
          .hasCauseInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aWriteWhoseFunctionThrowsLeavesNoOutputOnBothEngines() {
    for (Engine engine : engines) {
      Path out = dir.resolve("totals-" + engine.name());
      Table orders = engine.fromRecords(OrderArrowSchema.INSTANCE, RandomRecords.orders(200, 3));
      Table failing = orders.mapRecords(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE,
          order -> {
            if (order.lines() != null && order.lines().size() == 3) {
              throw new IllegalStateException("no total for order " + order.orderId());
            }
            return OrderTotal.of(order);
          });
      assertThatThrownBy(() -> failing.writeParquet(out.toString()))
          .as(engine.name())
          .isInstanceOf(EngineException.class)
          .hasMessageStartingWith(engine.name() + ": ")
          .hasMessageContaining("no total for order");
      assertThat(out).as(engine.name() + " leaves nothing half-written").doesNotExist();
    }
  }

  /** A write the engine refuses before it starts keeps what it would have replaced. */
  @Test
  void aWriteRefusedBeforeItStartsKeepsTheOutputItWouldReplace() {
    // Spark: a type Parquet cannot hold, refused before the job starts.
    Engine sparkEngine = SparkEngine.of(spark);
    Path sparkOut = dir.resolve("kept-spark");
    sparkEngine.range(200).writeParquet(sparkOut.toString());
    assertThatThrownBy(() -> sparkEngine.sql("SELECT make_interval(0, 0, 0, 1) AS gap")
            .writeParquet(sparkOut.toString()))
        .isInstanceOf(EngineException.class);
    assertThat(sparkEngine.read(Source.parquet(sparkOut.toString(), "id BIGINT")).count())
        .isEqualTo(200);

    // DuckDB: the view a query reads was replaced by one without its column, so DuckDB
    // rejects the COPY statement.
    Path duckOut = dir.resolve("kept-duckdb");
    duckdb.range(200).createView("source");
    Table ids = duckdb.sql("SELECT id FROM source");
    ids.writeParquet(duckOut.toString());
    duckdb.sql("SELECT 'x' AS name").createView("source");
    assertThatThrownBy(() -> ids.writeParquet(duckOut.toString()))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("id");
    assertThat(duckdb.read(Source.parquet(duckOut.toString(), "id BIGINT")).count())
        .isEqualTo(200);
  }

  /**
   * A write over what the table reads is refused on both engines before anything is deleted: the
   * write replaces its directory first, so both would delete their own input (Spark's own {@code
   * mode(Overwrite)} deletes it, then fails with "file does not exist"; DuckDB with "no files
   * found"). However the path is spelt and however the table reaches the files: a function,
   * views of views, a common table expression, a subquery, another case, a glob, a link.
   */
  @Test
  void aWriteOverWhatTheTableReadsIsRefusedOnBothEnginesAndTheFilesStay() throws Exception {
    for (Engine engine : engines) {
      Path base = Files.createDirectories(dir.resolve(engine.name()));
      Path data = base.resolve("data");
      engine.sql("SELECT CAST(id AS BIGINT) AS id, CAST(id % 2 AS BIGINT) AS half"
          + " FROM range(10) AS r(id)").writeParquet(data.toString());
      List<Path> files;
      try (var listed = Files.list(data)) {
        files = listed.sorted().toList();
      }
      Path link = Files.createSymbolicLink(base.resolve("link"), data);
      Source source = Source.parquet(data.toString(), "id BIGINT, half BIGINT");
      Table read = engine.read(source);
      read.createView("Raw");
      engine.sql("SELECT id, half FROM raw WHERE id > 2").createView("later");
      Map<String, Table> tables = new java.util.LinkedHashMap<>();
      tables.put("read", read);
      tables.put("a function", read.mapRecords(HALF, HALF, h -> new Half(h.id() + 1, h.half())));
      tables.put("views of views", engine.sql("SELECT id, half FROM LATER"));
      tables.put("a common table expression",
          engine.sql("WITH c AS (SELECT * FROM later) SELECT id, half FROM c"));
      tables.put("a subquery", engine.sql("SELECT CAST(id AS BIGINT) AS id, CAST(0 AS BIGINT) AS"
          + " half FROM range(3) AS r(id) WHERE id IN (SELECT id FROM later)"));
      tables.put("a glob", engine.read(Source.parquet(data + "/*.parquet", "id BIGINT")));
      read.mapRecords(HALF, HALF, h -> h).createView("kept");
      tables.put("a function's output kept as a view", engine.sql("SELECT * FROM kept"));
      Map<String, String> outputs = Map.of(data.toString(), "it reads that path",
          base + "/x/../data/", "it reads that path",
          link.toString(), "it reads that path",
          base.toString(), "it reads " + data.toRealPath() + ", under it",
          data.resolve("half=1").toString(), "would put files into what the table reads: it reads "
              + data.toRealPath() + ", a directory above it. A later read");
      for (var table : tables.entrySet()) {
        for (var output : outputs.entrySet()) {
          assertThatThrownBy(() -> table.getValue().writeParquet(output.getKey()))
              .as(engine.name() + ", " + table.getKey() + ", writing " + output.getKey())
              .isInstanceOf(EngineException.class)
              .hasMessageStartingWith(engine.name() + ": writing ")
              .hasMessageContaining(output.getValue().startsWith("it reads")
                  ? "would replace what the table reads: " + output.getValue()
                      + ". A write replaces its directory before it reads the table's rows, so it"
                      + " would delete its own input. Write to another directory"
                  : output.getValue());
        }
      }
      try (var listed = Files.list(data)) {
        assertThat(listed.sorted().toList()).as(engine.name() + ": the files stay").isEqualTo(files);
      }
      assertThat(engine.read(source).count()).as(engine.name()).isEqualTo(10);
      // Beside it, a write is not refused.
      Path beside = base.resolve("data2");
      read.mapRecords(HALF, HALF, h -> new Half(h.id() + 100, h.half())).writeParquet(beside.toString());
      assertThat(engine.read(Source.parquet(beside.toString(), HALF)).count()).isEqualTo(10);

      // The view under another replaced: Spark bound "later" to the old one when it was made, so
      // it still reads data; DuckDB looks it up when the query runs, so it reads data2 now.
      engine.read(Source.parquet(beside.toString(), HALF)).createView("raw");
      Table later = engine.sql("SELECT id, half FROM later");
      if (engine == duckdb) {
        assertThat(later.count()).isEqualTo(10);
        later.writeParquet(data.toString());
        assertThat(engine.read(source).count()).isEqualTo(10);
      } else {
        assertThat(later.count()).isEqualTo(7);
        assertThatThrownBy(() -> later.writeParquet(data.toString()))
            .hasMessageContaining("would replace what the table reads: it reads that path");
      }
    }
  }

  /**
   * Local paths given as {@code file:} URIs, as Spark users write them ({@code file:///data},
   * {@code file:/data}), read and write as the paths they name on both engines, and a write over
   * what a table reads is refused whichever spelling each side uses. The DuckDB engine handed the
   * URI to DuckDB's reader, leaving Spark's listing rules aside (a glob matched nothing), wrote
   * into a directory named {@code file:} under the working directory, and let a table read through
   * one spelling overwrite its own files through the other.
   */
  @Test
  void fileUrisReadAndWriteTheLocalPathsTheyNameOnBothEngines() {
    Path data = dir.resolve("data");
    spark.sql("SELECT id, id % 2 AS half FROM range(10)").write().partitionBy("half")
        .parquet(data.toString());
    for (Engine engine : engines) {
      for (String path : List.of("file://" + data, "file:" + data, "file://" + data + "/half=*")) {
        engine.read(Source.parquet(path, HALF)).createView("uri");
        assertThat(engine.sql("SELECT CAST(sum(id) AS BIGINT) AS id, CAST(coalesce(sum(half), 0) AS BIGINT) AS half FROM uri")
            .collect(HALF)).as(engine.name() + " " + path)
            .containsExactly(new Half(45, path.endsWith("*") ? 0 : 5)); // no partition column from a glob of them
      }
      Path out = dir.resolve("out-" + engine.name());
      engine.read(Source.parquet(data.toString(), HALF)).writeParquet("file://" + out);
      assertThat(engine.read(Source.parquet(out.toString(), HALF)).count()).as(engine.name()).isEqualTo(10);
      Path partitioned = dir.resolve("partitioned-" + engine.name());
      engine.read(Source.parquet(data.toString(), HALF)).overwritePartitions("file:" + partitioned, "half");
      assertThat(partitioned.resolve("half=1")).as(engine.name()).isDirectory();
      for (List<String> readWritten : List.of(List.of("file://" + data, data.toString()),
          List.of(data.toString(), "file:" + data))) {
        assertThatThrownBy(() -> engine.read(Source.parquet(readWritten.get(0), HALF)).writeParquet(readWritten.get(1)))
            .as(engine.name() + " " + readWritten)
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("would replace what the table reads: it reads that path");
      }
      assertThat(engine.read(Source.parquet(data.toString(), HALF)).count()).as(engine.name()).isEqualTo(10);
      // A host in a file: URI: Spark refuses it ("Wrong FS"), and so does the DuckDB engine
      assertThatThrownBy(() -> engine.read(Source.parquet("file://localhost" + data, HALF)).count())
          .as(engine.name()).isInstanceOf(EngineException.class)
          .hasMessageContaining("file://localhost" + data);
    }
    // Other URIs: DuckDB's readers would take them by their own rules (or not at all offline)
    for (String uri : List.of("s3://bucket/data", "https://example.com/data.parquet")) {
      assertThatThrownBy(() -> duckdb.read(Source.parquet(uri, HALF)).count())
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("the DuckDB engine reads and writes local files only, " + uri);
    }
    assertThatThrownBy(() -> duckdb.read(Source.parquet(data.toString(), HALF))
            .writeParquet("file://localhost" + dir.resolve("elsewhere")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("local files only");
    assertThat(java.nio.file.Path.of("file:")).doesNotExist();
  }

  /** A record of the columns {@link #aWriteOverWhatTheTableReadsIsRefusedOnBothEnginesAndTheFilesStay} writes. */
  @io.github.sparkarrow.annotations.HasArrowSparkSchema
  record Half(long id, long half) {}

  private static final io.github.sparkarrow.runtime.ArrowRecordType<Half> HALF =
      EngineErrorsTest_HalfArrowSchema.INSTANCE;
}

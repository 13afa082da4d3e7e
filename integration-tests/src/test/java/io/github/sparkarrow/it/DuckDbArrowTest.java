package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.spark.SparkArrow;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real native consumer and producer in the same process: DuckDB's JDBC driver reads a Spark
 * DataFrame exported through the Arrow C Data Interface, and its query results become DataFrames.
 */
class DuckDbArrowTest {

  private final SparkSession spark = SparkTestSession.get();
  private BufferAllocator allocator;

  @BeforeEach
  void allocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void nothingLeaks() throws InterruptedException {
    allocator.close();
    SparkTestSession.assertNoArrowMemoryLeft();
    spark.conf().unset("spark.sql.execution.arrow.maxRecordsPerBatch");
  }

  private Dataset<Row> sales() {
    return spark
        .range(0, 20_000, 1, 5)
        .selectExpr(
            "id",
            "concat('c', CAST(id % 7 AS STRING)) AS category",
            "CAST(id * 1.25 AS DECIMAL(12,2)) AS amount",
            "IF(id % 11 = 0, NULL, CAST(id % 100 AS INT)) AS qty",
            "TIMESTAMP '2024-03-10 00:00:00' + make_interval(0, 0, 0, 0, 0, CAST(id AS INT), 0) AS sold_at");
  }

  private static String text(Object value) {
    return value instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : String.valueOf(value);
  }

  @Test
  void duckDbQueriesASparkDataFrameExportedAsACStream() throws Exception {
    spark.conf().set("spark.sql.execution.arrow.maxRecordsPerBatch", "1500");
    Dataset<Row> sales = sales();
    List<String> bySpark = new ArrayList<>();
    for (Row row : sales.groupBy("category")
        .agg(org.apache.spark.sql.functions.count("*"), org.apache.spark.sql.functions.sum("amount"),
            org.apache.spark.sql.functions.sum("qty"), org.apache.spark.sql.functions.max("sold_at"))
        .orderBy("category").collectAsList()) {
      bySpark.add(row.getString(0) + " " + row.getLong(1) + " " + text(row.get(2)) + " "
          + row.get(3) + " " + ((java.sql.Timestamp) row.get(4)).toInstant());
    }

    List<String> byDuckDb = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
      SparkArrow.exportArrowStream(sales, allocator, stream);
      connection.unwrap(DuckDBConnection.class).registerArrowStream("sales", stream);
      try (Statement statement = connection.createStatement();
          ResultSet rs = statement.executeQuery(
              "SELECT category, count(*), sum(amount), sum(qty), max(sold_at) FROM sales"
                  + " GROUP BY category ORDER BY category")) {
        while (rs.next()) {
          byDuckDb.add(rs.getString(1) + " " + rs.getLong(2) + " " + text(rs.getBigDecimal(3))
              + " " + rs.getLong(4) + " "
              + rs.getObject(5, java.time.OffsetDateTime.class).toInstant());
        }
      }
    }
    assertThat(byDuckDb).hasSize(7).isEqualTo(bySpark);
  }

  @Test
  void aDuckDbResultBecomesADataFrame() throws Exception {
    Dataset<Row> fromDuckDb;
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(
            "SELECT range AS id, 'c' || CAST(range % 7 AS VARCHAR) AS category,"
                + " CAST(range * 1.25 AS DECIMAL(12,2)) AS amount,"
                + " CASE WHEN range % 11 = 0 THEN NULL ELSE CAST(range % 100 AS INTEGER) END AS qty,"
                + " TIMESTAMP '2024-03-10 00:00:00' + to_minutes(range) AS sold_at,"
                + " CAST(range % 200 AS UTINYINT) AS small"
                + " FROM range(20000)");
        ArrowReader reader =
            (ArrowReader) rs.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, 4096)) {
      fromDuckDb = SparkArrow.createDataFrame(spark, reader);
    }
    assertThat(fromDuckDb.schema().toDDL())
        .isEqualTo("id BIGINT,category STRING,amount DECIMAL(12,2),qty INT,sold_at TIMESTAMP_NTZ,small SMALLINT");
    Dataset<Row> inSpark =
        sales().selectExpr("id", "category", "amount", "qty", "CAST(sold_at AS TIMESTAMP_NTZ) AS sold_at",
            "CAST(id % 200 AS SMALLINT) AS small");
    assertThat(fromDuckDb.count()).isEqualTo(20_000);
    assertThat(fromDuckDb.exceptAll(inSpark).count()).isZero();
    assertThat(inSpark.exceptAll(fromDuckDb).count()).isZero();
  }
}

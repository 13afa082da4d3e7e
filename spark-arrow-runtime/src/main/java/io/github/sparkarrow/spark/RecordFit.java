package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowRecordType;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Does a record fit that data: the check the typed {@link SparkArrow} functions make before a job
 * (columns by name, exactly or ignoring case, and struct fields at every depth in any order; types
 * equal; a nullable column may feed a NOT NULL component, whose values are then checked as they
 * arrive, unless strict), as an API and as test assertions that throw a plain {@link
 * AssertionError} listing every problem.
 */
public final class RecordFit {

  private RecordFit() {}

  /** Every problem in reading {@code schema} as {@code type}; empty if it fits. */
  public static List<String> problems(ArrowRecordType<?> type, StructType schema) {
    return problems(type, schema, false);
  }

  /**
   * Every problem in reading {@code schema} as {@code type}; with {@code strictNullability}, also
   * every column that may be null where the record has NOT NULL.
   */
  public static List<String> problems(
      ArrowRecordType<?> type, StructType schema, boolean strictNullability) {
    return InputColumns.problems(type, schema, strictNullability);
  }

  /** @throws AssertionError listing every problem, unless {@code schema} fits {@code type} */
  public static void assertFits(ArrowRecordType<?> type, StructType schema) {
    require("the schema", type, schema);
  }

  /** @throws AssertionError listing every problem, unless {@code df}'s columns fit {@code type} */
  public static void assertFits(ArrowRecordType<?> type, Dataset<?> df) {
    require("the DataFrame", type, df.schema());
  }

  /**
   * The schema Spark reads from the Parquet files at {@code path} (their footers; no job is run)
   * checked against {@code type}.
   *
   * @throws AssertionError listing every problem, unless the files fit {@code type}
   */
  public static void assertFitsParquet(SparkSession spark, ArrowRecordType<?> type, String path) {
    require("the Parquet files at " + path, type, spark.read().parquet(path).schema());
  }

  private static void require(String what, ArrowRecordType<?> type, StructType schema) {
    List<String> problems = problems(type, schema);
    if (!problems.isEmpty()) {
      throw new AssertionError(InputColumns.message(what, type, schema, problems));
    }
  }
}

package io.github.sparkarrow.spark;

import java.io.Serializable;

/**
 * Options of the {@link SparkArrow} map functions.
 *
 * @param barrier run the stage in barrier mode, all tasks at once (as PySpark 3.5's {@code
 *     mapInArrow(..., barrier=True)})
 * @param maxRecordsPerBatch rows per input batch; 0 takes the session's {@code
 *     spark.sql.execution.arrow.maxRecordsPerBatch} (10,000 by default)
 * @param strictNullability reject, before the job runs, every column that Spark says may be null
 *     where the input record has NOT NULL (a primitive or {@code @NonNull} component). Off by
 *     default: such columns are accepted, as Spark's own {@code Dataset.as(encoder)} accepts them,
 *     and a null that does arrive fails the task naming the column, the partition and the row.
 *     Spark marks every column read from Parquet, CSV, JSON or most tables nullable, and a {@code
 *     filter(col("x").isNotNull())} does not change that, so strict mode suits only inputs whose
 *     schema Spark knows to be non-null ({@code coalesce(col("x"), lit(0))}, {@code spark.range},
 *     a {@code createDataFrame} with a NOT NULL schema).
 */
public record ArrowMapOptions(boolean barrier, int maxRecordsPerBatch, boolean strictNullability)
    implements Serializable {

  public static final ArrowMapOptions DEFAULT = new ArrowMapOptions(false, 0, false);

  public ArrowMapOptions {
    if (maxRecordsPerBatch < 0) {
      throw new IllegalArgumentException("maxRecordsPerBatch must be 0 (the session's) or more");
    }
  }

  public ArrowMapOptions withBarrier(boolean barrier) {
    return new ArrowMapOptions(barrier, maxRecordsPerBatch, strictNullability);
  }

  public ArrowMapOptions withMaxRecordsPerBatch(int maxRecordsPerBatch) {
    return new ArrowMapOptions(barrier, maxRecordsPerBatch, strictNullability);
  }

  public ArrowMapOptions withStrictNullability(boolean strictNullability) {
    return new ArrowMapOptions(barrier, maxRecordsPerBatch, strictNullability);
  }
}

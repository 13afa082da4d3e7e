package io.github.sparkarrow.spark;

import java.io.Serializable;

/**
 * Options of the {@link SparkArrow} map functions.
 *
 * @param barrier run the stage in barrier mode, all tasks at once (as PySpark 3.5's {@code
 *     mapInArrow(..., barrier=True)})
 * @param maxRecordsPerBatch rows per input batch; 0 takes the session's {@code
 *     spark.sql.execution.arrow.maxRecordsPerBatch} (10,000 by default)
 */
public record ArrowMapOptions(boolean barrier, int maxRecordsPerBatch) implements Serializable {

  public static final ArrowMapOptions DEFAULT = new ArrowMapOptions(false, 0);

  public ArrowMapOptions {
    if (maxRecordsPerBatch < 0) {
      throw new IllegalArgumentException("maxRecordsPerBatch must be 0 (the session's) or more");
    }
  }

  public ArrowMapOptions withBarrier(boolean barrier) {
    return new ArrowMapOptions(barrier, maxRecordsPerBatch);
  }

  public ArrowMapOptions withMaxRecordsPerBatch(int maxRecordsPerBatch) {
    return new ArrowMapOptions(barrier, maxRecordsPerBatch);
  }
}

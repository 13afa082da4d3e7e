package io.github.sparkarrow.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Options of {@link SparkArrow#pipe}: immutable; start from {@link #DEFAULT}.
 *
 * @param idleTimeout a program that neither reads its input nor writes output for this long is
 *     killed and its task fails; {@link Duration#ZERO} (the default) waits forever, as {@code
 *     RDD.pipe} does
 * @param environment variables added to the program's environment
 * @param workingDirectory the program's working directory; null (the default) for the executor's
 * @param separateWorkingDirectory run each task's program in a directory of its own, made under the
 *     executor's working directory and holding links to the files shipped with {@code
 *     SparkContext.addFile}, as {@code RDD.pipe(..., separateWorkingDir = true)} does
 * @param maxRecordsPerBatch rows per input batch; 0 takes the session's {@code
 *     spark.sql.execution.arrow.maxRecordsPerBatch}
 * @param stderrBytes how many bytes of the end of the program's stderr a failure shows (8 KiB)
 */
public record PipeOptions(
    Duration idleTimeout,
    Map<String, String> environment,
    String workingDirectory,
    boolean separateWorkingDirectory,
    int maxRecordsPerBatch,
    int stderrBytes)
    implements Serializable {

  public static final PipeOptions DEFAULT =
      new PipeOptions(Duration.ZERO, Map.of(), null, false, 0, 8192);

  public PipeOptions {
    environment = Map.copyOf(environment);
    if (idleTimeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative");
    }
    if (maxRecordsPerBatch < 0) {
      throw new IllegalArgumentException("maxRecordsPerBatch must be 0 (the session's) or more");
    }
    if (stderrBytes < 0) {
      throw new IllegalArgumentException("stderrBytes must not be negative");
    }
  }

  public PipeOptions withIdleTimeout(Duration idleTimeout) {
    return new PipeOptions(idleTimeout, environment, workingDirectory, separateWorkingDirectory,
        maxRecordsPerBatch, stderrBytes);
  }

  /** These variables, added to (and replacing any of the same name in) the ones set so far. */
  public PipeOptions withEnvironment(Map<String, String> variables) {
    Map<String, String> all = new HashMap<>(environment);
    all.putAll(variables);
    return new PipeOptions(idleTimeout, all, workingDirectory, separateWorkingDirectory,
        maxRecordsPerBatch, stderrBytes);
  }

  public PipeOptions withWorkingDirectory(String workingDirectory) {
    return new PipeOptions(idleTimeout, environment, workingDirectory, separateWorkingDirectory,
        maxRecordsPerBatch, stderrBytes);
  }

  public PipeOptions withSeparateWorkingDirectory(boolean separate) {
    return new PipeOptions(idleTimeout, environment, workingDirectory, separate,
        maxRecordsPerBatch, stderrBytes);
  }

  public PipeOptions withMaxRecordsPerBatch(int maxRecordsPerBatch) {
    return new PipeOptions(idleTimeout, environment, workingDirectory, separateWorkingDirectory,
        maxRecordsPerBatch, stderrBytes);
  }

  public PipeOptions withStderrBytes(int stderrBytes) {
    return new PipeOptions(idleTimeout, environment, workingDirectory, separateWorkingDirectory,
        maxRecordsPerBatch, stderrBytes);
  }
}

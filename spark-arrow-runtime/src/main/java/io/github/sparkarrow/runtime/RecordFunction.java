package io.github.sparkarrow.runtime;

import java.io.Serializable;

/**
 * One output record per input record: the function of {@code mapRecords}, on every engine.
 * Serializable, so Spark can ship it to executors.
 */
@FunctionalInterface
public interface RecordFunction<I, O> extends Serializable {

  /** The output record of {@code record}; never null (use a flat-map to drop records). */
  O apply(I record) throws Exception;
}

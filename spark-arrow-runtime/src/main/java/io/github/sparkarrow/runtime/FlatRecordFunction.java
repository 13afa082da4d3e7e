package io.github.sparkarrow.runtime;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Any number of output records per input record: the function of {@code flatMapRecords}, on
 * every engine. Serializable, so Spark can ship it to executors.
 */
@FunctionalInterface
public interface FlatRecordFunction<I, O> extends Serializable {

  /** The output records of {@code record}, none to drop it. */
  Iterator<O> apply(I record) throws Exception;
}

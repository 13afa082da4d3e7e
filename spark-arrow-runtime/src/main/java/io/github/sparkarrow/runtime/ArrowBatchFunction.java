package io.github.sparkarrow.runtime;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A function from Arrow batches to Arrow batches: the JVM counterpart of the function PySpark's
 * {@code DataFrame.mapInArrow} takes. It runs once per Spark partition (see {@code
 * SparkArrow.mapInArrow}), or over any Arrow stream without Spark.
 *
 * <p><b>Memory.</b> Each input batch belongs to the caller and is valid until the next call to
 * {@code batches.next()} (the same root is refilled). Allocate output batches from {@code
 * context.allocator()} and register them with {@code context.closeAtEnd(...)}: the caller reads
 * each returned batch before asking for the next one, so one root may be reused for every output
 * batch, and the context frees it when the task ends, also on failure or early stop. A returned
 * batch must stay as it is (not refilled, reallocated or closed, also not from another thread)
 * until the caller asks for the next one: Spark reads its buffers directly.
 *
 * <p>Serializable, so Spark can ship it to executors.
 */
@FunctionalInterface
public interface ArrowBatchFunction extends Serializable {

  Iterator<VectorSchemaRoot> apply(Iterator<VectorSchemaRoot> batches, ArrowTaskContext context)
      throws Exception;
}

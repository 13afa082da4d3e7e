package io.github.sparkarrow.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.Dependency;
import org.apache.spark.OneToOneDependency;
import org.apache.spark.Partition;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * An RDD whose parent is made on the driver when a job first asks for its partitions, not when
 * the RDD is made: the input of a batch function is a DataFrame's plan, and executing it (which
 * makes Spark's adaptive execution run the shuffle stages below it) belongs to the action that
 * reads the function's output, as for Spark's own {@code mapInArrow}, whose physical plan
 * executes its child only then. Spark asks for the partitions and dependencies of every RDD of a
 * job on the thread that submits it, before its scheduler sees the job (SPARK-23626), so the
 * parent is made there. A task reads the parent's partition as it is.
 */
final class DeferredRDD extends RDD<Object> {
  private static final long serialVersionUID = 1L;
  private static final ClassTag<Object> OBJECT = ClassTag$.MODULE$.AnyRef();

  /** Makes the parent, once; on the driver only. */
  private final transient Supplier<RDD<?>> parent;

  DeferredRDD(SparkContext context, Supplier<RDD<?>> parent) {
    super(context, JavaConverters.asScalaBuffer(new ArrayList<Dependency<?>>()).toList(), OBJECT);
    this.parent = parent;
  }

  @Override
  public Partition[] getPartitions() {
    return parent.get().partitions();
  }

  @Override
  public Seq<Dependency<?>> getDependencies() {
    return JavaConverters.asScalaBuffer(
        List.<Dependency<?>>of(new OneToOneDependency<>(parent.get()))).toList();
  }

  @Override
  @SuppressWarnings("unchecked")
  public scala.collection.Iterator<Object> compute(Partition split, TaskContext context) {
    return ((RDD<Object>) dependencies().head().rdd()).iterator(split, context);
  }
}

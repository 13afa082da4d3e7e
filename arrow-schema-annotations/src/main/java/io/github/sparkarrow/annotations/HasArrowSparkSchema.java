package io.github.sparkarrow.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Derives a Spark SQL and Apache Arrow schema for a record at compile time.
 *
 * <p>For a record {@code com.example.Person} the annotation processor generates {@code
 * com.example.PersonArrowSchema} (a nested record {@code Outer.Inner} gives {@code
 * Outer_InnerArrowSchema}), which holds the Spark DDL ({@code SPARK_DDL}, {@code getSparkDdl()}),
 * the Arrow {@code Schema} ({@code getArrowSchema()}) and a singleton {@code INSTANCE} of the
 * runtime's {@code ArrowRecordType<Person>}.
 *
 * <p>Every record component becomes one column, in declaration order. Components of a nested
 * record become the fields of a {@code STRUCT}; a nested record needs no annotation of its own (if
 * it has one, its own {@link #naming()} is used for its fields, otherwise the enclosing record's).
 *
 * <p>The annotation is retained at run time so that {@code ArrowRecordTypes.of(Person.class)} can
 * say clearly when a class was never annotated.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HasArrowSparkSchema {

  /** How component names become column names; {@link ArrowColumn#name()} overrides it. */
  ColumnNaming naming() default ColumnNaming.AS_DECLARED;
}

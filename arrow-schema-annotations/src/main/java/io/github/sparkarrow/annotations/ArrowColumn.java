package io.github.sparkarrow.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names or documents the column of one record component.
 *
 * <pre>{@code
 * @HasArrowSparkSchema
 * record Person(@ArrowColumn(name = "person_id", comment = "primary key") long id) {}
 * }</pre>
 *
 * <p>Jackson's {@code @JsonProperty("x")} on a component renames it in the same way; {@code name}
 * here wins over both {@code @JsonProperty} and {@link HasArrowSparkSchema#naming()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface ArrowColumn {

  /** The column name; empty keeps the name {@link HasArrowSparkSchema#naming()} gives. */
  String name() default "";

  /** A column comment: Spark's {@code COMMENT '…'} and the {@code comment} metadata of the field. */
  String comment() default "";
}

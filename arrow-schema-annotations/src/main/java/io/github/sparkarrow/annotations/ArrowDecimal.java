package io.github.sparkarrow.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The precision and scale of a {@code BigDecimal} (or {@code BigInteger}) column, which otherwise
 * is {@code DECIMAL(38,18)} ({@code DECIMAL(38,0)} for {@code BigInteger}), as in Spark.
 *
 * <p>Put it on the component, or on the decimal type argument of a collection:
 *
 * <pre>{@code
 * record Line(@ArrowDecimal(precision = 18, scale = 2) BigDecimal price,
 *             List<@ArrowDecimal(precision = 10, scale = 4) BigDecimal> rates) {}
 * }</pre>
 *
 * <p>Precision is 1 to 38 and scale 0 to precision (Spark's limits); anything else, or the
 * annotation on a type that is not a decimal, is a compile error. A {@code BigInteger} takes scale
 * 0 only.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
public @interface ArrowDecimal {

  /** Total number of digits, 1 to 38. */
  int precision();

  /** Digits after the decimal point, 0 to {@link #precision()}. */
  int scale();
}

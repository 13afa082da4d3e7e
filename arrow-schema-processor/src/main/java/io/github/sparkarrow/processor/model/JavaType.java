package io.github.sparkarrow.processor.model;

/**
 * How Java holds a value: what generated code reads from a record and builds back. The SQL side
 * of the same value is its {@link SqlType}.
 *
 * @param kind the Java representation
 * @param named the enum or record class for {@link Kind#ENUM} and {@link Kind#RECORD}, else null
 * @param wrapper how an {@code Optional} wraps the value, {@link Wrapper#NONE} if it does not
 */
public record JavaType(Kind kind, ClassRef named, Wrapper wrapper) {

  /** The Java representations the type table maps. */
  public enum Kind {
    /** {@code boolean}, {@code int}, … ({@link SqlType.Primitive} says which). */
    PRIMITIVE,
    /** {@code Boolean}, {@code Integer}, … */
    BOXED,
    STRING,
    /** {@code char}, a one-character STRING. */
    CHAR,
    /** {@code Character}, a one-character STRING. */
    CHARACTER,
    UUID,
    ENUM,
    BYTE_ARRAY,
    BIG_DECIMAL,
    BIG_INTEGER,
    LOCAL_DATE,
    SQL_DATE,
    INSTANT,
    SQL_TIMESTAMP,
    LOCAL_DATE_TIME,
    DURATION,
    PERIOD,
    LIST,
    SET,
    COLLECTION,
    /** {@code T[]} other than {@code byte[]}. */
    ARRAY,
    MAP,
    RECORD
  }

  /** An {@code Optional} around the value. */
  public enum Wrapper {
    NONE,
    OPTIONAL,
    OPTIONAL_INT,
    OPTIONAL_LONG,
    OPTIONAL_DOUBLE
  }

  public JavaType {
    if ((kind == Kind.ENUM || kind == Kind.RECORD) != (named != null)) {
      throw new IllegalArgumentException(kind + " names a class if and only if it is ENUM or RECORD");
    }
  }

  public static JavaType of(Kind kind) {
    return new JavaType(kind, null, Wrapper.NONE);
  }

  public static JavaType named(Kind kind, ClassRef named) {
    return new JavaType(kind, named, Wrapper.NONE);
  }

  public JavaType wrappedIn(Wrapper wrapper) {
    return new JavaType(kind, named, wrapper);
  }
}

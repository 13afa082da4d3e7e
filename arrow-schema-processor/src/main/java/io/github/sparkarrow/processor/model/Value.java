package io.github.sparkarrow.processor.model;

/**
 * One slot of a schema — a column, an array element, a map key or value: its SQL type, whether it
 * may be null, and how Java holds it.
 */
public record Value(SqlType type, boolean nullable, JavaType java) {

  public Value withNullable(boolean nullable) {
    return new Value(type, nullable, java);
  }

  public Value withJava(JavaType java) {
    return new Value(type, nullable, java);
  }
}

package io.github.sparkarrow.processor.model;

/**
 * A record component as a column.
 *
 * @param name the column name (after renaming and naming rules)
 * @param component the record component's name, which is also its accessor's name
 * @param comment the column comment, empty for none
 * @param value the column's type, nullability and Java representation
 */
public record Column(String name, String component, String comment, Value value) {

  public boolean hasComment() {
    return !comment.isEmpty();
  }
}

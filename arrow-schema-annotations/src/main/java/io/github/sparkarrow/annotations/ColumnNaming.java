package io.github.sparkarrow.annotations;

/** How a record component's name becomes a column name. */
public enum ColumnNaming {
  /** The component's name as declared: {@code intCol} stays {@code intCol}. */
  AS_DECLARED,

  /**
   * Lower snake case: {@code intCol} becomes {@code int_col}, {@code httpURLValue} becomes {@code
   * http_url_value}, {@code line2Total} becomes {@code line2_total}. A word starts at an upper-case
   * letter that follows a lower-case letter or digit, and at the last upper-case letter of a run
   * that is followed by a lower-case letter.
   */
  SNAKE_CASE
}

package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.ArrowColumn;
import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;

/** Naming rules, renames, reserved words, odd characters and comments that need escaping. */
@HasArrowSparkSchema(naming = ColumnNaming.SNAKE_CASE)
public record Renamed(
    long userID,
    String httpURLValue,
    @ArrowColumn(name = "select") String reserved,
    @ArrowColumn(name = "with `back` quotes and spaces") String odd,
    @ArrowColumn(comment = "it's a \"comment\" with \\ backslash,\nnewline and 100% ünïcödé 😀")
        String commented,
    Inner inner) {

  /** Annotated itself, so its own naming (as declared) applies inside the struct. */
  @HasArrowSparkSchema
  public record Inner(String camelCase, @ArrowColumn(comment = "inner") int innerValue) {}
}

package io.github.sparkarrow.runtime;

/**
 * A value that a column cannot hold, or that a record component cannot take: names the column
 * (its path, such as {@code Order.lines[].price}) and the row of the batch.
 */
public class ArrowDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final int row;

  public ArrowDataException(String column, int row, String problem, Throwable cause) {
    super(column + ", row " + row + ": " + problem, cause);
    this.column = column;
    this.row = row;
  }

  public ArrowDataException(String column, int row, String problem) {
    this(column, row, problem, null);
  }

  /** The column's path: {@code Person.name}, {@code Order.lines[].price}, {@code M.m{key}}. */
  public String column() {
    return column;
  }

  /** The row of the batch (the record's index since the writer's last reset). */
  public int row() {
    return row;
  }
}

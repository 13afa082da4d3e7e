package io.github.sparkarrow.runtime;

/**
 * A value that a column cannot hold, or that a record component cannot take: names the column
 * (its path, such as {@code Order.lines[].price}), the row of the batch, and, once the exception
 * has passed through a task (Spark's, or any caller that knows where the batch came from), the
 * partition and the row within the partition.
 */
public class ArrowDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final int row;
  private final String problem;
  private final int partition;
  private final long partitionRow;

  public ArrowDataException(String column, int row, String problem, Throwable cause) {
    this(column, row, problem, -1, -1, cause);
  }

  public ArrowDataException(String column, int row, String problem) {
    this(column, row, problem, null);
  }

  private ArrowDataException(
      String column, int row, String problem, int partition, long partitionRow, Throwable cause) {
    super(message(column, row, problem, partition, partitionRow), cause);
    this.column = column;
    this.row = row;
    this.problem = problem;
    this.partition = partition;
    this.partitionRow = partitionRow;
  }

  private static String message(
      String column, int row, String problem, int partition, long partitionRow) {
    if (partition < 0) {
      return column + ", row " + row + ": " + problem;
    }
    return column + ", partition " + partition + ", row " + partitionRow + " (row " + row
        + " of its batch): " + problem;
  }

  /**
   * This exception, placed in {@code partition}: {@code firstRowOfBatch} is the index within the
   * partition of the batch's row 0. Keeps the cause and the stack trace. An exception already
   * placed is returned as it is.
   */
  public ArrowDataException inPartition(int partition, long firstRowOfBatch) {
    if (this.partition >= 0) {
      return this;
    }
    ArrowDataException placed =
        new ArrowDataException(
            column, row, problem, partition, firstRowOfBatch + row, getCause());
    placed.setStackTrace(getStackTrace());
    for (Throwable suppressed : getSuppressed()) {
      placed.addSuppressed(suppressed);
    }
    return placed;
  }

  /** The column's path: {@code Person.name}, {@code Order.lines[].price}, {@code M.m{key}}. */
  public String column() {
    return column;
  }

  /** The row of the batch (the record's index since the writer's last reset). */
  public int row() {
    return row;
  }

  /** What is wrong with the value, and what to do. */
  public String problem() {
    return problem;
  }

  /** The partition (Spark's partition index), or -1 where it is not known. */
  public int partition() {
    return partition;
  }

  /** The row within the partition, counted from 0, or -1 where it is not known. */
  public long partitionRow() {
    return partitionRow;
  }
}

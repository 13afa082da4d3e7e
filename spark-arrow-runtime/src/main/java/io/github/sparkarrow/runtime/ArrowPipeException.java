package io.github.sparkarrow.runtime;

import java.util.List;

/**
 * A pipe program failed: it could not start, exited with a non-zero status or by a signal, hung
 * past its idle timeout, or wrote something that is not the declared Arrow stream. The message
 * names the command, its exit status, what went wrong and the end of its standard error.
 */
public class ArrowPipeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> command;
  private final int exitStatus;
  private final String stderrTail;

  public ArrowPipeException(
      List<String> command, int exitStatus, String problem, String stderrTail, Throwable cause) {
    super(message(command, exitStatus, problem, stderrTail), cause);
    this.command = List.copyOf(command);
    this.exitStatus = exitStatus;
    this.stderrTail = stderrTail;
  }

  private static String message(
      List<String> command, int exitStatus, String problem, String stderrTail) {
    String status =
        exitStatus == NOT_STARTED
            ? ""
            : exitStatus == STILL_RUNNING
                ? " (still running; now killed)"
                : exitStatus > 128
                    ? " (killed by signal " + (exitStatus - 128) + ", exit status " + exitStatus + ")"
                    : " (exit status " + exitStatus + ")";
    return "the pipe program " + shortened(command) + status + ": " + problem
        + (stderrTail.isEmpty() ? "; it wrote nothing to stderr" : "; the end of its stderr:\n"
            + stderrTail);
  }

  /** The command for a message: each argument cut to 120 characters (a class path is long). */
  private static String shortened(List<String> command) {
    return command.stream()
        .map(arg -> arg.length() > 120 ? arg.substring(0, 117) + "…" : arg)
        .toList()
        .toString();
  }

  /** The exit status of a program that did not start. */
  public static final int NOT_STARTED = Integer.MIN_VALUE;
  /** The exit status of a program that had not exited when it failed (and was killed). */
  public static final int STILL_RUNNING = Integer.MIN_VALUE + 1;

  /** The command, as run. */
  public List<String> command() {
    return command;
  }

  /**
   * The exit status (above 128: killed by signal status - 128), or {@link #NOT_STARTED} or
   * {@link #STILL_RUNNING}.
   */
  public int exitStatus() {
    return exitStatus;
  }

  /** The last bytes the program wrote to its standard error, as text. */
  public String stderrTail() {
    return stderrTail;
  }
}

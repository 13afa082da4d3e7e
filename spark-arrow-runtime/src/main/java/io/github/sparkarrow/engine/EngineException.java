package io.github.sparkarrow.engine;

/**
 * A pipeline step failed on an engine: SQL it rejected, a source that does not fit its schema, a
 * typed function that threw (the function's exception is the cause, on both engines), or a
 * table that does not fit a record. The message names the engine and what to fix.
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String engine;

  public EngineException(String engine, String message, Throwable cause) {
    super(engine + ": " + message, cause);
    this.engine = engine;
  }

  /** The engine it happened on: {@code "duckdb"} or {@code "spark"}. */
  public String engine() {
    return engine;
  }
}

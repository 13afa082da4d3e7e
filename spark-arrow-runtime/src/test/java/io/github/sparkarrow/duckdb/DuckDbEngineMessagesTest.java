package io.github.sparkarrow.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/**
 * The words of an error of a function's input: DuckDB's, however its Arrow stream and JDBC
 * driver wrap them (each form below was seen in a run of {@code EngineErrorsTest}).
 */
class DuckDbEngineMessagesTest {

  private static final String SAYS =
      "Invalid Input Error: CSV /tmp/late: '7.5' in column n is no INT as Spark reads CSV";

  @Test
  void anInputErrorOutOfTheArrowStreamIsDuckDbsWords() {
    assertThat(DuckDbEngine.failureText(new UncheckedIOException(new IOException("[errno -1] " + SAYS))))
        .isEqualTo(SAYS);
    assertThat(DuckDbEngine.failureText(new IOException("[errno -1] " + SAYS))).isEqualTo(SAYS);
  }

  @Test
  void anInputErrorWrappedAsAnUnsuccessfulResultIsDuckDbsWords() {
    String wrapped = "Invalid Input Error: Attempting to execute an unsuccessful or closed query"
        + " result\nError: " + SAYS;
    assertThat(DuckDbEngine.failureText(new UncheckedIOException(new IOException("[errno -1] " + wrapped))))
        .isEqualTo(SAYS);
    assertThat(DuckDbEngine.queryError(wrapped)).isEqualTo(SAYS);
    assertThat(DuckDbEngine.queryError(SAYS)).isEqualTo(SAYS);
  }

  @Test
  void aFunctionsExceptionKeepsItsClass() {
    assertThat(DuckDbEngine.failureText(new IllegalStateException("no price for sale 7")))
        .isEqualTo("java.lang.IllegalStateException: no price for sale 7");
    assertThat(DuckDbEngine.failureText(new IOException("disk full")))
        .isEqualTo("java.io.IOException: disk full");
  }
}

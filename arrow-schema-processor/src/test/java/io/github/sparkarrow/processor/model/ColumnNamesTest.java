package io.github.sparkarrow.processor.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnNamesTest {

  @ParameterizedTest
  @CsvSource({
    "intCol, int_col",
    "col, col",
    "id, id",
    "httpURLValue, http_url_value",
    "userID, user_id",
    "HTTPServer, http_server",
    "line2Total, line2_total",
    "already_snake, already_snake",
    "X, x",
    "aB, a_b",
    "camel_Case, camel_case",
  })
  void snakeCase(String declared, String column) {
    assertThat(ColumnNames.snakeCase(declared)).isEqualTo(column);
  }
}

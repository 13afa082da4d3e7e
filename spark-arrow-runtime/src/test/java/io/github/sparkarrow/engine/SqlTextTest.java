package io.github.sparkarrow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A query's text cut after its last meaningful character, and doubled quotes refused. */
class SqlTextTest {

  @Test
  void trailingCommentsSemicolonsAndSpaceAreCut() {
    assertThat(SqlText.of("e", "SELECT 1 -- one")).isEqualTo("SELECT 1");
    assertThat(SqlText.of("e", "SELECT 1;\n-- done\n")).isEqualTo("SELECT 1");
    assertThat(SqlText.of("e", "SELECT 1 /* a */ ; ; /* b */ ")).isEqualTo("SELECT 1");
    assertThat(SqlText.of("e", "-- first\nSELECT 1 -- x\n, 2")).isEqualTo("-- first\nSELECT 1 -- x\n, 2");
  }

  @Test
  void stringsAndQuotedNamesAreNotComments() {
    assertThat(SqlText.of("e", "SELECT '--' AS a;")).isEqualTo("SELECT '--' AS a");
    assertThat(SqlText.of("e", "SELECT '/* x */;' -- y")).isEqualTo("SELECT '/* x */;'");
    assertThat(SqlText.of("e", "SELECT 1 AS \"a--\"\"b\" -- c")).isEqualTo("SELECT 1 AS \"a--\"\"b\"");
    assertThat(SqlText.of("e", "SELECT '' AS empty, 'x' AS x")).isEqualTo("SELECT '' AS empty, 'x' AS x");
    assertThat(SqlText.of("e", "SELECT 'open")).isEqualTo("SELECT 'open"); // the engine rejects it
  }

  @Test
  void aQuoteDoubledInsideAStringIsRefused() {
    for (String query : new String[] {"SELECT 'it''s' AS s", "SELECT '''' AS s", "SELECT 'a''' AS s"}) {
      assertThatThrownBy(() -> SqlText.of("duckdb", query))
          .as(query)
          .isInstanceOf(EngineException.class)
          .hasMessageStartingWith("duckdb: a quote doubled inside a string (")
          .hasMessageContaining("DuckDB reads it as one quote, Spark as two strings joined")
          .hasMessageContaining("'it' || chr(39) || 's'")
          .hasMessageEndingWith("query: " + query);
    }
    assertThatThrownBy(() -> SqlText.of("e", "SELECT 'x' AS a -- it''s\n, 'it''s'"))
        .hasMessageContaining("('it''s')");
  }
}

package io.github.sparkarrow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A query's text cut after its last meaningful character, and doubled quotes refused. */
class SqlTextTest {

  /** Each query (key) and its text cut: trailing comments, {@code ;} and space; not in strings. */
  @Test
  void trailingCommentsSemicolonsAndSpaceAreCutButNotInsideStringsOrNames() {
    Map<String, String> cut = new LinkedHashMap<>();
    cut.put("SELECT 1 -- one", "SELECT 1");
    cut.put("SELECT 1;\n-- done\n", "SELECT 1");
    cut.put("SELECT 1 /* a */ ; ; /* b */ ", "SELECT 1");
    cut.put("-- first\nSELECT 1 -- x\n, 2", "-- first\nSELECT 1 -- x\n, 2");
    cut.put("SELECT '--' AS a;", "SELECT '--' AS a");
    cut.put("SELECT '/* x */;' -- y", "SELECT '/* x */;'");
    cut.put("SELECT 1 AS \"a--\"\"b\" -- c", "SELECT 1 AS \"a--\"\"b\"");
    cut.put("SELECT '' AS empty, 'x' AS x", "SELECT '' AS empty, 'x' AS x");
    cut.put("SELECT 1 AS `a--b``c` -- d", "SELECT 1 AS `a--b``c`"); // Spark's quoted names
    cut.put("SELECT 'open", "SELECT 'open"); // the engine rejects it
    cut.forEach((query, text) -> assertThat(SqlText.of("e", query)).as(query).isEqualTo(text));
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

package io.github.sparkarrow.engine;

/**
 * A query's text as both engines take it. For the engines; a pipeline does not use it.
 *
 * <p>The text is cut after its last character that is not a comment, white space or {@code ;}:
 * an engine puts a query inside others ({@code COPY (…) TO}, {@code SELECT * FROM (…)}), where a
 * trailing {@code -- comment} would hide the closing parenthesis and a {@code ;} end the
 * statement too soon (Spark's parser takes both). Comments inside stay: what follows them is on
 * another line.
 *
 * <p>A quote doubled inside a string ({@code 'it''s'}) is refused: it is one quote on DuckDB (the
 * SQL standard's) and two strings joined on Spark ({@code its}), without a word on either.
 */
public final class SqlText {

  private SqlText() {}

  /**
   * {@code query}, cut after its last meaningful character.
   *
   * @throws EngineException naming {@code engine}, for a quote doubled inside a string
   */
  public static String of(String engine, String query) {
    int end = 0;
    int i = 0;
    while (i < query.length()) {
      char c = query.charAt(i);
      if (c == '-' && query.startsWith("--", i)) { // a comment to the end of the line
        int eol = query.indexOf('\n', i);
        i = eol < 0 ? query.length() : eol + 1;
      } else if (c == '/' && query.startsWith("/*", i)) {
        int close = query.indexOf("*/", i + 2);
        i = close < 0 ? query.length() : close + 2;
      } else if (c == '\'' || c == '"' || c == '`') { // a string, a quoted name (Spark's `a`)
        int j = i + 1;
        while (j < query.length()) {
          if (query.charAt(j) != c) {
            j++;
          } else if (j + 1 < query.length() && query.charAt(j + 1) == c) {
            if (c == '\'') {
              throw doubledQuote(engine, query, i);
            }
            j += 2;
          } else {
            break;
          }
        }
        i = Math.min(j + 1, query.length());
        end = i;
      } else {
        i++;
        if (!Character.isWhitespace(c) && c != ';') {
          end = i;
        }
      }
    }
    return query.substring(0, end).strip();
  }

  private static EngineException doubledQuote(String engine, String query, int start) {
    int end = Math.min(query.length(), start + 40);
    return new EngineException(engine, "a quote doubled inside a string (" + query.substring(start,
        end) + (end < query.length() ? "…" : "") + "): DuckDB reads it as one quote, Spark as"
        + " two strings joined ('it''s' is it's on DuckDB, its on Spark). Write the quote as"
        + " chr(39): 'it' || chr(39) || 's'.\nquery: " + query, null);
  }
}

package io.github.sparkarrow.duckdb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * DuckDB macros, under Spark's names, that compute what Spark 3.5's functions of those names
 * compute, where DuckDB's own give other values for the same SQL without a word: a pipeline's SQL
 * then means one thing on both engines. The engine creates them in its database when it opens
 * (in the {@code main} schema, so its connections and {@code connection()} see them); DuckDB's
 * own functions stay callable by their full names ({@code system.main.regexp_replace}), which is
 * how the engine's own SQL calls them.
 *
 * <ul>
 *   <li>{@code split(s, regex)} splits at a regular expression (DuckDB's splits at a text:
 *       {@code split('a.b', '.')}); {@code split(s, regex, limit)} with a limit of 0 or less the
 *       same; a positive limit is refused.
 *   <li>{@code regexp_extract(s, regex)} is group 1 (DuckDB's: the whole match).
 *   <li>{@code regexp_replace(s, regex, rep)} replaces every match (DuckDB's: the first), and
 *       {@code rep} is Java's replacement text: {@code $1} a group, {@code \$} a dollar sign,
 *       {@code \\} a backslash (DuckDB's: {@code \1} a group, {@code $} itself); a {@code $}
 *       before anything but a digit, or a {@code \} at the end, fails as on Spark; {@code
 *       regexp_replace(s, regex, rep, position)} replaces from {@code position} (1-based) on.
 *   <li>{@code LIKE}, {@code NOT LIKE}, {@code ILIKE} and {@code NOT ILIKE} take {@code \} as
 *       their escape ({@code 'a\_b'} matches {@code a_b} alone; DuckDB's has no escape without
 *       {@code ESCAPE}), and refuse it before anything but {@code _}, {@code %} and {@code \}.
 *   <li>{@code dayofweek}, {@code EXTRACT(DOW …)}, {@code date_part('dow', …)} count from Sunday
 *       as 1 (DuckDB's from 0); {@code weekday} from Monday as 0 (DuckDB's: {@code dayofweek}).
 *   <li>{@code element_at(a, i)} is an array's element counting from 1 (from the end below 0),
 *       {@code element_at(m, key)} a map's value (DuckDB's: a list of it). An index of 0 or
 *       beyond the array is NULL here, where Spark fails.
 *   <li>{@code array_contains} is NULL where the array holds a NULL and not the value (DuckDB's:
 *       false); {@code array_position} 0 where the value is not found (DuckDB's: NULL), a
 *       BIGINT; {@code array_distinct} keeps the first of each value in order, a NULL too
 *       (DuckDB's: any order, without NULLs); {@code array_append}/{@code array_prepend}(array,
 *       value) of a NULL array are NULL (DuckDB's: a list of the value; its {@code
 *       array_prepend} takes the value first); {@code size}, {@code cardinality} and {@code
 *       array_size} are INTs (DuckDB has no {@code size}, its {@code cardinality} is unsigned).
 *   <li>{@code concat} is NULL where an argument is (DuckDB's skips NULLs), as {@code ||} is on
 *       both.
 *   <li>{@code substring}/{@code substr} of a length below 0 is empty, and from position 0 starts
 *       at the first character ({@code substring('abc', 0, 2)} is {@code ab}; DuckDB's counts back
 *       and starts before the first); {@code left} and {@code right} of a length below 1 are
 *       empty (DuckDB's count from the other end).
 * </ul>
 *
 * <p>And Spark's functions DuckDB has not, or has for other arguments, as Spark computes them:
 * {@code nvl}, {@code nvl2}, {@code isnull}, {@code isnotnull}, {@code startswith}, {@code
 * endswith}, {@code locate}, {@code pmod}, {@code initcap}, {@code datediff(end, start)}, {@code
 * date_sub(date, days)}, {@code add_months}, {@code to_date(s)}, {@code unix_timestamp}, {@code
 * from_unixtime(n)}, {@code array_join}, {@code array_max}, {@code array_min}, {@code
 * sort_array}, {@code array_remove}, {@code arrays_overlap}, {@code slice}, {@code explode}
 * and {@code explode_outer} of an array, {@code collect_list}, {@code collect_set}.
 *
 * <p>Spark's {@code TIMESTAMP_LTZ} (its {@code TIMESTAMP}, an instant) and {@code TIMESTAMP_NTZ}
 * are DuckDB types of those names, {@code TIMESTAMPTZ} and {@code TIMESTAMP}: DuckDB's own {@code
 * TIMESTAMP} is a local time, Spark's an instant.
 *
 * <p>Regular expressions are DuckDB's (RE2) still: what Java's and RE2's share (classes, groups,
 * quantifiers, anchors, {@code \d}, {@code \s}, {@code \w}) reads alike; lookarounds and
 * back-references fail on DuckDB. The two place empty matches otherwise ({@code split('abc',
 * 'x*')} ends in an empty element on Spark; {@code regexp_replace('ax', 'x*', '-')} is {@code
 * -a--} there, {@code -a-} on DuckDB), so a pattern that matches an empty text is refused (but
 * where both give the same: splitting at {@code ''} into characters, replacing with {@code ''},
 * {@code ^} and {@code $} alone), and so is a {@code \b} in a split. A group index beyond the
 * pattern's groups is {@code ''} on DuckDB, where Spark fails.
 */
final class SparkFunctions {

  /** {@code concat} takes up to this many arguments on the DuckDB engine (Spark: any number). */
  static final int CONCAT_ARGUMENTS = 24;

  private static final Pattern WRONG_ARGUMENTS =
      Pattern.compile("Macro \"?([^\"(]+)\"?\\(\\) does not support the supplied arguments");

  /** The statements that create the macros, by name. */
  private static final Map<String, String> MACROS = macros();

  private SparkFunctions() {}

  /**
   * Spark's names of its timestamp types: {@code TIMESTAMP_LTZ} (Spark's {@code TIMESTAMP}, an
   * instant) and {@code TIMESTAMP_NTZ} (a local time). DuckDB's {@code TIMESTAMP} is the local
   * time, and its name cannot be taken.
   */
  private static final List<String> TYPES = List.of(
      "CREATE TYPE timestamp_ltz AS TIMESTAMPTZ", "CREATE TYPE timestamp_ntz AS TIMESTAMP");

  /**
   * The statements that create the types and macros, as one script (one call: half the time of
   * each alone).
   */
  static String script() {
    return String.join(";\n", TYPES) + ";\n" + String.join(";\n", MACROS.values());
  }

  /**
   * What to say after DuckDB's words where a query gives one of the macros arguments it does not
   * take ("Macro concat() does not support the supplied arguments"); "" for another error.
   */
  static String hint(String message) {
    Matcher macro = WRONG_ARGUMENTS.matcher(String.valueOf(message));
    if (!macro.find() || !MACROS.containsKey(macro.group(1))) {
      return "";
    }
    String name = macro.group(1);
    return "\n" + name + " is a macro on the DuckDB engine that computes Spark's " + name
        + (name.equals("concat") ? ", of up to " + CONCAT_ARGUMENTS + " arguments: nest it"
            + " (concat(concat(a, b), c)) or join them with ||"
            : ": give it the arguments Spark's takes");
  }

  private static Map<String, String> macros() {
    Map<String, String> macros = new LinkedHashMap<>();
    String emptyMatches = "regexp_full_match('', p)";
    String split = "CASE WHEN p <> '' AND (" + emptyMatches + " OR regexp_matches(p,"
        + " '(^|[^\\\\])(\\\\\\\\)*\\\\[bB]')) THEN error('split: the pattern ' || p || ' matches an"
        + " empty text (or between characters), where Spark''s and DuckDB''s regular expressions"
        + " split otherwise: write one that matches at least a character (\\s+ for \\s*)')"
        + " ELSE string_split_regex(s, p) END";
    macro(macros, "split", "(s, p) AS " + split,
        "(s, p, n) AS CASE WHEN n > 0 THEN error('split(s, regex, limit) with a positive limit"
            + " runs on Spark only: split(s, regex) splits at every match on both engines')"
            + " ELSE " + split + " END");
    macro(macros, "regexp_extract", "(s, p) AS system.main.regexp_extract(s, p, 1)",
        "(s, p, i) AS system.main.regexp_extract(s, p, i)");
    // Java's replacement text as RE2's: \c is c (\\ a backslash), $n group n. (Java reads $12 as
    // group 12 where the pattern has 12 groups; here it is group 1 and a 2, as Java reads it
    // where the pattern has fewer.)
    macro(macros, "__sparkarrow_replacement", "(r) AS array_to_string(list_transform("
        + "regexp_extract_all(r, '(?s)\\\\.?|\\$[0-9]?|[^\\\\$]+'), lambda t: CASE"
        + " WHEN t = '\\' THEN error('regexp_replace: the replacement ends in a \\ that escapes"
        + " nothing (as on Spark): write \\\\ for a backslash')"
        + " WHEN t = '$' THEN error('regexp_replace: a $ in the replacement is not followed by a"
        + " group number (as on Spark): write $1 for a group, \\$ for a dollar sign')"
        + " WHEN t = '\\\\' THEN t WHEN starts_with(t, '\\') THEN t[2]"
        + " WHEN starts_with(t, '$') THEN '\\' || t[2] ELSE t END), '')");
    String replace = "CASE WHEN " + emptyMatches + " AND r <> '' AND p NOT IN ('^', '$') THEN"
        + " error('regexp_replace: the pattern ' || p || ' matches an empty text, where Spark''s and"
        + " DuckDB''s regular expressions replace otherwise: write one that matches at least a"
        + " character (\\s+ for \\s*)') ELSE system.main.regexp_replace(%s, p,"
        + " __sparkarrow_replacement(r), 'g') END";
    macro(macros, "regexp_replace", "(s, p, r) AS " + replace.formatted("s"),
        "(s, p, r, pos) AS CASE WHEN pos < 1 THEN error('regexp_replace: the position must be 1"
            + " or more, as on Spark') WHEN pos > length(s) THEN s"
            + " ELSE system.main.substring(s, 1, pos - 1) || "
            + replace.formatted("system.main.substring(s, pos)") + " END");
    // A pattern without a \ is DuckDB's to match (and to make fast); one with is checked first.
    String escapes = "regexp_full_match(p, '(?s)([^\\\\]|\\\\[_%\\\\])*')";
    String badEscape = "error('LIKE: the escape character \\ is before something other than _, %"
        + " or \\ in ' || p || ' (as on Spark): write \\\\ for a backslash')";
    for (String[] like : new String[][] {
        {"~~", "system.main.\"~~\"(s, p)", "like_escape(s, p, '\\')"},
        {"!~~", "NOT system.main.\"~~\"(s, p)", "NOT like_escape(s, p, '\\')"},
        {"~~*", "system.main.\"~~*\"(s, p)", "ilike_escape(s, p, '\\')"},
        {"!~~*", "NOT system.main.\"~~*\"(s, p)", "NOT ilike_escape(s, p, '\\')"}}) {
      macro(macros, like[0], "(s, p) AS CASE WHEN p IS NULL OR NOT contains(p, '\\') THEN "
          + like[1] + " WHEN " + escapes + " THEN " + like[2] + " ELSE " + badEscape + " END");
    }
    // Spark's a[i] counts from 0 (both engines refuse it), element_at(a, i) from 1 as DuckDB's
    // a[i]; element_at(m, k) is a map's value, as m[k] (DuckDB's element_at: a list of it).
    macro(macros, "element_at", "(x, i) AS x[i]");
    // Spark's array functions where DuckDB's namesakes differ: NULL, not false, where the array
    // holds a NULL and not the value; 0, not NULL, where it is not found; the first of each value
    // in order and one NULL, not any order without NULLs; NULL for a NULL array, not [x].
    macro(macros, "array_contains", "(a, x) AS CASE WHEN a IS NULL OR x IS NULL THEN NULL"
        + " WHEN list_contains(a, x) THEN true WHEN list_count(a) < len(a) THEN NULL ELSE false END");
    macro(macros, "array_position", "(a, x) AS CASE WHEN a IS NULL OR x IS NULL THEN NULL"
        + " ELSE CAST(coalesce(list_position(a, x), 0) AS BIGINT) END");
    macro(macros, "array_distinct", "(a) AS list_filter(a, lambda e, i: list_position(a, e) = i)");
    macro(macros, "array_append", "(a, x) AS CASE WHEN a IS NOT NULL THEN list_append(a, x) END");
    macro(macros, "array_prepend", "(a, x) AS CASE WHEN a IS NOT NULL THEN list_prepend(x, a) END");
    for (String name : List.of("size", "cardinality", "array_size")) { // DuckDB's: UBIGINT
      macro(macros, name, "(x) AS CASE WHEN x IS NOT NULL"
          + " THEN CAST(system.main.cardinality(x) AS INTEGER) END");
    }
    // Spark's functions DuckDB has not (or has for other arguments), as Spark computes them.
    macro(macros, "nvl", "(a, b) AS coalesce(a, b)");
    macro(macros, "nvl2", "(a, b, c) AS CASE WHEN a IS NOT NULL THEN b ELSE c END");
    macro(macros, "isnull", "(x) AS x IS NULL");
    macro(macros, "isnotnull", "(x) AS x IS NOT NULL");
    macro(macros, "startswith", "(s, p) AS starts_with(s, p)");
    macro(macros, "endswith", "(s, p) AS ends_with(s, p)");
    macro(macros, "locate", "(t, s) AS CAST(strpos(s, t) AS INTEGER)",
        "(t, s, pos) AS CAST(CASE WHEN t IS NULL OR s IS NULL THEN NULL WHEN pos < 1 THEN 0"
            + " WHEN strpos(system.main.substring(s, pos), t) = 0 THEN 0"
            + " ELSE strpos(system.main.substring(s, pos), t) + pos - 1 END AS INTEGER)");
    macro(macros, "pmod", "(a, b) AS CASE WHEN a % b < 0 THEN (a % b + b) % b ELSE a % b END");
    macro(macros, "initcap", "(s) AS array_to_string(list_transform(string_split(lower(s), ' '),"
        + " lambda w: upper(w[1]) || w[2:]), ' ')");
    macro(macros, "datediff", "(e, s) AS CAST(date_diff('day', CAST(s AS DATE), CAST(e AS DATE))"
        + " AS INTEGER)", "(p, s, e) AS system.main.datediff(p, s, e)");
    macro(macros, "date_sub", "(d, n) AS CAST(d AS DATE) - CAST(n AS INTEGER)",
        "(p, s, e) AS system.main.date_sub(p, s, e)");
    macro(macros, "add_months",
        "(d, n) AS CAST(CAST(d AS DATE) + to_months(CAST(n AS INTEGER)) AS DATE)");
    macro(macros, "to_date", "(s) AS CAST(s AS DATE)");
    macro(macros, "unix_timestamp",
        "() AS CAST(floor(epoch(current_timestamp)) AS BIGINT)",
        "(t) AS CAST(floor(epoch(CAST(t AS TIMESTAMPTZ))) AS BIGINT)");
    macro(macros, "from_unixtime", "(n) AS strftime(to_timestamp(n), '%Y-%m-%d %H:%M:%S')");
    macro(macros, "array_join",
        "(a, sep) AS array_to_string(list_filter(a, lambda x: x IS NOT NULL), sep)",
        "(a, sep, r) AS array_to_string(list_transform(a, lambda x: coalesce(x, r)), sep)");
    // NULLs last, whatever the engine's order of NULLs in ORDER BY (Spark's: first ascending)
    macro(macros, "array_sort", "(a) AS list_sort(a, 'ASC', 'NULLS LAST')");
    macro(macros, "array_max", "(a) AS list_max(a)");
    macro(macros, "array_min", "(a) AS list_min(a)");
    macro(macros, "sort_array", "(a) AS list_sort(a, 'ASC', 'NULLS FIRST')",
        "(a, up) AS CASE WHEN up THEN list_sort(a, 'ASC', 'NULLS FIRST')"
            + " ELSE list_sort(a, 'DESC', 'NULLS LAST') END");
    macro(macros, "array_remove", "(a, x) AS CASE WHEN x IS NOT NULL"
        + " THEN list_filter(a, lambda e: e IS NULL OR e <> x) END");
    macro(macros, "arrays_overlap", "(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL"
        + " WHEN list_has_any(a, b) THEN true WHEN len(a) > 0 AND len(b) > 0"
        + " AND (list_count(a) < len(a) OR list_count(b) < len(b)) THEN NULL ELSE false END");
    macro(macros, "slice", "(a, p, n) AS CASE WHEN p = 0 THEN error('slice: the start must not be"
        + " 0 (as on Spark): arrays count from 1') WHEN n < 0 THEN error('slice: the length must"
        + " not be negative (as on Spark)') WHEN p > 0 THEN list_slice(a, p, p + n - 1)"
        + " WHEN len(a) + p < 0 THEN list_slice(a, 1, 0)"
        + " ELSE list_slice(a, len(a) + p + 1, len(a) + p + n) END");
    // A row per element (explode_outer: one of NULL for a NULL or empty array); the aggregates
    // leave NULLs out, as Spark's do.
    macro(macros, "explode", "(a) AS unnest(a)");
    macro(macros, "explode_outer",
        "(a) AS unnest(CASE WHEN len(a) > 0 THEN a ELSE list_slice([NULL], 1, 1) END)");
    macro(macros, "collect_list", "(x) AS coalesce(list(x) FILTER (WHERE x IS NOT NULL), [])");
    macro(macros, "collect_set",
        "(x) AS coalesce(list(DISTINCT x) FILTER (WHERE x IS NOT NULL), [])");
    macro(macros, "dayofweek", "(d) AS CAST(system.main.dayofweek(d) + 1 AS INTEGER)");
    macro(macros, "weekday", "(d) AS CAST(system.main.isodow(d) - 1 AS INTEGER)");
    for (String name : List.of("date_part", "datepart")) {
      macro(macros, name, "(f, d) AS system.main.date_part(f, d)"
          + " + CASE WHEN lower(f) IN ('dow', 'dayofweek') THEN 1 ELSE 0 END");
    }
    List<String> concat = new ArrayList<>(List.of("() AS ''"));
    for (int n = 1; n <= CONCAT_ARGUMENTS; n++) {
      List<String> args = IntStream.rangeClosed(1, n).mapToObj(i -> "a" + i).toList();
      concat.add("(" + String.join(", ", args) + ") AS " + String.join(" || ", args));
    }
    macro(macros, "concat", concat.toArray(String[]::new));
    String empty = "system.main.substring(s, 1, 0)"; // '' of s's type
    for (String name : List.of("substring", "substr")) {
      macro(macros, name, "(s, p) AS system.main.substring(s, p)",
          "(s, p, n) AS CASE WHEN n < 0 THEN " + empty
              + " WHEN p = 0 THEN system.main.substring(s, 1, n)"
              + " ELSE system.main.substring(s, p, n) END");
    }
    for (String name : List.of("left", "right")) {
      macro(macros, name, "(s, n) AS CASE WHEN n < 1 THEN " + empty
          + " ELSE system.main.\"" + name + "\"(s, n) END");
    }
    return macros;
  }

  private static void macro(Map<String, String> macros, String name, String... overloads) {
    macros.put(name, "CREATE MACRO \"" + name + "\"" + String.join(", ", overloads));
  }
}

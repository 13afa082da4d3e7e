package io.github.sparkarrow.engine;

import io.github.sparkarrow.runtime.ArrowSchemas;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The partition columns of {@link Table#writeParquet}, checked alike on both engines, so that a
 * partitioned write reads back as it was written, on either engine. For the engines; a pipeline
 * does not use it.
 *
 * <p>Both engines write Spark's {@code partitionBy} layout: a directory {@code column=value} per
 * partition column and value, the value as text with Spark's escapes, {@code
 * __HIVE_DEFAULT_PARTITION__} for NULL, and the partition columns left out of the files. Refused up
 * front ({@link #of}): a column the table lacks, one named twice, all of the table's columns, and
 * a column whose values do not come back from their directory names as they were: FLOAT and
 * DOUBLE (Spark writes {@code -0.0} as {@code 0.0}, and the engines spell numbers differently),
 * TIMESTAMP (Spark writes the local time in its session's zone without the offset, so the hour a
 * daylight-saving change repeats comes back as one instant, and any of it in the reader's zone),
 * BINARY (not text) and nested types (Spark refuses them). Refused while the write runs ({@link
 * #checks}): values that would come back as something else.
 *
 * <p>{@link Table#overwritePartitions} takes the same columns, at least one, and writes only into
 * a directory of the same layout ({@link #requireLayout}).
 */
public final class PartitionColumns {

  /** The directory value of NULL, Hive's and Spark's. */
  public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  private PartitionColumns() {}

  /**
   * The columns of {@code schema} that {@code partitionBy} names (exactly, then ignoring case, as
   * typed functions take their columns), in that order. Every write asks for it: a column without
   * a type (an untyped {@code NULL}, Spark's VOID) is refused too, at any depth, as Spark's Parquet
   * writer refuses it (DuckDB would write it, as Parquet's NULL type, which Spark reads as an INT).
   *
   * @throws EngineException naming what to change, before anything is written
   */
  public static List<Field> of(String engine, Supplier<Schema> schema, String path, String... partitionBy) {
    Schema table = schema.get();
    for (Field field : table.getFields()) {
      String untyped = untyped(field, field.getName());
      if (untyped != null) {
        throw new EngineException(engine, "writing " + path + ": '" + untyped + "' has no type (an"
            + " untyped NULL, VOID to Spark, whose Parquet writer refuses it): give it the type it"
            + " holds in SQL, CAST(NULL AS STRING) say.", null);
      }
    }
    if (partitionBy.length == 0) {
      return List.of();
    }
    List<Field> columns = new ArrayList<>();
    for (String name : partitionBy) {
      Field field = ArrowSchemas.byName(table.getFields(), name);
      if (field == null) {
        throw refused(engine, path, "the table has no column '" + name + "' (it has "
            + String.join(", ", table.getFields().stream().map(Field::getName).toList()) + ")");
      }
      if (columns.contains(field)) {
        throw refused(engine, path, "'" + name + "' is named twice");
      }
      String why = whyNot(field.getType());
      if (why != null) {
        throw refused(engine, path, "'" + field.getName() + "' is " + ArrowSchemas.describe(field)
            + ": " + why + ". Partition by a STRING, BOOLEAN, integer, DECIMAL, DATE or"
            + " TIMESTAMP_NTZ column, made from it in SQL if need be (CAST(x AS DATE), say)");
      }
      columns.add(field);
    }
    if (columns.size() == table.getFields().size()) {
      throw refused(engine, path, "every column would be a partition column, and a Parquet file"
          + " needs one: leave at least one out");
    }
    return columns;
  }

  /**
   * The columns of {@link Table#overwritePartitions}: as {@link #of}, and at least one.
   *
   * @throws EngineException naming what to change, before anything is written
   */
  public static List<Field> forOverwrite(String engine, Supplier<Schema> schema, String path,
      String... partitionBy) {
    if (partitionBy.length == 0) {
      throw new EngineException(engine, "overwriting partitions of " + path + ": name the partition"
          + " columns (overwritePartitions(path, \"day\")); writeParquet replaces the whole"
          + " directory.", null);
    }
    return of(engine, schema, path, partitionBy);
  }

  /** A directory's entries as an engine lists them, for {@link #requireLayout}. */
  @FunctionalInterface
  public interface Listing {
    /**
     * The entries of the directory {@code relative} (to the written path, {@code a=1/b=2}; empty
     * for the path itself): each name and whether it is a directory; null if there is nothing
     * there.
     *
     * @throws java.nio.file.NotDirectoryException if there is a file
     */
    Map<String, Boolean> entries(String relative) throws IOException;
  }

  /**
   * Refuses to overwrite partitions of {@code path} unless what is there has the layout the write
   * makes: a directory per value of each of {@code partitions}, named as the column is (exactly:
   * DuckDB cannot read {@code Day=} beside {@code day=} as one column), in that order, files only
   * in the last level. Otherwise the partitions written would sit beside others that Spark's
   * partition discovery refuses to read with them ("Conflicting directory structures"), though
   * Spark itself writes them without a word. Spark's hidden names ({@code _SUCCESS}, {@code .…})
   * are left out; one directory of each level is looked into. Nothing there yet is fine.
   *
   * @throws EngineException naming what is there and what to do, before anything is written
   */
  public static void requireLayout(String engine, String path, List<Field> partitions,
      Listing listing) {
    String relative = "";
    for (int level = 0; level <= partitions.size(); level++) {
      Map<String, Boolean> entries;
      try {
        entries = listing.entries(relative);
      } catch (java.nio.file.NotDirectoryException e) {
        throw otherLayout(engine, path, partitions, relative.isEmpty() ? "a file, not a directory"
            : "the file " + relative);
      } catch (IOException e) {
        throw new EngineException(engine, "overwriting partitions of " + path + ": cannot list "
            + (relative.isEmpty() ? "it" : relative) + ": " + e, e);
      }
      String next = null;
      for (Map.Entry<String, Boolean> entry : new TreeMap<>(entries == null ? Map.of() : entries)
          .entrySet()) {
        String name = entry.getKey();
        if (name.startsWith("_") || name.startsWith(".")) {
          continue; // Spark's markers, checksums, staging directories
        }
        String where = relative.isEmpty() ? name : relative + "/" + name;
        boolean partition = entry.getValue() && name.indexOf('=') > 0;
        if (level == partitions.size()) {
          if (partition) { // a directory partitioned further than the write is
            throw otherLayout(engine, path, partitions, where + "/");
          }
          continue; // the files of a partition
        }
        String column = escape(partitions.get(level).getName());
        if (!partition || !name.substring(0, name.indexOf('=')).equals(column)) {
          throw otherLayout(engine, path, partitions, where + (entry.getValue() ? "/" : ""));
        }
        next = next == null ? where : next;
      }
      if (next == null) {
        return;
      }
      relative = next;
    }
  }

  private static EngineException otherLayout(String engine, String path, List<Field> partitions,
      String found) {
    String layout = String.join("/", partitions.stream().map(f -> escape(f.getName()) + "=…").toList());
    return new EngineException(engine, "overwriting partitions of " + path + ": it "
        + (found.startsWith("a file") ? "is " : "holds ") + found
        + ", which is not of the layout " + layout + " that the write makes, so the partitions"
        + " written would not read back as one table with what is there (Spark reads such a"
        + " directory as \"Conflicting directory structures\"). Overwrite partitions of a directory"
        + " partitioned by the same columns, named alike, or replace the whole directory with"
        + " writeParquet.", null);
  }

  /** Why values of {@code type} cannot be partition values; null if they can. */
  private static String whyNot(ArrowType type) {
    return switch (type.getTypeID()) {
      case Utf8, LargeUtf8, Bool, Int, Decimal, Date -> null;
      case Timestamp -> ((ArrowType.Timestamp) type).getTimezone() == null ? null
          : "Spark writes a timestamp as the local time in its session's time zone, without the"
              + " offset, so the hour a daylight-saving change repeats comes back as one instant";
      case FloatingPoint -> "Spark writes -0.0 as 0.0, and the engines spell such numbers"
          + " differently (1.0E20, 1e+20)";
      case Binary, LargeBinary, FixedSizeBinary -> "binary values are not text";
      default -> "Spark cannot partition by a nested column";
    };
  }

  /** A value that would not come back as written: a partition column's check, run by the engine. */
  public enum Check {
    /** A string {@code ''}: Spark writes it as NULL. */
    EMPTY("holds an empty string, which Spark writes as it writes NULL (" + NULL_VALUE + "), so it"
        + " would read back as NULL. Make it NULL first (nullif(%1$s, '')), or filter it out"),
    /** A string that is the directory value of NULL. */
    NULL_TEXT("holds the text " + NULL_VALUE + ", the directory value of NULL, so it would read"
        + " back as NULL. Replace it first, or filter it out"),
    /** A string holding {@code chr(0)}, which no directory name can hold. */
    NUL_CHARACTER("holds the character chr(0), which no directory name can hold (Spark fails to"
        + " make the directory). Replace it first: replace(%1$s, chr(0), '')"),
    /** A date or time outside the years 1 to 9999. */
    YEAR("holds a value outside the years 1 to 9999, which Spark writes with a sign (+10000-01-01)"
        + " and reads back as another value. Filter it out first");

    private final String what;

    Check(String what) {
      this.what = what;
    }

    /** What the engine says when a value of {@code column} fails this check, writing {@code path}. */
    public String message(String path, String column) {
      return "writing " + path + ": partition column '" + column + "' "
          + String.format(what, column);
    }
  }

  /** The checks of {@code column}'s values, for its type. */
  public static List<Check> checks(Field column) {
    return switch (column.getType().getTypeID()) {
      case Utf8, LargeUtf8 -> List.of(Check.EMPTY, Check.NULL_TEXT, Check.NUL_CHARACTER);
      case Date, Timestamp -> List.of(Check.YEAR);
      default -> List.of();
    };
  }

  /**
   * The words of the check of {@code partitions} whose failure {@code failure} reports (the
   * engine's error of it as a cause: Spark's {@code raise_error}, DuckDB's {@code error}), for the
   * engine to throw as they are; null if it reports none.
   */
  public static String failedCheck(Throwable failure, List<Field> partitions, String path) {
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      String said = String.valueOf(cause.getMessage());
      for (Field partition : partitions) {
        for (Check check : checks(partition)) {
          String message = check.message(path, partition.getName());
          if (said.equals(message) || said.endsWith(": " + message)) {
            return message;
          }
        }
      }
    }
    return null;
  }

  /**
   * {@code text} as Spark's {@code ExternalCatalogUtils.escapePathName} writes it in a directory
   * name: control characters, <code>" # % ' * / : = ? \ DEL { [ ] ^</code> as {@code %XX}.
   */
  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= 0x01 && c <= 0x1F) || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0) {
        escaped.append('%').append(String.format("%02X", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }

  /**
   * A name or value of a partition directory as Spark's {@code unescapePathName} reads it: each
   * {@code %XX} one character.
   */
  public static String unescape(String text) {
    StringBuilder unescaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && isHex(text, i + 1) && isHex(text, i + 2)) {
        unescaped.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        unescaped.append(c);
      }
    }
    return unescaped.toString();
  }

  private static boolean isHex(String text, int i) {
    return Character.digit(text.charAt(i), 16) >= 0;
  }

  /** The path of the first value inside {@code field} (at {@code path}) of no type, or null. */
  private static String untyped(Field field, String path) {
    if (field.getType() instanceof ArrowType.Null) {
      return path;
    }
    boolean list = field.getType() instanceof ArrowType.List;
    boolean map = field.getType() instanceof ArrowType.Map;
    for (Field child : map ? field.getChildren().get(0).getChildren() : field.getChildren()) {
      String inside = untyped(child, list ? path + "[]" : map ? path + "{" + child.getName() + "}"
          : path + "." + child.getName());
      if (inside != null) {
        return inside;
      }
    }
    return null;
  }

  private static EngineException refused(String engine, String path, String why) {
    return new EngineException(engine, "writing " + path + " partitioned: " + why + ".", null);
  }
}

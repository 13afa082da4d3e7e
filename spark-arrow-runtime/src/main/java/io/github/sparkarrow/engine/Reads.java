package io.github.sparkarrow.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a table reads from files: the paths of the sources under it, and the views its SQL names,
 * whose paths are looked up when it is written (DuckDB looks views up by name when a query runs)
 * or {@link #resolve}d when it is made (Spark binds a view, and a query, when it is made). For
 * the engines; a pipeline does not use it.
 *
 * <p>{@link Table#writeParquet} replaces its directory before the table's rows are read, on both
 * engines (as Spark's {@code mode(Overwrite)} does), so a table written over a directory it reads
 * would delete its own input: Spark then fails with "file does not exist" and DuckDB with "no
 * files found", and the data is gone. {@link #requireNotReplaced} refuses that up front, on both
 * engines in the same words. Immutable.
 */
public final class Reads {

  /** Reads no files: a range, records, a table the engine stores. */
  public static final Reads NONE = new Reads(Set.of(), Set.of());

  /** Absolute paths, as the engine writes them (see {@link #localPath}). */
  private final Set<String> paths;
  /** View names, lower case (both engines look names up case-insensitively). */
  private final Set<String> views;

  private Reads(Set<String> paths, Set<String> views) {
    this.paths = paths;
    this.views = views;
  }

  /** Reads the files at or under {@code path} (an absolute path; see {@link #localPath}). */
  public static Reads path(String path) {
    return new Reads(Set.of(path), Set.of());
  }

  /** Reads the views named {@code names}, whatever they read when it is written. */
  public static Reads views(Collection<String> names) {
    Set<String> lower = new LinkedHashSet<>();
    for (String name : names) {
      lower.add(name.toLowerCase(Locale.ROOT)); // any name a query holds (a CTE's too)
    }
    return new Reads(Set.of(), Collections.unmodifiableSet(lower));
  }

  /** What this and {@code other} read. */
  public Reads plus(Reads other) {
    Set<String> p = new LinkedHashSet<>(paths);
    p.addAll(other.paths);
    Set<String> v = new LinkedHashSet<>(views);
    v.addAll(other.views);
    return new Reads(Collections.unmodifiableSet(p), Collections.unmodifiableSet(v));
  }

  /**
   * What this reads with the views it names looked up now, in {@code views}: for an engine whose
   * views are bound when they are made (Spark's), and whose queries are resolved when they are
   * made.
   */
  public Reads resolve(Map<String, Reads> views) {
    return new Reads(Collections.unmodifiableSet(paths(views)), Set.of());
  }

  /**
   * The key of view {@code name} in the map of views {@link #requireNotReplaced} takes.
   *
   * @throws IllegalArgumentException if {@code name} is not one that both engines take alike: a
   *     plain identifier (Spark refuses other names for a temporary view, DuckDB takes any)
   */
  public static String viewKey(String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("view name '" + name + "': use letters, digits and _,"
          + " not first a digit (Spark takes no other name for a view; a keyword such as order"
          + " is taken, and then quoted in SQL: \"order\")");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * Refuses writing this table to {@code output} (an absolute path, as the paths read) if that
   * replaces a path it reads (the same path, one under it) or puts files inside a directory it
   * reads (one above it). {@code views} are what each view reads now, by {@link #viewKey}.
   *
   * @throws EngineException naming both paths and what to do
   */
  public void requireNotReplaced(String engine, String output, Map<String, Reads> views) {
    require(engine, output, views, true);
  }

  /**
   * Refuses writing files into {@code output} if this table reads a directory above it; reading
   * {@code output} itself, or under it, is fine for a write that reads all its rows before it
   * replaces anything ({@link Table#overwritePartitions}).
   *
   * @throws EngineException naming both paths and what to do
   */
  public void requireNotInside(String engine, String output, Map<String, Reads> views) {
    require(engine, output, views, false);
  }

  private void require(String engine, String output, Map<String, Reads> views, boolean replaces) {
    for (String read : paths(views)) {
      if (replaces && within(read, output)) {
        throw new EngineException(engine, "writing " + output + " would replace what the table"
            + " reads: it reads " + (read.equals(output) ? "that path" : read + ", under it")
            + ". A write replaces its directory before it reads the table's rows, so it would"
            + " delete its own input. Write to another directory, and move that in place"
            + " afterwards.", null);
      }
      if (!read.equals(output) && within(output, read)) {
        throw new EngineException(engine, "writing " + output + " would put files into what the"
            + " table reads: it reads " + read + ", a directory above it. A later read of that"
            + " directory would take them as its input (and a partition directory written over"
            + " would be input deleted). Write outside the directories the table reads.", null);
      }
    }
  }

  /** The paths read, with those of the views named (and of views they name), as they are now. */
  private Set<String> paths(Map<String, Reads> known) {
    Set<String> found = new LinkedHashSet<>(paths);
    Set<String> seen = new HashSet<>(views);
    Deque<String> pending = new ArrayDeque<>(views);
    while (!pending.isEmpty()) {
      Reads view = known.get(pending.pop());
      if (view != null) {
        found.addAll(view.paths);
        for (String name : view.views) {
          if (seen.add(name)) {
            pending.push(name);
          }
        }
      }
    }
    return found;
  }

  /**
   * The Delta table at or above {@code path} (a path or URI as an engine qualifies it): the
   * nearest directory that holds {@code _delta_log}, as {@code isDirectory} finds directories; or
   * null. Its Parquet files hold rows the table has since deleted or replaced, which only its log
   * tells apart: both engines refuse to read it, or to write Parquet into it, as Parquet ({@link
   * EngineException#deltaTable}), as Delta's own format check refuses Spark's {@code parquet()}.
   */
  public static String deltaTable(String path, java.util.function.Predicate<String> isDirectory) {
    String at = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    while (true) {
      if (isDirectory.test(at + "/_delta_log")) {
        return at;
      }
      int slash = at.lastIndexOf('/');
      String parent = slash <= 0 ? "" : at.substring(0, slash);
      if (parent.isEmpty() || parent.endsWith(":") || parent.endsWith(":/")) {
        return null; // the file system's root (not a table)
      }
      at = parent;
    }
  }

  /** Whether {@code path} is {@code directory} or under it. */
  private static boolean within(String path, String directory) {
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    return path.equals(directory) || path.startsWith(prefix);
  }

  /**
   * {@code path} without a {@code file:} scheme ({@code file:///data}, {@code file:/data}, as Spark
   * takes local paths), or as it is (a {@code file://host/data}, which Spark refuses: "Wrong FS").
   */
  public static String withoutFileScheme(String path) {
    return path.startsWith("file:///") ? path.substring("file://".length())
        : path.startsWith("file:/") && !path.startsWith("file://") ? path.substring("file:".length())
        : path;
  }

  /**
   * A local path read (no {@code file:} scheme, see {@link #withoutFileScheme}), as the engines
   * compare them: absolute, normalized, through symbolic links
   * (of the part that exists), and cut before the first directory that holds a glob character
   * ({@code data/*.parquet} reads under {@code data}), unless the path exists as it is (a
   * directory named {@code data[1]}, which both engines read as it is).
   */
  public static String localPath(String path) {
    return localPath(path, !existsLocally(path));
  }

  /**
   * A local path written, as {@link #localPath} compares it, its glob characters taken as they
   * are: a write makes the path it is given ({@code out[1]}), it does not match others.
   */
  public static String writtenPath(String path) {
    return localPath(path, false);
  }

  /** Whether {@code path} names a local file or directory that exists, as it is. */
  public static boolean existsLocally(String path) {
    try {
      return Files.exists(Path.of(withoutFileScheme(path)));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  private static String localPath(String path, boolean globs) {
    int glob = globs ? firstGlob(path) : -1;
    Path p = Path.of(glob < 0 ? path : path.substring(0, glob)).toAbsolutePath().normalize();
    if (glob >= 0 && !path.substring(0, glob).endsWith("/")) {
      p = p.getParent() == null ? p : p.getParent(); // the directory the glob is in
    }
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p.toString();
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(p)).toString();
    } catch (IOException e) {
      return p.toString();
    }
  }

  private static int firstGlob(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "reads " + paths + (views.isEmpty() ? "" : " and views " + views);
  }
}

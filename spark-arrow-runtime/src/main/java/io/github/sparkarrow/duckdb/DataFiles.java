package io.github.sparkarrow.duckdb;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Source;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The data files of a directory source and its partition columns, found as Spark finds them
 * ({@code InMemoryFileIndex}, {@code PartitioningUtils.parsePartitions}), so that the DuckDB
 * engine reads the files Spark reads, or refuses the directories Spark refuses.
 */
final class DataFiles {

  private DataFiles() {}

  /** Hadoop's codecs by extension that DuckDB cannot read (it reads {@code .gz} and {@code .zst}). */
  private static final List<String> UNREAD_CODECS = List.of(".bz2", ".deflate", ".snappy", ".lz4");

  /**
   * The data files under {@code directory}, relative to it, in order, as Spark lists them: every
   * file whatever its extension ({@code part-00000}, {@code .txt} and {@code .csv.gz} alike), in
   * subdirectories too (partitions), skipping files and directories whose names start with {@code
   * .} or (unless they hold {@code =}) {@code _} ({@code _SUCCESS}, {@code _temporary}, {@code
   * _metadata}, checksums), files still being copied ({@code ._COPYING_}) and empty files. A CSV
   * or JSON file compressed by a Hadoop codec DuckDB cannot read is refused, where DuckDB alone
   * would read its bytes as text. None for a directory that holds no data file (a partitioned
   * write of no rows leaves only {@code _SUCCESS}, or nothing): Spark reads it as a table of no
   * rows.
   */
  static List<Path> list(Path directory, Source source) {
    List<Path> found = filesUnder(directory, source);
    requireReadableCodecs(found, source);
    return found;
  }

  /** The files under {@code directory} that Spark lists ({@link #list}), relative to it. */
  private static List<Path> filesUnder(Path directory, Source source) {
    List<Path> found = new ArrayList<>();
    // Through symbolic links (a linked directory, a partition linked in), as Hadoop lists them.
    try (Stream<Path> walk = Files.walk(directory, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      walk.filter(file -> !file.equals(directory))
          .map(directory::relativize)
          .filter(file -> {
            for (Path part : file) {
              if (skipped(part.toString())) {
                return false;
              }
            }
            return true;
          })
          .filter(file -> isNonEmptyFile(directory.resolve(file)))
          .sorted()
          .forEach(found::add);
    } catch (IOException | java.io.UncheckedIOException e) { // a loop of links among them
      throw new EngineException(DuckDbEngine.NAME, "cannot list " + source + ": " + e, e);
    }
    return found;
  }

  /**
   * Refuses {@code path} (local, absolute), for {@code what} (a read or a write), if it or a
   * directory above it is a Delta table ({@link Reads#deltaTable}).
   */
  static void requireNotDelta(String path, String what, boolean writing) {
    String delta = Reads.deltaTable(path, DataFiles::isDirectory);
    if (delta != null) {
      throw EngineException.deltaTable(DuckDbEngine.NAME, what, delta, writing);
    }
  }

  /** Whether the local {@code path} is a directory. */
  static boolean isDirectory(String path) {
    try {
      return Files.isDirectory(Path.of(path));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /**
   * Whether {@code file} is a file of at least a byte: Spark lists no empty file (an aborted
   * writer's, a {@code touch}ed one), where DuckDB fails on an empty Parquet file.
   */
  static boolean isNonEmptyFile(Path file) {
    try {
      return Files.isRegularFile(file) && Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** A name Spark skips when it lists files: hidden, a marker or checksum, still being copied. */
  private static boolean skipped(String name) {
    return name.startsWith(".") || (name.startsWith("_") && !name.contains("="))
        || name.endsWith("._COPYING_");
  }

  /** Refuses CSV or JSON files of a Hadoop codec DuckDB cannot read (it would read the bytes). */
  private static void requireReadableCodecs(List<Path> found, Source source) {
    if (source.format() != Source.Format.PARQUET) {
      for (Path file : found) {
        String name = file.getFileName().toString();
        if (UNREAD_CODECS.stream().anyMatch(name::endsWith)) {
          throw new EngineException(DuckDbEngine.NAME, source + ": " + file + " is compressed with"
              + " a codec the DuckDB engine cannot read (" + name.substring(name.lastIndexOf('.'))
              + "): decompress it, or write the files with gzip or zstd, which both engines read",
              null);
        }
      }
    }
  }

  /**
   * The local path {@code given} names ({@code file:///data} and {@code file:/data} as Spark takes
   * them), for {@code what} (a read or write, named in the error); any other URI is refused: the
   * DuckDB engine reads and writes local files only, by Spark's listing rules, where DuckDB's
   * readers would take {@code file://host/…}, {@code s3://…} or {@code https://…} by their own.
   */
  static String localPath(String given, String what) {
    String path = Reads.withoutFileScheme(given);
    if (path.matches("[A-Za-z][A-Za-z0-9+.-]*:/.*")) {
      throw new EngineException(DuckDbEngine.NAME, what + ": the DuckDB engine reads and writes"
          + " local files only, " + given + " is not one (a file: URI names one as file:///path)."
          + " Copy the files to a local directory, or run this pipeline on Spark.", null);
    }
    return path;
  }

  /** Whether {@code path} holds a glob character (Hadoop's: {@code * ? [ {}). */
  static boolean isGlob(String path) {
    return path.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
  }

  /**
   * What a glob path ({@code data/*}, {@code data/part-*.csv}, {@code data/{a,b}}) matches, as
   * Spark's globbing matches it: each name on its own, as Hadoop's {@code globStatus} matches it
   * ({@code *} and {@code ?} within a name, {@code [a-c]}, {@code {a,b}}), without the names Spark
   * skips ({@code _SUCCESS}, {@code .crc}); files and directories, absolute. DuckDB alone would
   * read every matched file, markers too, and match no directory.
   */
  static List<Path> matches(String pattern, Source source) {
    Path absolute = Path.of(pattern).toAbsolutePath().normalize();
    List<Path> matched = List.of(absolute.getRoot());
    for (Path part : absolute) {
      String name = part.toString();
      List<Path> next = new ArrayList<>();
      if (!isGlob(name)) {
        matched.forEach(path -> next.add(path.resolve(name)));
      } else {
        // Hadoop negates a class with ^ ([^a]), Java's glob with !
        PathMatcher matcher = FileSystems.getDefault()
            .getPathMatcher("glob:" + name.replace("[^", "[!"));
        for (Path directory : matched) {
          if (Files.isDirectory(directory)) {
            try (Stream<Path> children = Files.list(directory)) {
              children.filter(child -> matcher.matches(child.getFileName())
                      && !skipped(child.getFileName().toString()))
                  .sorted()
                  .forEach(next::add);
            } catch (IOException e) {
              throw new EngineException(DuckDbEngine.NAME, "cannot list " + source + ": " + e, e);
            }
          }
        }
      }
      matched = next;
    }
    return matched.stream().filter(Files::exists).toList();
  }

  /**
   * The data files of several {@link #matches} of a glob, absolute: each file, and the files of
   * each directory as {@link #list} lists them. As on Spark, each match is a table root of its
   * own, so partition directories the glob matched ({@code data/year=*}) give no partition columns
   * (they read as null), and a directory holding partition directories beside another match is
   * refused (Spark: "Conflicting directory structures").
   */
  static List<Path> files(List<Path> matches, Source source) {
    List<Path> found = new ArrayList<>();
    for (Path path : matches) {
      if (Files.isRegularFile(path)) {
        if (isNonEmptyFile(path)) {
          found.add(path);
        }
      } else if (Files.isDirectory(path)) {
        for (Path file : filesUnder(path, source)) {
          for (Path directory = file.getParent(); directory != null; directory = directory.getParent()) {
            if (directory.getFileName().toString().contains("=")) {
              throw globOfPartitions(source, path, path.resolve(directory));
            }
          }
          if (file.getParent() != null) { // Spark reads only the matched directory's own files
            throw EngineException.filesInSubdirectories(DuckDbEngine.NAME, source, 1,
                path.resolve(file).toString());
          }
          found.add(path.resolve(file));
        }
      }
    }
    if (found.isEmpty()) {
      throw new EngineException(DuckDbEngine.NAME, source + ": no files match the glob (names"
          + " starting with _ or . are skipped, as Spark skips them)", null);
    }
    requireReadableCodecs(found, source);
    return found;
  }

  /** A glob matched {@code root} among others, and it holds partition directories. */
  private static EngineException globOfPartitions(Source source, Path root, Path partition) {
    return new EngineException(DuckDbEngine.NAME, source + ": the glob matches " + root + ", which"
        + " holds partition directories (" + partition + "), beside other matches. Spark takes"
        + " each matched directory for a table's root and refuses several roots with partitions"
        + " (\"Conflicting directory structures\"): read the table's root directory on its own.",
        null);
  }

  /**
   * The partition columns of the {@code files} (relative to the source's directory), top down:
   * the {@code key=value} directories between a file and the table's root, as Spark reads them
   * (from the file's directory up, to the first directory of another name). Refused where Spark
   * refuses the directory ("Conflicting partition column names", "Conflicting directory
   * structures"), where DuckDB cannot read what Spark reads (names differing in case only), and
   * where data files lie outside the partition directories, which Spark would skip without a word.
   */
  static List<String> partitionColumns(List<Path> files, Source source) {
    Map<String, String> lists = new LinkedHashMap<>(); // columns, lower case -> a file under them
    Map<String, Path> roots = new LinkedHashMap<>(); // table root, lower case -> a file under it
    List<String> columns = List.of();
    List<Path> outside = new ArrayList<>();
    for (Path file : files) {
      List<String> found = new ArrayList<>();
      Path root = file.getParent();
      while (root != null) {
        String name = root.getFileName().toString();
        int equals = name.indexOf('=');
        if (equals > 0) {
          EngineException escaped = EngineException.utf8EscapedPartition(DuckDbEngine.NAME, source, name);
          if (escaped != null) {
            throw escaped;
          }
          found.add(0, name.substring(0, equals));
        } else if (!found.isEmpty()) {
          break; // a directory of another name above the partitions: the table's root
        }
        root = root.getParent();
      }
      if (found.isEmpty()) {
        root = file.getParent(); // not partitioned: Spark takes its directory for a table's root
        outside.add(file);
      } else if (columns.isEmpty()) {
        columns = found;
      } else if (!found.equals(columns) && lower(found.toString()).equals(lower(columns.toString()))) {
        throw new EngineException(DuckDbEngine.NAME, source + ": the partition directories name "
            + "the columns " + columns + " and " + found + " (" + file + "), which differ in case"
            + " only: Spark reads them as one column, DuckDB cannot. Rename the directories to one"
            + " spelling.", null);
      }
      roots.putIfAbsent(lower(root == null ? "" : root.toString()), file);
      if (!found.isEmpty()) {
        lists.putIfAbsent(lower(found.toString()), file + " under " + found);
      }
    }
    if (columns.isEmpty()) {
      // Spark then reads only the files directly in the directory: refused, as on Spark.
      List<Path> deeper = outside.stream().filter(file -> file.getParent() != null).toList();
      if (!deeper.isEmpty()) {
        throw EngineException.filesInSubdirectories(DuckDbEngine.NAME, source, deeper.size(),
            deeper.get(0).toString());
      }
      return columns;
    }
    String layout = "Spark refuses this directory too: data files belong only in the leaf"
        + " partition directories, and the directories of one level name the same partition column."
        + " Move the files that differ out, or read them as a source of their own.";
    if (roots.size() > 1) {
      throw new EngineException(DuckDbEngine.NAME, source + ": Conflicting directory structures:"
          + " these files are under different table roots: " + roots.values() + ". " + layout, null);
    }
    if (lists.size() > 1) {
      throw new EngineException(DuckDbEngine.NAME, source + ": Conflicting partition column"
          + " names: " + String.join("; ", lists.values()) + ". " + layout, null);
    }
    if (!outside.isEmpty()) {
      throw EngineException.filesOutsidePartitions(DuckDbEngine.NAME, source, outside.size(),
          outside.get(0).toString(), columns);
    }
    return columns;
  }

  private static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}

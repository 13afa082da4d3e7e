package io.github.sparkarrow.testing;

import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.SchemaCompatibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Snapshot tests of record schemas, for JUnit or any test framework (failures are plain {@link
 * AssertionError}s). A snapshot is a small text file, one column per line, that says the record's
 * Spark DDL and its exact Arrow schema; commit it beside the tests:
 *
 * <pre>{@code
 * @Test
 * void orderSchemaIsUnchanged() {
 *   SchemaSnapshots.assertMatchesSnapshot(OrderArrowSchema.INSTANCE);
 * }
 *
 * @Test
 * void orderReadsWhatVersion1Wrote() {
 *   SchemaSnapshots.assertBackwardCompatible(
 *       OrderArrowSchema.INSTANCE, Path.of("src/test/resources/schema-snapshots/released/1.0/com.example.Order.schema"));
 * }
 * }</pre>
 *
 * <p>A missing snapshot is written, and the test passes, except on CI (the environment variable
 * {@code CI} is {@code true}), where it fails: a snapshot is meant to be committed. Where the
 * record has changed, the failure shows a line diff and the command that rewrites the snapshot:
 * run the tests with {@code -Dsparkarrow.updateSnapshots=true} (or the environment variable {@code
 * SPARKARROW_UPDATE_SNAPSHOTS=true}).
 */
public final class SchemaSnapshots {

  /** The system property that rewrites snapshots instead of comparing them. */
  public static final String UPDATE_PROPERTY = "sparkarrow.updateSnapshots";

  /** Where {@link #assertMatchesSnapshot(ArrowRecordType)} keeps snapshots, from the working directory. */
  public static final Path DEFAULT_DIRECTORY = Path.of("src", "test", "resources", "schema-snapshots");

  private static final String DDL = "ddl: ";
  private static final String ARROW = "arrow:";

  private SchemaSnapshots() {}

  /** The snapshot file of {@code type} in {@link #DEFAULT_DIRECTORY}: {@code <class name>.schema}. */
  public static Path defaultFile(ArrowRecordType<?> type) {
    return DEFAULT_DIRECTORY.resolve(type.recordClass().getName() + ".schema");
  }

  /** The snapshot text of {@code type}: a header, its DDL, and its Arrow schema, a field a line. */
  public static String snapshot(ArrowRecordType<?> type) {
    StringBuilder out = new StringBuilder();
    out.append("# Schema of ").append(type.recordClass().getName())
        .append(", a snapshot by spark-arrow-java's SchemaSnapshots.\n")
        .append("# Rewrite it by running the tests with -D").append(UPDATE_PROPERTY).append("=true\n")
        .append(DDL).append(type.sparkDdl()).append('\n')
        .append(ARROW).append('\n');
    for (Field field : type.arrowSchema().getFields()) {
      write(field, "  ", out);
    }
    return out.toString();
  }

  private static void write(Field field, String indent, StringBuilder out) {
    out.append(indent).append('`').append(field.getName().replace("`", "``")).append("`: ")
        .append(field.getType()).append(field.isNullable() ? "" : " not null").append('\n');
    for (Field child : field.getChildren()) {
      write(child, indent + "  ", out);
    }
  }

  /** The Arrow schema a snapshot file holds. */
  public static Schema readSchema(Path file) {
    return ArrowTypeText.schema(lines(read(file)).stream()
        .dropWhile(line -> !line.equals(ARROW)).skip(1).toList(), file.toString());
  }

  /** {@link #assertMatchesSnapshot(ArrowRecordType, Path)} with {@link #defaultFile}. */
  public static void assertMatchesSnapshot(ArrowRecordType<?> type) {
    assertMatchesSnapshot(type, defaultFile(type));
  }

  /**
   * Asserts that {@code type}'s schema (DDL, comments included, and the exact Arrow schema) is the
   * one in {@code file}; writes the file where it is missing (not on CI) or when updating.
   *
   * @throws AssertionError with a line diff and the command that rewrites the snapshot
   */
  public static void assertMatchesSnapshot(ArrowRecordType<?> type, Path file) {
    String now = snapshot(type);
    boolean update = updating();
    if (!Files.exists(file) || update) {
      if (!update && onCi()) {
        throw new AssertionError(
            "no schema snapshot of " + type.recordClass().getName() + " at " + file.toAbsolutePath()
                + " (on CI, snapshots are not written: run the tests locally and commit it)");
      }
      write(file, now);
      return;
    }
    String then = read(file);
    if (!then.equals(now)) {
      throw new AssertionError(
          "the schema of " + type.recordClass().getName() + " differs from its snapshot "
              + file.toAbsolutePath() + " (- snapshot, + now):\n"
              + LineDiff.of(lines(then), lines(now))
              + "If the change is intended, rewrite the snapshot: run the tests with -D"
              + UPDATE_PROPERTY + "=true (e.g. mvn test -D" + UPDATE_PROPERTY + "=true), and"
              + " check that the new version can still read the old data"
              + " (assertBackwardCompatible against the released snapshot).");
    }
  }

  /**
   * Asserts that {@code type} reads what the version snapshotted in {@code released} wrote, by the
   * rules of Spark's Parquet reader ({@link SchemaCompatibility#backward}).
   */
  public static void assertBackwardCompatible(ArrowRecordType<?> type, Path released) {
    assertCompatible(type, released, "backward", SchemaCompatibility::backward);
  }

  /** Asserts that the snapshotted version reads what {@code type} writes. */
  public static void assertForwardCompatible(ArrowRecordType<?> type, Path released) {
    assertCompatible(type, released, "forward", SchemaCompatibility::forward);
  }

  /** Asserts both {@link #assertBackwardCompatible} and {@link #assertForwardCompatible}. */
  public static void assertFullyCompatible(ArrowRecordType<?> type, Path released) {
    assertCompatible(type, released, "fully", SchemaCompatibility::full);
  }

  private static void assertCompatible(
      ArrowRecordType<?> type, Path released, String level,
      BiFunction<Schema, Schema, SchemaCompatibility> check) {
    SchemaCompatibility result = check.apply(type.arrowSchema(), readSchema(released));
    if (!result.isCompatible()) {
      throw new AssertionError(
          type.recordClass().getName() + " is not " + level + " compatible with the version in "
              + released.toAbsolutePath() + ":\n  " + String.join("\n  ", result.problems()));
    }
  }

  /** The environment variable CI, as CI services set it; the property {@code sparkarrow.ci} wins. */
  private static boolean onCi() {
    return "true".equalsIgnoreCase(System.getProperty("sparkarrow.ci", System.getenv("CI")));
  }

  private static boolean updating() {
    return Boolean.getBoolean(UPDATE_PROPERTY)
        || "true".equalsIgnoreCase(System.getenv("SPARKARROW_UPDATE_SNAPSHOTS"));
  }

  private static List<String> lines(String text) {
    return new ArrayList<>(List.of(text.split("\n", -1)));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the schema snapshot " + file, e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the schema snapshot " + file, e);
    }
  }
}

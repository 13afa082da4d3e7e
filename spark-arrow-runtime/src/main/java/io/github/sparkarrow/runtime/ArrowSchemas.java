package io.github.sparkarrow.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Checks that a batch has the schema a record type reads. */
public final class ArrowSchemas {

  private ArrowSchemas() {}

  /**
   * Throws unless {@code actual} has the fields of {@code expected}, in order, with the same names
   * and types (a timestamp's zone aside). Nullability may differ: a nullable column where the record has NOT NULL is read
   * with a check per value, so batches from sources that mark everything nullable still read.
   *
   * @throws IllegalArgumentException listing every difference (column, expected, actual)
   */
  public static void requireMatches(Schema expected, Schema actual, String recordName) {
    List<String> problems = new ArrayList<>();
    compare(expected.getFields(), actual.getFields(), "", problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the batch does not have the schema of "
              + recordName
              + ":\n  "
              + String.join("\n  ", problems)
              + "\nexpected "
              + expected
              + "\nactual   "
              + actual);
    }
  }

  /**
   * Equal types; timestamps with any time zone are the same type (they hold UTC microseconds, and
   * Spark labels them with the session time zone), but never the same as one without a zone.
   */
  private static boolean sameType(ArrowType want, ArrowType have) {
    if (want instanceof ArrowType.Timestamp a && have instanceof ArrowType.Timestamp b) {
      return a.getUnit() == b.getUnit() && (a.getTimezone() == null) == (b.getTimezone() == null);
    }
    return want.equals(have);
  }

  private static void compare(
      List<Field> expected, List<Field> actual, String prefix, List<String> problems) {
    for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
      if (i >= actual.size()) {
        problems.add("column '" + prefix + expected.get(i).getName() + "' is missing");
        continue;
      }
      if (i >= expected.size()) {
        problems.add("column '" + prefix + actual.get(i).getName() + "' is not in the record");
        continue;
      }
      Field want = expected.get(i);
      Field have = actual.get(i);
      String path = prefix + want.getName();
      if (!want.getName().equals(have.getName())) {
        problems.add(
            "column " + (i + 1) + " of '" + prefix + "': expected '" + want.getName()
                + "', found '" + have.getName() + "'");
      } else if (!sameType(want.getType(), have.getType())) {
        problems.add(
            "column '" + path + "': expected " + want.getType() + ", found " + have.getType());
      } else {
        compare(want.getChildren(), have.getChildren(), path + ".", problems);
      }
    }
  }
}

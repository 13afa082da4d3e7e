package io.github.sparkarrow.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
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
  /**
   * Every problem in reading a table of schema {@code have} as records of schema {@code record}:
   * columns matched by name (exactly, then ignoring case), and so are struct fields at every depth
   * (in any order; fields the record lacks are left out, see {@link #sameLayout}); types compared
   * at every depth (the names of list elements and map entries aside; a timestamp's zone aside).
   * A nullable column may feed a NOT NULL component, whose values are then checked as they
   * arrive, unless {@code strictNullability}. Empty when it fits.
   */
  public static List<String> fit(Schema record, Schema have, boolean strictNullability) {
    List<String> problems = new ArrayList<>();
    for (Field want : record.getFields()) {
      Field found = byName(have.getFields(), want.getName());
      if (found == null) {
        problems.add("column '" + want.getName() + "' (" + describe(want) + ") is missing");
      } else {
        fitField(want.getName(), want, found, strictNullability, problems);
      }
    }
    return problems;
  }

  /**
   * {@code schema} with every field nullable, at every depth but map entries and keys: what
   * Spark's {@code StructType.asNullable} does, and how every engine reads files.
   */
  public static Schema asNullable(Schema schema) {
    List<Field> fields = new ArrayList<>();
    for (Field field : schema.getFields()) {
      fields.add(asNullable(field, true));
    }
    return new Schema(fields);
  }

  private static Field asNullable(Field field, boolean nullable) {
    List<Field> children = new ArrayList<>();
    boolean map = field.getType() instanceof ArrowType.Map;
    for (Field child : field.getChildren()) {
      if (map) {
        List<Field> entry = child.getChildren();
        children.add(new Field(child.getName(), child.getFieldType(),
            List.of(asNullable(entry.get(0), false), asNullable(entry.get(1), true))));
      } else {
        children.add(asNullable(child, true));
      }
    }
    return new Field(field.getName(),
        new FieldType(nullable, field.getType(), field.getDictionary(), field.getMetadata()),
        children);
  }

  /** The field of {@code fields} named {@code name}, exactly or else ignoring case; or null. */
  public static Field byName(List<Field> fields, String name) {
    for (Field field : fields) {
      if (field.getName().equals(name)) {
        return field;
      }
    }
    for (Field field : fields) {
      if (field.getName().equalsIgnoreCase(name)) {
        return field;
      }
    }
    return null;
  }

  /** A field's type as Spark SQL, nested types in full: {@code ARRAY<STRUCT<a: INT>>}. */
  public static String describe(Field field) {
    ArrowType type = field.getType();
    List<Field> children = field.getChildren();
    if (type instanceof ArrowType.List) {
      return "ARRAY<" + describe(children.get(0)) + ">";
    } else if (type instanceof ArrowType.Map) {
      List<Field> entry = children.get(0).getChildren();
      return "MAP<" + describe(entry.get(0)) + ", " + describe(entry.get(1)) + ">";
    } else if (type instanceof ArrowType.Struct) {
      List<String> parts = new ArrayList<>();
      for (Field child : children) {
        parts.add(child.getName() + ": " + describe(child));
      }
      return "STRUCT<" + String.join(", ", parts) + ">";
    }
    return sqlName(type);
  }

  private static void fitField(
      String path, Field want, Field have, boolean strict, List<String> problems) {
    if (strict && !want.isNullable() && have.isNullable()) {
      problems.add("'" + path + "' may be null, but is NOT NULL in the record");
    }
    ArrowType w = want.getType();
    ArrowType h = have.getType();
    boolean nested = w instanceof ArrowType.List || w instanceof ArrowType.Map || w instanceof ArrowType.Struct;
    if (nested ? w.getTypeID() != h.getTypeID() : !sameType(w, h)) {
      problems.add("'" + path + "' is " + describe(have) + ", the record has " + describe(want));
      return;
    }
    if (w instanceof ArrowType.List) {
      fitField(path + "[]", want.getChildren().get(0), have.getChildren().get(0), strict, problems);
    } else if (w instanceof ArrowType.Map) {
      List<Field> we = want.getChildren().get(0).getChildren();
      List<Field> he = have.getChildren().get(0).getChildren();
      fitField(path + "{key}", we.get(0), he.get(0), strict, problems);
      fitField(path + "{value}", we.get(1), he.get(1), strict, problems);
    } else if (w instanceof ArrowType.Struct) {
      for (Field wf : want.getChildren()) {
        Field hf = byName(have.getChildren(), wf.getName());
        if (hf == null) {
          problems.add("'" + path + "." + wf.getName() + "' (" + describe(wf) + ") is missing: '"
              + path + "' is " + describe(have));
        } else {
          fitField(path + "." + wf.getName(), wf, hf, strict, problems);
        }
      }
    }
  }

  /**
   * Whether {@code have}, which {@link #fit}s {@code want}, holds its structs' fields (at every
   * depth) in {@code want}'s order, by name ignoring case, and no others: then its buffers can be
   * read as {@code want}'s; else its structs must be rebuilt first.
   */
  public static boolean sameLayout(Field want, Field have) {
    List<Field> wc = want.getChildren();
    List<Field> hc = have.getChildren();
    if (wc.size() != hc.size()) {
      return false;
    }
    boolean struct = want.getType() instanceof ArrowType.Struct;
    for (int i = 0; i < wc.size(); i++) {
      if ((struct && !wc.get(i).getName().equalsIgnoreCase(hc.get(i).getName()))
          || !sameLayout(wc.get(i), hc.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The Spark SQL name of an Arrow type, as Spark 3.5's {@code ArrowUtils} maps it. */
  public static String sqlName(ArrowType type) {
    if (type instanceof ArrowType.Int i) {
      String name =
          switch (i.getBitWidth()) {
            case 8 -> "TINYINT";
            case 16 -> "SMALLINT";
            case 32 -> "INT";
            default -> "BIGINT";
          };
      return i.getIsSigned() ? name : "unsigned " + name;
    } else if (type instanceof ArrowType.FloatingPoint f) {
      return f.getPrecision() == FloatingPointPrecision.DOUBLE ? "DOUBLE" : "FLOAT";
    } else if (type instanceof ArrowType.Decimal d) {
      return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
    } else if (type instanceof ArrowType.Utf8) {
      return "STRING";
    } else if (type instanceof ArrowType.Binary) {
      return "BINARY";
    } else if (type instanceof ArrowType.Bool) {
      return "BOOLEAN";
    } else if (type instanceof ArrowType.Date) {
      return "DATE";
    } else if (type instanceof ArrowType.Timestamp t) {
      return t.getTimezone() == null ? "TIMESTAMP_NTZ" : "TIMESTAMP";
    } else if (type instanceof ArrowType.Duration) {
      return "INTERVAL DAY TO SECOND";
    } else if (type instanceof ArrowType.Interval) {
      return "INTERVAL YEAR TO MONTH";
    } else if (type instanceof ArrowType.List) {
      return "ARRAY";
    } else if (type instanceof ArrowType.Map) {
      return "MAP";
    } else if (type instanceof ArrowType.Struct) {
      return "STRUCT";
    }
    return type.toString();
  }
}

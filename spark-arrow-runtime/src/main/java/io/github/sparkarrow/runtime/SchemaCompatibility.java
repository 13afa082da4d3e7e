package io.github.sparkarrow.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Whether data written with one schema can be read with another, by the rules that hold where
 * the data lives: by default, Parquet files read by Spark 3.5 with a schema given ({@code
 * spark.read().schema(ddl).parquet(path)}), and a record's NOT NULL components, which fail on the
 * first null. Every rule was established by running Spark 3.5.9 (vectorized reader on and off);
 * the tests run them again. Backward compatibility of a new version of a record is {@code
 * canRead(newSchema, oldSchema)} (the new code reads old data); forward is {@code
 * canRead(oldSchema, newSchema)}; {@link #full} is both.
 *
 * <p>The rules of {@link Target#SPARK_PARQUET}:
 *
 * <ul>
 *   <li>Columns and struct fields are matched by name, ignoring case (Spark's default); their
 *       order does not matter. A column the reader does not have is skipped.
 *   <li>A column (or struct field) the writer did not have reads as null: fine where the reader
 *       is nullable, a problem where it is NOT NULL.
 *   <li>Data that may hold nulls (a nullable column, array element or map value) read where the
 *       reader is NOT NULL is a problem: the first null fails the job. NOT NULL read as nullable
 *       is fine.
 *   <li>A column the writer had and the reader does not, beside a new nullable column of the same
 *       type, is taken for a rename: a problem, since the data written before reads as null.
 *   <li>Types must be equal, except: TINYINT to SMALLINT or INT, SMALLINT to INT (Parquet keeps
 *       them all as 32-bit integers); a DECIMAL of the same scale and a larger precision within
 *       the same Parquet storage (up to 9 digits, 10 to 18, 19 to 38); BINARY and STRING both
 *       ways (both are Parquet byte arrays); TIMESTAMP_NTZ read as TIMESTAMP (its local time in
 *       the session zone). Everything else fails in Spark's Parquet reader: INT to BIGINT, BIGINT
 *       to INT, INT to DOUBLE, FLOAT to DOUBLE, INT to STRING, DATE to TIMESTAMP_NTZ, TIMESTAMP to
 *       TIMESTAMP_NTZ, a DECIMAL of another scale, a smaller precision or another storage (the
 *       row-based reader reads some of those, but the default, vectorized one does not) — or,
 *       worse, reads other values: INT read as SMALLINT wraps around.
 *   <li>Comments and other metadata do not matter.
 * </ul>
 *
 * <p>{@link Target#ICEBERG} matches names the same way (Iceberg itself tracks columns by id, so a
 * rename there is safe, which this check cannot see) and also allows Iceberg's type promotions:
 * INT to BIGINT, FLOAT to DOUBLE, and a DECIMAL of the same scale and a larger precision.
 *
 * <p>Immutable; holds no Arrow memory. No Spark needed.
 */
public final class SchemaCompatibility {

  /** Where the data lives, which decides the rules. */
  public enum Target {
    /** Parquet files read by Spark 3.5 with a given schema: the default. */
    SPARK_PARQUET,
    /** An Apache Iceberg table (its type promotions on top of the Parquet rules). */
    ICEBERG
  }

  private final List<String> problems;

  private SchemaCompatibility(List<String> problems) {
    this.problems = List.copyOf(problems);
  }

  /** Whether data written with {@code writer} reads as {@code reader}, in Spark's Parquet files. */
  public static SchemaCompatibility canRead(Schema reader, Schema writer) {
    return canRead(reader, writer, Target.SPARK_PARQUET);
  }

  /** Whether data written with {@code writer} reads as {@code reader}, where {@code target} says. */
  public static SchemaCompatibility canRead(Schema reader, Schema writer, Target target) {
    List<String> problems = new ArrayList<>();
    new Rules(target, problems).fields(reader.getFields(), writer.getFields(), "");
    return new SchemaCompatibility(problems);
  }

  /** The new version reads what the old one wrote: {@code canRead(newer, older)}. */
  public static SchemaCompatibility backward(Schema newer, Schema older) {
    return canRead(newer, older);
  }

  /** The old version reads what the new one writes: {@code canRead(older, newer)}. */
  public static SchemaCompatibility forward(Schema newer, Schema older) {
    return canRead(older, newer);
  }

  /** Backward and forward; each problem says which direction it breaks. */
  public static SchemaCompatibility full(Schema newer, Schema older) {
    List<String> problems = new ArrayList<>();
    backward(newer, older).problems.forEach(p -> problems.add("backward (new reads old): " + p));
    forward(newer, older).problems.forEach(p -> problems.add("forward (old reads new): " + p));
    return new SchemaCompatibility(problems);
  }

  public boolean isCompatible() {
    return problems.isEmpty();
  }

  /**
   * Each problem: the column path ({@code lines[].price}), the change, why it breaks and what
   * would make it safe. Empty when compatible.
   */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return isCompatible() ? "compatible" : "incompatible:\n  " + String.join("\n  ", problems);
  }

  private static final class Rules {
    private final Target target;
    private final List<String> problems;

    Rules(Target target, List<String> problems) {
      this.target = target;
      this.problems = problems;
    }

    void fields(List<Field> reader, List<Field> writer, String prefix) {
      List<Field> unread = new ArrayList<>(writer);
      for (Field read : reader) {
        Field written = ArrowSchemas.byName(writer, read.getName());
        if (written != null) {
          unread.remove(written);
        }
      }
      for (Field read : reader) {
        Field written = ArrowSchemas.byName(writer, read.getName());
        String path = prefix + read.getName();
        if (written == null) {
          Field renamed = null;
          for (Field old : unread) {
            if (sameShape(old, read)) {
              renamed = old;
              break;
            }
          }
          if (!read.isNullable()) {
            problems.add(
                path + ": new NOT NULL " + (prefix.isEmpty() ? "column" : "struct field")
                    + ", which data written before it reads as null, failing on the first row."
                    + " Make it nullable (a box or Optional), or fill it in the data first.");
          } else if (renamed != null) {
            problems.add(
                path + ": not in the written data, whose " + prefix + renamed.getName()
                    + " of the same type is no longer read: if it was renamed, everything written"
                    + " before reads as null. Keep the old column name (@ArrowColumn(name = \""
                    + renamed.getName() + "\")), or copy the old column into the new one.");
          }
          continue;
        }
        field(read, written, path);
      }
    }

    /** Whether a written field could be a read one under another name. */
    private boolean sameShape(Field written, Field read) {
      ArrowType w = written.getType();
      ArrowType r = read.getType();
      return w.getClass() == r.getClass()
          && (w instanceof ArrowType.Struct || w instanceof ArrowType.List
              || w instanceof ArrowType.Map || readsAs(w, r));
    }

    private void field(Field read, Field written, String path) {
      if (!read.isNullable() && written.isNullable()) {
        problems.add(
            path + ": NOT NULL, but written as nullable, so the data may hold nulls, and the first"
                + " fails the job. Keep it nullable, or make sure no null was ever written.");
      }
      ArrowType r = read.getType();
      ArrowType w = written.getType();
      if (r instanceof ArrowType.Struct && w instanceof ArrowType.Struct) {
        fields(read.getChildren(), written.getChildren(), path + ".");
      } else if (r instanceof ArrowType.Map && w instanceof ArrowType.Map) {
        Field re = read.getChildren().get(0);
        Field we = written.getChildren().get(0);
        field(re.getChildren().get(0), we.getChildren().get(0), path + "{key}");
        field(re.getChildren().get(1), we.getChildren().get(1), path + "{value}");
      } else if (r instanceof ArrowType.List && w instanceof ArrowType.List) {
        field(read.getChildren().get(0), written.getChildren().get(0), path + "[]");
      } else if (!readsAs(w, r)) {
        problems.add(
            path + ": written as " + sql(w) + ", read as " + sql(r) + ": "
                + (target == Target.SPARK_PARQUET
                    ? "Spark's Parquet reader cannot convert it (SchemaColumnConvertNotSupportedException)."
                    : "Iceberg does not promote " + sql(w) + " to " + sql(r) + ".")
                + " Keep " + sql(w) + ", or add a new column of the new type and stop writing the"
                + " old one" + (target == Target.SPARK_PARQUET
                    ? " (Iceberg and Delta tables can widen INT to BIGINT)." : "."));
      }
    }

    /** Whether values of Arrow type {@code w}, written, read as {@code r}. */
    private boolean readsAs(ArrowType w, ArrowType r) {
      if (w.equals(r)) {
        return true;
      }
      if (w instanceof ArrowType.Timestamp a && r instanceof ArrowType.Timestamp b) {
        // Spark reads a TIMESTAMP_NTZ as a TIMESTAMP (its wall time taken as UTC, whatever the
        // session zone), not the other way.
        boolean sameKind = (a.getTimezone() == null) == (b.getTimezone() == null);
        return a.getUnit() == b.getUnit()
            && (sameKind
                || target == Target.SPARK_PARQUET && a.getTimezone() == null);
      }
      if (w instanceof ArrowType.Int a && r instanceof ArrowType.Int b) {
        if (!a.getIsSigned() || !b.getIsSigned()) {
          return false;
        }
        if (a.getBitWidth() < b.getBitWidth() && b.getBitWidth() <= 32) {
          return true;
        }
        return target == Target.ICEBERG && a.getBitWidth() < b.getBitWidth();
      }
      if (w instanceof ArrowType.Decimal a && r instanceof ArrowType.Decimal b) {
        return a.getScale() == b.getScale()
            && a.getPrecision() <= b.getPrecision()
            && (target == Target.ICEBERG
                || parquetDecimalWidth(a.getPrecision()) == parquetDecimalWidth(b.getPrecision()));
      }
      if (target == Target.SPARK_PARQUET) {
        return (w instanceof ArrowType.Utf8 || w instanceof ArrowType.Binary)
            && (r instanceof ArrowType.Utf8 || r instanceof ArrowType.Binary);
      }
      return w instanceof ArrowType.FloatingPoint a
          && r instanceof ArrowType.FloatingPoint b
          && a.getPrecision() == FloatingPointPrecision.SINGLE
          && b.getPrecision() == FloatingPointPrecision.DOUBLE;
    }

    /**
     * How Spark stores a decimal in Parquet: 32-bit up to 9 digits, 64-bit up to 18, else a byte
     * array. Its vectorized reader widens a decimal only within one of these.
     */
    private static int parquetDecimalWidth(int precision) {
      return precision <= 9 ? 32 : precision <= 18 ? 64 : 128;
    }
  }

  static String sql(ArrowType type) {
    return ArrowSchemas.sqlName(type);
  }
}

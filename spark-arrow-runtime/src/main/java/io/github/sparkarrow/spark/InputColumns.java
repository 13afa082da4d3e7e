package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowRecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one input check of every typed capability: a DataFrame's columns matched to a record's by
 * name (exactly, then ignoring case), each type compared; a nullable column may feed a NOT NULL
 * component unless strict (its values are checked as they arrive).
 */
final class InputColumns {

  private InputColumns() {}

  /**
   * The columns of {@code df} that {@code type} reads, by name, in the record's order; or one
   * exception listing every column that is missing or of another type, and, if {@code
   * strictNullability}, every one that may be null where the record has NOT NULL.
   *
   * @throws IllegalArgumentException listing every problem
   */
  static Dataset<Row> select(Dataset<Row> df, ArrowRecordType<?> type, boolean strictNullability) {
    StructType have = df.schema();
    List<String> problems = problems(type, have, strictNullability);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(message("the DataFrame", type, have, problems));
    }
    List<Column> columns = new ArrayList<>();
    for (StructField field : SparkSchemas.structType(type).fields()) {
      columns.add(df.col(quote(find(have, field.name()).name())).as(field.name()));
    }
    return df.select(columns.toArray(new Column[0]));
  }

  /** Every problem there is in reading {@code have} as {@code type}; empty if it fits. */
  static List<String> problems(ArrowRecordType<?> type, StructType have, boolean strictNullability) {
    List<String> problems = new ArrayList<>();
    for (StructField field : SparkSchemas.structType(type).fields()) {
      StructField found = find(have, field.name());
      if (found == null) {
        problems.add(
            "column '" + field.name() + "' (" + describe(field.dataType(), field.nullable())
                + ") is missing");
        continue;
      }
      compare(field.name(), field.dataType(), field.nullable(), found.dataType(), found.nullable(),
          strictNullability, problems);
    }
    return problems;
  }

  /** One message for all the problems: what does not fit what, each problem, both schemas. */
  static String message(
      String what, ArrowRecordType<?> type, StructType have, List<String> problems) {
    return what + " does not fit " + type.recordClass().getName() + ":\n  "
        + String.join("\n  ", problems) + "\nschema: " + have.toDDL() + "\nrecord: "
        + type.sparkDdl();
  }

  private static StructField find(StructType struct, String name) {
    for (StructField field : struct.fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    for (StructField field : struct.fields()) {
      if (field.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return field;
      }
    }
    return null;
  }

  private static void compare(
      String path, DataType want, boolean wantNullable, DataType have, boolean haveNullable,
      boolean strict, List<String> problems) {
    if (strict && !wantNullable && haveNullable) {
      problems.add(
          "'" + path + "' may be null in the DataFrame but is NOT NULL in the record, and"
              + " strictNullability is on: make the component nullable (a box or Optional),"
              + " replace nulls so that Spark knows the column is not null (coalesce(col, lit(…))),"
              + " or turn strictNullability off to check the values as they arrive");
    }
    if (want instanceof StructType ws && have instanceof StructType hs) {
      List<String> wantNames = List.of(ws.fieldNames());
      List<String> haveNames = List.of(hs.fieldNames());
      if (!wantNames.equals(haveNames)) {
        problems.add(
            "'" + path + "' has struct fields " + haveNames + ", the record " + wantNames
                + " (in this order)");
        return;
      }
      for (int i = 0; i < ws.fields().length; i++) {
        StructField w = ws.fields()[i];
        StructField h = hs.fields()[i];
        compare(path + "." + w.name(), w.dataType(), w.nullable(), h.dataType(), h.nullable(),
            strict, problems);
      }
    } else if (want instanceof ArrayType wa && have instanceof ArrayType ha) {
      compare(path + "[]", wa.elementType(), wa.containsNull(), ha.elementType(), ha.containsNull(),
          strict, problems);
    } else if (want instanceof MapType wm && have instanceof MapType hm) {
      compare(path + "{key}", wm.keyType(), false, hm.keyType(), false, strict, problems);
      compare(path + "{value}", wm.valueType(), wm.valueContainsNull(), hm.valueType(),
          hm.valueContainsNull(), strict, problems);
    } else if (!want.equals(have)) {
      problems.add(
          "'" + path + "': expected " + want.sql() + ", found " + have.sql() + "; cast it, e.g."
              + " col(\"" + path + "\").cast(\"" + want.sql() + "\")");
    }
  }

  private static String describe(DataType type, boolean nullable) {
    return type.sql() + (nullable ? "" : " NOT NULL");
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}

package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowRecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one input check of every typed capability: a DataFrame's columns matched to a record's by
 * name (exactly, then ignoring case), and so are the fields of structs at every depth, as Spark's
 * {@code Dataset.as} resolves them (fields the record lacks are dropped); each type compared; a
 * nullable column may feed a NOT NULL component unless strict (its values are checked as they
 * arrive).
 */
final class InputColumns {

  private InputColumns() {}

  /**
   * The columns of {@code df} that {@code type} reads, by name, in the record's order, their
   * structs (in lists and maps too) rebuilt in the record's field order where the DataFrame's
   * differ (JSON's inferred schema sorts them, other writers order them as they like); or one
   * exception listing every column or field that is missing or of another type, and, if {@code
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
      StructField found = find(have, field.name());
      columns.add(reshaped(df.col(quote(found.name())), field.dataType(), found.dataType(), found.nullable())
          .as(field.name()));
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

  /**
   * {@code column} (of type {@code have}, which fits {@code want}) with every struct's fields in
   * {@code want}'s order and only those: unchanged where they already are.
   */
  private static Column reshaped(Column column, DataType want, DataType have, boolean nullable) {
    if (sameLayout(want, have)) {
      return column;
    }
    if (want instanceof StructType ws && have instanceof StructType hs) {
      List<Column> fields = new ArrayList<>();
      for (StructField w : ws.fields()) {
        StructField h = find(hs, w.name());
        fields.add(reshaped(column.getField(h.name()), w.dataType(), h.dataType(), h.nullable()).as(w.name()));
      }
      Column struct = functions.struct(fields.toArray(new Column[0]));
      return nullable ? functions.when(column.isNotNull(), struct) : struct; // a null struct stays null
    } else if (want instanceof ArrayType wa && have instanceof ArrayType ha) {
      return functions.transform(
          column, element -> reshaped(element, wa.elementType(), ha.elementType(), ha.containsNull()));
    }
    MapType wm = (MapType) want;
    MapType hm = (MapType) have;
    Column keyed = sameLayout(wm.keyType(), hm.keyType()) ? column
        : functions.transform_keys(column, (key, value) -> reshaped(key, wm.keyType(), hm.keyType(), false));
    return sameLayout(wm.valueType(), hm.valueType()) ? keyed
        : functions.transform_values(keyed,
            (key, value) -> reshaped(value, wm.valueType(), hm.valueType(), hm.valueContainsNull()));
  }

  /** Whether {@code have}'s structs, at every depth, have {@code want}'s fields in its order. */
  private static boolean sameLayout(DataType want, DataType have) {
    if (want instanceof StructType ws && have instanceof StructType hs) {
      if (ws.fields().length != hs.fields().length) {
        return false;
      }
      for (int i = 0; i < ws.fields().length; i++) {
        if (!ws.fields()[i].name().equals(hs.fields()[i].name())
            || !sameLayout(ws.fields()[i].dataType(), hs.fields()[i].dataType())) {
          return false;
        }
      }
      return true;
    } else if (want instanceof ArrayType wa && have instanceof ArrayType ha) {
      return sameLayout(wa.elementType(), ha.elementType());
    } else if (want instanceof MapType wm && have instanceof MapType hm) {
      return sameLayout(wm.keyType(), hm.keyType()) && sameLayout(wm.valueType(), hm.valueType());
    }
    return true;
  }

  /** {@code struct}'s field named {@code name}, as Spark matches names: exact first, then in any case. */
  static StructField find(StructType struct, String name) {
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
      for (StructField w : ws.fields()) {
        StructField h = find(hs, w.name());
        if (h == null) {
          problems.add("'" + path + "." + w.name() + "' (" + describe(w.dataType(), w.nullable())
              + ") is missing: '" + path + "' is " + describe(have, haveNullable));
        } else {
          compare(path + "." + w.name(), w.dataType(), w.nullable(), h.dataType(), h.nullable(),
              strict, problems);
        }
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

  /** A column name as Spark SQL reads it whatever it holds (dots, backquotes). */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}

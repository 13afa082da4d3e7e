package io.github.sparkarrow.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Finds the first null that a batch holds where a record type has NOT NULL: the check that lets a
 * record with primitive or {@code @NonNull} components read columns that may hold nulls (every
 * column Spark reads from Parquet, CSV or JSON), as Spark's own {@code Dataset.as(encoder)} does.
 *
 * <p>It costs one null count per NOT NULL vector per batch (Arrow counts the validity bits); only
 * where a NOT NULL vector does hold nulls are they looked at one by one, since a null inside a
 * null struct, or outside every list's range, is no value at all. Vectors of nullable columns
 * with nothing NOT NULL beneath them are not visited.
 *
 * <p>Immutable; holds no Arrow memory.
 */
public final class NotNullCheck {

  private static final NotNullCheck NONE = new NotNullCheck(List.of(), List.of(), "");

  private final List<Integer> columns;
  private final List<Field> fields;
  private final String prefix;

  private NotNullCheck(List<Integer> columns, List<Field> fields, String prefix) {
    this.columns = columns;
    this.fields = fields;
    this.prefix = prefix;
  }

  /**
   * The check of batches with the layout of {@code declared}, whose non-nullable fields (at any
   * depth) are the ones checked; column paths in errors start with {@code recordName} and a dot,
   * or with nothing when it is empty.
   */
  public static NotNullCheck of(Schema declared, String recordName) {
    List<Integer> columns = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < declared.getFields().size(); i++) {
      Field field = declared.getFields().get(i);
      if (hasNotNull(field)) {
        columns.add(i);
        fields.add(field);
      }
    }
    if (columns.isEmpty()) {
      return NONE;
    }
    return new NotNullCheck(
        List.copyOf(columns), List.copyOf(fields), recordName.isEmpty() ? "" : recordName + ".");
  }

  /** Whether any field would be checked. */
  public boolean checksAnything() {
    return !columns.isEmpty();
  }

  /**
   * Throws for the first null, in column order, that {@code batch} holds in a NOT NULL place.
   *
   * @throws ArrowDataException naming the column path and the batch row
   */
  public void check(VectorSchemaRoot batch) {
    for (int i = 0; i < columns.size(); i++) {
      Field field = fields.get(i);
      check(batch.getVector(columns.get(i)), field, prefix + field.getName(), index -> index);
    }
  }

  /** Where value {@code index} of a vector is: its top-level row, or -1 if no value is there. */
  private interface Position {
    int row(int index);
  }

  private static void check(ValueVector vector, Field field, String path, Position position) {
    if (!field.isNullable() && vector.getNullCount() > 0) {
      int count = vector.getValueCount();
      for (int index = 0; index < count; index++) {
        if (vector.isNull(index)) {
          int row = position.row(index);
          if (row >= 0) {
            throw ArrowValues.nullInRecord(vector, path, row);
          }
        }
      }
    }
    if (vector instanceof MapVector map) {
      StructVector entries = (StructVector) map.getDataVector();
      Field entry = field.getChildren().get(0);
      Position inMap = listPosition(map, position);
      Position inEntry = index -> entries.isNull(index) ? -1 : inMap.row(index);
      if (!entry.isNullable() && entries.getNullCount() > 0) {
        check(entries, entry, path + "{entry}", inMap);
      }
      checkChild(entries.getChildByOrdinal(0), entry.getChildren().get(0), path + "{key}", inEntry);
      checkChild(entries.getChildByOrdinal(1), entry.getChildren().get(1), path + "{value}", inEntry);
    } else if (vector instanceof ListVector list) {
      checkChild(
          list.getDataVector(), field.getChildren().get(0), path + "[]", listPosition(list, position));
    } else if (vector instanceof StructVector struct) {
      Position inStruct = index -> struct.isNull(index) ? -1 : position.row(index);
      List<Field> children = field.getChildren();
      for (int i = 0; i < children.size(); i++) {
        Field child = children.get(i);
        checkChild(struct.getChildByOrdinal(i), child, path + "." + child.getName(), inStruct);
      }
    }
  }

  private static void checkChild(ValueVector vector, Field field, String path, Position position) {
    if (hasNotNull(field)) {
      check(vector, field, path, position);
    }
  }

  /** Element {@code index} of a list vector is in the list whose offsets enclose it. */
  private static Position listPosition(ListVector list, Position position) {
    return index -> {
      int low = 0;
      int high = list.getValueCount() - 1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        if (list.getElementEndIndex(mid) <= index) {
          low = mid + 1;
        } else if (list.getElementStartIndex(mid) > index) {
          high = mid - 1;
        } else {
          return list.isNull(mid) ? -1 : position.row(mid);
        }
      }
      return -1;
    };
  }

  private static boolean hasNotNull(Field field) {
    if (!field.isNullable() && !(field.getType() instanceof ArrowType.Null)) {
      return true;
    }
    for (Field child : field.getChildren()) {
      if (hasNotNull(child)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    fields.forEach(f -> names.add(prefix + f.getName()));
    return "NotNullCheck" + names;
  }
}

package io.github.sparkarrow.it;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Rewrites of Spark schemas for comparing what each representation can say. */
final class SparkTypes {

  private SparkTypes() {}

  /** Array elements and map values nullable everywhere: all that DDL can say about them. */
  static StructType asDdlSeesIt(StructType struct) {
    return map(struct, true, true);
  }

  /** No field metadata (comments): all that an Arrow schema says. */
  static StructType withoutMetadata(StructType struct) {
    return map(struct, false, false);
  }

  private static StructType map(StructType struct, boolean relaxNesting, boolean keepMetadata) {
    StructField[] fields = struct.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      StructField f = fields[i];
      fields[i] =
          new StructField(
              f.name(),
              map(f.dataType(), relaxNesting, keepMetadata),
              f.nullable(),
              keepMetadata ? f.metadata() : Metadata.empty());
    }
    return new StructType(fields);
  }

  private static DataType map(DataType type, boolean relaxNesting, boolean keepMetadata) {
    if (type instanceof StructType struct) {
      return map(struct, relaxNesting, keepMetadata);
    }
    if (type instanceof ArrayType array) {
      return new ArrayType(
          map(array.elementType(), relaxNesting, keepMetadata),
          relaxNesting || array.containsNull());
    }
    if (type instanceof MapType mapType) {
      return new MapType(
          map(mapType.keyType(), relaxNesting, keepMetadata),
          map(mapType.valueType(), relaxNesting, keepMetadata),
          relaxNesting || mapType.valueContainsNull());
    }
    return type;
  }
}

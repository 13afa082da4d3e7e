package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowRecordType;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark {@code StructType}s of record types. Unlike a schema parsed from {@code sparkDdl()}, these
 * say exactly which array elements and map values may be null, and carry column comments as
 * Spark's {@code comment} metadata.
 */
public final class SparkSchemas {

  private SparkSchemas() {}

  /** The exact Spark schema of a record type. */
  public static StructType structType(ArrowRecordType<?> type) {
    return fromArrow(type.arrowSchema(), type.comments());
  }

  /**
   * The Spark schema of an Arrow schema, with the type mapping of Spark 3.5's {@code ArrowUtils}
   * (Timestamp with a zone is TIMESTAMP, without one TIMESTAMP_NTZ; Duration(MICROSECOND) is
   * INTERVAL DAY TO SECOND; Interval(YEAR_MONTH) is INTERVAL YEAR TO MONTH).
   *
   * @param comments column comments by Arrow field path, as {@link ArrowRecordType#comments()}
   * @throws IllegalArgumentException naming the field, for an Arrow type Spark cannot hold
   */
  public static StructType fromArrow(Schema schema, Map<String, String> comments) {
    return struct(schema.getFields(), "", comments);
  }

  private static StructType struct(List<Field> fields, String prefix, Map<String, String> comments) {
    StructField[] out = new StructField[fields.size()];
    for (int i = 0; i < out.length; i++) {
      Field field = fields.get(i);
      String path = prefix + field.getName();
      String comment = comments.get(path);
      Metadata metadata =
          comment == null
              ? Metadata.empty()
              : new MetadataBuilder().putString("comment", comment).build();
      out[i] =
          new StructField(
              field.getName(), dataType(field, path, comments), field.isNullable(), metadata);
    }
    return new StructType(out);
  }

  private static DataType dataType(Field field, String path, Map<String, String> comments) {
    ArrowType type = field.getType();
    switch (type.getTypeID()) {
      case Bool:
        return DataTypes.BooleanType;
      case Int:
        ArrowType.Int integer = (ArrowType.Int) type;
        if (integer.getIsSigned()) {
          switch (integer.getBitWidth()) {
            case 8:
              return DataTypes.ByteType;
            case 16:
              return DataTypes.ShortType;
            case 32:
              return DataTypes.IntegerType;
            case 64:
              return DataTypes.LongType;
            default:
              break;
          }
        }
        break;
      case FloatingPoint:
        switch (((ArrowType.FloatingPoint) type).getPrecision()) {
          case SINGLE:
            return DataTypes.FloatType;
          case DOUBLE:
            return DataTypes.DoubleType;
          default:
            break;
        }
        break;
      case Utf8:
      case LargeUtf8:
        return DataTypes.StringType;
      case Binary:
      case LargeBinary:
        return DataTypes.BinaryType;
      case Decimal:
        ArrowType.Decimal decimal = (ArrowType.Decimal) type;
        if (decimal.getBitWidth() == 128) {
          return DataTypes.createDecimalType(decimal.getPrecision(), decimal.getScale());
        }
        break;
      case Date:
        if (((ArrowType.Date) type).getUnit() == DateUnit.DAY) {
          return DataTypes.DateType;
        }
        break;
      case Timestamp:
        ArrowType.Timestamp timestamp = (ArrowType.Timestamp) type;
        if (timestamp.getUnit() == TimeUnit.MICROSECOND) {
          return timestamp.getTimezone() == null
              ? DataTypes.TimestampNTZType
              : DataTypes.TimestampType;
        }
        break;
      case Duration:
        if (((ArrowType.Duration) type).getUnit() == TimeUnit.MICROSECOND) {
          return DataTypes.createDayTimeIntervalType();
        }
        break;
      case Interval:
        if (((ArrowType.Interval) type).getUnit() == IntervalUnit.YEAR_MONTH) {
          return DataTypes.createYearMonthIntervalType();
        }
        break;
      case List:
        Field element = field.getChildren().get(0);
        return DataTypes.createArrayType(
            dataType(element, path + "." + element.getName(), comments), element.isNullable());
      case Map:
        Field entries = field.getChildren().get(0);
        Field key = entries.getChildren().get(0);
        Field value = entries.getChildren().get(1);
        String entriesPath = path + "." + entries.getName() + ".";
        return DataTypes.createMapType(
            dataType(key, entriesPath + key.getName(), comments),
            dataType(value, entriesPath + value.getName(), comments),
            value.isNullable());
      case Struct:
        return struct(field.getChildren(), path + ".", comments);
      default:
        break;
    }
    throw new IllegalArgumentException(
        "Arrow field '" + path + "' has type " + type + ", which Spark 3.5 cannot hold");
  }
}

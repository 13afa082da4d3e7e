package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowRecordType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.catalyst.encoders.AgnosticEncoder;
import org.apache.spark.sql.catalyst.encoders.AgnosticEncoders;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;

/**
 * Spark {@code Encoder}s for records, built on Spark 3.5's {@code AgnosticEncoders.ProductEncoder}:
 * its serializer calls the record's accessors, its deserializer the canonical constructor. The
 * Spark side of each component comes from the record type's exact {@code StructType}
 * (nullability, decimal precision, comments), the Java side from the component's declared type.
 * What Spark's encoders cannot do is rejected up front, naming the component.
 */
final class RecordEncoders {

  private RecordEncoders() {}

  static <T extends Record> Encoder<T> encoder(ArrowRecordType<T> type) {
    List<String> problems = new ArrayList<>();
    AgnosticEncoder<T> encoder =
        product(type.recordClass(), SparkSchemas.structType(type), type.recordClass().getSimpleName(),
            problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Spark 3.5 cannot encode " + type.recordClass().getName() + ":\n  "
              + String.join("\n  ", problems)
              + "\nSparkArrow.mapRecords/mapBatches handle every type of the type table.");
    }
    return ExpressionEncoder.apply(encoder);
  }

  @SuppressWarnings("unchecked")
  private static <T> AgnosticEncoder<T> product(
      Class<T> record, StructType struct, String path, List<String> problems) {
    for (Class<?> c = record; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        problems.add(path + ": " + c.getName() + " is not public, and Spark's generated code"
            + " cannot reach it. Make it public.");
        return null;
      }
    }
    RecordComponent[] components = record.getRecordComponents();
    List<AgnosticEncoders.EncoderField> fields = new ArrayList<>();
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      StructField field = struct.fields()[i];
      String at = path + "." + component.getName();
      if (!field.name().equals(component.getName())) {
        problems.add(at + ": column '" + field.name() + "' is renamed, and Spark's encoder maps"
            + " columns to components by name. Remove the rename to use an Encoder.");
        continue;
      }
      AgnosticEncoder<?> encoder =
          encoderFor(component.getGenericType(), field.dataType(), at, problems);
      if (encoder != null) {
        fields.add(
            new AgnosticEncoders.EncoderField(
                field.name(),
                encoder,
                field.nullable(),
                field.metadata(),
                Option.apply(component.getAccessor().getName()),
                Option.empty()));
      }
    }
    return new AgnosticEncoders.ProductEncoder<>(
        ClassTag$.MODULE$.apply(record),
        JavaConverters.asScalaBuffer(fields).toSeq(),
        Option.empty());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static AgnosticEncoder<?> encoderFor(
      Type type, DataType sparkType, String path, List<String> problems) {
    if (type instanceof Class<?> c) {
      if (c.isPrimitive()) {
        if (c == boolean.class) {
          return AgnosticEncoders.PrimitiveBooleanEncoder$.MODULE$;
        } else if (c == byte.class) {
          return AgnosticEncoders.PrimitiveByteEncoder$.MODULE$;
        } else if (c == short.class) {
          return AgnosticEncoders.PrimitiveShortEncoder$.MODULE$;
        } else if (c == int.class) {
          return AgnosticEncoders.PrimitiveIntEncoder$.MODULE$;
        } else if (c == long.class) {
          return AgnosticEncoders.PrimitiveLongEncoder$.MODULE$;
        } else if (c == float.class) {
          return AgnosticEncoders.PrimitiveFloatEncoder$.MODULE$;
        } else if (c == double.class) {
          return AgnosticEncoders.PrimitiveDoubleEncoder$.MODULE$;
        }
      } else if (c == Boolean.class) {
        return AgnosticEncoders.BoxedBooleanEncoder$.MODULE$;
      } else if (c == Byte.class) {
        return AgnosticEncoders.BoxedByteEncoder$.MODULE$;
      } else if (c == Short.class) {
        return AgnosticEncoders.BoxedShortEncoder$.MODULE$;
      } else if (c == Integer.class) {
        return AgnosticEncoders.BoxedIntEncoder$.MODULE$;
      } else if (c == Long.class) {
        return AgnosticEncoders.BoxedLongEncoder$.MODULE$;
      } else if (c == Float.class) {
        return AgnosticEncoders.BoxedFloatEncoder$.MODULE$;
      } else if (c == Double.class) {
        return AgnosticEncoders.BoxedDoubleEncoder$.MODULE$;
      } else if (c == String.class) {
        return AgnosticEncoders.StringEncoder$.MODULE$;
      } else if (c == byte[].class) {
        return AgnosticEncoders.BinaryEncoder$.MODULE$;
      } else if (c == BigDecimal.class) {
        return new AgnosticEncoders.JavaDecimalEncoder((DecimalType) sparkType, false);
      } else if (c == BigInteger.class) {
        if (sparkType.equals(DecimalType.apply(38, 0))) {
          return AgnosticEncoders.JavaBigIntEncoder$.MODULE$;
        }
        problems.add(path + ": Spark encodes a BigInteger as DECIMAL(38,0) only, and this one is "
            + sparkType.sql() + ".");
        return null;
      } else if (c == LocalDate.class) {
        return AgnosticEncoders.STRICT_LOCAL_DATE_ENCODER();
      } else if (c == java.sql.Date.class) {
        return AgnosticEncoders.STRICT_DATE_ENCODER();
      } else if (c == Instant.class) {
        return AgnosticEncoders.STRICT_INSTANT_ENCODER();
      } else if (c == java.sql.Timestamp.class) {
        return AgnosticEncoders.STRICT_TIMESTAMP_ENCODER();
      } else if (c == LocalDateTime.class) {
        return AgnosticEncoders.LocalDateTimeEncoder$.MODULE$;
      } else if (c == Duration.class) {
        return AgnosticEncoders.DayTimeIntervalEncoder$.MODULE$;
      } else if (c == Period.class) {
        return AgnosticEncoders.YearMonthIntervalEncoder$.MODULE$;
      } else if (c.isEnum()) {
        return new AgnosticEncoders.JavaEnumEncoder(ClassTag$.MODULE$.apply(c));
      } else if (c.isArray()) {
        ArrayType array = (ArrayType) sparkType;
        AgnosticEncoder<?> element =
            encoderFor(c.getComponentType(), array.elementType(), path + "[]", problems);
        return element == null ? null : new AgnosticEncoders.ArrayEncoder(element, array.containsNull());
      } else if (c.isRecord()) {
        return product(c, (StructType) sparkType, path, problems);
      }
    } else if (type instanceof GenericArrayType array) {
      ArrayType arrayType = (ArrayType) sparkType;
      AgnosticEncoder<?> element =
          encoderFor(array.getGenericComponentType(), arrayType.elementType(), path + "[]", problems);
      return element == null ? null : new AgnosticEncoders.ArrayEncoder(element, arrayType.containsNull());
    } else if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] args = parameterized.getActualTypeArguments();
      if (raw == List.class) {
        ArrayType array = (ArrayType) sparkType;
        AgnosticEncoder<?> element = encoderFor(args[0], array.elementType(), path + "[]", problems);
        return element == null
            ? null
            : new AgnosticEncoders.IterableEncoder(
                ClassTag$.MODULE$.apply(List.class), element, array.containsNull(), false);
      } else if (raw == Map.class) {
        MapType map = (MapType) sparkType;
        AgnosticEncoder<?> key = encoderFor(args[0], map.keyType(), path + "{key}", problems);
        AgnosticEncoder<?> value = encoderFor(args[1], map.valueType(), path + "{value}", problems);
        return key == null || value == null
            ? null
            : new AgnosticEncoders.MapEncoder(
                ClassTag$.MODULE$.apply(Map.class), key, value, map.valueContainsNull());
      }
    }
    problems.add(path + ": Spark 3.5 has no encoder for " + type.getTypeName()
        + " (Optional, char, UUID, Set and Collection have none). Use List for collections and a"
        + " nullable component for Optional, or the Arrow functions.");
    return null;
  }
}

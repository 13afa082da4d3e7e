package io.github.sparkarrow.it;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DayTimeIntervalType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.YearMonthIntervalType;

/** A Spark {@code Row} with a value in every field of any schema, in Spark's external types. */
final class SampleRows {

  private SampleRows() {}

  static Row row(StructType schema) {
    Object[] values = new Object[schema.fields().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(schema.fields()[i].dataType(), i);
    }
    return RowFactory.create(values);
  }

  private static Object value(DataType type, int seed) {
    if (type instanceof BooleanType) {
      return seed % 2 == 0;
    } else if (type instanceof ByteType) {
      return (byte) seed;
    } else if (type instanceof ShortType) {
      return (short) (seed * 100);
    } else if (type instanceof IntegerType) {
      return seed * 100_000;
    } else if (type instanceof LongType) {
      return seed * 10_000_000_000L;
    } else if (type instanceof FloatType) {
      return seed + 0.5f;
    } else if (type instanceof DoubleType) {
      return seed + 0.25;
    } else if (type instanceof StringType) {
      return "text " + seed;
    } else if (type instanceof BinaryType) {
      return ("bytes " + seed).getBytes(StandardCharsets.UTF_8);
    } else if (type instanceof DecimalType decimal) {
      return new BigDecimal(BigInteger.valueOf(seed % 10), decimal.scale());
    } else if (type instanceof DateType) {
      return Date.valueOf("2024-02-29");
    } else if (type instanceof TimestampType) {
      return Timestamp.valueOf("2024-02-29 12:34:56.123456");
    } else if (type instanceof TimestampNTZType) {
      return LocalDateTime.of(1969, 7, 20, 20, 17, 40, 123_456_000);
    } else if (type instanceof DayTimeIntervalType) {
      return Duration.ofSeconds(90_061, 1_000);
    } else if (type instanceof YearMonthIntervalType) {
      return Period.ofMonths(14);
    } else if (type instanceof ArrayType array) {
      return List.of(value(array.elementType(), seed), value(array.elementType(), seed + 1));
    } else if (type instanceof MapType map) {
      return Map.of(value(map.keyType(), seed), value(map.valueType(), seed));
    } else if (type instanceof StructType struct) {
      return row(struct);
    }
    throw new IllegalArgumentException("no sample value for " + type);
  }
}

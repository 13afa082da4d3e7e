package io.github.sparkarrow.it;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Records as Spark {@code Row}s by reflection, independently of the generated code: the input of
 * Spark's own path in oracle tests.
 */
final class RecordRows {

  private RecordRows() {}

  static Row row(Record record) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      try {
        values[i] = external(components[i].getAccessor().invoke(record));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException(e);
      }
    }
    return RowFactory.create(values);
  }

  private static Object external(Object value) {
    if (value == null) {
      return null;
    } else if (value instanceof Optional<?> optional) {
      return optional.map(RecordRows::external).orElse(null);
    } else if (value instanceof OptionalInt optional) {
      return optional.isPresent() ? optional.getAsInt() : null;
    } else if (value instanceof OptionalLong optional) {
      return optional.isPresent() ? optional.getAsLong() : null;
    } else if (value instanceof OptionalDouble optional) {
      return optional.isPresent() ? optional.getAsDouble() : null;
    } else if (value instanceof Record record) {
      return row(record);
    } else if (value instanceof Enum<?> constant) {
      return constant.name();
    } else if (value instanceof UUID || value instanceof Character) {
      return value.toString();
    } else if (value instanceof BigInteger integer) {
      return new BigDecimal(integer);
    } else if (value instanceof byte[]) {
      return value;
    } else if (value.getClass().isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        list.add(external(Array.get(value, i)));
      }
      return list;
    } else if (value instanceof Collection<?> collection) {
      List<Object> list = new ArrayList<>();
      for (Object element : collection) {
        list.add(external(element));
      }
      return list;
    } else if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(external(k), external(v)));
      return out;
    }
    return value;
  }
}

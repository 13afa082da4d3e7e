package io.github.sparkarrow.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.github.sparkarrow.processor.model.ClassRef;
import io.github.sparkarrow.processor.model.JavaType;
import io.github.sparkarrow.processor.model.SqlType;
import io.github.sparkarrow.processor.model.Value;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/** The Java type of a value, as the record declares it (without annotations). */
final class JavaTypes {

  private JavaTypes() {}

  static ClassName className(ClassRef ref) {
    ClassName name = ClassName.get(ref.packageName(), ref.simpleNames().get(0));
    for (String nested : ref.simpleNames().subList(1, ref.simpleNames().size())) {
      name = name.nestedClass(nested);
    }
    return name;
  }

  /** The declared type, {@code Optional} included. */
  static TypeName typeName(Value value) {
    TypeName plain = plainTypeName(value);
    switch (value.java().wrapper()) {
      case OPTIONAL:
        return ParameterizedTypeName.get(ClassName.get(Optional.class), plain.box());
      case OPTIONAL_INT:
        return ClassName.get(OptionalInt.class);
      case OPTIONAL_LONG:
        return ClassName.get(OptionalLong.class);
      case OPTIONAL_DOUBLE:
        return ClassName.get(OptionalDouble.class);
      default:
        return plain;
    }
  }

  /** The type inside any {@code Optional}; primitive for primitives. */
  static TypeName plainTypeName(Value value) {
    JavaType java = value.java();
    switch (java.kind()) {
      case PRIMITIVE:
        return primitive(((SqlType.Primitive) value.type()).kind());
      case BOXED:
        return primitive(((SqlType.Primitive) value.type()).kind()).box();
      case STRING:
        return ClassName.get(String.class);
      case CHAR:
        return TypeName.CHAR;
      case CHARACTER:
        return TypeName.CHAR.box();
      case UUID:
        return ClassName.get(UUID.class);
      case ENUM:
      case RECORD:
        return className(java.named());
      case BYTE_ARRAY:
        return ArrayTypeName.of(TypeName.BYTE);
      case BIG_DECIMAL:
        return ClassName.get(BigDecimal.class);
      case BIG_INTEGER:
        return ClassName.get(BigInteger.class);
      case LOCAL_DATE:
        return ClassName.get(LocalDate.class);
      case SQL_DATE:
        return ClassName.get("java.sql", "Date");
      case INSTANT:
        return ClassName.get(Instant.class);
      case SQL_TIMESTAMP:
        return ClassName.get("java.sql", "Timestamp");
      case LOCAL_DATE_TIME:
        return ClassName.get(LocalDateTime.class);
      case DURATION:
        return ClassName.get(Duration.class);
      case PERIOD:
        return ClassName.get(Period.class);
      case LIST:
        return ParameterizedTypeName.get(ClassName.get(List.class), element(value).box());
      case SET:
        return ParameterizedTypeName.get(ClassName.get(Set.class), element(value).box());
      case COLLECTION:
        return ParameterizedTypeName.get(ClassName.get(Collection.class), element(value).box());
      case ARRAY:
        return ArrayTypeName.of(element(value));
      case MAP:
        SqlType.MapOf map = (SqlType.MapOf) value.type();
        return ParameterizedTypeName.get(
            ClassName.get(Map.class), typeName(map.key()).box(), typeName(map.value()).box());
      default:
        throw new AssertionError(java.kind());
    }
  }

  /** The erasure, for {@code new T[n]}. */
  static TypeName erasure(TypeName type) {
    if (type instanceof ParameterizedTypeName parameterized) {
      return parameterized.rawType();
    }
    if (type instanceof ArrayTypeName array) {
      return ArrayTypeName.of(erasure(array.componentType()));
    }
    return type;
  }

  private static TypeName element(Value value) {
    return typeName(((SqlType.ListOf) value.type()).element());
  }

  static TypeName primitive(SqlType.PrimitiveKind kind) {
    switch (kind) {
      case BOOLEAN:
        return TypeName.BOOLEAN;
      case BYTE:
        return TypeName.BYTE;
      case SHORT:
        return TypeName.SHORT;
      case INT:
        return TypeName.INT;
      case LONG:
        return TypeName.LONG;
      case FLOAT:
        return TypeName.FLOAT;
      case DOUBLE:
        return TypeName.DOUBLE;
      default:
        throw new AssertionError(kind);
    }
  }
}

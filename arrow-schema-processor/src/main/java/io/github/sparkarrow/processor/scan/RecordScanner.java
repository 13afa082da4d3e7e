package io.github.sparkarrow.processor.scan;

import io.github.sparkarrow.annotations.ColumnNaming;
import io.github.sparkarrow.processor.model.ClassRef;
import io.github.sparkarrow.processor.model.Column;
import io.github.sparkarrow.processor.model.ColumnNames;
import io.github.sparkarrow.processor.model.JavaType;
import io.github.sparkarrow.processor.model.JavaType.Kind;
import io.github.sparkarrow.processor.model.JavaType.Wrapper;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.model.SqlType;
import io.github.sparkarrow.processor.model.SqlType.PrimitiveKind;
import io.github.sparkarrow.processor.model.SqlType.TemporalKind;
import io.github.sparkarrow.processor.model.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Turns an annotated record into a {@link RecordModel}, reporting every problem on the component
 * that causes it. It never throws for bad input; it throws {@link Unresolved} when a type is not
 * known yet, so the processor can try the record again in the next round.
 */
public final class RecordScanner {

  /** A component's type is not resolved (perhaps generated later this compile). */
  public static final class Unresolved extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Element site;
    private final String path;

    Unresolved(Element site, String path, String type) {
      super(type, null, false, false);
      this.site = site;
      this.path = path;
    }

    public Element site() {
      return site;
    }

    public String path() {
      return path;
    }
  }

  /**
   * What a scan carries down: the package the generated code lives in (types must be reachable
   * from it), the records being scanned (to catch recursion), and the naming in force.
   */
  private record Scope(String companionPackage, Deque<TypeElement> enclosing, ColumnNaming naming) {
    Scope withNaming(ColumnNaming naming) {
      return new Scope(companionPackage, enclosing, naming);
    }
  }

  /** Where a value sits: its path for messages and the element that gets its diagnostics. */
  private record Where(String path, Element site) {
    Where then(String suffix) {
      return new Where(path + suffix, site);
    }
  }

  private final Elements elements;
  private final Reporter reporter;
  private final SourceSites sites;

  public RecordScanner(Elements elements, Reporter reporter, SourceSites sites) {
    this.elements = elements;
    this.reporter = reporter;
    this.sites = sites;
  }

  /** The model of an annotated type, or empty after reporting why there is none. */
  public Optional<RecordModel> scan(TypeElement annotated) {
    if (annotated.getKind() != ElementKind.RECORD) {
      reporter.error(
          annotated,
          Message.NOT_A_RECORD,
          annotated.getQualifiedName(),
          describeKind(annotated.getKind()));
      return Optional.empty();
    }
    int errorsBefore = reporter.errorCount();
    RecordModel model =
        record(
            annotated,
            new Where(annotated.getSimpleName().toString(), annotated),
            new Scope(packageOf(annotated), new ArrayDeque<>(), ColumnNaming.AS_DECLARED));
    return reporter.errorCount() == errorsBefore ? Optional.of(model) : Optional.empty();
  }

  private RecordModel record(TypeElement record, Where where, Scope outer) {
    ClassRef ref = classRef(record);
    if (!record.getTypeParameters().isEmpty()) {
      reporter.error(where.site(), Message.GENERIC_RECORD, where.path(), ref.canonicalName());
      return new RecordModel(ref, List.of());
    }
    Optional<String> inaccessible = inaccessibility(record, outer.companionPackage());
    if (inaccessible.isPresent()) {
      reporter.error(
          where.site(),
          Message.INACCESSIBLE_RECORD,
          where.path(),
          ref.canonicalName(),
          inaccessible.get());
      return new RecordModel(ref, List.of());
    }
    List<? extends RecordComponentElement> components = record.getRecordComponents();
    if (components.isEmpty()) {
      reporter.error(where.site(), Message.EMPTY_RECORD, where.path(), ref.canonicalName());
      return new RecordModel(ref, List.of());
    }
    Scope scope = outer.withNaming(naming(record).orElse(outer.naming()));
    scope.enclosing().push(record);
    List<Column> columns = new ArrayList<>();
    Map<String, String> usedNames = new HashMap<>();
    for (RecordComponentElement component : components) {
      VariableElement field = fieldOf(record, component);
      Element site = sites.hasSource(field) ? field : where.site();
      String name = component.getSimpleName().toString();
      Where at = new Where(where.path() + "." + name, site);

      List<AnnotationMirror> declared = new ArrayList<>(component.getAnnotationMirrors());
      declared.addAll(field.getAnnotationMirrors());
      ExecutableElement accessor = component.getAccessor();
      if (accessor != null) {
        declared.addAll(accessor.getAnnotationMirrors());
      }
      Value value = value(field.asType(), declared, at, scope);
      if (value == null) {
        continue;
      }
      String columnName = columnName(name, declared, scope.naming());
      String previous =
          usedNames.putIfAbsent(columnName.toLowerCase(Locale.ROOT), at.path());
      if (previous != null) {
        reporter.error(site, Message.DUPLICATE_COLUMN, at.path(), columnName, previous);
        continue;
      }
      String comment =
          Annotations.find(declared, Annotations.ARROW_COLUMN)
              .map(m -> Annotations.stringValue(m, "comment"))
              .orElse("");
      columns.add(new Column(columnName, name, comment, value));
    }
    scope.enclosing().pop();
    return new RecordModel(ref, columns);
  }

  /**
   * The value of one type in one place. {@code declared} holds declaration annotations that apply
   * to it (on the component for a column, none for type arguments). Returns null after an error.
   */
  private Value value(
      TypeMirror type, List<? extends AnnotationMirror> declared, Where where, Scope scope) {
    List<AnnotationMirror> annotations = new ArrayList<>(declared);
    annotations.addAll(type.getAnnotationMirrors());
    Optional<AnnotationMirror> decimal = Annotations.find(annotations, Annotations.ARROW_DECIMAL);
    List<AnnotationMirror> nullness = Annotations.nullness(annotations);
    Optional<Boolean> nullable = nullable(nullness, where);
    if (nullable == null) {
      return null;
    }

    Value value;
    switch (type.getKind()) {
      case BOOLEAN:
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
      case FLOAT:
      case DOUBLE:
      case CHAR:
        if (nullable.orElse(false)) {
          reporter.error(
              where.site(),
              Message.NULLABLE_PRIMITIVE,
              where.path(),
              type.getKind().toString().toLowerCase(Locale.ROOT),
              Annotations.simpleName(nullness.get(0)),
              boxName(type.getKind()));
          return null;
        }
        value = primitive(type.getKind());
        break;
      case ARRAY:
        TypeMirror elementType = ((ArrayType) type).getComponentType();
        if (elementType.getKind() == TypeKind.BYTE) {
          value = new Value(new SqlType.Binary(), true, JavaType.of(Kind.BYTE_ARRAY));
        } else {
          Value element =
              value(elementType, List.of(), where.then("[]"), scope);
          if (element == null) {
            return null;
          }
          value = new Value(new SqlType.ListOf(element), true, JavaType.of(Kind.ARRAY));
        }
        break;
      case DECLARED:
        value = declared((DeclaredType) type, declared, nullness, where, scope);
        if (value == null) {
          return null;
        }
        if (value.java().wrapper() != Wrapper.NONE) {
          // Optional: always nullable, and its own annotations were handled on the way in.
          return value;
        }
        break;
      case WILDCARD:
        reporter.error(where.site(), Message.WILDCARD, where.path(), type);
        return null;
      case ERROR:
        throw new Unresolved(where.site(), where.path(), type.toString());
      default:
        reporter.error(where.site(), Message.UNSUPPORTED_TYPE, where.path(), type);
        return null;
    }

    if (decimal.isPresent()) {
      value = withDecimal(value, decimal.get(), type, where);
      if (value == null) {
        return null;
      }
    }
    if (value.type() instanceof SqlType.Primitive && value.java().kind() == Kind.PRIMITIVE) {
      return value;
    }
    if (value.java().kind() == Kind.CHAR) {
      return value.withNullable(false);
    }
    return value.withNullable(nullable.orElse(true));
  }

  private Value declared(
      DeclaredType type,
      List<? extends AnnotationMirror> declared,
      List<AnnotationMirror> nullness,
      Where where,
      Scope scope) {
    TypeElement element = (TypeElement) type.asElement();
    String name = element.getQualifiedName().toString();
    List<? extends TypeMirror> args = type.getTypeArguments();
    if (!element.getTypeParameters().isEmpty() && args.isEmpty()) {
      reporter.error(where.site(), Message.RAW_TYPE, where.path(), name);
      return null;
    }
    switch (name) {
      case "java.lang.Boolean":
        return boxed(PrimitiveKind.BOOLEAN);
      case "java.lang.Byte":
        return boxed(PrimitiveKind.BYTE);
      case "java.lang.Short":
        return boxed(PrimitiveKind.SHORT);
      case "java.lang.Integer":
        return boxed(PrimitiveKind.INT);
      case "java.lang.Long":
        return boxed(PrimitiveKind.LONG);
      case "java.lang.Float":
        return boxed(PrimitiveKind.FLOAT);
      case "java.lang.Double":
        return boxed(PrimitiveKind.DOUBLE);
      case "java.lang.Character":
        return text(Kind.CHARACTER);
      case "java.lang.String":
        return text(Kind.STRING);
      case "java.util.UUID":
        return text(Kind.UUID);
      case "java.math.BigDecimal":
        return new Value(new SqlType.Decimal(38, 18), true, JavaType.of(Kind.BIG_DECIMAL));
      case "java.math.BigInteger":
        return new Value(new SqlType.Decimal(38, 0), true, JavaType.of(Kind.BIG_INTEGER));
      case "java.time.LocalDate":
        return temporal(TemporalKind.DATE, Kind.LOCAL_DATE);
      case "java.sql.Date":
        return temporal(TemporalKind.DATE, Kind.SQL_DATE);
      case "java.time.Instant":
        return temporal(TemporalKind.TIMESTAMP, Kind.INSTANT);
      case "java.sql.Timestamp":
        return temporal(TemporalKind.TIMESTAMP, Kind.SQL_TIMESTAMP);
      case "java.time.LocalDateTime":
        return temporal(TemporalKind.TIMESTAMP_NTZ, Kind.LOCAL_DATE_TIME);
      case "java.time.Duration":
        return temporal(TemporalKind.DAY_TIME_INTERVAL, Kind.DURATION);
      case "java.time.Period":
        return temporal(TemporalKind.YEAR_MONTH_INTERVAL, Kind.PERIOD);
      case "java.util.OptionalInt":
        return optionalPrimitive(PrimitiveKind.INT, Wrapper.OPTIONAL_INT, nullness, where);
      case "java.util.OptionalLong":
        return optionalPrimitive(PrimitiveKind.LONG, Wrapper.OPTIONAL_LONG, nullness, where);
      case "java.util.OptionalDouble":
        return optionalPrimitive(PrimitiveKind.DOUBLE, Wrapper.OPTIONAL_DOUBLE, nullness, where);
      case "java.util.Optional":
        return optional(args.get(0), declared, nullness, where, scope);
      case "java.util.List":
        return collection(Kind.LIST, args.get(0), where, scope);
      case "java.util.Set":
        return collection(Kind.SET, args.get(0), where, scope);
      case "java.util.Collection":
        return collection(Kind.COLLECTION, args.get(0), where, scope);
      case "java.util.Map":
        return map(args.get(0), args.get(1), where, scope);
      case "java.lang.Object":
        reporter.error(where.site(), Message.OBJECT_TYPE, where.path());
        return null;
      default:
        break;
    }
    switch (element.getKind()) {
      case ENUM:
        Optional<String> inaccessible = inaccessibility(element, scope.companionPackage());
        if (inaccessible.isPresent()) {
          reporter.error(
              where.site(),
              Message.INACCESSIBLE_RECORD,
              where.path(),
              name,
              inaccessible.get());
          return null;
        }
        return new Value(new SqlType.Text(), true, JavaType.named(Kind.ENUM, classRef(element)));
      case RECORD:
        if (scope.enclosing().contains(element)) {
          reporter.error(where.site(), Message.RECURSIVE_RECORD, where.path(), name);
          return null;
        }
        int errorsBefore = reporter.errorCount();
        RecordModel nested = record(element, where, scope);
        if (reporter.errorCount() != errorsBefore) {
          return null;
        }
        return new Value(
            new SqlType.Struct(nested), true, JavaType.named(Kind.RECORD, nested.type()));
      case INTERFACE:
      case ANNOTATION_TYPE:
        reporter.error(where.site(), Message.INTERFACE, where.path(), name);
        return null;
      default:
        reporter.error(
            where.site(),
            LEGACY_DATES.contains(name) ? Message.LEGACY_DATE : Message.UNSUPPORTED_TYPE,
            where.path(),
            name);
        return null;
    }
  }

  /** Date and time classes that predate java.time, for which the error suggests java.time. */
  private static final Set<String> LEGACY_DATES =
      Set.of("java.util.Date", "java.util.Calendar", "java.util.GregorianCalendar");

  private Value optional(
      TypeMirror arg,
      List<? extends AnnotationMirror> declared,
      List<AnnotationMirror> nullness,
      Where where,
      Scope scope) {
    if (!checkOptionalNullness(nullness, where)) {
      return null;
    }
    if (isOptional(arg)) {
      reporter.error(where.site(), Message.NESTED_OPTIONAL, where.path());
      return null;
    }
    // Declaration annotations such as @ArrowDecimal on an Optional<BigDecimal> component apply to
    // the value inside; nullability annotations were just checked.
    List<AnnotationMirror> passed = new ArrayList<>();
    for (AnnotationMirror mirror : declared) {
      if (Annotations.Nullness.of(mirror).isEmpty()) {
        passed.add(mirror);
      }
    }
    Value inner = value(arg, passed, where, scope);
    if (inner == null) {
      return null;
    }
    return inner.withNullable(true).withJava(inner.java().wrappedIn(Wrapper.OPTIONAL));
  }

  private Value optionalPrimitive(
      PrimitiveKind kind, Wrapper wrapper, List<AnnotationMirror> nullness, Where where) {
    if (!checkOptionalNullness(nullness, where)) {
      return null;
    }
    return new Value(new SqlType.Primitive(kind), true, JavaType.of(Kind.PRIMITIVE).wrappedIn(wrapper));
  }

  private boolean checkOptionalNullness(List<AnnotationMirror> nullness, Where where) {
    for (AnnotationMirror mirror : nullness) {
      if (Annotations.Nullness.of(mirror).orElseThrow() == Annotations.Nullness.NON_NULL) {
        reporter.error(
            where.site(), Message.NONNULL_OPTIONAL, where.path(), Annotations.simpleName(mirror));
        return false;
      }
    }
    return true;
  }

  private Value collection(Kind kind, TypeMirror arg, Where where, Scope scope) {
    Value element = value(arg, List.of(), where.then("[]"), scope);
    if (element == null) {
      return null;
    }
    return new Value(new SqlType.ListOf(element), true, JavaType.of(kind));
  }

  private Value map(TypeMirror keyType, TypeMirror valueType, Where where, Scope scope) {
    Where keyWhere = where.then("{key}");
    Value key = value(keyType, List.of(), keyWhere, scope);
    Value value = value(valueType, List.of(), where.then("{value}"), scope);
    if (key == null || value == null) {
      return null;
    }
    if (key.java().wrapper() != Wrapper.NONE
        || !Annotations.nullness(keyType.getAnnotationMirrors()).stream()
            .allMatch(m -> Annotations.Nullness.of(m).orElseThrow() == Annotations.Nullness.NON_NULL)) {
      String why = key.java().wrapper() != Wrapper.NONE ? "an Optional" : "marked nullable";
      reporter.error(keyWhere.site(), Message.MAP_KEY_NULLABLE, keyWhere.path(), why);
      return null;
    }
    if (containsMap(key.type())) {
      reporter.error(keyWhere.site(), Message.MAP_KEY_MAP, keyWhere.path(), keyType);
      return null;
    }
    return new Value(
        new SqlType.MapOf(key.withNullable(false), value), true, JavaType.of(Kind.MAP));
  }

  private static boolean containsMap(SqlType type) {
    if (type instanceof SqlType.MapOf) {
      return true;
    }
    if (type instanceof SqlType.ListOf list) {
      return containsMap(list.element().type());
    }
    if (type instanceof SqlType.Struct struct) {
      return struct.record().columns().stream().anyMatch(c -> containsMap(c.value().type()));
    }
    return false;
  }

  private Value withDecimal(Value value, AnnotationMirror mirror, TypeMirror type, Where where) {
    int precision = (Integer) Annotations.value(mirror, "precision");
    int scale = (Integer) Annotations.value(mirror, "scale");
    if (!(value.type() instanceof SqlType.Decimal)) {
      reporter.error(where.site(), Message.DECIMAL_NOT_DECIMAL, where.path(), plain(type));
      return null;
    }
    if (precision < 1 || precision > SqlType.Decimal.MAX_PRECISION || scale < 0 || scale > precision) {
      reporter.error(where.site(), Message.DECIMAL_OUT_OF_RANGE, where.path(), precision, scale);
      return null;
    }
    if (value.java().kind() == Kind.BIG_INTEGER && scale != 0) {
      reporter.error(where.site(), Message.DECIMAL_SCALE_ON_INTEGER, where.path(), scale);
      return null;
    }
    return new Value(new SqlType.Decimal(precision, scale), value.nullable(), value.java());
  }

  /** Empty when unannotated, null after reporting conflicting annotations. */
  private Optional<Boolean> nullable(List<AnnotationMirror> nullness, Where where) {
    AnnotationMirror nonNull = null;
    AnnotationMirror nullable = null;
    for (AnnotationMirror mirror : nullness) {
      if (Annotations.Nullness.of(mirror).orElseThrow() == Annotations.Nullness.NON_NULL) {
        nonNull = mirror;
      } else {
        nullable = mirror;
      }
    }
    if (nonNull != null && nullable != null) {
      reporter.error(
          where.site(),
          Message.CONFLICTING_NULLABILITY,
          where.path(),
          Annotations.simpleName(nonNull),
          Annotations.simpleName(nullable));
      return null;
    }
    if (nonNull != null) {
      return Optional.of(false);
    }
    return nullable != null ? Optional.of(true) : Optional.empty();
  }

  private String columnName(
      String component, List<? extends AnnotationMirror> declared, ColumnNaming naming) {
    Optional<String> explicit =
        Annotations.find(declared, Annotations.ARROW_COLUMN)
            .map(m -> Annotations.stringValue(m, "name"))
            .filter(s -> !s.isEmpty());
    if (explicit.isEmpty()) {
      explicit =
          Annotations.find(declared, Annotations.JSON_PROPERTY)
              .map(m -> Annotations.stringValue(m, "value"))
              .filter(s -> !s.isEmpty());
    }
    return explicit.orElseGet(
        () -> naming == ColumnNaming.SNAKE_CASE ? ColumnNames.snakeCase(component) : component);
  }

  private static Optional<ColumnNaming> naming(TypeElement record) {
    return Annotations.find(record.getAnnotationMirrors(), Annotations.HAS_ARROW_SPARK_SCHEMA)
        .map(m -> Annotations.value(m, "naming"))
        .map(v -> ColumnNaming.valueOf(((VariableElement) v).getSimpleName().toString()));
  }

  private boolean isOptional(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    String name =
        ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString();
    return name.startsWith("java.util.Optional");
  }

  /** Why code in {@code fromPackage} cannot name the type, or empty if it can. */
  private Optional<String> inaccessibility(TypeElement type, String fromPackage) {
    if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
      return Optional.of("local");
    }
    boolean samePackage = packageOf(type).equals(fromPackage);
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return Optional.of("private");
      }
      if (!e.getModifiers().contains(Modifier.PUBLIC) && !samePackage) {
        return Optional.of("not public, in another package");
      }
    }
    return Optional.empty();
  }

  private VariableElement fieldOf(TypeElement record, RecordComponentElement component) {
    for (VariableElement field : ElementFilter.fieldsIn(record.getEnclosedElements())) {
      if (field.getSimpleName().equals(component.getSimpleName())
          && !field.getModifiers().contains(Modifier.STATIC)) {
        return field;
      }
    }
    throw new IllegalStateException("record " + record + " has no field for " + component);
  }

  private String packageOf(TypeElement type) {
    PackageElement pkg = elements.getPackageOf(type);
    return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
  }

  private ClassRef classRef(TypeElement type) {
    List<String> names = new ArrayList<>();
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      names.add(0, e.getSimpleName().toString());
    }
    return new ClassRef(packageOf(type), names);
  }

  private static Value primitive(TypeKind kind) {
    if (kind == TypeKind.CHAR) {
      return new Value(new SqlType.Text(), false, JavaType.of(Kind.CHAR));
    }
    return new Value(
        new SqlType.Primitive(PrimitiveKind.valueOf(kind.name())), false, JavaType.of(Kind.PRIMITIVE));
  }

  private static Value boxed(PrimitiveKind kind) {
    return new Value(new SqlType.Primitive(kind), true, JavaType.of(Kind.BOXED));
  }

  private static Value text(Kind kind) {
    return new Value(new SqlType.Text(), true, JavaType.of(kind));
  }

  private static Value temporal(TemporalKind kind, Kind java) {
    return new Value(new SqlType.Temporal(kind), true, JavaType.of(java));
  }

  private static String boxName(TypeKind kind) {
    switch (kind) {
      case INT:
        return "Integer";
      case CHAR:
        return "Character";
      default:
        String lower = kind.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
  }

  /** A type as written, without its type annotations. */
  private static String plain(TypeMirror type) {
    return type.toString().replaceAll("\\([^)]*\\)", "").replaceAll("@\\S+\\s+", "");
  }

  private static String describeKind(ElementKind kind) {
    switch (kind) {
      case INTERFACE:
        return "an interface";
      case ENUM:
        return "an enum";
      case ANNOTATION_TYPE:
        return "an annotation type";
      default:
        return "a " + kind.name().toLowerCase(Locale.ROOT);
    }
  }
}

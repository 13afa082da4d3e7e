package io.github.sparkarrow.processor.scan;

import java.util.Locale;

/**
 * Every diagnostic the processor reports, in one place (as MapStruct keeps its messages). Each
 * says what is wrong, where ({@code Order.lines[].price}: {@code []} is a collection element,
 * {@code {key}} and {@code {value}} a map's), and what to do instead. Tests refer to these
 * constants, not to copies of the text.
 */
public enum Message {
  NOT_A_RECORD(
      "@HasArrowSparkSchema goes on a record, and %s is %s. Declare it as a record, or remove the"
          + " annotation."),
  GENERIC_RECORD(
      "%s: record %s has type parameters, and a schema needs concrete types. Declare a record"
          + " without type parameters (substitute the types you store)."),
  INACCESSIBLE_RECORD(
      "%s: %s is %s, so generated code cannot use it. Make it public, or package-private in the"
          + " package of the annotated record."),
  EMPTY_RECORD(
      "%s: record %s has no components, and Spark and Arrow have no empty struct column. Add a"
          + " component, or leave the record out."),
  RECURSIVE_RECORD(
      "%s: record %s contains itself, and Spark and Arrow schemas cannot be recursive. Break the"
          + " cycle, for example by storing the child's key instead of the child."),
  OBJECT_TYPE(
      "%s: Object has no Spark or Arrow type. Use a concrete type from the type table (String,"
          + " long, a record, …)."),
  RAW_TYPE(
      "%s: raw type %s has no element type. Give its type arguments, e.g. List<String>."),
  WILDCARD(
      "%s: wildcard %s has no single Spark or Arrow type. Use a concrete type argument, e.g."
          + " List<String> instead of List<? extends CharSequence>."),
  INTERFACE(
      "%s: interface %s has no Spark or Arrow type; only List, Set, Collection and Map are"
          + " supported. Use one of those, or a record."),
  UNSUPPORTED_TYPE(
      "%s: %s has no Spark or Arrow type. Use a type from the type table: a primitive or its box,"
          + " String, UUID, an enum, byte[], BigDecimal, BigInteger, LocalDate, Instant,"
          + " LocalDateTime, Duration, Period, List/Set/Collection/array, Map, Optional, or a"
          + " record."),
  LEGACY_DATE(
      "%s: %s has no Spark or Arrow type. Use Instant for a TIMESTAMP (a point in time),"
          + " LocalDateTime for a TIMESTAMP_NTZ or LocalDate for a DATE. java.sql.Timestamp and"
          + " java.sql.Date also map to TIMESTAMP and DATE, converted as Spark converts them:"
          + " through the JVM's default time zone."),
  NESTED_OPTIONAL(
      "%s: Optional inside Optional cannot be told apart from one empty Optional in a nullable"
          + " column. Use a single Optional."),
  MAP_KEY_MAP(
      "%s: a map key is or contains a map (%s), which Spark rejects. Use a key without maps, for"
          + " example a record or a String."),
  MAP_KEY_NULLABLE(
      "%s: a map key can never be null in Spark or Arrow, and this one is %s. Use a non-optional"
          + " key type."),
  NULLABLE_PRIMITIVE(
      "%s: primitive %s cannot be null, and it is marked @%s. Use its box (%s) for a nullable"
          + " column."),
  NONNULL_OPTIONAL(
      "%s: an Optional is a nullable column, and it is marked @%s. Remove the annotation, or use"
          + " the plain type for a NOT NULL column."),
  CONFLICTING_NULLABILITY(
      "%s: marked both @%s and @%s. Keep one."),
  DECIMAL_OUT_OF_RANGE(
      "%s: @ArrowDecimal(precision = %d, scale = %d) is out of range: Spark needs 1 <= precision"
          + " <= 38 and 0 <= scale <= precision. Choose a precision and scale within that."),
  DECIMAL_SCALE_ON_INTEGER(
      "%s: a BigInteger has no fractional digits, and @ArrowDecimal gives scale %d. Use scale = 0,"
          + " or a BigDecimal."),
  DECIMAL_NOT_DECIMAL(
      "%s: @ArrowDecimal applies to BigDecimal and BigInteger, and this is %s. Remove it, or put"
          + " it on the decimal type argument, e.g. List<@ArrowDecimal(precision = 10, scale = 2)"
          + " BigDecimal>."),
  DUPLICATE_COLUMN(
      "%s: column name `%s` is already used by %s (Spark compares column names ignoring case)."
          + " Rename one with @ArrowColumn(name = \"…\")."),
  UNRESOLVED_TYPE(
      "%s: type %s could not be resolved. Fix the compile errors above, or make sure the class is"
          + " on the class path."),
  INTERNAL_ERROR(
      "internal error in the @HasArrowSparkSchema processor while processing %s; please report"
          + " it with this stack trace:%n%s");

  private final String format;

  Message(String format) {
    this.format = format;
  }

  /** A stable tag such as {@code [ArrowSchema:UNSUPPORTED_TYPE]}, at the start of every message. */
  public String tag() {
    return "[ArrowSchema:" + name() + "]";
  }

  public String format(Object... args) {
    return tag() + " " + String.format(Locale.ROOT, format, args);
  }
}

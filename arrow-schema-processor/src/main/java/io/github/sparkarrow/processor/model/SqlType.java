package io.github.sparkarrow.processor.model;

/**
 * A Spark SQL / Arrow data type, without nullability (that belongs to the {@link Value} that holds
 * it). The emitters switch over this sealed type exhaustively, so a new type cannot be rendered in
 * one output and forgotten in another.
 */
public sealed interface SqlType {

  /**
   * One method per type: Java 17 has no exhaustive pattern switch, so a visitor is how the compiler
   * makes every emitter handle every type.
   */
  interface Visitor<R> {
    R primitive(Primitive type);

    R text(Text type);

    R binary(Binary type);

    R decimal(Decimal type);

    R temporal(Temporal type);

    R list(ListOf type);

    R map(MapOf type);

    R struct(Struct type);
  }

  <R> R accept(Visitor<R> visitor);

  /** BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE. */
  record Primitive(PrimitiveKind kind) implements SqlType {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.primitive(this);
    }
  }

  /** STRING (Arrow Utf8). */
  record Text() implements SqlType {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.text(this);
    }
  }

  /** BINARY (Arrow Binary). */
  record Binary() implements SqlType {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.binary(this);
    }
  }

  /** DECIMAL(precision, scale) (Arrow Decimal(precision, scale, 128)). */
  record Decimal(int precision, int scale) implements SqlType {
    public static final int MAX_PRECISION = 38;

    public Decimal {
      if (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > precision) {
        throw new IllegalArgumentException("DECIMAL(" + precision + "," + scale + ") is out of range");
      }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.decimal(this);
    }
  }

  /** Dates, timestamps and intervals. */
  record Temporal(TemporalKind kind) implements SqlType {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.temporal(this);
    }
  }

  /** ARRAY of an element (Arrow List with one child, {@code element}). */
  record ListOf(Value element) implements SqlType {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.list(this);
    }
  }

  /**
   * MAP (Arrow Map, a non-null {@code entries} struct of a non-null {@code key} and a {@code
   * value}). The key is never nullable.
   */
  record MapOf(Value key, Value value) implements SqlType {
    public MapOf {
      if (key.nullable()) {
        throw new IllegalArgumentException("a map key is never nullable");
      }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.map(this);
    }
  }

  /** STRUCT of a record's columns. */
  record Struct(RecordModel record) implements SqlType {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.struct(this);
    }
  }

  /** Fixed-width numbers and booleans. */
  enum PrimitiveKind {
    BOOLEAN("BOOLEAN", 1),
    BYTE("TINYINT", 8),
    SHORT("SMALLINT", 16),
    INT("INT", 32),
    LONG("BIGINT", 64),
    FLOAT("FLOAT", 32),
    DOUBLE("DOUBLE", 64);

    private final String sparkName;
    private final int bitWidth;

    PrimitiveKind(String sparkName, int bitWidth) {
      this.sparkName = sparkName;
      this.bitWidth = bitWidth;
    }

    public String sparkName() {
      return sparkName;
    }

    public int bitWidth() {
      return bitWidth;
    }
  }

  /** The temporal types Spark 3.5 exchanges with Arrow. */
  enum TemporalKind {
    /** DATE, Arrow Date(DAY). */
    DATE("DATE"),
    /** TIMESTAMP (an instant), Arrow Timestamp(MICROSECOND, "UTC"). */
    TIMESTAMP("TIMESTAMP"),
    /** TIMESTAMP_NTZ (a wall-clock time), Arrow Timestamp(MICROSECOND, null). */
    TIMESTAMP_NTZ("TIMESTAMP_NTZ"),
    /** INTERVAL DAY TO SECOND, Arrow Duration(MICROSECOND). */
    DAY_TIME_INTERVAL("INTERVAL DAY TO SECOND"),
    /** INTERVAL YEAR TO MONTH, Arrow Interval(YEAR_MONTH). */
    YEAR_MONTH_INTERVAL("INTERVAL YEAR TO MONTH");

    private final String sparkName;

    TemporalKind(String sparkName) {
      this.sparkName = sparkName;
    }

    public String sparkName() {
      return sparkName;
    }
  }
}

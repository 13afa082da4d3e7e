package io.github.sparkarrow.runtime;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.ValueVector;

/**
 * The conversions generated writers and readers call, with Spark 3.5's semantics, and every check
 * that turns bad data into an {@link ArrowDataException}. Public for generated code; its
 * signatures change only with the processor that calls them.
 *
 * <p><b>Time.</b> TIMESTAMP, TIMESTAMP_NTZ and INTERVAL DAY TO SECOND hold microseconds, as in
 * Spark. Sub-microsecond digits of an {@code Instant}, {@code LocalDateTime} or {@code Duration}
 * are dropped on write, exactly as Spark's {@code DateTimeUtils.instantToMicros} and {@code
 * durationToMicros} drop them: the value moves toward the past to the whole microsecond (floor),
 * so {@code 1969-12-31T23:59:59.999999999Z} is written as {@code …59.999999Z}.
 * A {@code java.sql.Date} or {@code Timestamp} keeps its local date and time in the JVM's default
 * time zone, as Spark's {@code fromJavaDate}/{@code fromJavaTimestamp} do; in a daylight-saving
 * overlap a {@code Timestamp} keeps its instant, as Spark's does. A {@code Period} is
 * stored as total months; one with days is rejected (Spark silently drops them). A {@code Period}
 * is read back normalized ({@code P14M} reads as {@code P1Y2M}), as Spark returns it.
 */
public final class ArrowValues {

  private static final long MICROS_PER_SECOND = 1_000_000L;

  private ArrowValues() {}

  // ---- checks

  /** The exception for a null where the column or the component cannot take one. */
  public static ArrowDataException nullInNotNull(String column, int row) {
    return new ArrowDataException(
        column,
        row,
        "null in a NOT NULL column. Give it a value, or make the component nullable (a box,"
            + " Optional, or @Nullable).");
  }

  /** {@code index} if the vector holds a value there; throws naming the column if it is null. */
  public static int requireSet(ValueVector vector, int index, String column, int row) {
    if (vector.isNull(index)) {
      throw nullInRecord(vector, column, row);
    }
    return index;
  }

  /**
   * {@link #requireSet(ValueVector, int, String, int)} for the fixed-width vectors. Typed on the
   * class so that the check, called for every value a reader reads, compiles to a direct read of
   * the validity bit instead of a call through the {@code ValueVector} interface.
   */
  public static int requireSet(BaseFixedWidthVector vector, int index, String column, int row) {
    if (isNull(vector.getValidityBuffer(), index)) {
      throw nullInRecord(vector, column, row);
    }
    return index;
  }

  /** {@link #requireSet(ValueVector, int, String, int)} for strings and binaries. */
  public static int requireSet(BaseVariableWidthVector vector, int index, String column, int row) {
    if (isNull(vector.getValidityBuffer(), index)) {
      throw nullInRecord(vector, column, row);
    }
    return index;
  }

  /** The exception for a null read where the record has NOT NULL (a primitive or @NonNull). */
  static ArrowDataException nullInRecord(ValueVector vector, String column, int row) {
    return new ArrowDataException(
        column,
        row,
        "null where the record has NOT NULL (" + vector.getField() + "). Make the component"
            + " nullable (a box such as Long, Optional, or drop @NonNull), or replace the nulls"
            + " before the job, e.g. coalesce(col(...), lit(0)) or df.na().fill(...), or drop those"
            + " rows with df.na().drop(...).");
  }

  // ---- writing

  /**
   * Grows each vector until it has room for row {@code row}, and returns the rows they all have
   * room for. Generated writers call it once per row for all their NOT NULL fixed-width top-level
   * columns, which they then write with plain stores (see {@link #markValid}).
   */
  public static int ensureCapacity(int row, BaseFixedWidthVector... vectors) {
    int capacity = Integer.MAX_VALUE;
    for (BaseFixedWidthVector vector : vectors) {
      while (vector.getValueCapacity() <= row) {
        vector.reAlloc();
      }
      capacity = Math.min(capacity, vector.getValueCapacity());
    }
    return capacity;
  }

  /**
   * Marks rows {@code 0} to {@code rows - 1} of a vector as holding values, in bulk: the validity
   * of a NOT NULL column whose values were stored without {@code setSafe}.
   */
  public static void markValid(BaseFixedWidthVector vector, int rows) {
    ArrowBuf validity = vector.getValidityBuffer();
    validity.setOne(0, rows >>> 3);
    for (int row = rows & ~7; row < rows; row++) {
      BitVectorHelper.setBit(validity, row);
    }
  }

  /** Writes bytes, refusing to take the vector's data past Arrow's 2 GiB offsets. */
  public static void setBytes(
      BaseVariableWidthVector vector, int index, byte[] value, String column, int row) {
    setBytes(vector, index, value, value.length, column, row);
  }

  /** Writes the first {@code length} bytes of {@code value}, with the 2 GiB check. */
  static void setBytes(
      BaseVariableWidthVector vector, int index, byte[] value, int length, String column, int row) {
    int lastSet = vector.getLastSet();
    long start =
        index <= lastSet ? vector.getStartOffset(index) : lastSet < 0 ? 0 : vector.getEndOffset(lastSet);
    if (start + length > Integer.MAX_VALUE) {
      throw new ArrowDataException(
          column,
          row,
          "this value of "
              + length
              + " bytes would take the column's data in this batch past 2 GiB, the most Arrow's"
              + " 32-bit offsets address. Write fewer rows per batch.");
    }
    vector.setSafe(index, value, 0, length);
  }

  /**
   * Writes a decimal at the column's scale: a value with fewer fractional digits is widened
   * exactly; one with more, or with more integer digits than the precision leaves, is rejected
   * (Spark's own writer would round it, or null it).
   */
  public static void setDecimal(
      DecimalVector vector, int index, BigDecimal value, String column, int row) {
    int scale = vector.getScale();
    BigDecimal scaled;
    try {
      scaled = value.scale() == scale ? value : value.setScale(scale);
    } catch (ArithmeticException e) {
      throw new ArrowDataException(
          column,
          row,
          value.toPlainString() + " has more fractional digits than DECIMAL("
              + vector.getPrecision() + "," + scale + ") keeps. Round it first, e.g. with"
              + " setScale(" + scale + ", RoundingMode.HALF_UP).",
          e);
    }
    if (scaled.precision() > vector.getPrecision()) {
      throw new ArrowDataException(
          column,
          row,
          value.toPlainString() + " does not fit DECIMAL(" + vector.getPrecision() + ","
              + scale + "). Give the component a larger @ArrowDecimal precision.");
    }
    if (vector.getPrecision() <= LONG_DIGITS) {
      // Fits 64 bits: skip Arrow's byte-array path.
      vector.setSafe(index, scaled.unscaledValue().longValue());
    } else {
      vector.setSafe(index, scaled);
    }
  }

  /** Decimal digits any {@code long} holds. */
  private static final int LONG_DIGITS = 18;

  public static int epochDay(LocalDate date, String column, int row) {
    long day = date.toEpochDay();
    if (day != (int) day) {
      throw new ArrowDataException(column, row, date + " is out of DATE's range");
    }
    return (int) day;
  }

  public static int epochDay(java.sql.Date date, String column, int row) {
    return epochDay(date.toLocalDate(), column, row);
  }

  public static long micros(Instant instant, String column, int row) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), MICROS_PER_SECOND), instant.getNano() / 1000);
    } catch (ArithmeticException e) {
      throw new ArrowDataException(column, row, instant + " is out of TIMESTAMP's range", e);
    }
  }

  /**
   * Spark's {@code DateTimeUtils.fromJavaTimestamp}: the timestamp's local date and time in the
   * JVM's default zone (Spark rebases {@code java.sql}'s hybrid Julian calendar, and the zone's
   * old local mean times, that way), except in a daylight-saving overlap, where one local time
   * names two instants and the timestamp's own instant is kept, as Spark keeps it.
   */
  public static long micros(Timestamp timestamp, String column, int row) {
    LocalDateTime local = timestamp.toLocalDateTime();
    ZoneId zone = ZoneId.systemDefault();
    Instant instant =
        zone.getRules().getValidOffsets(local).size() > 1
            ? timestamp.toInstant()
            : local.atZone(zone).toInstant();
    return micros(instant, column, row);
  }

  public static long micros(LocalDateTime dateTime, String column, int row) {
    return micros(dateTime.toInstant(ZoneOffset.UTC), column, row);
  }

  public static long micros(Duration duration, String column, int row) {
    try {
      return Math.addExact(
          Math.multiplyExact(duration.getSeconds(), MICROS_PER_SECOND), duration.getNano() / 1000);
    } catch (ArithmeticException e) {
      throw new ArrowDataException(
          column, row, duration + " is out of INTERVAL DAY TO SECOND's range", e);
    }
  }

  public static int months(Period period, String column, int row) {
    if (period.getDays() != 0) {
      throw new ArrowDataException(
          column,
          row,
          period + " has days, which INTERVAL YEAR TO MONTH cannot hold. Use whole months.");
    }
    long months = period.toTotalMonths();
    if (months != (int) months) {
      throw new ArrowDataException(column, row, period + " is out of INTERVAL YEAR TO MONTH's range");
    }
    return (int) months;
  }

  // ---- reading

  /*
   * Generated readers read values through these, not through ArrowBuf's getters: those check the
   * buffer's reference count as well as its bounds on every read (with Arrow's default
   * arrow.enable_unsafe_memory_access=false): typed access runs 1.3-1.4x faster without them
   * (ReadBenchmark). Here each read checks its bounds against the buffer's capacity, once, so a
   * row outside the batch or a malformed buffer is still an exception, never a read outside the
   * buffer. A vector's buffers are taken from it at each read, and a vector cleared or closed holds
   * empty ones, so a closed batch is never read either.
   */

  /** Whether the value at {@code index} is null, from its vector's validity buffer. */
  public static boolean isNull(ArrowBuf validity, int index) {
    return !getBit(validity, index);
  }

  /** The bit at {@code index} of a bit buffer: a bit vector's data, or a validity buffer. */
  public static boolean getBit(ArrowBuf bits, int index) {
    return (MemoryUtil.UNSAFE.getByte(address(bits, index >> 3, 1)) & (1 << (index & 7))) != 0;
  }

  public static byte getByte(ArrowBuf data, int index) {
    return MemoryUtil.UNSAFE.getByte(address(data, index, 1));
  }

  public static short getShort(ArrowBuf data, int index) {
    return MemoryUtil.UNSAFE.getShort(address(data, 2L * index, 2));
  }

  public static int getInt(ArrowBuf data, int index) {
    return MemoryUtil.UNSAFE.getInt(address(data, 4L * index, 4));
  }

  public static long getLong(ArrowBuf data, int index) {
    return MemoryUtil.UNSAFE.getLong(address(data, 8L * index, 8));
  }

  public static float getFloat(ArrowBuf data, int index) {
    return MemoryUtil.UNSAFE.getFloat(address(data, 4L * index, 4));
  }

  public static double getDouble(ArrowBuf data, int index) {
    return MemoryUtil.UNSAFE.getDouble(address(data, 8L * index, 8));
  }

  /**
   * The address of the {@code width} bytes at {@code offset} of {@code buffer}, which must lie
   * within its capacity.
   */
  static long address(ArrowBuf buffer, long offset, int width) {
    if (offset < 0 || offset > buffer.capacity() - width) {
      throw new IndexOutOfBoundsException(
          "bytes " + offset + " to " + (offset + width) + " are outside the Arrow buffer ("
              + buffer.capacity() + " bytes): the row is not in the batch, or the batch is"
              + " malformed");
    }
    return buffer.memoryAddress() + offset;
  }

  /**
   * The decimal at {@code index}; one allocation where the precision fits 64 bits (Arrow's {@code
   * getObject} makes three).
   */
  public static BigDecimal getDecimal(DecimalVector vector, int index) {
    if (vector.getPrecision() <= LONG_DIGITS) {
      long offset = (long) index * DecimalVector.TYPE_WIDTH;
      long unscaled = MemoryUtil.UNSAFE.getLong(address(vector.getDataBuffer(), offset, 8));
      return BigDecimal.valueOf(unscaled, vector.getScale());
    }
    return vector.getObject(index);
  }

  public static char charOf(String text, String column, int row) {
    if (text.length() != 1) {
      throw new ArrowDataException(
          column, row, "\"" + text + "\" is not one character, so it cannot be a char");
    }
    return text.charAt(0);
  }

  public static UUID uuidOf(String text, String column, int row) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw new ArrowDataException(column, row, "\"" + text + "\" is not a UUID", e);
    }
  }

  public static <E extends Enum<E>> E enumOf(Class<E> type, String text, String column, int row) {
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw new ArrowDataException(
          column, row, "\"" + text + "\" is not a constant of " + type.getName(), e);
    }
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
  }

  /** Spark's {@code DateTimeUtils.toJavaTimestamp}: the inverse of {@link #micros(Timestamp, String, int)}. */
  public static Timestamp sqlTimestamp(long micros) {
    Instant instant = instant(micros);
    ZoneId zone = ZoneId.systemDefault();
    LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
    return zone.getRules().getValidOffsets(local).size() > 1
        ? Timestamp.from(instant)
        : Timestamp.valueOf(local);
  }

  public static LocalDateTime localDateTime(long micros) {
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(micros, MICROS_PER_SECOND),
        (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000,
        ZoneOffset.UTC);
  }

  /**
   * {@code LocalDate.ofEpochDay(epochDay)}, shared: a date from 1900 to 2099 is made once and the
   * same instance returned after, as {@code Integer.valueOf} shares small integers ({@code
   * LocalDate} is immutable and value-based). {@code ofEpochDay}'s calendar arithmetic and the
   * object per value were 8% of the CPU samples of {@code mapRecords} over Parquet in {@code
   * MixedInputBenchmark}; real columns of dates repeat their values.
   * Thread-safe: threads racing on an empty slot each make the date, and either one is kept
   * ({@code LocalDate}'s fields are final, so every thread sees a whole object).
   */
  public static LocalDate localDate(int epochDay) {
    int slot = epochDay - Dates.FIRST;
    if (slot < 0 || slot >= Dates.SHARED.length) {
      return LocalDate.ofEpochDay(epochDay);
    }
    LocalDate date = Dates.SHARED[slot];
    if (date == null) {
      date = LocalDate.ofEpochDay(epochDay);
      Dates.SHARED[slot] = date;
    }
    return date;
  }

  /**
   * The dates {@link #localDate} shares, each made on first use: 292 KB of references once
   * loaded, and 24 bytes per date made (1.7 MB if every day of the two centuries is read).
   */
  private static final class Dates {
    static final int FIRST = (int) LocalDate.of(1900, 1, 1).toEpochDay();
    static final LocalDate[] SHARED =
        new LocalDate[(int) LocalDate.of(2100, 1, 1).toEpochDay() - FIRST];
  }

  public static java.sql.Date sqlDate(int epochDay) {
    return java.sql.Date.valueOf(localDate(epochDay));
  }

  public static Duration duration(long micros) {
    return Duration.of(micros, ChronoUnit.MICROS);
  }

  public static Period period(int months) {
    return Period.ofMonths(months).normalized();
  }
}

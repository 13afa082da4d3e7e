package io.github.sparkarrow.it;

import io.github.sparkarrow.it.records.Address;
import io.github.sparkarrow.it.records.Awkward;
import io.github.sparkarrow.it.records.Boxes;
import io.github.sparkarrow.it.records.Collections;
import io.github.sparkarrow.it.records.Decimals;
import io.github.sparkarrow.it.records.Maps;
import io.github.sparkarrow.it.records.Moments;
import io.github.sparkarrow.it.records.Optionals;
import io.github.sparkarrow.it.records.Order;
import io.github.sparkarrow.it.records.Primitives;
import io.github.sparkarrow.it.records.Renamed;
import io.github.sparkarrow.it.records.Temporals;
import io.github.sparkarrow.it.records.Texts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Seeded random records of every integration-test type, leaning on the edges: nulls at every
 * level, MIN/MAX, NaN and -0.0, empty strings next to nulls, non-BMP text, empty and null
 * collections, dates before 1970 and in year 9999, decimals at their precision limit. Temporal
 * values are whole microseconds, so they round-trip exactly.
 */
final class RandomRecords {

  private static final String[] TEXTS = {
    "", "a", "plain ascii", "ünïcödé", "日本語テキスト", "😀 emoji", "𝄞 clef", "tab\tnew\nline",
    "quote ' and \" and \\", "\u0000nul"
  };
  private static final long MIN_MICROS = -62_135_596_800_000_000L; // 0001-01-01T00:00:00Z
  private static final long MAX_MICROS = 253_402_300_799_999_999L; // 9999-12-31T23:59:59.999999Z

  private final Random random;

  RandomRecords(long seed) {
    random = new Random(seed);
  }

  /** {@code count} random orders, the same for the same seed. */
  static List<Order> orders(int count, long seed) {
    RandomRecords random = new RandomRecords(seed);
    List<Order> orders = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      orders.add(random.order());
    }
    return orders;
  }

  // ---- records

  Primitives primitives() {
    return new Primitives(
        random.nextBoolean(), tiny(), small(), number(), big(), real(), precise(), character());
  }

  Boxes boxes() {
    return new Boxes(
        orNull(random::nextBoolean), orNull(this::tiny), orNull(this::small), orNull(this::number),
        orNull(this::big), orNull(this::real), orNull(this::precise), orNull(this::character),
        big());
  }

  Texts texts() {
    Texts.Color[] colors = Texts.Color.values();
    return new Texts(
        text(), nonNullText(), orNull(() -> new UUID(big(), big())),
        orNull(() -> colors[random.nextInt(colors.length)]), orNull(this::bytes));
  }

  Decimals decimals() {
    return new Decimals(
        orNull(() -> decimal(38, 18)),
        orNull(() -> decimal(18, 2)),
        orNull(() -> decimal(38, 38)),
        orNull(() -> decimal(1, 0)),
        orNull(() -> decimal(38, 0).toBigIntegerExact()),
        orNull(() -> decimal(20, 0).toBigIntegerExact()),
        orNull(() -> list(() -> orNull(() -> decimal(10, 4)))));
  }

  Temporals temporals() {
    return new Temporals(
        orNull(this::date),
        orNull(() -> java.sql.Date.valueOf(LocalDate.of(1600 + random.nextInt(800), 1 + random.nextInt(12), 1 + random.nextInt(28)))),
        orNull(this::instant),
        orNull(() -> Timestamp.valueOf(localDateTime(1900, 2100))),
        orNull(() -> localDateTime(1, 9999)),
        orNull(this::duration),
        orNull(this::period));
  }

  Moments moments() {
    return new Moments(
        orNull(this::date),
        orNull(() -> java.sql.Date.valueOf(LocalDate.of(1600 + random.nextInt(800), 1 + random.nextInt(12), 1 + random.nextInt(28)))),
        orNull(this::instant),
        orNull(() -> Timestamp.valueOf(localDateTime(1900, 2100))),
        orNull(() -> localDateTime(1, 9999)),
        orNull(() -> list(() -> orNull(this::instant))),
        orNull(() -> new Moments.When(orNull(this::instant), orNull(this::date))),
        orNull(() -> map(this::nonNullText, () -> orNull(() -> localDateTime(1, 9999)))));
  }

  Collections collections() {
    return new Collections(
        orNull(() -> list(this::text)),
        orNull(() -> list(this::nonNullText)),
        orNull(() -> new LinkedHashSet<>(list(() -> orNull(this::number)))),
        orNull(() -> list(() -> orNull(this::big))),
        orNull(() -> list(this::text).toArray(new String[0])),
        orNull(() -> list(this::number).stream().mapToInt(Integer::intValue).toArray()),
        orNull(() -> list(() -> orNull(this::tiny)).toArray(new Byte[0])),
        orNull(() -> list(() -> orNull(() -> list(() -> orNull(this::precise))))),
        list(() -> orNull(random::nextBoolean)));
  }

  Maps maps() {
    return new Maps(
        orNull(() -> map(this::nonNullText, () -> orNull(this::number))),
        orNull(() -> map(this::nonNullText, this::big)),
        orNull(() -> map(this::nonNullText, () -> orNull(() -> list(this::text)))),
        orNull(() -> map(this::number, () -> orNull(this::address))),
        orNull(() -> map(this::address, this::text)),
        orNull(() -> map(this::nonNullText, () -> orNull(() -> map(this::nonNullText, () -> orNull(this::precise))))));
  }

  Optionals optionals() {
    return new Optionals(
        optional(this::text),
        random.nextInt(4) == 0 ? OptionalInt.empty() : OptionalInt.of(number()),
        random.nextInt(4) == 0 ? OptionalLong.empty() : OptionalLong.of(big()),
        random.nextInt(4) == 0 ? OptionalDouble.empty() : OptionalDouble.of(precise()),
        optional(this::address),
        optional(() -> list(this::text)),
        orNull(() -> list(() -> optional(this::nonNullText))));
  }

  Order order() {
    return new Order(
        big(),
        new Order.Customer(big(), text(), orNull(() -> list(() -> orNull(this::address)))),
        orNull(() -> list(this::line)),
        orNull(() -> map(this::nonNullText, () -> orNull(() -> list(() -> orNull(this::line))))),
        optional(this::address),
        orNull(this::instant));
  }

  Renamed renamed() {
    return new Renamed(
        big(), text(), text(), text(), text(),
        orNull(() -> new Renamed.Inner(text(), number())));
  }

  Awkward awkward() {
    return new Awkward(
        number(), text(), orNull(this::big), text(), orNull(this::number), text(),
        orNull(() -> list(this::text)),
        orNull(() -> map(this::nonNullText, () -> orNull(this::number))),
        text(), text(),
        orNull(() -> new Awkward.Inner(text(), orNull(this::number), text())));
  }

  Address address() {
    return new Address(text(), text(), number());
  }

  Order.Line line() {
    return new Order.Line(text(), number(), orNull(() -> decimal(18, 2)));
  }

  // ---- values

  byte tiny() {
    return (byte) pick(Byte.MIN_VALUE, Byte.MAX_VALUE, 0, -1, random.nextInt());
  }

  short small() {
    return (short) pick(Short.MIN_VALUE, Short.MAX_VALUE, 0, -1, random.nextInt());
  }

  int number() {
    return (int) pick(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, random.nextInt());
  }

  long big() {
    return pick(Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, random.nextLong());
  }

  float real() {
    float[] edges = {
      Float.NaN, -0.0f, 0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY,
      Float.POSITIVE_INFINITY
    };
    return random.nextInt(3) == 0 ? edges[random.nextInt(edges.length)] : random.nextFloat() * 1e6f - 5e5f;
  }

  double precise() {
    double[] edges = {
      Double.NaN, -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY
    };
    return random.nextInt(3) == 0 ? edges[random.nextInt(edges.length)] : random.nextGaussian() * 1e9;
  }

  char character() {
    char[] edges = {'a', 'Z', ' ', 'é', '\u4e2d', '\uffff'};
    return edges[random.nextInt(edges.length)];
  }

  String text() {
    return random.nextInt(6) == 0 ? null : nonNullText();
  }

  String nonNullText() {
    if (random.nextInt(4) == 0) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        s.appendCodePoint(random.nextInt(3) == 0 ? 0x1F600 + random.nextInt(80) : 0x20 + random.nextInt(0x2000));
      }
      return s.toString();
    }
    return TEXTS[random.nextInt(TEXTS.length)];
  }

  byte[] bytes() {
    byte[] bytes = new byte[random.nextInt(20)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** A decimal of at most {@code precision} digits, at scale {@code scale}; often the largest. */
  BigDecimal decimal(int precision, int scale) {
    BigInteger max = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
    BigInteger unscaled;
    switch (random.nextInt(5)) {
      case 0:
        unscaled = max;
        break;
      case 1:
        unscaled = max.negate();
        break;
      case 2:
        unscaled = BigInteger.ZERO;
        break;
      default:
        unscaled = new BigInteger(max.bitLength(), random).mod(max.add(BigInteger.ONE));
        if (random.nextBoolean()) {
          unscaled = unscaled.negate();
        }
    }
    return new BigDecimal(unscaled, scale);
  }

  LocalDate date() {
    LocalDate[] edges = {
      LocalDate.of(1969, 12, 31), LocalDate.EPOCH, LocalDate.of(9999, 12, 31),
      LocalDate.of(1, 1, 1), LocalDate.of(1582, 10, 4)
    };
    return random.nextInt(3) == 0
        ? edges[random.nextInt(edges.length)]
        : LocalDate.ofEpochDay(random.nextInt(2_932_897) - 719_162);
  }

  Instant instant() {
    Instant[] edges = {
      Instant.EPOCH, Instant.EPOCH.minus(1, ChronoUnit.MICROS),
      Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("0001-01-01T00:00:00Z")
    };
    return random.nextInt(3) == 0
        ? edges[random.nextInt(edges.length)]
        : Instant.EPOCH.plus(micros(MIN_MICROS, MAX_MICROS), ChronoUnit.MICROS);
  }

  LocalDateTime localDateTime(int fromYear, int toYear) {
    long from = LocalDateTime.of(fromYear, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000;
    long to = LocalDateTime.of(toYear, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC) * 1_000_000;
    return LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC).plus(micros(from, to), ChronoUnit.MICROS);
  }

  Duration duration() {
    return Duration.of(micros(-100_000_000_000_000_000L, 100_000_000_000_000_000L), ChronoUnit.MICROS);
  }

  Period period() {
    return Period.ofMonths(random.nextInt(2_000_001) - 1_000_000).normalized();
  }

  // ---- shapes

  <T> T orNull(Supplier<T> value) {
    return random.nextInt(5) == 0 ? null : value.get();
  }

  <T> Optional<T> optional(Supplier<T> value) {
    return random.nextInt(4) == 0 ? Optional.empty() : Optional.ofNullable(value.get());
  }

  <T> List<T> list(Supplier<T> element) {
    int size = random.nextInt(4) == 0 ? 0 : random.nextInt(6);
    List<T> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(element.get());
    }
    return list;
  }

  <K, V> Map<K, V> map(Supplier<K> key, Supplier<V> value) {
    int size = random.nextInt(4) == 0 ? 0 : random.nextInt(5);
    Map<K, V> map = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      map.put(key.get(), value.get());
    }
    return map;
  }

  private long pick(long min, long max, long zero, long minusOne, long random) {
    long[] edges = {min, max, zero, minusOne};
    return this.random.nextInt(3) == 0 ? edges[this.random.nextInt(edges.length)] : random;
  }

  private long micros(long from, long to) {
    return from + Math.floorMod(random.nextLong(), to - from);
  }
}

package io.github.sparkarrow.runtime;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow from elsewhere (a file, a pipe program's output, a C stream, DuckDB) made into Arrow
 * that Spark 3.5 holds, where that loses nothing: unsigned integers widen (UInt64 to
 * DECIMAL(20,0)); large strings, binaries and lists become plain ones at any depth (their offsets
 * narrowed by {@link LargeOffsets}, their values shared within one allocator root, else copied),
 * fixed-size binaries plain ones; dictionary-encoded columns are decoded; timestamps, durations
 * and dates of other units become Spark's microseconds and days (a value that would lose digits
 * is an error naming its column and row); a 256-bit decimal that fits 38 digits becomes a 128-bit
 * one. Anything else (time of day, other intervals, unions, half floats, and the other
 * conversions inside lists, maps and structs) is an error naming the column and what to do.
 *
 * <p>Columns that need nothing pass through without a copy.
 */
public final class ForeignArrow {

  private ForeignArrow() {}

  /**
   * The schema Spark gets for {@code foreign}.
   *
   * @throws IllegalArgumentException naming every column that Spark cannot hold
   */
  public static Schema sparkSchema(Schema foreign) {
    List<String> problems = new ArrayList<>();
    List<Field> fields = new ArrayList<>();
    for (Field field : foreign.getFields()) {
      fields.add(top(LargeOffsets.narrowed(field), problems));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the Arrow stream has columns Spark 3.5 cannot hold:\n  " + String.join("\n  ", problems)
              + "\nschema: " + foreign);
    }
    return new Schema(fields);
  }

  /**
   * The schema of a reader's batches with each dictionary-encoded column's values' type in place
   * of its indices' (the type an IPC stream's schema gives it), as {@link #sparkSchema} and {@link
   * Converter} take it.
   */
  public static Schema logicalSchema(Schema rootSchema, DictionaryProvider dictionaries) {
    List<Field> fields = new ArrayList<>();
    for (Field field : rootSchema.getFields()) {
      Dictionary dictionary =
          field.getDictionary() == null || dictionaries == null
              ? null
              : dictionaries.lookup(field.getDictionary().getId());
      fields.add(
          dictionary == null
              ? field
              : new Field(
                  field.getName(),
                  new FieldType(
                      field.isNullable(), dictionary.getVectorType(), field.getDictionary(),
                      field.getMetadata()),
                  dictionary.getVector().getField().getChildren()));
    }
    return new Schema(fields, rootSchema.getCustomMetadata());
  }

  private static Field top(Field field, List<String> problems) {
    ArrowType converted = convert(field.getType(), field.getName(), problems);
    if (converted == null) {
      return field;
    }
    if (!field.getChildren().isEmpty() && field.getDictionary() == null) {
      nested(field, field.getName(), problems);
    }
    return new Field(
        field.getName(), new FieldType(field.isNullable(), converted, null, field.getMetadata()),
        field.getDictionary() == null ? field.getChildren() : List.of());
  }

  private static void nested(Field field, String path, List<String> problems) {
    for (Field child : field.getChildren()) {
      String childPath = path + "." + child.getName();
      ArrowType type = child.getType();
      List<String> ignored = new ArrayList<>();
      ArrowType converted = convert(type, childPath, ignored);
      if (!ignored.isEmpty() || child.getDictionary() != null || !converted.equals(type)) {
        problems.add(
            childPath + ": " + (child.getDictionary() != null ? "dictionary-encoded " : "") + type
                + " inside " + field.getType() + " is not converted for Spark; convert it before"
                + " (e.g. cast it in the program that writes the stream)");
      }
      nested(child, childPath, problems);
    }
  }

  /** The type Spark gets for {@code type}; adds a problem (and returns the type) if none. */
  private static ArrowType convert(ArrowType type, String path, List<String> problems) {
    if (type instanceof ArrowType.Int i && !i.getIsSigned()) {
      return i.getBitWidth() == 64
          ? new ArrowType.Decimal(20, 0, 128)
          : new ArrowType.Int(i.getBitWidth() * 2, true);
    } else if (type instanceof ArrowType.FixedSizeBinary) {
      return ArrowType.Binary.INSTANCE;
    } else if (type instanceof ArrowType.Timestamp t && t.getUnit() != TimeUnit.MICROSECOND) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, t.getTimezone());
    } else if (type instanceof ArrowType.Duration d && d.getUnit() != TimeUnit.MICROSECOND) {
      return new ArrowType.Duration(TimeUnit.MICROSECOND);
    } else if (type instanceof ArrowType.Date d && d.getUnit() == DateUnit.MILLISECOND) {
      return new ArrowType.Date(DateUnit.DAY);
    } else if (type instanceof ArrowType.Decimal d && d.getBitWidth() == 256) {
      if (d.getPrecision() <= 38) {
        return new ArrowType.Decimal(d.getPrecision(), d.getScale(), 128);
      }
      problems.add(path + ": " + type + " has more than the 38 digits of Spark's DECIMAL; cast it"
          + " to a narrower decimal, a string or a double first");
    } else if (type instanceof ArrowType.Time || type instanceof ArrowType.Union
        || type instanceof ArrowType.FloatingPoint f && f.getPrecision().name().equals("HALF")
        || type instanceof ArrowType.Interval iv && iv.getUnit().name().equals("DAY_TIME")
        || type instanceof ArrowType.Interval iv2 && iv2.getUnit().name().equals("MONTH_DAY_NANO")
        || type instanceof ArrowType.FixedSizeList
        || type instanceof ArrowType.Null) {
      problems.add(path + ": Spark 3.5 has no type for Arrow's " + type + "; cast it first (a"
          + " time of day to a string or microseconds, an interval to INTERVAL DAY TO SECOND"
          + " as Duration(MICROSECOND), a fixed-size list to a list)");
    }
    return type;
  }

  /**
   * Converts batches of {@code foreign} (as {@link #logicalSchema} gives it) into batches of
   * {@link #sparkSchema}: columns that need nothing are the input's own vectors; converted ones
   * are vectors from {@code allocator}, refilled per batch, which {@link #close} frees. {@code
   * dictionaries} decodes dictionary-encoded columns.
   */
  public static final class Converter implements AutoCloseable {
    private final Schema foreign;
    private final Schema spark;
    private final FieldVector[] converted;
    private final DictionaryProvider dictionaries;
    private final BufferAllocator allocator;
    private final String where;

    public Converter(Schema foreign, DictionaryProvider dictionaries, BufferAllocator allocator, String where) {
      this.foreign = foreign;
      this.spark = sparkSchema(foreign);
      this.converted = new FieldVector[foreign.getFields().size()];
      this.dictionaries = dictionaries;
      this.allocator = allocator;
      this.where = where;
    }

    /** {@code in}'s batch in Spark's types, valid until the next call and until {@code in} changes. */
    public VectorSchemaRoot convert(VectorSchemaRoot in) {
      int rows = in.getRowCount();
      List<FieldVector> vectors = new ArrayList<>(converted.length);
      for (int c = 0; c < converted.length; c++) {
        Field field = foreign.getFields().get(c);
        Field target = spark.getFields().get(c);
        FieldVector from = in.getVector(c);
        if (field.getDictionary() != null) {
          Dictionary dictionary = dictionaries == null ? null : dictionaries.lookup(field.getDictionary().getId());
          if (dictionary == null) {
            throw new IllegalArgumentException(where + ": column '" + field.getName()
                + "' is dictionary-encoded, and its dictionary is missing from the stream");
          }
          FieldVector decoded = (FieldVector) DictionaryEncoder.decode(from, dictionary, allocator);
          if (sameType(decoded.getField(), target)) {
            replace(c, decoded);
          } else {
            try (decoded) {
              convert(decoded, vector(c, target), field.getName(), rows);
            }
          }
        } else if (sameType(field, target)) {
          vectors.add(from);
          continue;
        } else {
          convert(from, vector(c, target), field.getName(), rows);
        }
        vectors.add(converted[c]);
      }
      return new VectorSchemaRoot(spark.getFields(), vectors, rows);
    }

    /** Whether {@code field} and {@code target} have one type, at every depth. */
    private static boolean sameType(Field field, Field target) {
      if (!field.getType().equals(target.getType())
          || field.getChildren().size() != target.getChildren().size()) {
        return false;
      }
      for (int i = 0; i < field.getChildren().size(); i++) {
        if (!sameType(field.getChildren().get(i), target.getChildren().get(i))) {
          return false;
        }
      }
      return true;
    }

    private FieldVector vector(int c, Field target) {
      if (converted[c] == null || !converted[c].getField().getType().equals(target.getType())) {
        replace(c, target.createVector(allocator));
      }
      return converted[c];
    }

    private void replace(int c, FieldVector vector) {
      if (converted[c] != null && converted[c] != vector) {
        converted[c].close();
      }
      converted[c] = vector;
    }

    /**
     * {@code from}'s values into {@code to}: where narrowing its offsets is all it takes, they are
     * narrowed, and the values shared if both vectors' allocators have one root (Arrow moves
     * buffers within one root only), else copied.
     */
    private void convert(FieldVector from, FieldVector to, String column, int rows) {
      Field narrowed = LargeOffsets.narrowed(from.getField());
      if (narrowed.equals(from.getField()) || !narrowed.getType().equals(to.getField().getType())) {
        copy(from, to, column, rows);
        return;
      }
      VectorSchemaRoot source = new VectorSchemaRoot(List.of(from.getField()), List.of(from), rows);
      if (from.getAllocator().getRoot() == allocator.getRoot()) {
        LargeOffsets.load(source, new VectorSchemaRoot(List.of(to.getField()), List.of(to), rows), allocator);
        return;
      }
      try (FieldVector shared = to.getField().createVector(from.getAllocator())) {
        LargeOffsets.load(source, new VectorSchemaRoot(List.of(shared.getField()), List.of(shared), rows),
            from.getAllocator());
        to.clear();
        to.setInitialCapacity(rows);
        to.allocateNew();
        for (int row = 0; row < rows; row++) {
          to.copyFromSafe(row, row, shared);
        }
        to.setValueCount(rows);
      }
    }

    private void copy(FieldVector from, FieldVector to, String column, int rows) {
      to.clear();
      if (to instanceof BaseVariableWidthVector target) {
        target.allocateNew(rows);
      } else {
        to.setInitialCapacity(rows);
        to.allocateNew();
      }
      for (int row = 0; row < rows; row++) {
        if (from.isNull(row)) {
          setNull(to, row);
        } else {
          copy(from, to, row, column);
        }
      }
      to.setValueCount(rows);
    }

    private static void setNull(FieldVector to, int row) {
      if (to instanceof BaseVariableWidthVector v) {
        v.setNull(row);
      } else {
        ((org.apache.arrow.vector.BaseFixedWidthVector) to).setNull(row);
      }
    }

    private void copy(FieldVector from, FieldVector to, int row, String column) {
      if (from instanceof UInt1Vector u) {
        ((SmallIntVector) to).setSafe(row, (int) u.getValueAsLong(row));
      } else if (from instanceof UInt2Vector u) {
        ((IntVector) to).setSafe(row, u.get(row));
      } else if (from instanceof UInt4Vector u) {
        ((BigIntVector) to).setSafe(row, u.getValueAsLong(row));
      } else if (from instanceof UInt8Vector u) {
        ((DecimalVector) to).setSafe(row, new BigDecimal(UInt8Vector.getNoOverflow(u.getDataBuffer(), row)));
      } else if (to instanceof VarCharVector || to instanceof VarBinaryVector) {
        byte[] bytes = (byte[]) (from.getObject(row) instanceof byte[] b ? b
            : from.getObject(row).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ((BaseVariableWidthVector) to).setSafe(row, bytes);
      } else if (from instanceof TimeStampVector t) {
        long micros = micros(t.get(row), ((ArrowType.Timestamp) t.getField().getType()).getUnit(), column, row);
        ((TimeStampVector) to).setSafe(row, micros);
      } else if (from instanceof DurationVector d) {
        long micros = micros(DurationVector.get(d.getDataBuffer(), row),
            ((ArrowType.Duration) d.getField().getType()).getUnit(), column, row);
        ((DurationVector) to).setSafe(row, micros);
      } else if (from instanceof org.apache.arrow.vector.DateMilliVector d) {
        long millis = d.get(row);
        if (millis % 86_400_000L != 0) {
          throw lossy(column, row, "a Date(MILLISECOND) of " + millis + " ms is not a whole day");
        }
        ((DateDayVector) to).setSafe(row, Math.toIntExact(Math.floorDiv(millis, 86_400_000L)));
      } else if (from instanceof org.apache.arrow.vector.Decimal256Vector d) {
        ((DecimalVector) to).setSafe(row, d.getObject(row));
      } else {
        throw new IllegalStateException("internal error: no conversion of " + from.getField());
      }
    }

    private long micros(long value, TimeUnit unit, String column, int row) {
      try {
        switch (unit) {
          case SECOND:
            return Math.multiplyExact(value, 1_000_000L);
          case MILLISECOND:
            return Math.multiplyExact(value, 1_000L);
          case NANOSECOND:
            if (value % 1_000 != 0) {
              throw lossy(column, row, value + " ns has digits below the microsecond, which Spark"
                  + " does not keep; truncate it to microseconds first");
            }
            return value / 1_000;
          default:
            return value;
        }
      } catch (ArithmeticException e) {
        throw lossy(column, row, value + " " + unit + " is out of range in microseconds");
      }
    }

    private IllegalArgumentException lossy(String column, int row, String problem) {
      return new IllegalArgumentException(where + ": column '" + column + "', row " + row + ": "
          + problem);
    }

    @Override
    public void close() {
      for (int c = 0; c < converted.length; c++) {
        replace(c, null);
      }
    }
  }
}

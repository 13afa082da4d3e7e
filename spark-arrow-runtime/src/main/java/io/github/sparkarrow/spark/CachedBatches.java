package io.github.sparkarrow.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.columnar.CachedBatch;
import org.apache.spark.sql.execution.columnar.ColumnAccessor$;
import org.apache.spark.sql.execution.columnar.DefaultCachedBatch;
import org.apache.spark.sql.execution.columnar.DefaultCachedBatchSerializer;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.execution.vectorized.Dictionary;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.collection.JavaConverters;

/**
 * A cached DataFrame's batches, in Spark's own cache format ({@code DefaultCachedBatchSerializer}),
 * decoded into Spark's column vectors for every flat type, for {@link ColumnCopier} to copy into
 * Arrow. Spark decodes only numbers and booleans into vectors ({@code ColumnAccessor.decompress})
 * and serves any cache holding a string, a decimal or a binary as rows, built value by value into
 * an {@code UnsafeRow} that the row copier then reads again. Here the numbers, dates and timestamps
 * still go through Spark's {@code decompress}; strings, binaries and decimals are read from the
 * layout Spark's column builders write, which is Spark-internal and so pinned by tests against
 * those builders and against Spark reading the same caches as rows:
 *
 * <ul>
 *   <li>every column: the null count, the row of each null (ints), then the non-null values;
 *   <li>strings and decimals of up to 18 digits: a compression scheme id, then pass-through values
 *       (0), runs of a value and its length (1), or a dictionary of values and a short per value
 *       (2); a decimal is its unscaled long, a string its byte length and bytes;
 *   <li>binaries and wider decimals: byte length and bytes (the unscaled value's two's complement),
 *       with no scheme.
 * </ul>
 *
 * All in the platform's byte order. A scheme or a layout this code does not know is an exception
 * naming the column, never a wrong value.
 */
final class CachedBatches implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int PASS_THROUGH = 0;
  private static final int RUN_LENGTH = 1;
  private static final int DICTIONARY = 2;

  private final transient RDD<CachedBatch> batches;
  /** Per column read, its index in the cached batch and its type. */
  private final int[] indices;
  private final DataType[] types;
  private final String[] names;

  /** Reads columns {@code indices} of {@code batches}, of {@code types}, named {@code names}. */
  CachedBatches(RDD<CachedBatch> batches, int[] indices, DataType[] types, String[] names) {
    this.batches = batches;
    this.indices = indices;
    this.types = types;
    this.names = names;
  }

  /**
   * The cached batches of {@code scan} with its columns {@code columns} (indices in its output),
   * or null if the cache is not in Spark's own format, the scan prunes batches, or a column is of
   * a type not decoded here.
   */
  static CachedBatches of(InMemoryTableScanExec scan, int[] columns) {
    if (!(scan.relation().cacheBuilder().serializer() instanceof DefaultCachedBatchSerializer)
        || !scan.predicates().isEmpty()) {
      return null;
    }
    List<Attribute> cached = JavaConverters.seqAsJavaList(scan.relation().output());
    List<Attribute> output = JavaConverters.seqAsJavaList(scan.output());
    int[] indices = new int[columns.length];
    DataType[] types = new DataType[columns.length];
    String[] names = new String[columns.length];
    for (int c = 0; c < columns.length; c++) {
      Attribute attribute = output.get(columns[c]);
      indices[c] = -1;
      for (int i = 0; i < cached.size(); i++) {
        if (cached.get(i).exprId().equals(attribute.exprId())) {
          indices[c] = i;
        }
      }
      types[c] = attribute.dataType();
      names[c] = attribute.name();
      if (indices[c] < 0 || !decodes(types[c])) {
        return null;
      }
    }
    return new CachedBatches(
        scan.relation().cacheBuilder().cachedColumnBuffers(), indices, types, names);
  }

  RDD<CachedBatch> rdd() {
    return batches;
  }

  /**
   * A partition's cached batches decoded, one at a time, into on-heap vectors reused from batch to
   * batch (so each is valid until the next is asked for; they hold no memory but the heap's).
   */
  Iterator<ColumnarBatch> decode(Iterator<CachedBatch> input) {
    WritableColumnVector[] vectors = new WritableColumnVector[types.length];
    for (int c = 0; c < types.length; c++) {
      vectors[c] = new OnHeapColumnVector(0, types[c]);
    }
    ColumnarBatch batch = new ColumnarBatch(vectors);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public ColumnarBatch next() {
        DefaultCachedBatch cached = (DefaultCachedBatch) input.next();
        int rows = cached.numRows();
        for (int c = 0; c < types.length; c++) {
          WritableColumnVector vector = vectors[c];
          vector.reset();
          vector.reserve(rows);
          byte[] bytes = cached.buffers()[indices[c]];
          if (numeric(types[c])) {
            ColumnAccessor$.MODULE$.decompress(bytes, vector, types[c], rows);
          } else {
            try {
              decodeValues(bytes, types[c], vector, rows);
            } catch (RuntimeException e) { // out of its bytes, or a layout not known here
              throw malformed(c, rows, e);
            }
          }
        }
        batch.setNumRows(rows);
        return batch;
      }
    };
  }

  private IllegalStateException malformed(int c, int rows, RuntimeException cause) {
    return new IllegalStateException(
        "cannot read cached column '" + names[c] + "' (" + types[c].sql() + ") of a batch of "
            + rows + " rows (" + cause + "): this is not the cache format of Spark 3.5 that"
            + " this library reads. Please report it with your Spark version; meanwhile write the"
            + " DataFrame to Parquet and read that instead of caching it",
        cause);
  }

  /** Whether a column of {@code type} is decoded here (else the DataFrame is read as rows). */
  static boolean decodes(DataType type) {
    return numeric(type) || type instanceof StringType || type instanceof BinaryType
        || type instanceof DecimalType;
  }

  /** The types Spark's own {@code decompress} reads into a vector. */
  private static boolean numeric(DataType type) {
    return type instanceof BooleanType || type instanceof ByteType || type instanceof ShortType
        || type instanceof IntegerType || type instanceof DateType || type instanceof LongType
        || type instanceof TimestampType || type instanceof TimestampNTZType
        || type instanceof FloatType || type instanceof DoubleType;
  }

  /**
   * One column of strings, binaries or decimals into {@code vector}, as Spark's vectors hold them
   * (a decimal of up to 9 digits as an int, up to 18 as a long, wider as its bytes).
   */
  private void decodeValues(byte[] bytes, DataType type, WritableColumnVector vector, int rows) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    int nullCount = in.getInt();
    ByteBuffer nulls = in.duplicate().order(ByteOrder.nativeOrder());
    in.position(4 + 4 * nullCount);
    boolean compact = type instanceof DecimalType decimal
        && decimal.precision() <= Decimal.MAX_LONG_DIGITS();
    boolean ints = compact && ((DecimalType) type).precision() <= Decimal.MAX_INT_DIGITS();
    boolean schemed = type instanceof StringType || compact;
    int scheme = schemed ? in.getInt() : PASS_THROUGH;
    if (scheme != PASS_THROUGH && !(type instanceof StringType
        && (scheme == RUN_LENGTH || scheme == DICTIONARY))) {
      throw new IllegalArgumentException("compression scheme " + scheme + " is not read here");
    }
    WritableColumnVector ids = null;
    int entryCount = 0;
    List<byte[]> runs = null;
    vector.setDictionary(null); // the last batch's, if any
    if (scheme == RUN_LENGTH) {
      // Each run's value is kept as an entry of a dictionary, and its rows as that entry's id: its
      // bytes are copied once, and a reader builds one string per run, as per dictionary entry.
      runs = new ArrayList<>();
      ids = vector.reserveDictionaryIds(rows);
    } else if (scheme == DICTIONARY) {
      // Kept as Spark keeps a Parquet dictionary: ids, and entries the copier decodes once each.
      byte[][] entries = new byte[in.getInt()][];
      for (int i = 0; i < entries.length; i++) {
        int start = skipValue(in);
        entries[i] = Arrays.copyOfRange(bytes, start, in.position());
      }
      entryCount = entries.length;
      ids = vector.reserveDictionaryIds(rows);
      vector.setDictionary(new Entries(entries));
    }
    int nextNull = nullCount > 0 ? nulls.getInt() : -1;
    int nullsSeen = 0;
    int run = 0;
    for (int row = 0; row < rows; row++) {
      if (row == nextNull) {
        vector.putNull(row);
        nextNull = ++nullsSeen < nullCount ? nulls.getInt() : -1;
        continue;
      }
      if (compact) {
        long unscaled = in.getLong();
        if (ints) {
          vector.putInt(row, (int) unscaled);
        } else {
          vector.putLong(row, unscaled);
        }
        continue;
      }
      if (scheme == DICTIONARY) {
        int id = in.getShort();
        if (id < 0 || id >= entryCount) {
          throw new IllegalArgumentException("dictionary id " + id + " at row " + row);
        }
        ids.putInt(row, id);
        continue;
      }
      if (scheme == RUN_LENGTH) {
        if (run == 0) {
          int start = skipValue(in);
          runs.add(Arrays.copyOfRange(bytes, start, in.position()));
          run = in.getInt();
          if (run <= 0) {
            throw new IllegalArgumentException("a run of " + run + " values");
          }
        }
        run--;
        ids.putInt(row, runs.size() - 1);
        continue;
      }
      int start = skipValue(in);
      vector.putByteArray(row, bytes, start, in.position() - start);
    }
    if (runs != null) {
      vector.setDictionary(new Entries(runs.toArray(new byte[0][])));
    }
  }

  /** Reads a value's length and moves past its bytes; returns where they start. */
  private static int skipValue(ByteBuffer in) {
    int length = in.getInt();
    int start = in.position();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException(
          "a value of " + length + " bytes where " + in.remaining() + " are left");
    }
    in.position(start + length);
    return start;
  }

  /** A cached batch's dictionary of strings, as Spark's vectors take one. */
  private record Entries(byte[][] entries) implements Dictionary {
    @Override
    public byte[] decodeToBinary(int id) {
      return entries[id];
    }

    @Override
    public int decodeToInt(int id) {
      throw new UnsupportedOperationException("a dictionary of strings");
    }

    @Override
    public long decodeToLong(int id) {
      throw new UnsupportedOperationException("a dictionary of strings");
    }

    @Override
    public float decodeToFloat(int id) {
      throw new UnsupportedOperationException("a dictionary of strings");
    }

    @Override
    public double decodeToDouble(int id) {
      throw new UnsupportedOperationException("a dictionary of strings");
    }
  }
}

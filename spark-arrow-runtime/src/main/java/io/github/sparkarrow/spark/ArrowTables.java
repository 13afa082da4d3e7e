package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowDataException;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.ArrowTable;
import io.github.sparkarrow.runtime.ArrowTaskContext;
import io.github.sparkarrow.runtime.ForeignArrow;
import io.github.sparkarrow.runtime.NotNullCheck;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * DataFrames as RDDs of {@link ArrowTable}s and back (Spark's SPIP SPARK-26413), and DataFrames
 * from any Arrow stream. Rows become Arrow through the same input path as the batch functions;
 * tables become rows through the same zero-copy output path.
 */
final class ArrowTables {

  private static final ClassTag<InternalRow> INTERNAL_ROW = ClassTag$.MODULE$.apply(InternalRow.class);
  private static final ClassTag<ArrowTable> TABLE = ClassTag$.MODULE$.apply(ArrowTable.class);

  private ArrowTables() {}

  /** The Arrow schema Spark gives {@code df}: its session time zone on timestamps. */
  static Schema arrowSchema(Dataset<Row> df) {
    String zone = df.sparkSession().sessionState().conf().sessionLocalTimeZone();
    return ArrowUtils.toArrowSchema(df.schema(), zone, true, false);
  }

  static JavaRDD<ArrowTable> toArrowTables(Dataset<Row> df, int maxRecordsPerTable) {
    if (maxRecordsPerTable == 0 || maxRecordsPerTable < -1) {
      throw new IllegalArgumentException(
          "maxRecordsPerTable must be -1 (a table per partition) or at least 1, not "
              + maxRecordsPerTable);
    }
    int batchSize = SparkArrow.batchSize(df.sparkSession(), ArrowMapOptions.DEFAULT);
    if (maxRecordsPerTable > 0) {
      batchSize = Math.min(batchSize, maxRecordsPerTable);
    }
    return tables(SparkInput.of(df, arrowSchema(df), batchSize, false), maxRecordsPerTable, null);
  }

  /**
   * {@code in}'s partitions as tables. With a record name, a null where {@code in}'s schema (a
   * record's) has NOT NULL fails the task, naming the column, the partition and the row.
   */
  static JavaRDD<ArrowTable> tables(SparkInput in, int maxRecordsPerTable, String recordName) {
    RDD<ArrowTable> tables =
        in.partitions()
            .mapPartitions(new ToTables(in, maxRecordsPerTable, recordName), false, TABLE);
    return JavaRDD.fromRDD(tables, TABLE);
  }

  static Dataset<Row> fromArrowTables(SparkSession spark, JavaRDD<ArrowTable> tables) {
    List<ArrowTable> first = tables.take(1);
    if (first.isEmpty()) {
      throw new IllegalArgumentException(
          "the RDD has no tables to take the schema from; pass the StructType:"
              + " fromArrowTables(spark, tables, schema)");
    }
    Schema foreign = first.get(0).schema();
    return rows(spark, tables.rdd(), foreign, ForeignArrow.sparkSchema(foreign));
  }

  static Dataset<Row> fromArrowTables(
      SparkSession spark, JavaRDD<ArrowTable> tables, StructType schema) {
    Schema arrow =
        ArrowUtils.toArrowSchema(
            schema, spark.sessionState().conf().sessionLocalTimeZone(), true, false);
    return rows(spark, tables.rdd(), arrow, arrow);
  }

  private static Dataset<Row> rows(
      SparkSession spark, RDD<ArrowTable> tables, Schema foreign, Schema sparkArrow) {
    RDD<InternalRow> rows =
        tables.mapPartitions(new TablesToRows(foreign, sparkArrow), false, INTERNAL_ROW);
    return spark.internalCreateDataFrame(rows, SparkSchemas.fromArrow(sparkArrow, Map.of()), false);
  }

  /** Tables of {@code schema}, which Spark holds as it is, as a DataFrame of {@code struct}. */
  static Dataset<Row> rows(
      SparkSession spark, RDD<ArrowTable> tables, Schema schema, StructType struct) {
    RDD<InternalRow> rows = tables.mapPartitions(new TablesToRows(schema, schema), false, INTERNAL_ROW);
    return spark.internalCreateDataFrame(rows, struct, false);
  }

  /**
   * A DataFrame of every batch {@code reader} loads (read to its end on the driver, and kept
   * there as Arrow IPC until the DataFrame's jobs have shipped it, as {@code
   * spark.createDataFrame} keeps local rows). The caller still owns and closes the reader.
   */
  static Dataset<Row> createDataFrame(SparkSession spark, ArrowReader reader) {
    List<ArrowTable> tables = new ArrayList<>();
    Schema foreign;
    Schema sparkArrow;
    try (BufferAllocator allocator = ArrowAllocators.child("createDataFrame(ArrowReader)")) {
      VectorSchemaRoot in = reader.getVectorSchemaRoot();
      foreign = ForeignArrow.logicalSchema(in.getSchema(), reader);
      sparkArrow = ForeignArrow.sparkSchema(foreign);
      try (ForeignArrow.Converter converter =
          new ForeignArrow.Converter(foreign, reader, allocator, "the Arrow stream")) {
        int batch = 0;
        while (load(reader, batch)) {
          tables.add(ArrowTable.of(foreign.equals(sparkArrow) ? in : converter.convert(in)));
          batch++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the Arrow stream failed: " + e.getMessage(), e);
    }
    if (tables.isEmpty()) {
      tables.add(ArrowTable.empty(sparkArrow));
    }
    int slices = Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), tables.size()));
    RDD<ArrowTable> rdd = new JavaSparkContext(spark.sparkContext()).parallelize(tables, slices).rdd();
    return rows(spark, rdd, sparkArrow, sparkArrow);
  }

  private static boolean load(ArrowReader reader, int batch) throws IOException {
    try {
      return reader.loadNextBatch();
    } catch (IOException | RuntimeException e) {
      throw new IOException("batch " + batch + ": " + e.getMessage(), e);
    }
  }

  /**
   * Each partition as tables: all its batches in one (-1), or {@code maxRecordsPerTable} rows each
   * (the last of a partition fewer), in as many batches as the input gives them.
   */
  static final class ToTables
      extends AbstractFunction1<scala.collection.Iterator<Object>, scala.collection.Iterator<ArrowTable>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SparkInput input;
    private final int maxRecordsPerTable;
    /** The record whose NOT NULL components are checked, or null. */
    private final String recordName;

    ToTables(SparkInput input, int maxRecordsPerTable, String recordName) {
      this.input = input;
      this.maxRecordsPerTable = maxRecordsPerTable;
      this.recordName = recordName;
    }

    @Override
    public scala.collection.Iterator<ArrowTable> apply(scala.collection.Iterator<Object> elements) {
      ArrowTaskContext context = ArrowPartitions.taskContext("toArrowTables");
      SparkInput.Batches read = input.batches(JavaConverters.asJavaIterator(elements), context);
      SparkInput.Batches batches =
          recordName == null
              ? read
              : checked(read, NotNullCheck.of(input.schema(), recordName), context.partition());
      int limit = maxRecordsPerTable < 0 ? Integer.MAX_VALUE : maxRecordsPerTable;
      Iterator<ArrowTable> tables =
          new Iterator<>() {
            private boolean first = true;

            @Override
            public boolean hasNext() {
              return first || batches.hasNext();
            }

            @Override
            public ArrowTable next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              first = false;
              if (!batches.hasNext()) {
                return ArrowTable.empty(input.schema()); // an empty partition: one empty table
              }
              VectorSchemaRoot batch = batches.next(limit);
              return ArrowTable.of(batch, chain(batch, upTo(batches, limit - batch.getRowCount())));
            }
          };
      return JavaConverters.asScalaIterator(tables);
    }

    /** {@code batches}, each checked for nulls where the record has NOT NULL. */
    private static SparkInput.Batches checked(
        SparkInput.Batches batches, NotNullCheck notNull, int partition) {
      return new SparkInput.Batches() {
        private long rows;

        @Override
        public boolean hasNext() {
          return batches.hasNext();
        }

        @Override
        public VectorSchemaRoot next(int maxRows) {
          VectorSchemaRoot batch = batches.next(maxRows);
          try {
            notNull.check(batch);
          } catch (ArrowDataException e) {
            throw e.inPartition(partition, rows);
          }
          rows += batch.getRowCount();
          return batch;
        }
      };
    }

    /** The next batches, {@code rows} rows in all at most. */
    private static Iterator<VectorSchemaRoot> upTo(SparkInput.Batches batches, int rows) {
      return new Iterator<>() {
        private int left = rows;

        @Override
        public boolean hasNext() {
          return left > 0 && batches.hasNext();
        }

        @Override
        public VectorSchemaRoot next() {
          VectorSchemaRoot batch = batches.next(left);
          left -= batch.getRowCount();
          return batch;
        }
      };
    }
  }

  /** {@code first}, then the rest of the batches. */
  private static Iterator<VectorSchemaRoot> chain(
      VectorSchemaRoot first, Iterator<VectorSchemaRoot> rest) {
    return new Iterator<>() {
      private boolean gaveFirst;

      @Override
      public boolean hasNext() {
        return !gaveFirst || rest.hasNext();
      }

      @Override
      public VectorSchemaRoot next() {
        if (!gaveFirst) {
          gaveFirst = true;
          return first;
        }
        return rest.next();
      }
    };
  }

  /** The table being read in a task, and its converter: closed when the next is opened. */
  private static final class TableCursor implements AutoCloseable {
    ArrowReader reader;
    ForeignArrow.Converter converter;

    @Override
    public void close() throws IOException {
      if (converter != null) {
        converter.close();
        converter = null;
      }
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }
  }

  /** Throws naming the table and every column where {@code actual} is not {@code expected}. */
  static void requireSameSchema(Schema expected, Schema actual, String table) {
    try {
      ArrowSchemas.requireMatches(expected, actual, "the first table");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          table + " has another schema than the first table of the RDD: " + e.getMessage(), e);
    }
    if (!expected.equals(actual)) {
      throw new IllegalArgumentException(table + " has another schema than the first table of the"
          + " RDD (nullability, dictionaries or metadata):\nexpected " + expected
          + "\nactual   " + actual);
    }
  }

  /** Tables into rows, zero-copy; every table must have the schema the job was given. */
  static final class TablesToRows
      extends AbstractFunction1<scala.collection.Iterator<ArrowTable>, scala.collection.Iterator<InternalRow>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShippedSchema foreign;
    private final ShippedSchema sparkArrow;

    TablesToRows(Schema foreign, Schema sparkArrow) {
      this.foreign = new ShippedSchema(foreign);
      this.sparkArrow = new ShippedSchema(sparkArrow);
    }

    @Override
    public scala.collection.Iterator<InternalRow> apply(scala.collection.Iterator<ArrowTable> input) {
      ArrowTaskContext context = ArrowPartitions.taskContext("fromArrowTables");
      Iterator<ArrowTable> tables = JavaConverters.asJavaIterator(input);
      Schema expected = foreign.get();
      boolean convert = !expected.equals(sparkArrow.get());
      String where = "partition " + context.partition();
      TableCursor cursor = context.closeAtEnd(new TableCursor());
      Iterator<VectorSchemaRoot> batches =
          new Iterator<>() {
            private boolean loaded;
            private int table = -1;

            @Override
            public boolean hasNext() {
              try {
                while (!loaded) {
                  if (cursor.reader != null && cursor.reader.loadNextBatch()) {
                    loaded = true;
                  } else if (tables.hasNext()) {
                    cursor.close();
                    ArrowTable next = tables.next();
                    table++;
                    if (!next.schema().equals(expected)) {
                      requireSameSchema(expected, next.schema(), "table " + table + " of " + where);
                    }
                    cursor.reader = next.open(context.allocator());
                    if (convert) {
                      cursor.converter = new ForeignArrow.Converter(
                          expected, cursor.reader, context.allocator(), where);
                    }
                  } else {
                    return false;
                  }
                }
                return true;
              } catch (IOException e) {
                throw new UncheckedIOException(where + ": " + e.getMessage(), e);
              }
            }

            @Override
            public VectorSchemaRoot next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              loaded = false;
              try {
                VectorSchemaRoot root = cursor.reader.getVectorSchemaRoot();
                return convert ? cursor.converter.convert(root) : root;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          };
      return JavaConverters.asScalaIterator(
          ArrowPartitions.rows(batches, sparkArrow.get(), "the tables' schema"));
    }
  }
}

package io.github.sparkarrow.engine;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.FlatRecordFunction;
import io.github.sparkarrow.runtime.RecordFunction;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table of an {@link Engine}: a source, a query's result or a typed function's output.
 *
 * <p><b>When things run.</b> On both engines nothing runs until {@link #writeParquet}, {@link
 * #collect} or {@link #count} reads the table, and each of them runs what the table needs again
 * (a function may run more than once on the same rows). So the exception of a typed function
 * comes from the action on both engines, as an {@link EngineException} whose cause is the
 * function's exception; a column that does not fit a typed function's record fails at once.
 * {@link #createView} on DuckDB keeps a function's output as a DuckDB table (running the functions
 * then), so that queries of the view and actions on the table it returns do not run them again;
 * on Spark a view is a name for the plan, as {@code createOrReplaceTempView} gives.
 *
 * <p><b>Typed functions</b> take their input columns by name (exactly, then ignoring case), as
 * {@code SparkArrow.mapRecords} does: a column that is missing or of another type fails up front,
 * naming every such column; a column that may hold nulls feeds a NOT NULL component, and the
 * first null fails the function, naming the column and the row.
 */
public interface Table {

  /**
   * The Arrow schema of the table, as Spark's {@code ArrowUtils} writes it (every column
   * nullable unless the engine knows better; timestamps labelled with the engine's time zone).
   */
  Schema schema();

  /**
   * Names this table for {@link Engine#sql}, replacing a table of that name; returns the table the
   * name stands for (on DuckDB, after functions, the table that keeps their output). The name is
   * letters, digits and {@code _}, not first a digit, in any case (Spark takes no other name for a
   * view); a keyword ({@code order}) is taken, and quoted in SQL ({@code "order"}).
   *
   * @throws IllegalArgumentException for another name, on both engines
   */
  Table createView(String name);

  /** One output record per input record. */
  <I extends Record, O extends Record> Table mapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, RecordFunction<I, O> function);

  /** Any number of output records per input record. */
  <I extends Record, O extends Record> Table flatMapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, FlatRecordFunction<I, O> function);

  /** Each input batch through generated code: {@code (OrderArrowReader in, TotalArrowWriter out) -> …}. */
  <I extends Record, O extends Record, R extends ArrowRecordReader<I>, W extends ArrowRecordWriter<O>>
      Table mapBatches(ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<R, W> mapper);

  /**
   * A raw batch function, like PySpark's {@code mapInArrow}: input batches have {@link #schema()},
   * output batches must have {@code outSchema}.
   */
  Table mapInArrow(Schema outSchema, ArrowBatchFunction function);

  /**
   * Writes the table as Parquet files into directory {@code path}, replacing what was there. A
   * write that fails while it runs (a function throws, say) leaves nothing at {@code path}; one
   * the engine refuses before it starts (on Spark, a type Parquet cannot hold) leaves what was
   * there. A write over what the table reads (a source at {@code path}, under it or in a
   * directory above it, read directly, through functions or through views made by {@link
   * #createView}) is refused before anything is replaced: it would delete its own input (Spark's
   * own overwrite deletes it, then fails).
   *
   * <p>With {@code partitionBy} columns, the rows go into a directory per value of each, in
   * Spark's {@code partitionBy} layout ({@code path/country=DE/year=2024/…}, the value as text with
   * Spark's escapes, {@code __HIVE_DEFAULT_PARTITION__} for NULL, the partition columns left out
   * of the files), which both engines read back by declaring the columns in the source's schema.
   * The columns are STRING, BOOLEAN, integer, DECIMAL, DATE or TIMESTAMP_NTZ; values that would
   * not read back as written (an empty string, which Spark writes as NULL) fail the write. See
   * {@link PartitionColumns}.
   *
   * @throws EngineException naming the path the table reads, a partition column to change, or
   *     what failed
   */
  void writeParquet(String path, String... partitionBy);

  /**
   * Writes the table into directory {@code path} in the layout of {@link #writeParquet}'s {@code
   * partitionBy}, replacing only the partitions it has rows for: Spark's dynamic partition
   * overwrite ({@code partitionOverwriteMode=dynamic}, {@code DataFrameWriterV2.overwritePartitions}),
   * as a daily job rewrites its day. The other partitions at {@code path} stay; a path with nothing
   * there is made (an empty table makes it empty). The rows are written aside first (a hidden
   * directory under {@code path}) and the partitions replaced after, so the table may read {@code
   * path} itself, as "read the lake, fix a day, overwrite that day" does; a write that fails
   * while it runs leaves {@code path} as it was. The columns and values are those {@link
   * #writeParquet} takes, at least one column.
   *
   * <p>Refused before anything is written: a {@code path} whose directories are not of the layout
   * the write makes (other partition columns, in another order or case, data files beside the
   * partition directories), which would not read back as one table; a table that reads a
   * directory above {@code path}. Replacing the partitions after the write is not atomic on
   * either engine (nor on Spark itself): a reader at that moment may see some replaced.
   *
   * @throws EngineException naming what is there, a partition column to change, or what failed
   */
  void overwritePartitions(String path, String... partitionBy);

  /** The table's rows as records, matched by name as for typed functions. */
  <T extends Record> List<T> collect(ArrowRecordType<T> type);

  /** The number of rows. */
  long count();
}

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
 * <p><b>When things run.</b> On Spark a table is a DataFrame: nothing runs until {@link
 * #writeParquet}, {@link #collect} or {@link #count}. On DuckDB a query is a view, run when used,
 * but a typed function runs when it is applied, and its output is kept as a DuckDB table (a
 * stream handed to DuckDB can be scanned only once). So an exception of a typed function comes
 * from the {@code map…} call on DuckDB and from the action on Spark; both throw an {@link
 * EngineException} whose cause is the function's exception.
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

  /** Names this table for {@link Engine#sql}, replacing a table of that name; returns it. */
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

  /** Writes the table as Parquet files into directory {@code path}, replacing what was there. */
  void writeParquet(String path);

  /** The table's rows as records, matched by name as for typed functions. */
  <T extends Record> List<T> collect(ArrowRecordType<T> type);

  /** The number of rows. */
  long count();
}

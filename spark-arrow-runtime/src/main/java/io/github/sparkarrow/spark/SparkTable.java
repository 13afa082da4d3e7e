package io.github.sparkarrow.spark;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.FlatRecordFunction;
import io.github.sparkarrow.runtime.RecordFunction;
import io.github.sparkarrow.runtime.RecordMappers;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.util.ArrowUtils;

/** A table of a {@link SparkEngine}: a DataFrame. */
final class SparkTable implements Table {

  private final SparkEngine engine;
  private final Dataset<Row> df;
  /** The files under it: a write must not replace them. */
  private final Reads reads;

  SparkTable(SparkEngine engine, Dataset<Row> df, Reads reads) {
    this.engine = engine;
    this.df = df;
    this.reads = reads;
  }

  @Override
  public Schema schema() {
    return ArrowUtils.toArrowSchema(df.schema(), engine.zone(), true, false);
  }

  @Override
  public Table createView(String name) {
    String key = Reads.viewKey(name); // a name both engines take
    df.createOrReplaceTempView(name);
    engine.views().put(key, reads);
    return this;
  }

  @Override
  public <I extends Record, O extends Record> Table mapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, RecordFunction<I, O> function) {
    return mapBatches(in, out, RecordMappers.map(function));
  }

  @Override
  public <I extends Record, O extends Record> Table flatMapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, FlatRecordFunction<I, O> function) {
    return mapBatches(in, out, RecordMappers.flatMap(function));
  }

  @Override
  public <I extends Record, O extends Record, R extends ArrowRecordReader<I>, W extends ArrowRecordWriter<O>>
      Table mapBatches(ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<R, W> mapper) {
    return fitting(() -> new SparkTable(engine, SparkArrow.mapBatches(df, in, out, mapper), reads));
  }

  @Override
  public Table mapInArrow(Schema outSchema, ArrowBatchFunction function) {
    return new SparkTable(
        engine, SparkArrow.mapInArrow(df, SparkSchemas.fromArrow(outSchema, Map.of()), function), reads);
  }

  @Override
  public void writeParquet(String path) {
    reads.requireNotReplaced(SparkEngine.NAME, engine.pathKey(new Path(path)), engine.views());
    try {
      engine.action("writing " + path, () -> {
        df.write().mode(SaveMode.Overwrite).parquet(path);
        return null;
      });
    } catch (EngineException e) {
      // A job that failed while running leaves the directory it emptied; leave nothing, as the
      // DuckDB engine. A write refused before its job started left what was there: keep it.
      try {
        Path output = new Path(path);
        FileSystem fs = output.getFileSystem(df.sparkSession().sessionState().newHadoopConf());
        if (fs.exists(output) && fs.listStatus(output, SparkTable::visible).length == 0) {
          fs.delete(output, true);
        }
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Not a marker or checksum file ({@code _SUCCESS}, {@code .part-….crc}): Hadoop's rule. */
  private static boolean visible(Path file) {
    return !file.getName().startsWith("_") && !file.getName().startsWith(".");
  }

  @Override
  public <T extends Record> List<T> collect(ArrowRecordType<T> type) {
    Dataset<Row> input = fitting(() -> df);
    return engine.action("collect", () -> SparkArrow.collect(input, type));
  }

  @Override
  public long count() {
    return engine.action("count", df::count);
  }

  /** The input check of the typed functions, as the same exception DuckDB's throws. */
  private static <T> T fitting(Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new EngineException(SparkEngine.NAME, e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "spark table: " + df.schema().toDDL();
  }
}

package io.github.sparkarrow.duckdb;

import static io.github.sparkarrow.duckdb.DuckDbTypes.literal;
import static io.github.sparkarrow.duckdb.DuckDbTypes.quote;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowRecordReader;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowRecordWriter;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.ArrowStreams;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.FlatRecordFunction;
import io.github.sparkarrow.runtime.RecordFunction;
import io.github.sparkarrow.runtime.RecordMappers;
import io.github.sparkarrow.runtime.TypedBatchFunction;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** A table of a {@link DuckDbEngine}: a query (a view), run when used. */
final class DuckDbTable implements Table {

  private final DuckDbEngine engine;
  private final String query;

  DuckDbTable(DuckDbEngine engine, String query) {
    this.engine = engine;
    this.query = query;
  }

  @Override
  public Schema schema() {
    List<String> problems = new ArrayList<>();
    Schema schema = DuckDbTypes.sparkStyle(
        engine.exportedSchema("SELECT * FROM (" + query + ") LIMIT 0"), engine.zone(), problems);
    if (!problems.isEmpty()) {
      throw new EngineException(DuckDbEngine.NAME,
          "the table has columns Spark has no type for:\n  " + String.join("\n  ", problems)
              + "\nquery: " + query, null);
    }
    return schema;
  }

  @Override
  public Table createView(String name) {
    engine.execute("CREATE OR REPLACE VIEW " + quote(name) + " AS " + query);
    return this;
  }

  @Override
  public <I extends Record, O extends Record> Table mapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, RecordFunction<I, O> function) {
    return typed("mapRecords", in, out, RecordMappers.map(function));
  }

  @Override
  public <I extends Record, O extends Record> Table flatMapRecords(
      ArrowRecordType<I> in, ArrowRecordType<O> out, FlatRecordFunction<I, O> function) {
    return typed("flatMapRecords", in, out, RecordMappers.flatMap(function));
  }

  @Override
  public <I extends Record, O extends Record, R extends ArrowRecordReader<I>, W extends ArrowRecordWriter<O>>
      Table mapBatches(ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<R, W> mapper) {
    return typed("mapBatches", in, out, mapper);
  }

  private <I extends Record, O extends Record> Table typed(
      String what, ArrowRecordType<I> in, ArrowRecordType<O> out, BatchMapper<?, ?> mapper) {
    DuckDbTypes.requireNoIntervals(in.arrowSchema(), in.recordClass().getName());
    DuckDbTypes.requireNoIntervals(out.arrowSchema(), out.recordClass().getName());
    String input = select(in);
    TypedBatchFunction<I, O> function = new TypedBatchFunction<>(in, out, mapper);
    return engine.store(
        what + "(" + in.recordClass().getSimpleName() + " -> " + out.recordClass().getSimpleName() + ")",
        input, in.arrowSchema(), function, out.arrowSchema());
  }

  @Override
  public Table mapInArrow(Schema outSchema, ArrowBatchFunction function) {
    DuckDbTypes.requireNoIntervals(outSchema, "the output schema");
    Schema in = schema();
    return engine.store("mapInArrow", query, in, function, outSchema);
  }

  /** The query of the columns {@code type} reads, by name, in its order; or every problem. */
  private String select(ArrowRecordType<?> type) {
    Schema have = schema();
    List<String> problems = ArrowSchemas.fit(type.arrowSchema(), have, false);
    if (!problems.isEmpty()) {
      throw new EngineException(DuckDbEngine.NAME,
          "the table does not fit " + type.recordClass().getName() + ":\n  "
              + String.join("\n  ", problems) + "\nCAST or rename the columns in the SQL."
              + "\ntable:  " + describe(have) + "\nrecord: " + type.sparkDdl(), null);
    }
    List<String> columns = new ArrayList<>();
    for (Field field : type.arrowSchema().getFields()) {
      Field found = ArrowSchemas.byName(have.getFields(), field.getName());
      columns.add(quote(found.getName()) + " AS " + quote(field.getName()));
    }
    return "SELECT " + String.join(", ", columns) + " FROM (" + query + ")";
  }

  private static String describe(Schema schema) {
    List<String> columns = new ArrayList<>();
    for (Field field : schema.getFields()) {
      columns.add(field.getName() + " " + ArrowSchemas.describe(field));
    }
    return String.join(", ", columns);
  }

  @Override
  public void writeParquet(String path) {
    Path directory = Path.of(path);
    try {
      if (Files.exists(directory)) {
        try (Stream<Path> paths = Files.walk(directory)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not replace " + directory, e);
    }
    String file = new File(path, "part-00000.parquet").getPath();
    engine.execute("COPY (" + query + ") TO " + literal(file) + " (FORMAT parquet)");
  }

  @Override
  public <T extends Record> List<T> collect(ArrowRecordType<T> type) {
    DuckDbTypes.requireNoIntervals(type.arrowSchema(), type.recordClass().getName());
    String sql = select(type);
    return engine.query(sql, type.arrowSchema(), reader -> {
      List<T> records = new ArrayList<>();
      try {
        ArrowStreams.records(reader, type).forEachRemaining(records::add);
      } catch (RuntimeException e) {
        throw new EngineException(DuckDbEngine.NAME, "collect failed: " + e.getMessage(), e);
      }
      return records;
    });
  }

  @Override
  public long count() {
    return engine.queryLong("SELECT count(*) FROM (" + query + ")");
  }

  @Override
  public String toString() {
    return "duckdb table: " + query;
  }
}

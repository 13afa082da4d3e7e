package io.github.sparkarrow.engine;

import io.github.sparkarrow.runtime.ArrowRecordType;
import java.util.List;

/**
 * Where a pipeline runs: embedded DuckDB ({@code DuckDbEngine}, in this process, for one machine
 * and for fast tests) or Spark ({@code SparkEngine}, local or a cluster). A pipeline is written
 * once against this interface and {@link Table}: read sources, name tables, run SQL over them,
 * apply typed functions on generated code, write Parquet, collect records.
 *
 * <p>SQL is the common language. Queries that stay within the subset both engines run alike
 * (see the README's "SQL on both engines") give equal results on both; a query one engine
 * rejects fails with an {@link EngineException} naming the engine, the query and the reason.
 *
 * <p>Not thread-safe: one pipeline at a time per engine.
 */
public interface Engine extends AutoCloseable {

  /** {@code "duckdb"} or {@code "spark"}. */
  String name();

  /**
   * The table of a Parquet, CSV or JSON source, with the source's schema. Its columns are checked
   * against the files where the engine can (Parquet), by the rules Spark applies.
   *
   * @throws EngineException naming each column that cannot be read as declared
   */
  Table read(Source source);

  /**
   * The result of a query over the tables named with {@link Table#createView}. The query is
   * checked now (unknown tables, columns and functions fail here on both engines); it runs when
   * its result is used.
   *
   * @throws EngineException naming the engine, the query and what it rejected
   */
  Table sql(String query);

  /** One {@code BIGINT} column {@code id}, the numbers {@code 0} to {@code end - 1}. */
  Table range(long end);

  /** The table of {@code records}, with the record type's schema. */
  <T extends Record> Table fromRecords(ArrowRecordType<T> type, List<T> records);

  /** Frees what the engine holds; an engine that started its own Spark session stops it. */
  @Override
  void close();
}

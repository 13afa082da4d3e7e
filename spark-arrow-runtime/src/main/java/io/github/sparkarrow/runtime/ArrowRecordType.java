package io.github.sparkarrow.runtime;

import java.io.Serializable;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The schema handle of one {@code @HasArrowSparkSchema} record type. The annotation processor
 * generates one implementation per record, {@code PersonArrowSchema}, whose {@code INSTANCE} is
 * the only instance; find it from a class with {@link ArrowRecordTypes#of(Class)}.
 *
 * <p>Implementations are immutable, hold no Arrow memory, and are serializable (they deserialize
 * to their singleton), so Spark closures can capture them.
 *
 * @param <T> the record type
 */
public interface ArrowRecordType<T extends Record> extends Serializable {

  /** The record class. */
  Class<T> recordClass();

  /**
   * The Spark DDL of the record: {@code `id` BIGINT NOT NULL, `name` STRING}. It parses with
   * Spark's {@code StructType.fromDDL}; it cannot say that an array element or map value is NOT
   * NULL, which {@link #arrowSchema()} and {@code SparkSchemas.structType} do say.
   */
  String sparkDdl();

  /**
   * The Arrow schema of the record, as Spark 3.5's {@code ArrowUtils.toArrowSchema} builds it for
   * the same Spark schema with time zone {@code "UTC"}. Immutable and shared.
   */
  Schema arrowSchema();

  /**
   * Column comments ({@code @ArrowColumn(comment = …)}) by Arrow field path: a top-level column by
   * its name, a struct field as {@code address.city}, inside an array {@code lines.element.price},
   * inside a map {@code byId.entries.value.price}. Empty when there are none.
   */
  default Map<String, String> comments() {
    return Map.of();
  }

  /**
   * A new writer whose vectors are allocated from {@code allocator}; the caller closes the writer,
   * which frees them.
   */
  ArrowRecordWriter<T> newWriter(BufferAllocator allocator);

  /**
   * A reader of {@code root}, which must have this record's {@link #arrowSchema()} (names and
   * types; see {@link ArrowSchemas#requireMatches}). The reader owns nothing; the root's owner
   * closes it.
   *
   * @throws IllegalArgumentException naming every column that differs
   */
  ArrowRecordReader<T> newReader(VectorSchemaRoot root);
}

package com.example;

import io.github.sparkarrow.runtime.ArrowRecordType;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Generated;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Spark SQL and Arrow schema of {@link Person}, derived from its components at compile time.
 */
@Generated("io.github.sparkarrow.processor.HasArrowSparkSchemaProcessor")
public final class PersonArrowSchema implements ArrowRecordType<Person> {
  private static final long serialVersionUID = 1L;

  /**
   * The Spark DDL of {@link Person}, for {@code StructType.fromDDL} and {@code DataFrameReader.schema}.
   */
  public static final String SPARK_DDL = "`id` BIGINT NOT NULL, `full_name` STRING COMMENT 'the person\\'s name', `age` INT, `tags` ARRAY<STRING>, `places` MAP<STRING, ARRAY<STRUCT<`city`: STRING, `zip`: INT NOT NULL COMMENT 'postal'>>>, `home` STRUCT<`city`: STRING, `zip`: INT NOT NULL COMMENT 'postal'>, `balance` DECIMAL(18,2), `created` TIMESTAMP, `local` TIMESTAMP_NTZ, `duration` INTERVAL DAY TO SECOND, `period` INTERVAL YEAR TO MONTH, `blob` BINARY, `numbers` ARRAY<INT>, `initial` STRING NOT NULL, `uuid` STRING, `color` STRING, `maybe_long` BIGINT";

  private static final Schema ARROW_SCHEMA = new Schema(List.of(
      Field.notNullable("id", new ArrowType.Int(64, true)),
      Field.nullable("full_name", ArrowType.Utf8.INSTANCE),
      Field.nullable("age", new ArrowType.Int(32, true)),
      new Field("tags", FieldType.nullable(ArrowType.List.INSTANCE), List.of(
          Field.nullable("element", ArrowType.Utf8.INSTANCE))),
      new Field("places", FieldType.nullable(new ArrowType.Map(false)), List.of(
          new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE), List.of(
              Field.notNullable("key", ArrowType.Utf8.INSTANCE),
              new Field("value", FieldType.nullable(ArrowType.List.INSTANCE), List.of(
                  new Field("element", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
                      Field.nullable("city", ArrowType.Utf8.INSTANCE),
                      Field.notNullable("zip", new ArrowType.Int(32, true)))))))))),
      new Field("home", FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(
          Field.nullable("city", ArrowType.Utf8.INSTANCE),
          Field.notNullable("zip", new ArrowType.Int(32, true)))),
      Field.nullable("balance", new ArrowType.Decimal(18, 2, 128)),
      Field.nullable("created", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
      Field.nullable("local", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)),
      Field.nullable("duration", new ArrowType.Duration(TimeUnit.MICROSECOND)),
      Field.nullable("period", new ArrowType.Interval(IntervalUnit.YEAR_MONTH)),
      Field.nullable("blob", ArrowType.Binary.INSTANCE),
      new Field("numbers", FieldType.nullable(ArrowType.List.INSTANCE), List.of(
          Field.notNullable("element", new ArrowType.Int(32, true)))),
      Field.notNullable("initial", ArrowType.Utf8.INSTANCE),
      Field.nullable("uuid", ArrowType.Utf8.INSTANCE),
      Field.nullable("color", ArrowType.Utf8.INSTANCE),
      Field.nullable("maybe_long", new ArrowType.Int(64, true))));

  private static final Map<String, String> COMMENTS = Map.ofEntries(
      Map.entry("full_name", "the person's name"),
      Map.entry("places.entries.value.element.zip", "postal"),
      Map.entry("home.zip", "postal"));

  /**
   * The runtime's handle on {@link Person}.
   */
  public static final PersonArrowSchema INSTANCE = new PersonArrowSchema();

  private PersonArrowSchema() {
  }

  /**
   * Returns {@link #SPARK_DDL}.
   */
  public static String getSparkDdl() {
    return SPARK_DDL;
  }

  /**
   * The Arrow schema of {@link Person}; immutable and shared.
   */
  public static Schema getArrowSchema() {
    return ARROW_SCHEMA;
  }

  @Override
  public Class<Person> recordClass() {
    return Person.class;
  }

  @Override
  public String sparkDdl() {
    return SPARK_DDL;
  }

  @Override
  public Schema arrowSchema() {
    return ARROW_SCHEMA;
  }

  @Override
  public Map<String, String> comments() {
    return COMMENTS;
  }

  @Override
  public PersonArrowWriter newWriter(BufferAllocator allocator) {
    return new PersonArrowWriter(allocator);
  }

  @Override
  public PersonArrowReader newReader(VectorSchemaRoot root) {
    return new PersonArrowReader(root);
  }

  /**
   * Keeps the singleton when a Spark closure ships it to an executor.
   */
  private Object readResolve() {
    return INSTANCE;
  }
}

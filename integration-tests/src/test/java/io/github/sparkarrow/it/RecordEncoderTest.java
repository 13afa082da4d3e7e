package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.it.records.OptionalsArrowSchema;
import io.github.sparkarrow.it.records.Person;
import io.github.sparkarrow.it.records.PersonArrowSchema;
import io.github.sparkarrow.it.records.PrimitivesArrowSchema;
import io.github.sparkarrow.it.records.Reading;
import io.github.sparkarrow.it.records.ReadingArrowSchema;
import io.github.sparkarrow.it.records.RenamedArrowSchema;
import io.github.sparkarrow.spark.SparkArrow;
import io.github.sparkarrow.spark.SparkSchemas;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** {@code Dataset<Person>} on Spark 3.5, where {@code Encoders.bean} cannot read records. */
class RecordEncoderTest {

  private final SparkSession spark = SparkTestSession.get();

  static List<Person> people(int count) {
    RandomRecords random = new RandomRecords(99);
    List<Person> people = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      int i = n;
      people.add(
          new Person(
              i,
              random.nonNullText(),
              random.orNull(random::number),
              random.orNull(() -> random.list(random::text)),
              random.orNull(() -> random.map(random::nonNullText, () -> random.orNull(random::big))),
              random.orNull(random::address),
              random.orNull(() -> LocalDate.ofEpochDay(i * 37L - 9000)),
              random.orNull(() -> Instant.ofEpochSecond(i * 7919L, i * 1000L)),
              random.orNull(() -> random.decimal(18, 2)),
              random.orNull(() -> new double[] {i, -0.0, Double.NaN}),
              random.orNull(() -> i % 2 == 0 ? Person.Mood.HAPPY : Person.Mood.GRUMPY),
              random.orNull(() -> random.list(random::address))));
    }
    return people;
  }

  @Test
  void datasetOfRecords() {
    Encoder<Person> encoder = SparkArrow.encoder(PersonArrowSchema.INSTANCE);
    assertThat(encoder.schema()).isEqualTo(SparkSchemas.structType(PersonArrowSchema.INSTANCE));

    List<Person> people = people(500);
    Dataset<Person> ds = spark.createDataset(people, encoder);
    assertThat(ds.collectAsList())
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(people);

    Dataset<Person> older =
        ds.filter((FilterFunction<Person>) p -> p.age() != null && p.age() > 0)
            .map(
                (MapFunction<Person, Person>)
                    p -> new Person(p.id(), p.name().toUpperCase(), p.age() - 1, p.tags(),
                        p.counts(), p.address(), p.born(), p.seen(), p.balance(), p.scores(),
                        p.mood(), p.homes()),
                encoder);
    long positive = people.stream().filter(p -> p.age() != null && p.age() > 0).count();
    assertThat(older.count()).isEqualTo(positive);

    List<Tuple2<String, Object>> byMood =
        ds.groupByKey((MapFunction<Person, String>) p -> String.valueOf(p.mood()), Encoders.STRING())
            .count()
            .collectAsList();
    assertThat(byMood.stream().mapToLong(t -> (Long) t._2()).sum()).isEqualTo(500);

    // A DataFrame made through Arrow reads as records through the encoder, and back.
    Dataset<Row> df = SparkArrow.createDataFrame(spark, people, PersonArrowSchema.INSTANCE);
    assertThat(df.as(encoder).collectAsList())
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(people);
    assertThat(SparkArrow.collect(ds.toDF(), PersonArrowSchema.INSTANCE))
        .usingRecursiveFieldByFieldElementComparator(RoundTripTest.STRICT)
        .containsExactlyElementsOf(people);
  }

  @Test
  void theCanonicalConstructorRunsOnDeserialization() {
    Encoder<Reading> readings = SparkArrow.encoder(ReadingArrowSchema.INSTANCE);
    Dataset<Row> raw =
        spark.createDataFrame(
            List.of(RowFactory.create("  north ", 21.5), RowFactory.create("south", -300.0)),
            SparkSchemas.structType(ReadingArrowSchema.INSTANCE));
    assertThat(raw.limit(1).as(readings).collectAsList()).containsExactly(new Reading("north", 21.5));
    assertThatThrownBy(() -> raw.as(readings).collectAsList())
        .hasStackTraceContaining("south: -300.0 °C is below absolute zero");
  }

  @Test
  void whatSparksEncodersCannotDoIsRejectedNamingTheComponent() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.encoder(OptionalsArrowSchema.INSTANCE))
        .withMessageStartingWith("Spark 3.5 cannot encode io.github.sparkarrow.it.records.Optionals:")
        .withMessageContaining("Optionals.text: Spark 3.5 has no encoder for java.util.Optional<java.lang.String>")
        .withMessageContaining("Optionals.number: Spark 3.5 has no encoder for java.util.OptionalInt");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.encoder(PrimitivesArrowSchema.INSTANCE))
        .withMessageContaining("Primitives.initial: Spark 3.5 has no encoder for char");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SparkArrow.encoder(RenamedArrowSchema.INSTANCE))
        .withMessageContaining("Renamed.userID: column 'user_id' is renamed");
  }
}

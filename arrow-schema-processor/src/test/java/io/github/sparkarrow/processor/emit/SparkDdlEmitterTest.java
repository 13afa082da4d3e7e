package io.github.sparkarrow.processor.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.processor.Goldens;
import io.github.sparkarrow.processor.model.ClassRef;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.model.SqlType.PrimitiveKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SparkDdlEmitterTest {

  @Test
  void testStructFromTheIssue() {
    assertThat(SparkDdlEmitter.ddl(Models.testStruct()))
        .isEqualTo("`col` STRING, `int_col` BIGINT NOT NULL");
  }

  @Test
  void everyTypeNestedMatchesTheGolden() {
    String actual = SparkDdlEmitter.ddl(Models.everything()) + "\n";
    assertThat(actual).isEqualTo(Goldens.expect("golden/everything.ddl", actual));
  }

  @Test
  void identifiersAreBackQuotedWithInnerBackQuotesDoubled() {
    assertThat(SparkDdlEmitter.quoteIdentifier("select")).isEqualTo("`select`");
    assertThat(SparkDdlEmitter.quoteIdentifier("a`b")).isEqualTo("`a``b`");
    assertThat(SparkDdlEmitter.quoteIdentifier("with space.and.dots"))
        .isEqualTo("`with space.and.dots`");
  }

  @Test
  void commentsAreEscapedForSparksParserAndStayOnOneLine() {
    assertThat(SparkDdlEmitter.quoteString("it's"))
        .isEqualTo("'it\\'s'");
    assertThat(SparkDdlEmitter.quoteString("a\\b")).isEqualTo("'a\\\\b'");
    assertThat(SparkDdlEmitter.quoteString("line\nbreak\ttab\r")).isEqualTo("'line\\nbreak\\ttab\\r'");
    assertThat(SparkDdlEmitter.quoteString("100% ünïcödé 😀")).isEqualTo("'100% ünïcödé 😀'");
  }

  @Test
  void structFieldsUseColonsAndKeepNotNullAndComments() {
    RecordModel record =
        new RecordModel(
            ClassRef.of("test", "Outer"),
            List.of(Models.column("address", Models.struct(Models.address()))));
    assertThat(SparkDdlEmitter.ddl(record))
        .isEqualTo(
            "`address` STRUCT<`city`: STRING, `zip`: INT NOT NULL COMMENT 'postal code'>");
  }

  @Test
  void arrayElementAndMapValueNullabilityIsNotInTheDdl() {
    RecordModel record =
        new RecordModel(
            ClassRef.of("test", "Outer"),
            List.of(
                Models.column("ids", Models.listOf(Models.notNull(PrimitiveKind.LONG))),
                Models.column(
                    "m",
                    Models.mapOf(
                        Models.string().withNullable(false), Models.notNull(PrimitiveKind.INT)))));
    assertThat(SparkDdlEmitter.ddl(record)).isEqualTo("`ids` ARRAY<BIGINT>, `m` MAP<STRING, INT>");
  }
}

package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.SparkDdl;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SparkDdl}, the DDL parser engines use without Spark, against Spark itself: the Arrow
 * schema of {@code ArrowUtils.toArrowSchema(StructType.fromDDL(ddl), "UTC")}.
 */
class SparkDdlOracleTest {

  static List<String> ddls() {
    List<String> ddls = new ArrayList<>(List.of(
        "a BOOLEAN, b TINYINT, c SMALLINT, d INT, e BIGINT, f FLOAT, g DOUBLE",
        "a BYTE, b SHORT, c INTEGER, d LONG, e REAL",
        "price DECIMAL(10,2) NOT NULL, big DECIMAL(38,0), dflt DECIMAL, dec DEC(5), num NUMERIC(7,3)",
        "s STRING COMMENT 'a, comment', b BINARY",
        "i INTERVAL DAY TO SECOND, j INTERVAL YEAR TO MONTH, k INTERVAL HOUR, l INTERVAL MONTH",
        "d DATE, t TIMESTAMP, l TIMESTAMP_LTZ, n TIMESTAMP_NTZ",
        "tags ARRAY<STRING>, nested ARRAY<ARRAY<INT>>, m MAP<STRING, BIGINT>",
        "m MAP<INT, MAP<STRING, ARRAY<DECIMAL(10,4)>>> NOT NULL",
        "s STRUCT<a: INT, b STRING NOT NULL, c: ARRAY<STRUCT<x: DOUBLE>>>",
        "`odd name` INT, `back``tick` STRING, lower int, MiXeD bigint",
        "e STRUCT<>"));
    for (ArrowRecordType<?> type : AllRecordTypes.all()) {
      ddls.add(type.sparkDdl());
    }
    return ddls;
  }

  @ParameterizedTest
  @MethodSource("ddls")
  void sameArrowSchemaAsSpark(String ddl) {
    assertThat(SparkDdl.toArrowSchema(ddl))
        .isEqualTo(ArrowUtils.toArrowSchema(StructType.fromDDL(ddl), "UTC", true, false));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a INT,", "a UNKNOWNTYPE", "a ARRAY<INT", "a DECIMAL(39,0)", "a INT NOT"})
  void notDdlIsAClearError(String ddl) {
    assertThatThrownBy(() -> SparkDdl.toArrowSchema(ddl))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ddl);
  }
}

package io.github.sparkarrow.processor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.sparkarrow.processor.model.JavaType.Kind;
import org.junit.jupiter.api.Test;

class ModelTest {

  @Test
  void classRefNamesCompanionsLikeAutoValue() {
    ClassRef inner = ClassRef.of("com.example", "Outer", "Inner");
    assertThat(inner.canonicalName()).isEqualTo("com.example.Outer.Inner");
    assertThat(inner.simpleName()).isEqualTo("Inner");
    assertThat(inner.companionName("ArrowSchema")).isEqualTo("Outer_InnerArrowSchema");
    assertThat(ClassRef.of("", "Flat").canonicalName()).isEqualTo("Flat");
  }

  @Test
  void decimalRangeIsSparks() {
    assertThat(new SqlType.Decimal(38, 38).precision()).isEqualTo(38);
    assertThatIllegalArgumentException().isThrownBy(() -> new SqlType.Decimal(0, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new SqlType.Decimal(39, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new SqlType.Decimal(5, 6));
    assertThatIllegalArgumentException().isThrownBy(() -> new SqlType.Decimal(5, -1));
  }

  @Test
  void mapKeysAreNeverNullable() {
    Value nullableKey = new Value(new SqlType.Text(), true, JavaType.of(Kind.STRING));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new SqlType.MapOf(nullableKey, nullableKey));
  }

  @Test
  void onlyEnumsAndRecordsNameAClass() {
    ClassRef color = ClassRef.of("test", "Color");
    assertThat(JavaType.named(Kind.ENUM, color).named()).isEqualTo(color);
    assertThatIllegalArgumentException().isThrownBy(() -> JavaType.named(Kind.STRING, color));
    assertThatIllegalArgumentException().isThrownBy(() -> JavaType.of(Kind.RECORD));
  }
}

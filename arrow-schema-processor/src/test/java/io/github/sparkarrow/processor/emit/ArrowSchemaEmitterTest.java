package io.github.sparkarrow.processor.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sparkarrow.processor.Goldens;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrowSchemaEmitterTest {

  @Test
  void everyTypeNestedMatchesTheGolden() {
    String actual = ArrowSchemaEmitter.schema(Models.everything()).toString() + "\n";
    assertThat(actual).isEqualTo(Goldens.expect("golden/everything.arrow-schema.txt", actual));
  }

  @Test
  void commentsAreKeyedByArrowFieldPath() {
    assertThat(ArrowSchemaEmitter.comments(Models.everything()))
        .containsExactly(
            Map.entry("name", "it's a \\ name"),
            Map.entry("addresses.element.zip", "postal code"),
            Map.entry("home.zip", "postal code"));
  }
}

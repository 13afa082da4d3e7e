package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.UUID;
import org.jspecify.annotations.NonNull;

@HasArrowSparkSchema
public record Texts(
    String text, @NonNull String required, UUID uuid, Color color, byte[] bytes) {

  public enum Color {
    RED,
    GREEN
  }
}

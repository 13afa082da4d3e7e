package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;
import java.util.Map;

/**
 * Component names that collide with what generated code uses: the reader's and writer's
 * methods and fields, and the locals of {@code write}.
 */
@HasArrowSparkSchema
public record Awkward(
    int get,
    String root,
    Long rowCount,
    String utf8,
    Integer row,
    String record,
    List<String> all,
    Map<String, Integer> value,
    String iterator,
    String stream,
    Awkward.Inner index) {

  public record Inner(String row, Integer start, String value) {}
}

package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.NonNull;

@HasArrowSparkSchema
public record Collections(
    List<String> strings,
    List<@NonNull String> requiredStrings,
    Set<Integer> numbers,
    Collection<Long> longs,
    String[] array,
    int[] ints,
    Byte[] boxedBytes,
    List<List<Double>> matrix,
    @NonNull List<Boolean> requiredList) {}

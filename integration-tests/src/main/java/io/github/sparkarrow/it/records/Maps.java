package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NonNull;

@HasArrowSparkSchema
public record Maps(
    Map<String, Integer> counts,
    Map<String, @NonNull Long> requiredValues,
    Map<String, List<String>> lists,
    Map<Integer, Address> addresses,
    Map<Address, String> byAddress,
    Map<String, Map<String, Double>> nested) {}

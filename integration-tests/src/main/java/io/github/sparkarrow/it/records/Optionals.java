package io.github.sparkarrow.it.records;

import io.github.sparkarrow.annotations.HasArrowSparkSchema;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

@HasArrowSparkSchema
@SuppressWarnings("OptionalUsedAsFieldOrParameterType")
public record Optionals(
    Optional<String> text,
    OptionalInt number,
    OptionalLong big,
    OptionalDouble precise,
    Optional<Address> address,
    Optional<List<String>> tags,
    List<Optional<String>> maybeTags) {}

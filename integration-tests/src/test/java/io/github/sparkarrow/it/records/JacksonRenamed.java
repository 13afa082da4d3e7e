package io.github.sparkarrow.it.records;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.sparkarrow.annotations.ArrowColumn;
import io.github.sparkarrow.annotations.HasArrowSparkSchema;

/**
 * Jackson's rename is honoured, and {@code @ArrowColumn} wins over it. (In test sources: javac's
 * {@code -Xlint:processing} warns that no processor claims Jackson's annotation, as it does with
 * any processor on the path.)
 */
@HasArrowSparkSchema
public record JacksonRenamed(
    @JsonProperty("user_name") String userName,
    @JsonProperty("ignored") @ArrowColumn(name = "wins") String both) {}

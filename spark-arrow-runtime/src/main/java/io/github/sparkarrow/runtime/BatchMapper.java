package io.github.sparkarrow.runtime;

import java.io.Serializable;

/**
 * Maps one input batch, read through a generated reader, into output rows written through a
 * generated writer: {@code (PersonArrowReader in, ScoreArrowWriter out) -> ...}. The writer is
 * empty when called; whatever it holds afterwards is the output batch (any number of rows).
 *
 * @param <R> the input record type's generated reader
 * @param <W> the output record type's generated writer
 */
@FunctionalInterface
public interface BatchMapper<R extends ArrowRecordReader<?>, W extends ArrowRecordWriter<?>>
    extends Serializable {

  void map(R in, W out) throws Exception;
}

package io.github.sparkarrow.runtime;

import java.util.Iterator;

/**
 * The loop of {@link RecordMappers#flatMap}, copied per function class (see {@link
 * RecordMappers}): keep it self-contained (no lambdas, no string concatenation), as its copies
 * are defined from these bytes.
 */
final class FlatMapLoop implements RecordMappers.Loop {

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public void run(ArrowRecordReader in, ArrowRecordWriter out, Object function) throws Exception {
    FlatRecordFunction apply = (FlatRecordFunction) function;
    int rows = in.rowCount();
    for (int row = 0; row < rows; row++) {
      Iterator results = apply.apply(in.get(row));
      while (results.hasNext()) {
        out.write((Record) results.next());
      }
    }
  }
}

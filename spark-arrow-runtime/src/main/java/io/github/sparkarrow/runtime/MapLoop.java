package io.github.sparkarrow.runtime;

/**
 * The loop of {@link RecordMappers#map}, copied per function class (see {@link RecordMappers}):
 * keep it self-contained (no lambdas, no string concatenation), as its copies are defined from
 * these bytes.
 */
final class MapLoop implements RecordMappers.Loop {

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public void run(ArrowRecordReader in, ArrowRecordWriter out, Object function) throws Exception {
    RecordFunction apply = (RecordFunction) function;
    int rows = in.rowCount();
    for (int row = 0; row < rows; row++) {
      Object result = apply.apply(in.get(row));
      if (result == null) {
        throw RecordMappers.nullResult(row);
      }
      out.write((Record) result);
    }
  }
}

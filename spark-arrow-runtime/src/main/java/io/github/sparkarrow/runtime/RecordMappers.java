package io.github.sparkarrow.runtime;

import java.util.Iterator;

/** Per-record functions as {@link BatchMapper}s over generated readers and writers. */
public final class RecordMappers {

  private RecordMappers() {}

  /** Writes {@code function}'s result for each input record; a null result is an error. */
  public static <I extends Record, O extends Record>
      BatchMapper<ArrowRecordReader<I>, ArrowRecordWriter<O>> map(RecordFunction<I, O> function) {
    return (in, out) -> {
      int rows = in.rowCount();
      for (int row = 0; row < rows; row++) {
        O result = function.apply(in.get(row));
        if (result == null) {
          throw new NullPointerException(
              "the mapRecords function returned null for row " + row + " of a batch;"
                  + " use flatMapRecords to drop rows");
        }
        out.write(result);
      }
    };
  }

  /** Writes every record {@code function} returns for each input record. */
  public static <I extends Record, O extends Record>
      BatchMapper<ArrowRecordReader<I>, ArrowRecordWriter<O>> flatMap(
          FlatRecordFunction<I, O> function) {
    return (in, out) -> {
      int rows = in.rowCount();
      for (int row = 0; row < rows; row++) {
        Iterator<O> results = function.apply(in.get(row));
        while (results.hasNext()) {
          out.write(results.next());
        }
      }
    };
  }
}

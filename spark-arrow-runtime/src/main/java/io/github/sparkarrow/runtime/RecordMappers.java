package io.github.sparkarrow.runtime;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Per-record functions as {@link BatchMapper}s over generated readers and writers.
 *
 * <p><b>A loop per function.</b> The loop that reads a record, applies the function and writes
 * its result is the same code for every function, and the JIT compiles a method's calls from
 * what it has seen them call: once a JVM has run the loop over two functions (a job of two
 * steps, a benchmark that seeds its input with one), the reader, the function and the writer are
 * each one of several, and the records the loop builds can no longer be optimized away. So each
 * function class gets its own copy of the loop (a hidden class defined from the loop's bytes,
 * one per function class and JVM, kept as long as the function's class), whose calls see that
 * function's reader, function and writer only. Where a JVM refuses hidden classes, the loop is
 * shared.
 */
public final class RecordMappers {

  private RecordMappers() {}

  /** The loop over one batch: a copy of {@link MapLoop} or {@link FlatMapLoop} per function class. */
  interface Loop {
    @SuppressWarnings("rawtypes")
    void run(ArrowRecordReader in, ArrowRecordWriter out, Object function) throws Exception;
  }

  private static final ClassValue<Loop> MAP_LOOPS = loops(new MapLoop());
  private static final ClassValue<Loop> FLAT_MAP_LOOPS = loops(new FlatMapLoop());

  /** Writes {@code function}'s result for each input record; a null result is an error. */
  public static <I extends Record, O extends Record>
      BatchMapper<ArrowRecordReader<I>, ArrowRecordWriter<O>> map(RecordFunction<I, O> function) {
    return (in, out) -> MAP_LOOPS.get(function.getClass()).run(in, out, function);
  }

  /** Writes every record {@code function} returns for each input record. */
  public static <I extends Record, O extends Record>
      BatchMapper<ArrowRecordReader<I>, ArrowRecordWriter<O>> flatMap(
          FlatRecordFunction<I, O> function) {
    return (in, out) -> FLAT_MAP_LOOPS.get(function.getClass()).run(in, out, function);
  }

  /** The loop {@link #map} runs for {@code function} (for tests). */
  static Loop mapLoop(Object function) {
    return MAP_LOOPS.get(function.getClass());
  }

  static NullPointerException nullResult(int row) {
    return new NullPointerException("the mapRecords function returned null for row " + row
        + " of a batch; use flatMapRecords to drop rows");
  }

  /** Copies of {@code shared}'s class, one per function class; {@code shared} where there are none. */
  private static ClassValue<Loop> loops(Loop shared) {
    byte[] bytes = bytesOf(shared.getClass());
    return new ClassValue<>() {
      @Override
      protected Loop computeValue(Class<?> functionClass) {
        if (bytes != null) {
          try {
            MethodHandles.Lookup copy = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (Loop) copy.findConstructor(copy.lookupClass(), MethodType.methodType(void.class))
                .invoke();
          } catch (Throwable refused) {
            // a JVM that does not define hidden classes here: the shared loop
          }
        }
        return shared;
      }
    };
  }

  private static byte[] bytesOf(Class<?> template) {
    try (InputStream in = template.getResourceAsStream(template.getSimpleName() + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (java.io.IOException e) {
      return null;
    }
  }
}

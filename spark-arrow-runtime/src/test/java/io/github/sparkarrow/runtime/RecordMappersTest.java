package io.github.sparkarrow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** The record loops: a copy per function class, each doing what the loop does. */
class RecordMappersTest {

  record N(int v) {}

  /** A batch of records as a reader; only what the loops call. */
  private static ArrowRecordReader<N> reader(List<N> records) {
    return new ArrowRecordReader<>() {
      @Override
      public VectorSchemaRoot root() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int rowCount() {
        return records.size();
      }

      @Override
      public N get(int row) {
        return records.get(row);
      }
    };
  }

  /** A writer that keeps the records written. */
  private static final class Kept implements ArrowRecordWriter<N> {
    final List<N> written = new ArrayList<>();

    @Override
    public void write(N record) {
      written.add(record);
    }

    @Override
    public VectorSchemaRoot root() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int rowCount() {
      return written.size();
    }

    @Override
    public VectorSchemaRoot finish() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void reset() {
      written.clear();
    }

    @Override
    public void close() {}
  }

  @Test
  void eachFunctionClassHasItsOwnCopyOfTheLoop() {
    RecordFunction<N, N> twice = n -> new N(n.v() * 2);
    RecordFunction<N, N> plusOne = n -> new N(n.v() + 1);
    RecordMappers.Loop a = RecordMappers.mapLoop(twice);
    RecordMappers.Loop b = RecordMappers.mapLoop(plusOne);
    assertThat(a.getClass()).isNotEqualTo(b.getClass());
    assertThat(a.getClass().isHidden()).as("a copy of the loop's bytes").isTrue();
    assertThat(a.getClass().getName()).startsWith(MapLoop.class.getName() + "/");
    assertThat(RecordMappers.mapLoop(twice)).as("one per function class").isSameAs(a);
    // another instance of the same lambda (as each Spark task deserializes its own)
    assertThat(RecordMappers.mapLoop(twiceOf())).isSameAs(RecordMappers.mapLoop(twiceOf()));
  }

  private static RecordFunction<N, N> twiceOf() {
    return n -> new N(n.v() * 2);
  }

  @Test
  void theCopiesMapFlatMapAndRefuseANullResultAsTheLoopDoes() throws Exception {
    List<N> input = List.of(new N(1), new N(2), new N(3));
    Kept out = new Kept();
    RecordMappers.<N, N>map(n -> new N(n.v() * 10)).map(reader(input), out);
    assertThat(out.written).containsExactly(new N(10), new N(20), new N(30));

    out.reset();
    RecordMappers.<N, N>flatMap(n -> n.v() == 2 ? Collections.emptyIterator()
        : List.of(n, n).iterator()).map(reader(input), out);
    assertThat(out.written).containsExactly(new N(1), new N(1), new N(3), new N(3));

    assertThatThrownBy(() -> RecordMappers.<N, N>map(n -> n.v() == 3 ? null : n)
        .map(reader(input), new Kept()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("the mapRecords function returned null for row 2 of a batch;"
            + " use flatMapRecords to drop rows");
    assertThatThrownBy(() -> RecordMappers.<N, N>map(n -> {
      throw new java.io.IOException("no price for " + n.v());
    }).map(reader(input), new Kept())).isInstanceOf(java.io.IOException.class)
        .hasMessage("no price for 1");
  }
}

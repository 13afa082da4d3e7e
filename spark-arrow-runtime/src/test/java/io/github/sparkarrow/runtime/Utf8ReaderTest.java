package io.github.sparkarrow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Strings read from a {@link KeyedRoot}: one {@code String} per dictionary entry where the rows
 * are keyed, and the bytes wherever a key cannot be trusted; always the value the Arrow data holds.
 */
class Utf8ReaderTest {

  private static final Schema SCHEMA = new Schema(List.of(
      Field.nullable("n", new ArrowType.Int(32, true)),
      Field.nullable("text", ArrowType.Utf8.INSTANCE)));

  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  private KeyedRoot root() {
    VectorSchemaRoot plain = VectorSchemaRoot.create(SCHEMA, allocator);
    return new KeyedRoot(plain.getSchema().getFields(), plain.getFieldVectors());
  }

  /** Writes a batch of {@code dictionary}'s entries {@code keys} (-1: null), each row keyed. */
  private static void write(KeyedRoot root, List<String> dictionary, int... keys) {
    VarCharVector text = (VarCharVector) root.getVector(1);
    text.reset();
    StringKeys k = root.keys(1);
    k.startBatch(keys.length);
    for (int row = 0; row < keys.length; row++) {
      if (keys[row] < 0) {
        text.setNull(row);
      } else {
        text.setSafe(row, dictionary.get(keys[row]).getBytes(StandardCharsets.UTF_8));
      }
      k.key(row, keys[row]);
    }
    root.setRowCount(keys.length);
    k.endBatch(keys.length);
  }

  @Test
  void keyedRowsShareOneStringPerEntryAndEqualTheirBytes() {
    try (KeyedRoot root = root()) {
      assertThat(root.keys(0)).as("not a string column").isNull();
      Utf8Reader reader = new Utf8Reader(root);
      VarCharVector text = (VarCharVector) root.getVector(1);
      write(root, List.of("zone 1", "é→", ""), 0, 1, -1, 0, 2, 1, 2);
      assertThat(text.isNull(2)).isTrue();
      String first = reader.read(text, 0);
      assertThat(first).isEqualTo("zone 1");
      assertThat(reader.read(text, 3)).isSameAs(first);
      assertThat(reader.read(text, 5)).isEqualTo("é→").isSameAs(reader.read(text, 1));
      assertThat(reader.read(text, 6)).isEqualTo("").isSameAs(reader.read(text, 4));
      // The same dictionary in the next batch: its strings are kept.
      write(root, List.of("zone 1", "é→", ""), 1, 0);
      assertThat(reader.read(text, 1)).isSameAs(first);
      // A new dictionary: the same keys are other values.
      root.keys(1).newDictionary();
      write(root, List.of("vendor 9", "zone 1"), 0, 1, 0);
      assertThat(reader.read(text, 0)).isEqualTo("vendor 9").isSameAs(reader.read(text, 2));
      assertThat(reader.read(text, 1)).isEqualTo("zone 1").isNotSameAs(first);
    }
  }

  @Test
  void unkeyedOrChangedRowsAreReadFromTheirBytes() {
    try (KeyedRoot root = root()) {
      Utf8Reader reader = new Utf8Reader(root);
      VarCharVector text = (VarCharVector) root.getVector(1);
      write(root, List.of("a", "b"), 0, 0);
      assertThat(reader.read(text, 0)).isSameAs(reader.read(text, 1));

      root.keys(1).unkeyed();
      assertThat(reader.read(text, 0)).isEqualTo("a").isNotSameAs(reader.read(text, 1));

      // Keyed, then the buffer reallocated (as by a writer that grows it): the keys no longer hold.
      write(root, List.of("a", "b"), 0, 1);
      text.setSafe(0, "x".repeat(100_000).getBytes(StandardCharsets.UTF_8));
      assertThat(reader.read(text, 0)).hasSize(100_000);

      // Cleared: the keys are dropped, and a row past the data is an error, not a string.
      root.clear();
      assertThatThrownBy(() -> reader.read(text, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void rowsOutsideTheBatchAndKeysPastTheLimitAreNotTakenFromTheKeys() {
    try (KeyedRoot root = root()) {
      Utf8Reader reader = new Utf8Reader(root);
      VarCharVector text = (VarCharVector) root.getVector(1);
      write(root, List.of("a"), 0, 0);
      String a = reader.read(text, 0);
      assertThatThrownBy(() -> reader.read(text, -1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      StringKeys keys = root.keys(1);
      keys.startBatch(2);
      keys.key(0, StringKeys.MAX_KEYS);
      keys.key(1, StringKeys.MAX_KEYS + 1);
      keys.endBatch(2);
      assertThat(reader.read(text, 0)).isEqualTo("a").isNotSameAs(a);
      assertThat(reader.read(text, 1)).isEqualTo("a").isNotSameAs(reader.read(text, 1));
    }
  }

  /** Columns read in record order, one by one, and out of order: each row its own column's value. */
  @Test
  void manyKeyedColumnsReadInAnyOrderGiveEachColumnsValues() {
    int columns = 5;
    int rows = 12;
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      fields.add(Field.nullable("text" + c, ArrowType.Utf8.INSTANCE));
    }
    VectorSchemaRoot plain = VectorSchemaRoot.create(new Schema(fields), allocator);
    try (KeyedRoot root = new KeyedRoot(plain.getSchema().getFields(), plain.getFieldVectors())) {
      for (int c = 0; c < columns; c++) {
        VarCharVector text = (VarCharVector) root.getVector(c);
        StringKeys keys = root.keys(c);
        keys.startBatch(rows);
        for (int row = 0; row < rows; row++) {
          text.setSafe(row, value(c, row).getBytes(StandardCharsets.UTF_8));
          keys.key(row, row % (c + 1));
        }
        text.setValueCount(rows);
        keys.endBatch(rows);
      }
      root.setRowCount(rows);
      Utf8Reader reader = new Utf8Reader(root);
      List<int[]> orders = List.of(new int[] {0, 1, 2, 3, 4}, new int[] {4, 2, 0, 3, 1});
      for (int[] order : orders) {
        for (int row = 0; row < rows; row++) {
          for (int c : order) {
            VarCharVector text = (VarCharVector) root.getVector(c);
            assertThat(reader.read(text, row)).isEqualTo(value(c, row))
                .isSameAs(reader.read(text, row % (c + 1)));
          }
        }
      }
      for (int c = columns - 1; c >= 0; c--) {
        VarCharVector text = (VarCharVector) root.getVector(c);
        for (int row = 0; row < rows; row++) {
          assertThat(reader.read(text, row)).isEqualTo(value(c, row));
        }
      }
    }
  }

  /** Column {@code c}'s value at {@code row}: one per key {@code row % (c + 1)}. */
  private static String value(int c, int row) {
    return "column " + c + " key " + row % (c + 1);
  }

  @Test
  void aPlainRootsStringsAreReadFromTheirBytes() {
    try (VectorSchemaRoot plain = VectorSchemaRoot.create(SCHEMA, allocator)) {
      VarCharVector text = (VarCharVector) plain.getVector(1);
      text.setSafe(0, "same".getBytes(StandardCharsets.UTF_8));
      text.setSafe(1, "same".getBytes(StandardCharsets.UTF_8));
      plain.setRowCount(2);
      Utf8Reader reader = new Utf8Reader(plain);
      assertThat(reader.read(text, 0)).isEqualTo("same").isNotSameAs(reader.read(text, 1));
    }
  }
}

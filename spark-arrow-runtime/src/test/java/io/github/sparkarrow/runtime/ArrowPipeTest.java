package io.github.sparkarrow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrow pipes without Spark: real programs, every failure, and nothing left running. */
class ArrowPipeTest {

  static final Schema SCHEMA =
      new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          Field.nullable("name", ArrowType.Utf8.INSTANCE)));

  private final BufferAllocator allocator = new RootAllocator();

  @TempDir Path dir;

  @AfterEach
  void nothingLeft() throws InterruptedException {
    allocator.close(); // fails on a leaked buffer
    // No program outlives its pipe.
    for (int i = 0; i < 100 && ProcessHandle.current().descendants().findAny().isPresent(); i++) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?")))
        .isEmpty();
  }

  /** {@code count} rows in batches of {@code size}, one root refilled. */
  static Iterator<VectorSchemaRoot> batches(VectorSchemaRoot root, long count, int size) {
    return new Iterator<>() {
      private long next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public VectorSchemaRoot next() {
        int rows = (int) Math.min(size, count - next);
        root.allocateNew();
        BigIntVector ids = (BigIntVector) root.getVector(0);
        VarCharVector names = (VarCharVector) root.getVector(1);
        for (int i = 0; i < rows; i++, next++) {
          ids.setSafe(i, next);
          if (next % 3 == 0) {
            names.setNull(i);
          } else {
            names.setSafe(i, ("name " + next).getBytes(StandardCharsets.UTF_8));
          }
        }
        root.setRowCount(rows);
        return root;
      }
    };
  }

  private List<String> run(List<String> command, long rows, Schema output, Duration idle) {
    ArrowPipe.Settings settings = new ArrowPipe.Settings(command, Map.of(), null, idle, 4096);
    List<String> out = new ArrayList<>();
    try (VectorSchemaRoot input = VectorSchemaRoot.create(SCHEMA, allocator);
        ArrowTaskContext context = ArrowTaskContext.childOf(allocator, "pipe test")) {
      Iterator<VectorSchemaRoot> result =
          ArrowPipe.run(settings, SCHEMA, output, batches(input, rows, 1000), context);
      while (result.hasNext()) {
        VectorSchemaRoot batch = result.next();
        for (int i = 0; i < batch.getRowCount(); i++) {
          out.add(batch.getVector(0).getObject(i) + "," + batch.getVector(1).getObject(i));
        }
      }
    }
    return out;
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    assertThat(file.toFile().setExecutable(true)).isTrue();
    return file;
  }

  @Test
  void catGivesEveryRowBackInOrder() {
    List<String> out = run(List.of("cat"), 10_500, SCHEMA, Duration.ZERO);
    assertThat(out).hasSize(10_500);
    assertThat(out.get(0)).isEqualTo("0,null");
    assertThat(out.get(10_499)).isEqualTo("10499,name 10499");
  }

  @Test
  void noInputIsAStreamWithTheSchemaOnly() {
    assertThat(run(List.of("cat"), 0, SCHEMA, Duration.ZERO)).isEmpty();
  }

  @Test
  void aJavaProgramThroughServe() throws Exception {
    // The other end, in process: ArrowPipe.serve between two streams.
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      ArrowPipe.writeStream(SCHEMA, batches(root, 2_500, 1000), in);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArrowPipe.serve((batches, context) -> batches, SCHEMA,
        new java.io.ByteArrayInputStream(in.toByteArray()), out);
    long rows = 0;
    try (var reader = ArrowPipe.reader(new java.io.ByteArrayInputStream(out.toByteArray()), allocator)) {
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
    }
    assertThat(rows).isEqualTo(2_500);
  }

  @Test
  void aProgramThatCannotStart() {
    assertThatThrownBy(() -> run(List.of(dir.resolve("missing").toString()), 10, SCHEMA, Duration.ZERO))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("could not be started")
        .hasMessageContaining("missing");
  }

  @Test
  void aNonZeroExitNamesStatusAndStderr() throws IOException {
    Path failing = script("failing.sh", "cat > /dev/null; echo 'bad input: row 7' >&2; exit 3");
    assertThatThrownBy(() -> run(List.of(failing.toString()), 100, SCHEMA, Duration.ZERO))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("[" + failing + "] (exit status 3)")
        .hasMessageContaining("bad input: row 7")
        .satisfies(e -> assertThat(((ArrowPipeException) e).exitStatus()).isEqualTo(3));
  }

  @Test
  void exitZeroWithoutArrowIsAnError() throws IOException {
    Path text = script("text.sh", "cat > /dev/null; echo 'hello, not arrow'");
    assertThatThrownBy(() -> run(List.of(text.toString()), 100, SCHEMA, Duration.ZERO))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("(exit status 0)")
        .hasMessageContaining("not a whole Arrow IPC stream");
  }

  @Test
  void outputCutShortIsAnError() throws IOException {
    Path half = script("half.sh", "cat | head -c 3000");
    assertThatThrownBy(() -> run(List.of(half.toString()), 5_000, SCHEMA, Duration.ZERO))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("cut short");
  }

  @Test
  void outputOfAnotherSchemaNamesTheColumns() {
    Schema declared =
        new Schema(List.of(
            new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
            Field.nullable("score", new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE))));
    assertThatThrownBy(() -> run(List.of("cat"), 10, declared, Duration.ZERO))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("another schema than the one declared")
        .hasMessageContaining("expected 'score', found 'name'");
  }

  @Test
  void aHangingProgramIsKilledAfterTheIdleTimeout() throws IOException {
    Path hang = script("hang.sh", "sleep 600");
    long start = System.nanoTime();
    assertThatThrownBy(() -> run(List.of(hang.toString()), 10_000_000, SCHEMA, Duration.ofMillis(700)))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("neither read nor wrote for PT0.7S");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aProgramKilledByASignal() throws IOException {
    Path killed = script("killed.sh", "kill -9 $$");
    assertThatThrownBy(() -> run(List.of(killed.toString()), 100, SCHEMA, Duration.ZERO))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("killed by signal 9");
  }

  @Test
  void closingEarlyKillsTheProgramAndItsChildren() throws IOException {
    // A program that starts a child, then streams; the caller stops after one batch.
    Path parent = script("parent.sh", "sleep 600 & cat");
    ArrowPipe.Settings settings = ArrowPipe.Settings.of(List.of(parent.toString()));
    try (VectorSchemaRoot input = VectorSchemaRoot.create(SCHEMA, allocator);
        ArrowTaskContext context = ArrowTaskContext.childOf(allocator, "pipe test")) {
      Iterator<VectorSchemaRoot> result =
          ArrowPipe.run(settings, SCHEMA, SCHEMA, batches(input, 1_000_000, 1000), context);
      assertThat(result.next().getRowCount()).isEqualTo(1000);
      assertThat(ProcessHandle.current().descendants().count()).isGreaterThanOrEqualTo(2);
    }
    // nothingLeft() checks that the program and its sleeping child are gone.
  }

  @Test
  void aFailingInputIsTheError() {
    ArrowPipe.Settings settings = ArrowPipe.Settings.of(List.of("cat"));
    try (VectorSchemaRoot input = VectorSchemaRoot.create(SCHEMA, allocator);
        ArrowTaskContext context = ArrowTaskContext.childOf(allocator, "pipe test")) {
      Iterator<VectorSchemaRoot> good = batches(input, 5_000, 1000);
      Iterator<VectorSchemaRoot> failing = new Iterator<>() {
        private int n;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public VectorSchemaRoot next() {
          if (n++ == 3) {
            throw new IllegalStateException("the stage below failed");
          }
          return good.next();
        }
      };
      Iterator<VectorSchemaRoot> result = ArrowPipe.run(settings, SCHEMA, SCHEMA, failing, context);
      assertThatThrownBy(() -> result.forEachRemaining(b -> {}))
          .isInstanceOf(ArrowPipeException.class)
          .hasMessageContaining("its input failed")
          .hasRootCauseMessage("the stage below failed");
    }
  }

  /**
   * Output in Arrow's types of 64-bit offsets (LargeUtf8, LargeBinary, LargeList; pandas 3 hands
   * pyarrow its strings as large_string, so a Python program on pandas writes them) where STRING,
   * BINARY and ARRAY are declared reads as Spark's Arrow readers read it: the same values, nulls
   * and all, in the declared types, at any depth, over batches of several sizes.
   */
  @Test
  void outputOfLargeOffsetTypesReadsAsTheDeclaredTypes() throws IOException {
    Field tag = Field.nullable("element", ArrowType.LargeUtf8.INSTANCE);
    Schema large = new Schema(List.of(
        new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
        Field.nullable("name", ArrowType.LargeUtf8.INSTANCE),
        Field.nullable("bytes", ArrowType.LargeBinary.INSTANCE),
        new Field("tags", FieldType.nullable(ArrowType.LargeList.INSTANCE), List.of(tag)),
        new Field("point", FieldType.nullable(ArrowType.Struct.INSTANCE),
            List.of(Field.nullable("label", ArrowType.LargeUtf8.INSTANCE)))));
    Path stream = dir.resolve("large.arrows");
    List<String> expected = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(large, allocator);
        java.io.OutputStream file = Files.newOutputStream(stream);
        org.apache.arrow.vector.ipc.ArrowStreamWriter writer =
            new org.apache.arrow.vector.ipc.ArrowStreamWriter(root, null, file)) {
      writer.start();
      long id = 0;
      for (int rows : new int[] {3, 0, 1000}) {
        root.allocateNew();
        var names = (org.apache.arrow.vector.LargeVarCharVector) root.getVector("name");
        var bytes = (org.apache.arrow.vector.LargeVarBinaryVector) root.getVector("bytes");
        var tags = (org.apache.arrow.vector.complex.LargeListVector) root.getVector("tags");
        var elements = (org.apache.arrow.vector.LargeVarCharVector) tags.getDataVector();
        var point = (org.apache.arrow.vector.complex.StructVector) root.getVector("point");
        var labels = (org.apache.arrow.vector.LargeVarCharVector) point.getChild("label");
        for (int i = 0; i < rows; i++, id++) {
          ((BigIntVector) root.getVector("id")).setSafe(i, id);
          String name = id % 3 == 0 ? null : "näme " + id;
          if (name == null) {
            names.setNull(i);
            bytes.setNull(i);
            tags.setNull(i);
            point.setNull(i);
          } else {
            names.setSafe(i, name.getBytes(StandardCharsets.UTF_8));
            bytes.setSafe(i, new byte[] {(byte) id, 0});
            long start = tags.startNewValue(i);
            elements.setSafe((int) start, ("t" + id).getBytes(StandardCharsets.UTF_8));
            elements.setNull((int) start + 1);
            tags.endValue(i, 2);
            point.setIndexDefined(i);
            labels.setSafe(i, ("l" + id).getBytes(StandardCharsets.UTF_8));
          }
          expected.add(id + "|" + name + "|" + (name == null ? "null" : "[" + (byte) id + ", 0]")
              + "|" + (name == null ? "null" : "[\"t" + id + "\",null]")
              + "|" + (name == null ? "null" : "{\"label\":\"l" + id + "\"}"));
        }
        root.setRowCount(rows);
        writer.writeBatch();
      }
      writer.end();
    }
    Schema declared = new Schema(List.of(
        new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
        Field.nullable("name", ArrowType.Utf8.INSTANCE),
        Field.nullable("bytes", ArrowType.Binary.INSTANCE),
        new Field("tags", FieldType.nullable(ArrowType.List.INSTANCE),
            List.of(Field.nullable("element", ArrowType.Utf8.INSTANCE))),
        new Field("point", FieldType.nullable(ArrowType.Struct.INSTANCE),
            List.of(Field.nullable("label", ArrowType.Utf8.INSTANCE)))));
    List<String> out = outputOf(stream, declared, (batch, i) -> {
      Object bytes = batch.getVector("bytes").getObject(i);
      return batch.getVector("id").getObject(i) + "|" + batch.getVector("name").getObject(i)
          + "|" + (bytes == null ? "null" : java.util.Arrays.toString((byte[]) bytes))
          + "|" + batch.getVector("tags").getObject(i) + "|" + batch.getVector("point").getObject(i);
    });
    assertThat(out).hasSize(1003).isEqualTo(expected);
  }

  /**
   * A program's output is taken as Spark takes Arrow from elsewhere ({@link ForeignArrow}): a
   * dictionary-encoded column (a pandas Categorical) is decoded, nanoseconds become Spark's
   * microseconds (a value with digits below them is an error naming its column and row).
   */
  @Test
  void outputOfDictionariesAndNanosecondsReadsAsTheDeclaredTypes() throws IOException {
    org.apache.arrow.vector.types.pojo.DictionaryEncoding encoding =
        new org.apache.arrow.vector.types.pojo.DictionaryEncoding(7L, false, new ArrowType.Int(8, true));
    ArrowType nanos = new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.NANOSECOND, "UTC");
    Schema written = new Schema(List.of(
        new Field("kind", new FieldType(true, new ArrowType.Int(8, true), encoding), null),
        Field.nullable("at", nanos)));
    Path stream = dir.resolve("categorical.arrows");
    try (VarCharVector kinds = new VarCharVector("kinds", allocator);
        VectorSchemaRoot root = VectorSchemaRoot.create(written, allocator);
        java.io.OutputStream file = Files.newOutputStream(stream)) {
      kinds.allocateNew();
      kinds.setSafe(0, "small".getBytes(StandardCharsets.UTF_8));
      kinds.setSafe(1, "größer".getBytes(StandardCharsets.UTF_8));
      kinds.setValueCount(2);
      var dictionaries = new org.apache.arrow.vector.dictionary.DictionaryProvider.MapDictionaryProvider();
      dictionaries.put(new org.apache.arrow.vector.dictionary.Dictionary(kinds, encoding));
      try (var writer = new org.apache.arrow.vector.ipc.ArrowStreamWriter(root, dictionaries, file)) {
        writer.start();
        root.allocateNew();
        var codes = (org.apache.arrow.vector.TinyIntVector) root.getVector(0);
        var at = (org.apache.arrow.vector.TimeStampNanoTZVector) root.getVector(1);
        codes.setSafe(0, 1);
        at.setSafe(0, 1_700_000_000_123_456_000L);
        codes.setNull(1);
        at.setNull(1);
        codes.setSafe(2, 0);
        at.setSafe(2, 0L);
        root.setRowCount(3);
        writer.writeBatch();
        writer.end();
      }
    }
    Schema declared = new Schema(List.of(Field.nullable("kind", ArrowType.Utf8.INSTANCE),
        Field.nullable("at", new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC"))));
    assertThat(outputOf(stream, declared,
            (batch, i) -> batch.getVector(0).getObject(i) + "|" + batch.getVector(1).getObject(i)))
        .containsExactly("größer|1700000000123456", "null|null", "small|0");
  }

  /**
   * The rows of a program that reads its input and writes the IPC stream in {@code stream}, its
   * output declared {@code declared}, as {@code row} prints them; each batch has the declared
   * schema and is valid.
   */
  private List<String> outputOf(Path stream, Schema declared,
      java.util.function.BiFunction<VectorSchemaRoot, Integer, String> row) throws IOException {
    Path program = script("replay.sh", "cat > /dev/null; cat '" + stream + "'");
    ArrowPipe.Settings settings =
        new ArrowPipe.Settings(List.of(program.toString()), Map.of(), null, Duration.ZERO, 4096);
    List<String> out = new ArrayList<>();
    try (VectorSchemaRoot input = VectorSchemaRoot.create(SCHEMA, allocator);
        ArrowTaskContext context = ArrowTaskContext.childOf(allocator, "pipe test")) {
      Iterator<VectorSchemaRoot> result =
          ArrowPipe.run(settings, SCHEMA, declared, batches(input, 10, 10), context);
      while (result.hasNext()) {
        VectorSchemaRoot batch = result.next();
        assertThat(batch.getSchema()).isEqualTo(declared);
        ValueVectorUtility.validateFull(batch);
        for (int i = 0; i < batch.getRowCount(); i++) {
          out.add(row.apply(batch, i));
        }
      }
    }
    return out;
  }

  @Test
  void narrowedOffsetsShareTheValuesBuffer() {
    Schema large = new Schema(List.of(Field.nullable("name", ArrowType.LargeUtf8.INSTANCE)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(large, allocator);
        VectorSchemaRoot target = VectorSchemaRoot.create(LargeOffsets.narrowed(large), allocator)) {
      var names = (org.apache.arrow.vector.LargeVarCharVector) root.getVector(0);
      names.setSafe(0, "ä".getBytes(StandardCharsets.UTF_8));
      names.setNull(1);
      names.setSafe(2, "bc".getBytes(StandardCharsets.UTF_8));
      root.setRowCount(3);
      LargeOffsets.load(root, target, allocator);
      VarCharVector narrow = (VarCharVector) target.getVector(0);
      assertThat(narrow.getDataBuffer().memoryAddress()).isEqualTo(names.getDataBuffer().memoryAddress());
      assertThat(java.util.Arrays.asList(narrow.getObject(0).toString(), narrow.getObject(1),
          narrow.getObject(2).toString())).containsExactly("ä", null, "bc");
      ValueVectorUtility.validateFull(target);
    }
  }

  @Test
  void offsetsBeyond32BitsAreRefusedNamingTheColumn() {
    Schema large = new Schema(List.of(Field.nullable("name", ArrowType.LargeUtf8.INSTANCE)));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(large, allocator);
        VectorSchemaRoot target = VectorSchemaRoot.create(LargeOffsets.narrowed(large), allocator)) {
      var names = (org.apache.arrow.vector.LargeVarCharVector) root.getVector(0);
      names.setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
      names.setSafe(1, "b".getBytes(StandardCharsets.UTF_8));
      root.setRowCount(2);
      names.getOffsetBuffer().setLong(2L * Long.BYTES, Integer.MAX_VALUE + 1L); // as after 2 GiB
      assertThatThrownBy(() -> LargeOffsets.load(root, target, allocator))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("column 'name': a batch holds more than 2 GiB of its values");
    }
  }

  @Test
  void aNullWhereTheDeclaredOutputIsNotNull() throws IOException {
    Schema strict =
        new Schema(List.of(
            new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
            new Field("name", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null)));
    assertThatThrownBy(() -> run(List.of("cat"), 10, strict, Duration.ZERO))
        .isInstanceOf(ArrowPipeException.class)
        .hasMessageContaining("a null where the declared schema says NOT NULL")
        .hasMessageContaining("name, row 0");
  }

  @Test
  void environmentAndWorkingDirectory() throws IOException {
    Path env = script("env.sh", "test \"$GREETING\" = hello && test \"$(pwd)\" = \"" + dir + "\" && exec cat");
    ArrowPipe.Settings settings =
        new ArrowPipe.Settings(List.of(env.toString()), Map.of("GREETING", "hello"), dir.toFile(),
            Duration.ZERO, 4096);
    try (VectorSchemaRoot input = VectorSchemaRoot.create(SCHEMA, allocator);
        ArrowTaskContext context = ArrowTaskContext.childOf(allocator, "pipe test")) {
      Iterator<VectorSchemaRoot> result =
          ArrowPipe.run(settings, SCHEMA, SCHEMA, batches(input, 10, 10), context);
      List<Integer> counts = new ArrayList<>();
      result.forEachRemaining(b -> counts.add(b.getRowCount()));
      assertThat(counts.stream().collect(Collectors.summingInt(Integer::intValue))).isEqualTo(10);
    }
  }
}

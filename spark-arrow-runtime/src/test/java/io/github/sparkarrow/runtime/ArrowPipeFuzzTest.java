package io.github.sparkarrow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reading side of a pipe against malformed input: streams truncated, bit-flipped, spliced and
 * random, from a seeded generator. Every case either reads (each batch valid) or fails with an
 * IOException; none hangs, crashes, leaks or allocates for bytes that never arrive. The build runs
 * 12,000 cases; {@code -Dsparkarrow.fuzz.cases=1000000} runs more.
 */
class ArrowPipeFuzzTest {

  private static final Schema NESTED =
      new Schema(List.of(
          new Field("id", FieldType.notNullable(new ArrowType.Int(64, true)), null),
          Field.nullable("name", ArrowType.Utf8.INSTANCE),
          new Field("tags", FieldType.nullable(ArrowType.List.INSTANCE),
              List.of(Field.nullable("element", ArrowType.Utf8.INSTANCE))),
          new Field("point", FieldType.nullable(ArrowType.Struct.INSTANCE),
              List.of(Field.nullable("x", new ArrowType.Int(32, true)),
                  Field.nullable("label", ArrowType.Binary.INSTANCE)))));

  /** Valid streams to start from: a few batch sizes, flat and nested. */
  private static List<byte[]> seeds(BufferAllocator allocator) throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    for (int rows : new int[] {0, 1, 37, 500}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(ArrowPipeTest.SCHEMA, allocator)) {
        ArrowPipe.writeStream(ArrowPipeTest.SCHEMA, ArrowPipeTest.batches(root, rows, 64), out);
      }
      seeds.add(out.toByteArray());
      ByteArrayOutputStream nested = new ByteArrayOutputStream();
      try (VectorSchemaRoot root = VectorSchemaRoot.create(NESTED, allocator)) {
        Random random = new Random(rows);
        root.allocateNew();
        var ids = (org.apache.arrow.vector.BigIntVector) root.getVector(0);
        var names = (org.apache.arrow.vector.VarCharVector) root.getVector(1);
        var tags = (org.apache.arrow.vector.complex.ListVector) root.getVector(2);
        var point = (org.apache.arrow.vector.complex.StructVector) root.getVector(3);
        var tagWriter = tags.getWriter();
        for (int i = 0; i < rows; i++) {
          ids.setSafe(i, random.nextLong());
          names.setSafe(i, ("n" + i).getBytes());
          tagWriter.setPosition(i);
          tagWriter.startList();
          for (int t = 0; t < random.nextInt(4); t++) {
            byte[] tag = ("t" + t).getBytes();
            try (var buf = allocator.buffer(tag.length)) {
              buf.setBytes(0, tag);
              tagWriter.varChar().writeVarChar(0, tag.length, buf);
            }
          }
          tagWriter.endList();
          ((org.apache.arrow.vector.IntVector) point.getChild("x")).setSafe(i, i);
          ((org.apache.arrow.vector.VarBinaryVector) point.getChild("label")).setSafe(i, new byte[] {(byte) i});
          point.setIndexDefined(i);
        }
        root.setRowCount(rows);
        ArrowPipe.writeStream(NESTED, List.of(root).iterator(), nested);
      }
      seeds.add(nested.toByteArray());
      seeds.add(encoded(allocator, rows));
    }
    return seeds;
  }

  /** A dictionary-encoded string column and a fixed-size list, with a dictionary batch first. */
  private static byte[] encoded(BufferAllocator allocator, int rows) throws IOException {
    DictionaryEncoding encoding = new DictionaryEncoding(7, false, new ArrowType.Int(32, true));
    Schema schema = new Schema(List.of(
        new Field("city", new FieldType(true, new ArrowType.Int(32, true), encoding), null),
        new Field("pair", FieldType.nullable(new ArrowType.FixedSizeList(2)),
            List.of(Field.nullable("element", new ArrowType.Int(32, true))))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VarCharVector cities = new VarCharVector("city", allocator);
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      cities.allocateNew();
      for (int i = 0; i < 3; i++) {
        cities.setSafe(i, ("city " + i).getBytes(StandardCharsets.UTF_8));
      }
      cities.setValueCount(3);
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
      provider.put(new Dictionary(cities, encoding));
      IntVector indices = (IntVector) root.getVector(0);
      FixedSizeListVector pairs = (FixedSizeListVector) root.getVector(1);
      root.allocateNew();
      IntVector elements = (IntVector) pairs.getDataVector();
      for (int i = 0; i < rows; i++) {
        if (i % 5 != 0) {
          indices.setSafe(i, i % 3);
        }
        pairs.setNotNull(i);
        elements.setSafe(2 * i, i);
        elements.setSafe(2 * i + 1, -i);
      }
      elements.setValueCount(2 * rows);
      root.setRowCount(rows);
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, provider, out)) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
    }
    return out.toByteArray();
  }

  private static byte[] mutate(byte[] seed, Random random) {
    switch (random.nextInt(5)) {
      case 0: // truncated
        return java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1));
      case 1: { // bit flips
        byte[] flipped = seed.clone();
        for (int i = 0, n = 1 + random.nextInt(8); i < n && flipped.length > 0; i++) {
          flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return flipped;
      }
      case 2: { // a random run of bytes overwritten
        byte[] overwritten = seed.clone();
        if (overwritten.length > 0) {
          int at = random.nextInt(overwritten.length);
          for (int i = at; i < Math.min(overwritten.length, at + 1 + random.nextInt(16)); i++) {
            overwritten[i] = (byte) random.nextInt();
          }
        }
        return overwritten;
      }
      case 3: { // a spliced length: a huge or negative int in a random place
        byte[] spliced = seed.clone();
        if (spliced.length >= 4) {
          int at = random.nextInt(spliced.length - 3);
          int value = random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(100) : -random.nextInt(1000);
          for (int i = 0; i < 4; i++) {
            spliced[at + i] = (byte) (value >>> (8 * i));
          }
        }
        return spliced;
      }
      default: { // random bytes, sometimes after a valid prefix
        byte[] noise = new byte[random.nextInt(2048)];
        random.nextBytes(noise);
        if (random.nextBoolean() && seed.length > 8) {
          System.arraycopy(seed, 0, noise, 0, Math.min(noise.length, random.nextInt(seed.length)));
        }
        return noise;
      }
    }
  }

  /** A stream of {@code NESTED} rows whose buffers {@code corrupt} then changes before writing. */
  private static byte[] corrupted(BufferAllocator allocator, Consumer<VectorSchemaRoot> corrupt)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(NESTED, allocator)) {
      root.allocateNew();
      var names = (VarCharVector) root.getVector(1);
      var tags = (ListVector) root.getVector(2);
      var tagWriter = tags.getWriter();
      for (int i = 0; i < 4; i++) {
        ((BigIntVector) root.getVector(0)).setSafe(i, i);
        names.setSafe(i, ("name" + i).getBytes(StandardCharsets.UTF_8));
        tagWriter.setPosition(i);
        tagWriter.startList();
        tagWriter.endList();
      }
      root.setRowCount(4);
      corrupt.accept(root);
      ArrowPipe.writeStream(NESTED, List.of(root).iterator(), out);
    }
    return out.toByteArray();
  }

  /**
   * A stream of one batch of {@code rows} rows with these nodes and zeroed buffers of these sizes,
   * as they are: the writer checks nothing.
   */
  private static byte[] rawStream(BufferAllocator allocator, Schema schema, int rows,
      List<ArrowFieldNode> nodes, int... bufferSizes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ArrowBuf> buffers = new ArrayList<>();
    try {
      for (int size : bufferSizes) {
        ArrowBuf buffer = allocator.buffer(size);
        buffers.add(buffer);
        buffer.setZero(0, buffer.capacity()).writerIndex(size);
      }
      WriteChannel channel = new WriteChannel(Channels.newChannel(out));
      MessageSerializer.serialize(channel, schema, IpcOption.DEFAULT);
      try (ArrowRecordBatch batch = new ArrowRecordBatch(rows, nodes, buffers)) {
        MessageSerializer.serialize(channel, batch, IpcOption.DEFAULT);
      }
      ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    } finally {
      buffers.forEach(ArrowBuf::close);
    }
    return out.toByteArray();
  }

  private static String readError(BufferAllocator allocator, byte[] stream) {
    try (ArrowReader reader = ArrowPipe.reader(new ByteArrayInputStream(stream), allocator)) {
      while (reader.loadNextBatch()) {
        // read to the end
      }
      return "read without an error";
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  @Test
  void offsetsAreCheckedBeforeTheBatchIsLoaded() throws IOException {
    try (BufferAllocator allocator = new RootAllocator()) {
      assertThat(readError(allocator, corrupted(allocator, root -> {}))).isEqualTo("read without an error");
      // a string's offsets out of order (the last still within the data)
      assertThat(readError(allocator, corrupted(allocator,
              root -> root.getVector(1).getOffsetBuffer().setInt(2 * 4, 1))))
          .contains("column 'name': offsets out of order at 2");
      // a negative first offset
      assertThat(readError(allocator, corrupted(allocator,
              root -> root.getVector(1).getOffsetBuffer().setInt(0, -5))))
          .contains("column 'name': offsets negative");
      // a list's offsets past the elements it has
      assertThat(readError(allocator, corrupted(allocator,
              root -> root.getVector(2).getOffsetBuffer().setInt(4 * 4, 9))))
          .contains("column 'tags': offsets ending at 9, past the 0 they index");
    }
  }

  /**
   * A stream whose buffers are compressed (pyarrow's IpcWriteOptions(compression="zstd"), a
   * Feather file's LZ4) is refused saying so, not taken for buffers of the wrong size: the
   * reader does not decompress. Written here with a codec that stores each buffer as it is,
   * which the format allows, under the ZSTD label.
   */
  @Test
  void aCompressedStreamIsRefusedSayingSo() throws IOException {
    CompressionCodec stored = new CompressionCodec() {
      @Override
      public ArrowBuf compress(BufferAllocator allocator, ArrowBuf buffer) {
        ArrowBuf packaged = CompressionUtil.packageRawBuffer(allocator, buffer);
        buffer.close();
        return packaged;
      }

      @Override
      public ArrowBuf decompress(BufferAllocator allocator, ArrowBuf buffer) {
        throw new UnsupportedOperationException();
      }

      @Override
      public CompressionUtil.CodecType getCodecType() {
        return CompressionUtil.CodecType.ZSTD;
      }
    };
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(ArrowPipeTest.SCHEMA, allocator)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, Channels.newChannel(out),
          IpcOption.DEFAULT, type -> stored, CompressionUtil.CodecType.ZSTD)) {
        writer.start();
        ArrowPipeTest.batches(root, 10, 10).next();
        writer.writeBatch();
        writer.end();
      }
      assertThat(readError(allocator, out.toByteArray()))
          .contains("its buffers are compressed (ZSTD), which this reader does not take: write the"
              + " stream uncompressed");
    }
  }

  /**
   * Found by a long run (case 64,065): a validity buffer present but too short, in a column with
   * no nulls. Arrow's loader takes it as it is, then reallocates the vector on the way and leaks.
   */
  @Test
  void aShortValidityBufferIsRejectedEvenWithoutNulls() throws IOException {
    Schema schema = new Schema(List.of(Field.notNullable("id", new ArrowType.Int(64, true))));
    try (BufferAllocator allocator = new RootAllocator()) {
      byte[] stream = rawStream(allocator, schema, 37, List.of(new ArrowFieldNode(37, 0)), 1, 37 * 8);
      assertThat(readError(allocator, stream))
          .contains("column 'id': a VALIDITY buffer of 1 bytes for 37 values");
    }
  }

  /**
   * A fixed-size list's elements must number its length times its size: Arrow's loader sizes the
   * child by that product and, where the child's buffers hold fewer, reallocates on the way.
   */
  @Test
  void aFixedSizeListWithTooFewElementsIsRejected() throws IOException {
    Schema schema = new Schema(List.of(new Field("pair",
        FieldType.nullable(new ArrowType.FixedSizeList(2)),
        List.of(Field.nullable("element", new ArrowType.Int(32, true))))));
    try (BufferAllocator allocator = new RootAllocator()) {
      // 4 pairs, but 3 elements where 8 are needed
      byte[] stream = rawStream(allocator, schema, 4,
          List.of(new ArrowFieldNode(4, 0), new ArrowFieldNode(3, 0)), 1, 1, 3 * 4);
      assertThat(readError(allocator, stream))
          .contains("column 'element': 3 values where 8 are needed");
    }
  }

  /** Found by the fuzz test once its seeds held one: a size Arrow's own validation rejects. */
  @Test
  void aFixedSizeListOfSizeZeroIsRejected() throws IOException {
    Schema schema = new Schema(List.of(new Field("none",
        FieldType.nullable(new ArrowType.FixedSizeList(0)),
        List.of(Field.nullable("element", new ArrowType.Int(32, true))))));
    try (BufferAllocator allocator = new RootAllocator()) {
      byte[] stream = rawStream(allocator, schema, 4,
          List.of(new ArrowFieldNode(4, 0), new ArrowFieldNode(0, 0)), 1, 0, 0);
      assertThat(readError(allocator, stream))
          .contains("column 'none': a fixed-size list of size 0");
    }
  }

  /**
   * Found by a long run (case 154,346): a buffer whose offset and length each fit the long the
   * format gives them but whose sum overflows, so that a check by adding them passed and Arrow's
   * reader sliced the body anyway (and leaked it).
   */
  @Test
  void bufferBoundsWhoseSumOverflowsAreRejected() throws IOException {
    try (BufferAllocator allocator = new RootAllocator()) {
      byte[] stream = corrupted(allocator, root -> {});
      ByteBuffer bytes = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
      int schemaEnd = 8 + bytes.getInt(4); // continuation, length, metadata (no body)
      int metadataLength = bytes.getInt(schemaEnd + 4);
      Message message = Message.getRootAsMessage(
          ByteBuffer.wrap(stream, schemaEnd + 8, metadataLength).slice().order(ByteOrder.LITTLE_ENDIAN));
      RecordBatch batch = (RecordBatch) message.header(new RecordBatch());
      org.apache.arrow.flatbuf.Buffer last = batch.buffers(batch.buffersLength() - 1);
      // that buffer's (offset, length) in the metadata, in place
      int at = -1;
      for (int i = schemaEnd + 8; i + 16 <= schemaEnd + 8 + metadataLength; i += 8) {
        if (bytes.getLong(i) == last.offset() && bytes.getLong(i + 8) == last.length()) {
          at = i;
        }
      }
      assertThat(at).as("the buffer's bounds in the metadata").isPositive();
      bytes.putLong(at, 0x7750_0000_0000_0000L).putLong(at + 8, 0x20D5_0000_0000_0000L);
      assertThat(readError(allocator, stream)).contains("is outside its body of");
    }
  }

  /**
   * Found by a long run (case 343,100): a schema whose field is its own descendant overflowed the
   * stack in Arrow's schema conversion. Nesting is held to Arrow C++'s limit of 64 levels.
   */
  @Test
  void aSchemaNestedPastArrowsLimitIsRejected() throws IOException {
    Field field = Field.nullable("leaf", new ArrowType.Int(32, true));
    for (int level = 0; level < 64; level++) {
      field = new Field("level" + level, FieldType.nullable(ArrowType.Struct.INSTANCE), List.of(field));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WriteChannel channel = new WriteChannel(Channels.newChannel(out));
    MessageSerializer.serialize(channel, new Schema(List.of(field)), IpcOption.DEFAULT);
    ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    try (BufferAllocator allocator = new RootAllocator()) {
      assertThat(readError(allocator, out.toByteArray()))
          .contains("message 0 is a schema nested deeper than 64");
    }
  }

  /**
   * Every stream a long run (700,000 cases) found to leak or overflow the stack, kept as files in
   * {@code ipc-corpus/} (named by case): each must now fail with an IOException, leaking nothing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"case-64065", "case-154346", "case-154933", "case-253878", "case-343100",
      "case-359828", "case-507801", "case-611070", "case-643740"})
  void theLongRunsFindingsFailCleanly(String name) throws IOException {
    byte[] stream;
    try (var in = ArrowPipeFuzzTest.class.getResourceAsStream("ipc-corpus/" + name + ".arrows")) {
      assertThat(in).as(name).isNotNull();
      stream = in.readAllBytes();
    }
    try (BufferAllocator allocator = new RootAllocator()) {
      assertThat(readError(allocator, stream)).isNotEqualTo("read without an error");
    }
  }

  @Test
  void malformedStreamsFailCleanly() throws Exception {
    int cases = Integer.getInteger("sparkarrow.fuzz.cases", 12_000);
    Random random = new Random(20261201L);
    int read = 0;
    int rejected = 0;
    long slowest = 0;
    try (BufferAllocator root = new RootAllocator()) {
      List<byte[]> seeds = seeds(root);
      for (int c = 0; c < cases; c++) {
        long start = System.nanoTime();
        byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
        try (BufferAllocator allocator = root.newChildAllocator("case " + c, 0, 64L << 20)) {
          try (ArrowReader reader = ArrowPipe.reader(new ByteArrayInputStream(input), allocator)) {
            while (reader.loadNextBatch()) {
              // Arrow's full validation (offsets included) is the oracle for what was let through
              ValueVectorUtility.validateFull(reader.getVectorSchemaRoot());
            }
            read++;
          } catch (IOException e) {
            rejected++;
          } catch (Throwable e) {
            fail("case " + c + " threw " + e + " instead of an IOException", e);
          }
        } // closing the case's allocator fails on a leak
        slowest = Math.max(slowest, System.nanoTime() - start);
      }
    }
    assertThat(read + rejected).isEqualTo(cases);
    assertThat(rejected).as("most mutations break the stream").isGreaterThan(cases / 4);
    assertThat(read).as("some survive (a flipped bit in data)").isPositive();
    // a hang guard, whatever the number of cases (a long run takes many minutes in all)
    assertThat(Duration.ofNanos(slowest)).as("no case hangs").isLessThan(Duration.ofSeconds(30));
  }
}

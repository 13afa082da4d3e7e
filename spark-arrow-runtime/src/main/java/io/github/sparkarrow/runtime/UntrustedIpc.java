package io.github.sparkarrow.runtime;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.validate.ValidateVectorBufferVisitor;
import org.apache.arrow.vector.validate.ValidateVectorDataVisitor;

/**
 * Reading an Arrow IPC stream that another program wrote, as untrusted input. Arrow's own reader
 * trusts the lengths a stream declares: a metadata length allocates that much heap, a body length
 * that much Arrow memory, before a byte of it has arrived, and a batch whose offsets point outside
 * its buffers is read anyway. Here each message is first framed and read whole, in pieces, so
 * nothing is allocated for bytes that never come; its lengths, buffer layout and offsets are
 * checked against the schema before Arrow's loader acts on them; every batch is then validated
 * (buffers and data); and every failure is an {@link IOException} naming the message.
 */
final class UntrustedIpc {

  /** The most metadata one message may have: real ones are a few KiB. */
  static final int MAX_METADATA = 16 << 20;
  /** The deepest a schema may nest, as in Arrow C++'s IPC reader. */
  static final int MAX_DEPTH = 64;
  /** The most fields, at every level, a schema may have. */
  static final int MAX_FIELDS = 1 << 20;
  /** The most body one message may have: Arrow's 32-bit offsets address 2 GiB. */
  static final long MAX_BODY = Integer.MAX_VALUE;

  private UntrustedIpc() {}

  /** A reader of {@code in}; the caller closes it, which frees its batches and closes {@code in}. */
  static ArrowStreamReader reader(InputStream in, BufferAllocator allocator) {
    return new Validating(new Framing(in), allocator);
  }

  /** Arrow's stream reader, with every failure an IOException and every batch validated. */
  private static final class Validating extends ArrowStreamReader {
    private int batch;

    Validating(ReadableByteChannel in, BufferAllocator allocator) {
      super(in, allocator);
    }

    @Override
    protected Schema readSchema() throws IOException {
      try {
        return super.readSchema();
      } catch (RuntimeException e) {
        throw new IOException("the stream's schema is not valid Arrow: " + e, e);
      }
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      try {
        if (!super.loadNextBatch()) {
          return false;
        }
        // Buffers and data of every vector (offsets in order and in range, sizes that fit).
        // Not ValueVectorUtility.validateFull: Arrow 12's type check rejects every MapVector.
        VectorSchemaRoot root = getVectorSchemaRoot();
        for (FieldVector vector : root.getFieldVectors()) {
          if (vector.getValueCount() != root.getRowCount()) {
            throw new IOException("column '" + vector.getName() + "' has " + vector.getValueCount()
                + " values in a batch of " + root.getRowCount() + " rows");
          }
          vector.accept(new ValidateVectorBufferVisitor(), null);
          vector.accept(new DataChecks(), null);
        }
        batch++;
        return true;
      } catch (IOException e) {
        throw new IOException("batch " + batch + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new IOException("batch " + batch + " is not valid Arrow: " + e, e);
      }
    }
  }

  /**
   * Arrow's data checks but the offsets, which {@link Framing} has checked on the same bytes
   * before the batch was loaded (in order, non-negative, and within what they index). Arrow's check
   * boxes two integers per value: a third of the reading side's CPU in a profile of the pipe.
   * ArrowPipeFuzzTest holds what passes to Arrow's full validation.
   */
  private static final class DataChecks extends ValidateVectorDataVisitor {
    @Override
    public Void visit(BaseVariableWidthVector vector, Void value) {
      return null;
    }

    @Override
    public Void visit(BaseLargeVariableWidthVector vector, Void value) {
      return null;
    }

    @Override
    public Void visit(ListVector vector, Void value) {
      return vector.getDataVector().accept(this, null);
    }

    @Override
    public Void visit(LargeListVector vector, Void value) {
      return vector.getDataVector().accept(this, null);
    }
  }

  /**
   * The stream, one whole message at a time: the 0xFFFFFFFF continuation and metadata length are
   * checked, the metadata and then the body it declares are read in pieces (at most what arrives),
   * and only then handed on, straight into the buffers Arrow's reader reads them into.
   */
  static final class Framing implements ReadableByteChannel {
    private static final int PIECE = 1 << 20;

    private final InputStream in;
    private final byte[] prefix = new byte[8];
    private int prefixLength;
    private byte[] metadata = new byte[0];
    private int metadataLength;
    /** The current message's body; the array is kept for the next (Arrow's reader copies it). */
    private byte[] body = new byte[0];
    private int bodyLength;
    /** Where the reader is in the current message: its prefix, metadata and body in turn. */
    private long position;
    private boolean ended;
    private boolean open = true;
    private int messages;
    private final Map<Long, Field> dictionaryFields = new HashMap<>();
    private Schema schema;

    Framing(InputStream in) {
      this.in = in;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
      if (!into.hasRemaining()) {
        return 0;
      }
      while (position >= (long) prefixLength + metadataLength + bodyLength) {
        if (ended || !nextMessage()) {
          return -1;
        }
      }
      int n = take(prefix, prefixLength, 0, into);
      n += take(metadata, metadataLength, prefixLength, into);
      n += take(body, bodyLength, prefixLength + metadataLength, into);
      return n;
    }

    /** Copies what {@code into} takes of a part of the message that starts at {@code start}. */
    private int take(byte[] part, int length, long start, ByteBuffer into) {
      if (position < start || position >= start + length || !into.hasRemaining()) {
        return 0;
      }
      int from = (int) (position - start);
      int n = Math.min(length - from, into.remaining());
      into.put(part, from, n);
      position += n;
      return n;
    }

    /** Reads the next whole message; false at the end of the stream. */
    private boolean nextMessage() throws IOException {
      position = 0;
      metadataLength = 0;
      bodyLength = 0;
      prefixLength = readUpTo(prefix, 0, 4);
      if (prefixLength == 0) {
        ended = true; // no end-of-stream marker: Arrow's reader takes it as the end too
        return false;
      }
      if (prefixLength < 4) {
        throw cutShort("a message's length");
      }
      int length = littleEndianInt(0);
      if (length == -1) { // continuation marker, then the length
        if (readUpTo(prefix, 4, 4) < 4) {
          throw cutShort("a message's length");
        }
        prefixLength = 8;
        length = littleEndianInt(4);
      }
      if (length == 0) {
        ended = true;
        return true;
      }
      if (length < 0 || length > MAX_METADATA) {
        throw new IOException("message " + messages + " declares " + length + " bytes of metadata,"
            + " which is not an Arrow IPC stream (at most " + MAX_METADATA + ")");
      }
      metadata = readPieces(metadata, length, "the metadata of message " + messages);
      metadataLength = length;
      try {
        Message header = Message.getRootAsMessage(
            ByteBuffer.wrap(metadata, 0, length).slice().order(ByteOrder.LITTLE_ENDIAN));
        long declared = header.bodyLength();
        if (declared < 0 || declared > MAX_BODY) {
          throw new IOException("message " + messages + " declares a body of " + declared
              + " bytes, which is not an Arrow IPC stream");
        }
        checkKind(header, declared);
        body = readPieces(body, (int) declared, "the body of message " + messages);
        bodyLength = (int) declared;
        checkBatch(header,
            ByteBuffer.wrap(body, 0, bodyLength).slice().order(ByteOrder.LITTLE_ENDIAN), length);
      } catch (RuntimeException e) {
        throw new IOException("message " + messages + " has metadata that is not Arrow's: " + e, e);
      }
      messages++;
      return true;
    }

    private int littleEndianInt(int at) {
      return ByteBuffer.wrap(prefix, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /**
     * A schema, without a body, first; then only batches and dictionaries: Arrow's reader fails on
     * anything else only after it has read the body, which it then leaks.
     */
    private void checkKind(Message header, long body) throws IOException {
      byte kind = header.headerType();
      if (messages == 0 ? kind != MessageHeader.Schema || body != 0
          : kind != MessageHeader.RecordBatch && kind != MessageHeader.DictionaryBatch) {
        throw new IOException("message " + messages + " is of kind " + kind + " with a body of "
            + body + " bytes, where an Arrow IPC stream has "
            + (messages == 0 ? "its schema, without a body" : "a record or dictionary batch"));
      }
      if (kind == MessageHeader.Schema) {
        org.apache.arrow.flatbuf.Schema flat =
            (org.apache.arrow.flatbuf.Schema) header.header(new org.apache.arrow.flatbuf.Schema());
        int[] fields = {0};
        for (int i = 0; i < flat.fieldsLength(); i++) {
          checkNesting(flat.fields(i), 1, fields);
        }
        schema = Schema.convertSchema(flat);
        schema.getFields().forEach(this::collectDictionaries);
      } else if (kind == MessageHeader.DictionaryBatch) {
        long id = ((DictionaryBatch) header.header(new DictionaryBatch())).id();
        if (!dictionaryFields.containsKey(id)) {
          // Arrow's reader would leak the batch's body
          throw new IOException("message " + messages + " is a dictionary (id " + id + ") that"
              + " the schema does not use");
        }
      }
    }

    /**
     * A schema's fields are a tree; a corrupt one can point a field's children back at itself,
     * and Arrow's conversion then recurses until the stack overflows. As Arrow C++'s reader does,
     * nesting is limited to {@value #MAX_DEPTH} levels, and the fields to {@value #MAX_FIELDS}.
     */
    private void checkNesting(org.apache.arrow.flatbuf.Field field, int depth, int[] count)
        throws IOException {
      if (depth > MAX_DEPTH || ++count[0] > MAX_FIELDS) {
        throw new IOException("message " + messages + " is a schema nested deeper than "
            + MAX_DEPTH + " or of more than " + MAX_FIELDS + " fields: a corrupt schema");
      }
      for (int i = 0; i < field.childrenLength(); i++) {
        checkNesting(field.children(i), depth + 1, count);
      }
    }

    /** The field of each dictionary's values, by id: a dictionary batch has that layout. */
    private void collectDictionaries(Field field) {
      if (field.getDictionary() != null) {
        dictionaryFields.put(field.getDictionary().getId(),
            new Field(field.getName(), new FieldType(true, field.getType(), null), field.getChildren()));
      }
      field.getChildren().forEach(this::collectDictionaries);
    }

    /**
     * The lengths a batch (or a dictionary's batch) declares must fit its body and Java's ints:
     * Arrow's reader slices the body by them before anything owns it, and leaks it when one does
     * not fit.
     */
    private void checkBatch(Message header, ByteBuffer bodyBytes, int metadataLength)
        throws IOException {
      long body = bodyBytes.capacity();
      RecordBatch batch;
      if (header.headerType() == MessageHeader.RecordBatch) {
        batch = (RecordBatch) header.header(new RecordBatch());
      } else if (header.headerType() == MessageHeader.DictionaryBatch) {
        batch = ((DictionaryBatch) header.header(new DictionaryBatch())).data();
      } else {
        return;
      }
      if (batch == null) {
        throw new IOException("message " + messages + " is a batch without its header");
      }
      // Every field Arrow's reader reads after it has sliced the body, read here first, so that a
      // corrupt one fails before anything is allocated (a flatbuffer throws on a bad offset).
      org.apache.arrow.flatbuf.BodyCompression compression = batch.compression();
      if (compression != null) {
        byte codec = compression.codec();
        compression.method();
        throw new IOException("message " + messages + ": its buffers are compressed ("
            + (codec >= 0 && codec < org.apache.arrow.flatbuf.CompressionType.names.length
                ? org.apache.arrow.flatbuf.CompressionType.name(codec) : "codec " + codec)
            + "), which this reader does not take: write the stream uncompressed (pyarrow's"
            + " default, IpcWriteOptions(compression=None); Arrow Java's writers do not compress)");
      }
      if (header.headerType() == MessageHeader.DictionaryBatch) {
        ((DictionaryBatch) header.header(new DictionaryBatch())).isDelta();
      }
      if (batch.length() < 0 || batch.length() > Integer.MAX_VALUE) {
        throw new IOException("message " + messages + " declares " + batch.length() + " rows");
      }
      // Each node and buffer takes 16 bytes of metadata: more than fits is a corrupt count.
      if ((long) batch.nodesLength() * 16 > metadataLength
          || (long) batch.buffersLength() * 16 > metadataLength) {
        throw new IOException("message " + messages + " declares more nodes or buffers than its"
            + " metadata holds");
      }
      for (int i = 0; i < batch.nodesLength(); i++) {
        FieldNode node = batch.nodes(i);
        if (node.length() < 0 || node.length() > Integer.MAX_VALUE || node.nullCount() < 0
            || node.nullCount() > node.length()) {
          throw new IOException("message " + messages + ", column node " + i + ": length "
              + node.length() + ", null count " + node.nullCount());
        }
      }
      for (int i = 0; i < batch.buffersLength(); i++) {
        Buffer buffer = batch.buffers(i);
        // offset + length may overflow a long: compare without adding
        if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() > body
            || buffer.length() > body - buffer.offset()) {
          throw new IOException("message " + messages + ", buffer " + i + " (offset "
              + buffer.offset() + ", length " + buffer.length() + ") is outside its body of "
              + body + " bytes");
        }
      }
      List<Field> fields;
      if (header.headerType() == MessageHeader.DictionaryBatch) {
        fields = List.of(dictionaryFields.get(((DictionaryBatch) header.header(new DictionaryBatch())).id()));
      } else {
        fields = schema.getFields();
      }
      int[] at = {0, 0};
      for (Field field : fields) {
        checkLayout(field, batch, bodyBytes, at, batch.length(), false);
      }
      if (at[0] != batch.nodesLength() || at[1] != batch.buffersLength()) {
        throw new IOException("message " + messages + " has " + batch.nodesLength() + " nodes and "
            + batch.buffersLength() + " buffers, where its schema has " + at[0] + " and " + at[1]);
      }
    }

    /**
     * Each column's node and buffers, in Arrow's depth-first order: the buffers must hold the
     * values its length says (Arrow's loader otherwise reallocates them on the way, and leaks);
     * a column as long as its batch, a struct's fields as long as the struct.
     */
    private void checkLayout(Field field, RecordBatch batch, ByteBuffer body, int[] at,
        long parentLength, boolean inList) throws IOException {
      if (at[0] >= batch.nodesLength()) {
        throw new IOException("message " + messages + " has fewer column nodes than its schema");
      }
      FieldNode node = batch.nodes(at[0]++);
      long length = node.length();
      if (!inList && length < parentLength) {
        throw new IOException("message " + messages + ", column '" + field.getName() + "': "
            + length + " values where " + parentLength + " are needed");
      }
      // A dictionary-encoded column is its indices here; its values come in dictionary batches.
      ArrowType type = field.getDictionary() == null ? field.getType()
          : field.getDictionary().getIndexType();
      List<Field> children = field.getDictionary() == null ? field.getChildren() : List.of();
      for (BufferLayout layout : TypeLayout.getTypeLayout(type).getBufferLayouts()) {
        if (at[1] >= batch.buffersLength()) {
          throw new IOException("message " + messages + " has fewer buffers than its schema");
        }
        long size = batch.buffers(at[1]++).length();
        long needed;
        switch (layout.getType()) {
          case VALIDITY:
            // May be left out when nothing is null; if there, Arrow's loader uses it whole.
            needed = node.nullCount() == 0 && size == 0 ? 0 : (length + 7) / 8;
            break;
          case OFFSET:
            needed = length == 0 ? 0 : Math.multiplyExact(length + 1, layout.getTypeBitWidth() / 8);
            break;
          case DATA:
            needed =
                type instanceof ArrowType.Utf8 || type instanceof ArrowType.Binary
                        || type instanceof ArrowType.LargeUtf8
                        || type instanceof ArrowType.LargeBinary
                    ? 0 // checked in full once loaded
                    // a fixed-size binary's width comes from the stream: never overflow
                    : Math.addExact(Math.multiplyExact(length, (long) layout.getTypeBitWidth()), 7) / 8;
            break;
          default:
            needed = 0;
        }
        if (size < needed) {
          throw new IOException("message " + messages + ", column '" + field.getName() + "': a "
              + layout.getType() + " buffer of " + size + " bytes for " + length + " values");
        }
        if (layout.getType() == BufferLayout.BufferType.OFFSET && length > 0) {
          // Offsets are data that Arrow's loader acts on (a list's last one sizes its elements):
          // non-negative, in order, and within what they point into, checked before it loads.
          Buffer buffer = batch.buffers(at[1] - 1);
          long limit = children.isEmpty()
              ? batch.buffers(at[1]).length() // the data buffer, next
              : at[0] < batch.nodesLength() ? batch.nodes(at[0]).length() : -1;
          checkOffsets(body, buffer, length, layout.getTypeBitWidth(), limit, field);
        }
      }
      // A list's elements number what its offsets say (checked above); a fixed-size list's are
      // its length times its size; a struct's fields are as long as the struct.
      boolean list = type instanceof ArrowType.List
          || type instanceof ArrowType.LargeList
          || type instanceof ArrowType.Map;
      if (type instanceof ArrowType.FixedSizeList fixed && fixed.getListSize() < 1) {
        throw new IOException("message " + messages + ", column '" + field.getName() + "': a"
            + " fixed-size list of size " + fixed.getListSize() + " (Arrow's validation needs 1 or more)");
      }
      long childLength = type instanceof ArrowType.FixedSizeList fixed
          ? Math.multiplyExact(length, (long) fixed.getListSize())
          : length;
      for (Field child : children) {
        checkLayout(child, batch, body, at, childLength, list);
      }
    }

    private void checkOffsets(ByteBuffer body, Buffer buffer, long length, int bits, long limit,
        Field field) throws IOException {
      if (at(buffer, 0, bits, body) < 0) {
        throw badOffsets(field, "negative");
      }
      long previous = at(buffer, 0, bits, body);
      for (long i = 1; i <= length; i++) {
        long offset = at(buffer, i, bits, body);
        if (offset < previous) {
          throw badOffsets(field, "out of order at " + i);
        }
        previous = offset;
      }
      if (previous > limit) {
        throw badOffsets(field, "ending at " + previous + ", past the " + limit + " they index");
      }
    }

    private static long at(Buffer buffer, long index, int bits, ByteBuffer body) {
      int position = (int) (buffer.offset() + index * (bits / 8));
      return bits == 64 ? body.getLong(position) : body.getInt(position);
    }

    private IOException badOffsets(Field field, String what) {
      return new IOException("message " + messages + ", column '" + field.getName() + "': offsets "
          + what);
    }

    /**
     * {@code length} bytes, in {@code reuse} if it holds them, else in an array grown as they
     * arrive (a piece, then doubling): a length that is declared but never sent allocates little.
     */
    private byte[] readPieces(byte[] reuse, int length, String what) throws IOException {
      byte[] bytes = reuse.length >= length ? reuse
          : new byte[Math.min(length, Math.max(PIECE, reuse.length))];
      int got = 0;
      while (got < length) {
        if (got == bytes.length) {
          bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * bytes.length));
        }
        int n = in.read(bytes, got, Math.min(bytes.length, length) - got);
        if (n < 0) {
          throw cutShort(what + " (" + got + " of " + length + " bytes)");
        }
        got += n;
      }
      return bytes;
    }

    private int readUpTo(byte[] into, int offset, int length) throws IOException {
      int got = 0;
      while (got < length) {
        int n = in.read(into, offset + got, length - got);
        if (n < 0) {
          break;
        }
        got += n;
      }
      return got;
    }

    private IOException cutShort(String what) {
      return new EOFException("the stream is cut short in " + what);
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() throws IOException {
      open = false;
      in.close();
    }
  }
}

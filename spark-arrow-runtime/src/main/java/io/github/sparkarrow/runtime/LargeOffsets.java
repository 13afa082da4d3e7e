package io.github.sparkarrow.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow's variable-width types with 64-bit offsets (LargeUtf8, LargeBinary, LargeList) taken as
 * their 32-bit counterparts, as Spark's own Arrow readers take them for STRING, BINARY and ARRAY:
 * pandas 3 keeps its strings as pyarrow's {@code large_string}, so that is what a Python program
 * built on pandas writes. The values are shared, not copied; only the offsets are narrowed, and a
 * batch whose offsets do not fit in 32 bits (over 2 GiB of one column's values) is refused.
 * {@link ForeignArrow} narrows them so.
 */
final class LargeOffsets {

  private LargeOffsets() {}

  /** {@code schema} with each large type, at any depth, its 32-bit counterpart. */
  static Schema narrowed(Schema schema) {
    return new Schema(schema.getFields().stream().map(LargeOffsets::narrowed).toList(),
        schema.getCustomMetadata());
  }

  /** {@code field} with each large type, at any depth, its 32-bit counterpart. */
  static Field narrowed(Field field) {
    ArrowType type = field.getType();
    ArrowType narrow = type instanceof ArrowType.LargeUtf8 ? ArrowType.Utf8.INSTANCE
        : type instanceof ArrowType.LargeBinary ? ArrowType.Binary.INSTANCE
        : type instanceof ArrowType.LargeList ? ArrowType.List.INSTANCE
        : type;
    return new Field(field.getName(),
        new FieldType(field.isNullable(), narrow, field.getDictionary(), field.getMetadata()),
        field.getChildren().stream().map(LargeOffsets::narrowed).toList());
  }

  /**
   * Loads {@code batch} into {@code target}, a root of its {@link #narrowed} schema, sharing its
   * buffers but the narrowed offsets (allocated from {@code allocator}, then owned by {@code
   * target}'s vectors). Arrow shares buffers within one allocator root only: {@code target}'s
   * vectors and {@code allocator} must have the root of {@code batch}'s.
   *
   * @throws IllegalArgumentException if an offset does not fit in 32 bits
   */
  static void load(VectorSchemaRoot batch, VectorSchemaRoot target, BufferAllocator allocator) {
    List<ArrowBuf> made = new ArrayList<>();
    try (ArrowRecordBatch unloaded = new VectorUnloader(batch).getRecordBatch()) {
      List<ArrowBuf> buffers = new ArrayList<>(unloaded.getBuffers());
      int[] at = {0, 0}; // the next buffer, the next node
      for (Field field : batch.getSchema().getFields()) {
        narrow(field, field.getName(), unloaded.getNodes(), buffers, at, made, allocator);
      }
      try (ArrowRecordBatch narrowed =
          new ArrowRecordBatch(unloaded.getLength(), unloaded.getNodes(), buffers)) {
        new VectorLoader(target).load(narrowed);
      }
    } finally {
      made.forEach(ArrowBuf::close); // the vectors hold their own references
    }
  }

  /** Replaces the offsets of {@code field} (and of the fields inside it) in {@code buffers}. */
  private static void narrow(Field field, String path, List<ArrowFieldNode> nodes,
      List<ArrowBuf> buffers, int[] at, List<ArrowBuf> made, BufferAllocator allocator) {
    ArrowType type = field.getType();
    long length = nodes.get(at[1]++).getLength();
    if (type instanceof ArrowType.LargeUtf8 || type instanceof ArrowType.LargeBinary
        || type instanceof ArrowType.LargeList) {
      ArrowBuf wide = buffers.get(at[0] + 1);
      long entries = wide.capacity() >= (length + 1) * Long.BYTES ? length + 1 : 0;
      ArrowBuf narrow = allocator.buffer(Math.max(entries, 1) * Integer.BYTES);
      made.add(narrow);
      narrow.setInt(0, 0);
      for (long i = 0; i < entries; i++) {
        long offset = wide.getLong(i * Long.BYTES);
        if (offset > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("column '" + path + "': a batch holds more than 2 GiB"
              + " of its values, which a " + narrowed(field).getType() + " column cannot: write"
              + " smaller batches");
        }
        narrow.setInt(i * Integer.BYTES, (int) offset);
      }
      narrow.writerIndex(Math.max(entries, 1) * Integer.BYTES);
      buffers.set(at[0] + 1, narrow);
    }
    at[0] += TypeLayout.getTypeBufferCount(type);
    boolean list = type instanceof ArrowType.List || type instanceof ArrowType.LargeList;
    for (Field child : field.getChildren()) {
      narrow(child, list ? path + "[]" : path + "." + child.getName(), nodes, buffers, at, made,
          allocator);
    }
  }
}

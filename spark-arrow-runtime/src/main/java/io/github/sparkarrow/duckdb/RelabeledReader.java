package io.github.sparkarrow.duckdb;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The batches of another reader under a schema of the same layout but other names, nullability
 * or time zone labels (DuckDB's export as Spark-style Arrow, or as a record's schema): each batch's
 * buffers are shared into this reader's root, not copied. Owns and closes the other reader.
 */
final class RelabeledReader extends ArrowReader {

  private final ArrowReader input;
  private final Schema schema;
  private boolean closed;

  RelabeledReader(BufferAllocator allocator, ArrowReader input, Schema schema) {
    super(allocator);
    this.input = input;
    this.schema = schema;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (!input.loadNextBatch()) {
      getVectorSchemaRoot().setRowCount(0);
      return false;
    }
    relabel(input.getVectorSchemaRoot(), getVectorSchemaRoot());
    return true;
  }

  /**
   * Loads {@code from}'s buffers (not copies) into {@code to}, a root of the same layout whose
   * fields may have other names; {@code from} keeps its references.
   */
  static void relabel(VectorSchemaRoot from, VectorSchemaRoot to) {
    try (ArrowRecordBatch batch = new VectorUnloader(from).getRecordBatch()) {
      new VectorLoader(to).load(batch);
    }
  }

  @Override
  public long bytesRead() {
    return input.bytesRead();
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (!closed) {
      closed = true;
      input.close();
    }
  }
}

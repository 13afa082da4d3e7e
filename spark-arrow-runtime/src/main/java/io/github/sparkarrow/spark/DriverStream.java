package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowTable;
import java.io.IOException;
import java.util.Iterator;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A DataFrame streamed to the driver as Arrow, partition by partition, in order (what SPARK-54337
 * gives PySpark 4.2): each partition runs as its own job when the stream reaches it (Spark's
 * {@code toLocalIterator}), arrives as Arrow IPC tables of one batch each, and is read one batch
 * at a time into the caller's allocator. The driver holds one partition's IPC bytes on its heap
 * and one batch in Arrow memory, never the whole result.
 */
final class DriverStream extends ArrowReader {

  private final Schema schema;
  private final Iterator<ArrowTable> tables;
  private final BufferAllocator allocator;
  private ArrowReader current;
  private long bytes;

  private DriverStream(BufferAllocator allocator, Schema schema, Iterator<ArrowTable> tables) {
    super(allocator);
    this.allocator = allocator;
    this.schema = schema;
    this.tables = tables;
  }

  static ArrowReader of(Dataset<Row> df, BufferAllocator allocator) {
    int batchSize = SparkArrow.batchSize(df.sparkSession(), ArrowMapOptions.DEFAULT);
    Iterator<ArrowTable> tables =
        ArrowTables.toArrowTables(df, batchSize).toLocalIterator();
    return new DriverStream(allocator, ArrowTables.arrowSchema(df), tables);
  }

  static void export(Dataset<Row> df, BufferAllocator allocator, ArrowArrayStream stream) {
    Data.exportArrayStream(allocator, of(df, allocator), stream);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    while (true) {
      if (current != null && current.loadNextBatch()) {
        VectorSchemaRoot root = current.getVectorSchemaRoot();
        try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
          loadRecordBatch(batch); // moves the buffers into this reader's root: no copy
        }
        return true;
      }
      if (current != null) {
        current.close();
        current = null;
      }
      if (!tables.hasNext()) {
        getVectorSchemaRoot().setRowCount(0);
        return false;
      }
      ArrowTable table = tables.next();
      bytes += table.sizeInBytes();
      current = table.open(allocator);
    }
  }

  @Override
  public long bytesRead() {
    return bytes;
  }

  @Override
  protected void closeReadSource() throws IOException {
    // Nothing runs between two partitions' jobs, so stopping here leaves no job behind.
    if (current != null) {
      current.close();
      current = null;
    }
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }
}

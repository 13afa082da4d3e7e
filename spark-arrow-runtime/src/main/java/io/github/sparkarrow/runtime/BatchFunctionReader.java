package io.github.sparkarrow.runtime;

import java.io.IOException;
import java.util.Iterator;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An {@link ArrowReader} over the batches a function produces: a batch function run over another
 * reader ({@link ArrowStreams#map}), or records written by a generated writer. Whoever reads it
 * (a DuckDB scan through the C Data Interface, an IPC writer, a loop) pulls the function one
 * batch at a time, on its own thread.
 *
 * <p><b>Memory.</b> The function runs in an {@link ArrowTaskContext} of its own (a child of the
 * reader's allocator). Each batch it returns is <em>moved</em> into this reader's root (its
 * buffers transferred, not copied), so a consumer may keep a batch (as the C Data Interface
 * allows) while the function fills the next; the function's root is left empty, and the next
 * write reallocates it (generated writers do; a raw function must not assume its vectors keep
 * their capacity). {@link #close()} closes the context (failing if the function leaked) and then
 * the input.
 *
 * <p>The first failure of the function is kept ({@link #failure()}), so a caller that sees it
 * only as text (a native consumer's error message) can throw the original.
 */
public final class BatchFunctionReader extends ArrowReader {

  private final Schema schema;
  private final Function<ArrowTaskContext, Iterator<VectorSchemaRoot>> function;
  private final AutoCloseable input;
  private final ArrowTaskContext context;
  private Iterator<VectorSchemaRoot> batches;
  private volatile Throwable failure;
  private boolean closed;

  /**
   * A reader of {@code schema} over the batches {@code function} returns when called with the
   * reader's task context; {@code input} (may be null) is closed after the context.
   */
  public BatchFunctionReader(
      BufferAllocator allocator,
      Schema schema,
      Function<ArrowTaskContext, Iterator<VectorSchemaRoot>> function,
      AutoCloseable input) {
    super(allocator);
    this.schema = schema;
    this.function = function;
    this.input = input;
    this.context = ArrowTaskContext.childOf(allocator, "BatchFunctionReader");
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    try {
      if (batches == null) {
        batches = function.apply(context);
      }
      VectorSchemaRoot root = getVectorSchemaRoot();
      if (!batches.hasNext()) {
        root.setRowCount(0);
        return false;
      }
      VectorSchemaRoot batch = batches.next();
      ArrowSchemas.requireMatches(schema, batch.getSchema(), "the declared output");
      ArrowBatches.move(batch, root);
      return true;
    } catch (RuntimeException | Error e) {
      if (failure == null) {
        failure = e;
      }
      throw e;
    }
  }

  /**
   * The first exception the function (or reading its input, or closing the function's context,
   * which fails on leaked memory) threw, or null.
   */
  public Throwable failure() {
    return failure;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (AutoCloseable in = input) {
      context.close();
    } catch (IOException | RuntimeException e) {
      if (failure == null) {
        failure = e; // a leak: a consumer that closes it through the C Data Interface may not say
      }
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
  }
}

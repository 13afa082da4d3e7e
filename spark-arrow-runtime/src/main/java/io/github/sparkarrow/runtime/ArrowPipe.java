package io.github.sparkarrow.runtime;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC pipes: batches streamed through an external program's standard input and output, the
 * Arrow replacement of Spark's text-only {@code RDD.pipe}; and {@link #serve}, the other end, for
 * programs written in Java.
 *
 * <p>{@link #function} is an {@link ArrowBatchFunction}, so the same pipe runs inside Spark
 * ({@code SparkArrow.pipe}, which adds {@code SparkFiles} and per-task working directories), or
 * over any Arrow stream. The program gets an Arrow IPC stream (schema, batches, end of stream) on
 * its standard input, and must write one to its standard output, streaming both ways at once: a
 * thread writes the input while the caller reads the output, so a program may answer before it
 * has read everything, and neither side waits on a full pipe. The command runs without a shell.
 *
 * <p>The program's output is untrusted input: every message is framed and read whole (nothing is
 * allocated for bytes that never arrive), every batch is validated, and it must have the declared
 * schema, with no null where that schema says NOT NULL. Every failure (cannot start, non-zero
 * exit, killed by a signal, idle past the timeout, output that is not Arrow or is cut short or has
 * another schema) is an {@link ArrowPipeException} naming the command, its exit status and the end
 * of its stderr. Zero silent successes.
 *
 * <p><b>Lifetime.</b> The process and the threads belong to the {@link ArrowTaskContext}: when it
 * closes (in Spark: the task ends, however it ends) the process and every process it started are
 * killed, the threads end, and the output batches are freed. A JVM shutdown kills them too.
 */
public final class ArrowPipe {

  private ArrowPipe() {}

  /**
   * What to run and how.
   *
   * @param command the program and its arguments, run without a shell
   * @param environment variables added to the program's environment
   * @param workingDirectory the program's working directory, or null for the JVM's
   * @param idleTimeout a program that neither reads input nor writes output for this long is
   *     killed and fails; zero waits forever
   * @param stderrBytes how many bytes of the end of the program's stderr to keep for errors
   */
  public record Settings(
      List<String> command,
      Map<String, String> environment,
      File workingDirectory,
      Duration idleTimeout,
      int stderrBytes)
      implements Serializable {

    public Settings {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
      if (command.isEmpty()) {
        throw new IllegalArgumentException("the pipe command is empty");
      }
      if (idleTimeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout must not be negative");
      }
      if (stderrBytes < 0) {
        throw new IllegalArgumentException("stderrBytes must not be negative");
      }
    }

    /** {@code command}, the JVM's environment and working directory, no timeout, 8 KiB of stderr. */
    public static Settings of(List<String> command) {
      return new Settings(command, Map.of(), null, Duration.ZERO, 8192);
    }
  }

  /**
   * The pipe as a batch function: input batches of {@code input}'s schema go to the program, its
   * output batches, which must have {@code output}'s schema, come back. Serializable.
   */
  public static ArrowBatchFunction function(Settings settings, Schema input, Schema output) {
    String inputJson = input.toJson();
    String outputJson = output.toJson();
    return (batches, context) ->
        run(settings, Schema.fromJSON(inputJson), Schema.fromJSON(outputJson), batches, context);
  }

  /**
   * Starts the program, feeds it {@code batches} from a thread of the context, and returns its
   * output batches (each valid until the next is asked for). The process, the threads and the
   * output's memory are closed with {@code context}.
   */
  public static Iterator<VectorSchemaRoot> run(
      Settings settings, Schema input, Schema output, Iterator<VectorSchemaRoot> batches,
      ArrowTaskContext context) {
    PipeProcess process = context.closeAtEnd(new PipeProcess(settings, output, context));
    process.start(input, batches);
    return process.output();
  }

  /**
   * Writes {@code batches} to {@code out} as an Arrow IPC stream of {@code schema}, whatever root
   * each batch is in; flushes after each batch, so the reader gets it at once.
   */
  static void writeStream(Schema schema, Iterator<VectorSchemaRoot> batches, OutputStream out)
      throws IOException {
    WriteChannel channel = new WriteChannel(Channels.newChannel(out));
    MessageSerializer.serialize(channel, schema, IpcOption.DEFAULT);
    out.flush();
    while (batches.hasNext()) {
      VectorSchemaRoot batch = batches.next();
      try (ArrowRecordBatch record = new VectorUnloader(batch).getRecordBatch()) {
        MessageSerializer.serialize(channel, record, IpcOption.DEFAULT);
      }
      out.flush();
    }
    ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    out.flush();
  }

  /**
   * A reader of an Arrow IPC stream from an untrusted source (another program, a socket): each
   * message is read whole before anything is allocated for it, every batch is validated, and
   * every failure, including a stream cut short, is an {@link IOException}. The caller closes the
   * reader, which frees its batches (from {@code allocator}) and closes {@code in}.
   */
  public static ArrowReader reader(InputStream in, BufferAllocator allocator) {
    return UntrustedIpc.reader(in, allocator);
  }

  /**
   * The Java end of a pipe: reads an Arrow IPC stream from standard input, runs {@code function}
   * over its batches, and writes the result to standard output as an Arrow IPC stream. Call it
   * from {@code main}: the same batch function then runs inside Spark ({@code SparkArrow.pipe}),
   * as a pipe program, or over a file from the shell ({@code java … MyFunction < in.arrows >
   * out.arrows}). While it serves, {@code System.out} goes to stderr, so that stray printing or
   * logging cannot corrupt the stream. A failure is thrown (the JVM then exits non-zero, with the
   * stack trace on stderr).
   */
  public static void serve(ArrowBatchFunction function) throws Exception {
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try (OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16)) {
      serve(function, null, System.in, out);
    } finally {
      System.setOut(stdout);
    }
  }

  /**
   * {@link #serve(ArrowBatchFunction)} between any two streams, neither of which is closed. The
   * output's schema is {@code output}'s, or, if null, that of the function's first batch (a
   * typed function's output record's, even for no input).
   */
  public static void serve(
      ArrowBatchFunction function, Schema output, InputStream in, OutputStream out)
      throws Exception {
    if (output == null && function instanceof TypedBatchFunction<?, ?> typed) {
      output = typed.outputSchema();
    }
    try (BufferAllocator root = new RootAllocator();
        ArrowTaskContext context = ArrowTaskContext.childOf(root, "ArrowPipe.serve")) {
      ArrowReader reader = context.closeAtEnd(reader(new Unclosed(in), context.allocator()));
      Iterator<VectorSchemaRoot> input = ArrowStreams.batches(reader);
      Iterator<VectorSchemaRoot> batches = function.apply(input, context);
      Schema schema = null;
      WriteChannel channel = new WriteChannel(Channels.newChannel(ArrowStreams.unclosed(out)));
      if (output != null) {
        schema = output;
        MessageSerializer.serialize(channel, schema, IpcOption.DEFAULT);
      }
      while (batches.hasNext()) {
        VectorSchemaRoot batch = batches.next();
        if (schema == null) {
          schema = batch.getSchema();
          MessageSerializer.serialize(channel, schema, IpcOption.DEFAULT);
        } else {
          ArrowSchemas.requireMatches(schema, batch.getSchema(), "the output");
        }
        try (ArrowRecordBatch record = new VectorUnloader(batch).getRecordBatch()) {
          MessageSerializer.serialize(channel, record, IpcOption.DEFAULT);
        }
        out.flush();
      }
      if (schema == null) {
        throw new IllegalStateException(
            "the batch function returned no batch, so the output has no schema: pass it to"
                + " serve(function, schema, in, out), or return an empty batch for empty input");
      }
      ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
      out.flush();
    }
  }

  /** A stream whose {@code close} does nothing: the caller's to close. */
  private static final class Unclosed extends java.io.FilterInputStream {
    Unclosed(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}

package io.github.sparkarrow.runtime;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One running pipe program: its process, the thread that writes its input, the thread that keeps
 * the end of its stderr, the watchdog of its idle timeout, and the reader of its output. {@link
 * #close} ends them all, whatever state they are in.
 */
final class PipeProcess implements AutoCloseable {

  /** Processes still running, killed if the JVM shuts down first. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(PipeProcess::killTree),
        "kill pipe programs"));
  }

  private final ArrowPipe.Settings settings;
  private final Schema output;
  private final ArrowTaskContext context;
  private final NotNullCheck notNull;
  private final byte[] stderr;
  private long stderrWritten;
  private volatile long lastActivity = System.nanoTime();
  private volatile boolean timedOut;
  private volatile Throwable inputFailure;
  private Process process;
  private Thread writer;
  private Thread stderrReader;
  private Thread watchdog;
  private ArrowReader reader;
  private boolean checked;
  private ForeignArrow.Converter converter; // the output, as Spark holds Arrow from elsewhere
  private VectorSchemaRoot current; // the output's batch, converted

  PipeProcess(ArrowPipe.Settings settings, Schema output, ArrowTaskContext context) {
    this.settings = settings;
    this.output = output;
    this.context = context;
    this.notNull = NotNullCheck.of(output, "");
    this.stderr = new byte[settings.stderrBytes()];
  }

  void start(Schema input, Iterator<VectorSchemaRoot> batches) {
    ProcessBuilder builder = new ProcessBuilder(settings.command());
    builder.environment().putAll(settings.environment());
    if (settings.workingDirectory() != null) {
      builder.directory(settings.workingDirectory());
    }
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new ArrowPipeException(settings.command(), ArrowPipeException.NOT_STARTED,
          "could not be started: " + e.getMessage(), "", e);
    }
    LIVE.add(process);
    stderrReader = context.newThread("pipe stderr " + settings.command().get(0), this::keepStderr);
    writer = context.newThread("pipe stdin " + settings.command().get(0), () -> feed(input, batches));
    stderrReader.start();
    writer.start();
    if (!settings.idleTimeout().isZero()) {
      watchdog = context.newThread("pipe watchdog " + settings.command().get(0), this::watch);
      watchdog.start();
    }
    reader = ArrowPipe.reader(new Active(process.getInputStream()), context.allocator());
  }

  /** The input, written to the program's stdin on the writer thread. */
  private void feed(Schema input, Iterator<VectorSchemaRoot> batches) {
    try (OutputStream in = new BufferedOutputStream(new ActiveOut(process.getOutputStream()), 1 << 16)) {
      ArrowPipe.writeStream(input, batches, in);
    } catch (IOException e) {
      // The program closed its stdin: fine if it exits 0 (it needed no more input), else its
      // exit status says what happened.
    } catch (Throwable e) {
      inputFailure = e; // the input itself failed (in Spark: the stage below)
      killTree(process);
    }
  }

  private void keepStderr() {
    byte[] piece = new byte[4096];
    try (InputStream err = process.getErrorStream()) {
      for (int n; (n = err.read(piece)) >= 0; ) {
        synchronized (stderr) {
          for (int i = 0; i < n && stderr.length > 0; i++) {
            stderr[(int) (stderrWritten++ % stderr.length)] = piece[i];
          }
          if (stderr.length == 0) {
            stderrWritten += n;
          }
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  private String stderrTail() {
    synchronized (stderr) {
      int kept = (int) Math.min(stderrWritten, stderr.length);
      byte[] tail = new byte[kept];
      for (int i = 0; i < kept; i++) {
        tail[i] = stderr[(int) ((stderrWritten - kept + i) % stderr.length)];
      }
      String text = new String(tail, StandardCharsets.UTF_8);
      return stderrWritten > kept ? "…" + text : text;
    }
  }

  private void watch() {
    long idle = settings.idleTimeout().toNanos();
    long check = Math.max(10_000_000L, Math.min(idle / 10, 1_000_000_000L));
    try {
      while (process.isAlive()) {
        if (System.nanoTime() - lastActivity > idle) {
          timedOut = true;
          killTree(process);
          return;
        }
        TimeUnit.NANOSECONDS.sleep(check);
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  Iterator<VectorSchemaRoot> output() {
    return new Iterator<>() {
      private Boolean loaded;

      @Override
      public boolean hasNext() {
        if (loaded == null) {
          loaded = load();
        }
        return loaded;
      }

      @Override
      public VectorSchemaRoot next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        loaded = null;
        return current;
      }
    };
  }

  private boolean load() {
    boolean more;
    VectorSchemaRoot root;
    try {
      more = reader.loadNextBatch();
      root = reader.getVectorSchemaRoot();
    } catch (IOException e) {
      throw failure("its output is not a whole Arrow IPC stream: " + e.getMessage(), e);
    }
    if (!checked) {
      // As Spark takes Arrow from elsewhere: pandas' large strings and dictionaries (its
      // Categoricals), other units, where nothing is lost
      Schema logical = ForeignArrow.logicalSchema(root.getSchema(), reader);
      try {
        ArrowSchemas.requireMatches(output, ForeignArrow.sparkSchema(logical), "the declared output");
      } catch (IllegalArgumentException e) {
        throw failure("its output has another schema than the one declared: " + e.getMessage(), e);
      }
      converter = new ForeignArrow.Converter(logical, reader, context.allocator(), "its output");
      checked = true;
    }
    if (!more) {
      finish();
      return false;
    }
    try {
      current = converter.convert(root);
    } catch (IllegalArgumentException e) {
      throw failure("its output cannot be read as declared: " + e.getMessage(), e);
    }
    try {
      notNull.check(current);
    } catch (ArrowDataException e) {
      throw failure("its output has a null where the declared schema says NOT NULL: "
          + e.getMessage(), e);
    }
    return true;
  }

  /** At the end of the output: the program must exit 0, and its input must not have failed. */
  private void finish() {
    int status = exitStatus(true);
    if (inputFailure != null || timedOut || status != 0) {
      throw failure("its output ended", null);
    }
  }

  /** The exception for a failure now, the most telling cause first. */
  private ArrowPipeException failure(String problem, Throwable cause) {
    int status = exitStatus(false);
    if (inputFailure != null) {
      return new ArrowPipeException(settings.command(), status,
          "its input failed: " + inputFailure, stderrTail(), inputFailure);
    }
    if (timedOut) {
      return new ArrowPipeException(settings.command(), status, "it neither read nor wrote for "
          + settings.idleTimeout() + " (the idle timeout), so it was killed", stderrTail(), cause);
    }
    if (status != 0 && status != ArrowPipeException.STILL_RUNNING) {
      return new ArrowPipeException(settings.command(), status, "it failed", stderrTail(), cause);
    }
    return new ArrowPipeException(settings.command(), status, problem, stderrTail(), cause);
  }

  /**
   * The exit status, after waiting for the exit (up to the idle timeout, or forever, if {@code
   * untilExit}; a few seconds otherwise), and for the stderr thread to read what is left.
   */
  private int exitStatus(boolean untilExit) {
    try {
      boolean exited =
          untilExit && settings.idleTimeout().isZero()
              ? process.waitFor() >= Integer.MIN_VALUE
              : process.waitFor(untilExit ? settings.idleTimeout().toMillis() + 1000 : 5000,
                  TimeUnit.MILLISECONDS);
      if (!exited) {
        return ArrowPipeException.STILL_RUNNING;
      }
      stderrReader.join(5000);
      if (untilExit) {
        writer.join(5000);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ArrowPipeException.STILL_RUNNING;
    }
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  @Override
  public void close() throws Exception {
    if (process == null) {
      return;
    }
    killTree(process);
    for (Thread thread : new Thread[] {watchdog, writer, stderrReader}) {
      if (thread != null) {
        thread.interrupt();
        thread.join(10_000);
      }
    }
    process.waitFor(10, TimeUnit.SECONDS);
    LIVE.remove(process);
    if (converter != null) {
      converter.close();
    }
    if (reader != null) {
      reader.close();
    }
  }

  /** A stream that marks the pipe as active on every byte that passes. */
  private final class Active extends FilterInputStream {
    Active(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      lastActivity = System.nanoTime();
      return b;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      int n = super.read(into, offset, length);
      lastActivity = System.nanoTime();
      return n;
    }
  }

  /** The output side of {@link Active}. */
  private final class ActiveOut extends FilterOutputStream {
    ActiveOut(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      lastActivity = System.nanoTime();
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      lastActivity = System.nanoTime();
    }
  }
}

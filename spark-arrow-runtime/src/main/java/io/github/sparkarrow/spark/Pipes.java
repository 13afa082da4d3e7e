package io.github.sparkarrow.spark;

import io.github.sparkarrow.runtime.ArrowBatchFunction;
import io.github.sparkarrow.runtime.ArrowPipe;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.runtime.ArrowTaskContext;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;

/**
 * {@link SparkArrow#pipe}: an {@link ArrowPipe} run as a {@code mapInArrow} function, so the
 * partition's rows arrive through the shared input path and the program's batches go back
 * through the shared zero-copy output path, with the task's memory and lifetime rules.
 */
final class Pipes {

  private Pipes() {}

  static Dataset<Row> pipe(
      Dataset<Row> df, List<String> command, StructType outSchema, PipeOptions options) {
    String zone = df.sparkSession().sessionState().conf().sessionLocalTimeZone();
    Schema input = ArrowTables.arrowSchema(df);
    Schema output = ArrowUtils.toArrowSchema(outSchema, zone, true, false);
    return SparkArrow.run(
        df, input, outSchema, output, new SparkPipe(command, options, input, output),
        ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(options.maxRecordsPerBatch()));
  }

  static Dataset<Row> pipe(
      Dataset<Row> df, List<String> command, ArrowRecordType<?> in, ArrowRecordType<?> out,
      PipeOptions options) {
    Dataset<Row> input = InputColumns.select(df, in, false);
    return SparkArrow.run(
        input, in.arrowSchema(), SparkSchemas.structType(out), out.arrowSchema(),
        new SparkPipe(command, options, in.arrowSchema(), out.arrowSchema()),
        ArrowMapOptions.DEFAULT.withMaxRecordsPerBatch(options.maxRecordsPerBatch()));
  }

  /** The pipe, with the program and working directory found on the executor. */
  private static final class SparkPipe implements ArrowBatchFunction {
    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final PipeOptions options;
    private final String input;
    private final String output;

    SparkPipe(List<String> command, PipeOptions options, Schema input, Schema output) {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("the pipe command is empty");
      }
      this.command = List.copyOf(command);
      this.options = options;
      this.input = input.toJson();
      this.output = output.toJson();
    }

    @Override
    public Iterator<VectorSchemaRoot> apply(
        Iterator<VectorSchemaRoot> batches, ArrowTaskContext context) throws IOException {
      File directory = directory(context);
      ArrowPipe.Settings settings =
          new ArrowPipe.Settings(resolve(command), options.environment(), directory,
              options.idleTimeout(), options.stderrBytes());
      return ArrowPipe.run(
          settings, Schema.fromJSON(input), Schema.fromJSON(output), batches, context);
    }

    /**
     * The command, its program found among the files shipped with {@code SparkContext.addFile}
     * when it names one (a bare file name that {@code SparkFiles.get} has), made executable.
     */
    private static List<String> resolve(List<String> command) {
      String program = command.get(0);
      if (program.contains("/") || program.contains(File.separator)) {
        return command;
      }
      File shipped;
      try {
        shipped = new File(SparkFiles.get(program));
      } catch (RuntimeException e) {
        return command; // no SparkEnv (outside Spark): the PATH decides
      }
      if (!shipped.isFile()) {
        return command;
      }
      if (!shipped.canExecute() && !shipped.setExecutable(true)) {
        throw new IllegalStateException("cannot make the shipped program " + shipped + " executable");
      }
      List<String> resolved = new ArrayList<>(command);
      resolved.set(0, shipped.getAbsolutePath());
      return resolved;
    }

    /** The working directory: the one given, or one for this task with links to shipped files. */
    private File directory(ArrowTaskContext context) throws IOException {
      if (!options.separateWorkingDirectory()) {
        return options.workingDirectory() == null ? null : new File(options.workingDirectory());
      }
      Path base = Path.of(options.workingDirectory() == null ? "." : options.workingDirectory());
      Path task = Files.createTempDirectory(base, "arrow-pipe-" + context.partition() + "-");
      Path shipped = Path.of(SparkFiles.getRootDirectory());
      try (var files = Files.list(shipped)) {
        files.forEach(file -> {
          try {
            Files.createSymbolicLink(task.resolve(file.getFileName()), file.toAbsolutePath());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
      context.closeAtEnd(() -> deleteTree(task));
      return task.toFile();
    }

    private static void deleteTree(Path root) throws IOException {
      try (var paths = Files.walk(root)) {
        List<Path> all = new ArrayList<>(paths.toList());
        java.util.Collections.reverse(all);
        for (Path path : all) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}

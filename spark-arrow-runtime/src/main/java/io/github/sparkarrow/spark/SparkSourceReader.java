package io.github.sparkarrow.spark;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.SchemaCompatibility;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitionSpec;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import org.apache.spark.sql.execution.datasources.parquet.ParquetReadSupport;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import scala.collection.JavaConverters;

/**
 * {@link SparkEngine#read}: a {@link Source}'s files as Spark reads them with the declared schema,
 * with what the engine adds so that they read as on the DuckDB engine ({@code SourceReader}) or
 * fail as they fail there: the files' Parquet schema checked up front by Spark's rules, every
 * field of a CSV line parsed, text read from bytes checked, and the listings Spark would read
 * without a word (files beside partitions or in plain subdirectories) refused.
 */
final class SparkSourceReader {

  private static final String NAME = SparkEngine.NAME;

  private final SparkEngine engine;
  private final SparkSession spark;

  SparkSourceReader(SparkEngine engine) {
    this.engine = engine;
    this.spark = engine.session();
  }

  Table read(Source source) {
    engine.requireSqlSettings(); // partition values are cast as ANSI SQL casts them
    requireNotDelta(source);
    Schema declared = ArrowSchemas.asNullable(source.schema());
    StructType schema = SparkSchemas.fromArrow(declared, Map.of());
    Dataset<Row> loaded; // the files' relation
    Dataset<Row> df; // its columns, decimal partition values cast
    StructType written = null; // a Parquet source's columns, as Spark reads the files
    try {
      switch (source.format()) {
        case PARQUET -> written = checkParquet(source, declared);
        case CSV -> requireCsvFields(source, declared);
        default -> { }
      }
      loaded = load(source, schema);
      df = loaded;
      // Spark turns a partition directory's text into a DECIMAL as a literal of the text's own
      // scale, which it then reads as the declared scale (amt=0.5 as DECIMAL(10,2) is 0.05): read
      // those columns as text and cast them as SQL does (0.50), as the DuckDB engine does.
      Set<String> partitions = partitionColumns(df);
      StructType asText = new StructType(java.util.Arrays.stream(schema.fields())
          .map(field -> partitions.contains(field.name()) && field.dataType() instanceof DecimalType
              ? new StructField(field.name(), DataTypes.StringType, true, field.metadata()) : field)
          .toArray(StructField[]::new));
      if (!asText.equals(schema)) {
        loaded = load(source, asText);
        df = loaded.select(java.util.Arrays.stream(schema.fields())
            .map(field -> functions.col(InputColumns.quote(field.name())).cast(field.dataType()).as(field.name()))
            .toArray(Column[]::new));
      }
      if (source.format() == Source.Format.CSV) {
        df = everyFieldParsed(df, source, partitions);
      } else if (written != null) {
        df = textOfBytesChecked(df, source, written);
      }
    } catch (EngineException e) {
      throw e;
    } catch (Exception | AssertionError e) {
      // AnalysisException: no such path; AssertionError: partition discovery's "Conflicting ..."
      throw new EngineException(NAME, "cannot read " + source + ": " + e.getMessage(), e);
    }
    requireFilesInPartitions(source, loaded);
    Reads reads = Reads.path(engine.pathKey(new org.apache.hadoop.fs.Path(source.path()), false));
    HadoopFsRelation fs = files(loaded);
    if (fs != null) { // the paths Spark found (globs expanded)
      for (org.apache.hadoop.fs.Path root : JavaConverters.seqAsJavaList(fs.location().rootPaths())) {
        reads = reads.plus(Reads.path(engine.pathKey(root, false)));
      }
    }
    // Spark puts partition columns last; the table has the declared order, as on DuckDB.
    String[] names = schema.fieldNames();
    if (!java.util.Arrays.equals(df.columns(), names)) {
      df = df.select(java.util.Arrays.stream(names)
          .map(name -> functions.col(InputColumns.quote(name)))
          .toArray(Column[]::new));
    }
    return new SparkTable(engine, df, reads);
  }

  /**
   * {@code df} with every field of every CSV line parsed, whatever a query reads, as the DuckDB
   * engine parses them. Spark parses only the columns a query reads
   * ({@code spark.sql.csv.parser.columnPruning.enabled}), so its FAILFAST mode misses what is
   * wrong in the others: a line of fewer fields than the schema reads as NULLs, one of more loses
   * the rest without a word, and a {@code count()} sees no value. A filter that is always true but
   * names every file column (Spark's {@code na().drop(0, …)}) makes the scan parse them all. A
   * string holding U+FFFD fails the read too: it is what Spark makes of bytes that are not UTF-8
   * (a Windows-1252 {@code é}), where DuckDB fails on them.
   */
  private static Dataset<Row> everyFieldParsed(
      Dataset<Row> df, Source source, Set<String> partitions) {
    List<StructField> fields = java.util.Arrays.stream(df.schema().fields())
        .filter(field -> !partitions.contains(field.name()))
        .toList();
    if (fields.isEmpty()) {
      return df;
    }
    df = df.na().drop(0, fields.stream()
        .map(field -> InputColumns.quote(field.name())) // a column's name, not a path (`a.b`)
        .toArray(String[]::new));
    // Spark reads bytes that are not UTF-8 as U+FFFD without a word, where DuckDB fails on them.
    Column valid = null;
    for (StructField field : fields) {
      if (field.dataType() instanceof StringType) {
        Column value = functions.col(InputColumns.quote(field.name()));
        Column check = functions.when(functions.instr(value, "\uFFFD").gt(0), functions.raise_error(
                functions.concat(functions.lit(EngineException.replacementCharacter(source,
                    field.name())), value, functions.lit("')"))))
            .otherwise(functions.lit(true));
        valid = valid == null ? check : valid.and(check);
      }
    }
    return valid == null ? df : df.filter(valid);
  }

  /**
   * {@code df} failing on a value of a Parquet BINARY column ({@code written}: the files' columns)
   * read as STRING that is not UTF-8 text, as on the DuckDB engine: Spark takes the bytes as they
   * are, and a STRING of them, written again or handed to Arrow, carries bytes no reader of text
   * takes. Only such columns are checked, where a query reads them, as the DuckDB engine checks
   * them (each value decoded and encoded again, the bytes compared: Spark decodes bytes that are
   * not UTF-8 as U+FFFD).
   */
  private static Dataset<Row> textOfBytesChecked(Dataset<Row> df, Source source, StructType written) {
    List<Column> columns = new ArrayList<>();
    boolean checked = false;
    for (StructField field : df.schema().fields()) {
      StructField file = InputColumns.find(written, field.name());
      Column value = functions.col(InputColumns.quote(field.name()));
      if (file != null && textOfBytes(field.dataType(), file.dataType())) {
        // in the column, not a filter: a query that does not read it does not check it
        value = functions.when(functions.coalesce(notUtf8(value, field.dataType(), file.dataType()),
                functions.lit(false)), functions.raise_error(functions.lit(EngineException.notUtf8(source, field.name()))))
            .otherwise(value).as(field.name());
        checked = true;
      }
      columns.add(value);
    }
    return checked ? df.select(columns.toArray(Column[]::new)) : df;
  }

  /** Whether a STRING is read from bytes somewhere below {@code declared} ({@code written}). */
  private static boolean textOfBytes(DataType declared, DataType written) {
    if (declared instanceof ArrayType d && written instanceof ArrayType w) {
      return textOfBytes(d.elementType(), w.elementType());
    }
    if (declared instanceof MapType d && written instanceof MapType w) {
      return textOfBytes(d.keyType(), w.keyType()) || textOfBytes(d.valueType(), w.valueType());
    }
    if (declared instanceof StructType d && written instanceof StructType w) {
      return java.util.Arrays.stream(d.fields()).anyMatch(field -> {
        StructField file = InputColumns.find(w, field.name());
        return file != null && textOfBytes(field.dataType(), file.dataType());
      });
    }
    return declared instanceof StringType && written instanceof BinaryType;
  }

  /**
   * True where {@code value} holds a STRING read from bytes ({@link #textOfBytes}) that are not
   * UTF-8; null or false elsewhere.
   */
  private static Column notUtf8(Column value, DataType declared, DataType written) {
    if (declared instanceof ArrayType d && written instanceof ArrayType w) {
      return functions.exists(value, x -> functions.coalesce(
          notUtf8(x, d.elementType(), w.elementType()), functions.lit(false)));
    }
    if (declared instanceof MapType d && written instanceof MapType w) {
      Column any = functions.lit(false);
      if (textOfBytes(d.keyType(), w.keyType())) {
        any = any.or(notUtf8(functions.map_keys(value), new ArrayType(d.keyType(), false),
            new ArrayType(w.keyType(), false)));
      }
      if (textOfBytes(d.valueType(), w.valueType())) {
        any = any.or(notUtf8(functions.map_values(value), new ArrayType(d.valueType(), true),
            new ArrayType(w.valueType(), true)));
      }
      return any;
    }
    if (declared instanceof StructType d && written instanceof StructType w) {
      Column any = functions.lit(false);
      for (StructField field : d.fields()) {
        StructField file = InputColumns.find(w, field.name());
        if (file != null && textOfBytes(field.dataType(), file.dataType())) {
          any = any.or(functions.coalesce(
              notUtf8(value.getField(file.name()), field.dataType(), file.dataType()), functions.lit(false)));
        }
      }
      return any;
    }
    return functions.encode(value, "UTF-8").notEqual(value.cast(DataTypes.BinaryType));
  }

  /**
   * The path Spark is given for {@code source}: as it is, but for a local path that exists with
   * glob characters in its name ({@code data[1]}), which Spark would take for a pattern (and
   * match {@code data1}): escaped, so Spark reads it as it is, as the DuckDB engine does.
   */
  private static String filesOf(Source source) {
    String path = source.path();
    if (!path.matches(".*[*?\\[\\]{}\\\\].*") || !Reads.existsLocally(path)) {
      return path;
    }
    return path.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
  }

  /** The files of {@code source} read with {@code schema}, by the engine's options. */
  private Dataset<Row> load(Source source, StructType schema) {
    DataFrameReader reader = spark.read().schema(schema);
    return switch (source.format()) {
      // Files not written by Spark (DuckDB's, Arrow's) hold proleptic Gregorian dates; Spark's
      // own files say in their metadata how they were written, which Spark follows instead.
      case PARQUET -> reader.option("datetimeRebaseMode", "CORRECTED")
          .option("int96RebaseMode", "CORRECTED")
          .parquet(filesOf(source));
      // each file's header checked as it is read, as requireCsvFields checks the first one
      case CSV -> csvOptions(reader, source).option("mode", "FAILFAST").option("enforceSchema", false)
          .csv(filesOf(source));
      case JSON -> reader.option("mode", "FAILFAST")
          .option("multiLine", source.multiLine())
          // JSON's own quotes only ({'id': 1} fails), as on DuckDB
          .option("allowSingleQuotes", false)
          .json(filesOf(source));
    };
  }

  /**
   * Refuses data files beside partition directories (a file in the table's root next to
   * {@code year=2024/}): Spark lists them but reads only the partitions' files, so their rows
   * would be left out without a word; and, without partition directories, files in
   * subdirectories ({@code data/2024/part-0}), which Spark leaves out too. The DuckDB engine
   * refuses them too.
   */
  private static void requireFilesInPartitions(Source source, Dataset<Row> df) {
    HadoopFsRelation fs = files(df);
    if (fs == null || !(fs.location() instanceof PartitioningAwareFileIndex index)) {
      return;
    }
    PartitionSpec spec = index.partitionSpec();
    if (spec.partitionColumns().isEmpty()) {
      // Then Spark reads only the files directly in each path it was given (its roots).
      Set<org.apache.hadoop.fs.Path> roots =
          new HashSet<>(JavaConverters.seqAsJavaList(index.rootPaths()));
      List<String> deeper = JavaConverters.mapAsJavaMap(index.leafFiles()).values().stream()
          .filter(file -> file.getLen() > 0 && !roots.contains(file.getPath())
              && !roots.contains(file.getPath().getParent()))
          .map(file -> file.getPath().toString())
          .sorted()
          .toList();
      if (!deeper.isEmpty()) {
        throw EngineException.filesInSubdirectories(NAME, source, deeper.size(), deeper.get(0));
      }
      return;
    }
    Set<org.apache.hadoop.fs.Path> directories = new HashSet<>();
    JavaConverters.seqAsJavaList(spec.partitions()).forEach(p -> directories.add(p.path()));
    for (org.apache.hadoop.fs.Path directory : directories) {
      for (int level = 0; level < spec.partitionColumns().size(); level++) {
        EngineException escaped = EngineException.utf8EscapedPartition(NAME, source, directory.getName());
        if (escaped != null) {
          throw escaped;
        }
        directory = directory.getParent();
      }
    }
    List<String> outside = new ArrayList<>();
    for (FileStatus file : JavaConverters.seqAsJavaList(index.allFiles())) {
      if (!directories.contains(file.getPath().getParent())) {
        outside.add(file.getPath().toString());
      }
    }
    if (!outside.isEmpty()) {
      throw EngineException.filesOutsidePartitions(NAME, source, outside.size(), outside.get(0),
          List.of(spec.partitionColumns().fieldNames()));
    }
  }

  private static DataFrameReader csvOptions(DataFrameReader reader, Source source) {
    reader = reader.option("header", source.header())
        .option("sep", String.valueOf(source.delimiter()))
        .option("escape", "\"") // RFC 4180, as DuckDB: a quote in a quoted field is doubled
        .option("multiLine", source.multiLine());
    return source.nullValue() == null ? reader : reader.option("nullValue", source.nullValue());
  }

  /**
   * Refuses CSV whose first line holds another number of fields than the declared columns
   * (partition columns aside), or, as a header, other names or another order, as the DuckDB engine
   * does: CSV is read by position, and Spark would fail only at an action that parses the lines
   * (not at a count), or read the values under other columns' names without a word (its default
   * {@code enforceSchema=true} only logs a header that does not conform).
   */
  private void requireCsvFields(Source source, Schema declared) {
    Dataset<Row> lines;
    try {
      lines = csvOptions(spark.read(), source).csv(filesOf(source)); // the first line's fields
    } catch (Exception e) { // Scala's AnalysisException, undeclared
      if (e instanceof org.apache.spark.sql.AnalysisException analysis
          && "UNABLE_TO_INFER_SCHEMA".equals(analysis.getErrorClass())) {
        return; // no line in any file: nothing to read by position
      }
      throw e;
    }
    Set<String> partitions = partitionColumns(lines);
    HadoopFsRelation fs = files(lines);
    for (String field : fs == null || !source.header() ? new String[0] : fs.dataSchema().fieldNames()) {
      if (partitions.stream().anyMatch(field::equalsIgnoreCase)) {
        throw EngineException.csvPartitionColumn(NAME, source, "the first file that Spark reads", field);
      }
    }
    int found = lines.columns().length - partitions.size();
    int fields = 0;
    for (Field field : declared.getFields()) {
      fields += partitions.contains(field.getName()) ? 0 : 1;
    }
    if (found > 0 && found != fields) {
      throw EngineException.csvFields(NAME, source, "its first line", found, fields);
    }
    if (found > 0 && source.header()) { // the names Spark read from that line
      EngineException header = EngineException.csvHeader(NAME, source, "the first that Spark reads",
          java.util.Arrays.stream(lines.columns()).filter(name -> !partitions.contains(name)).toList(),
          declared.getFields().stream().map(Field::getName).filter(name -> !partitions.contains(name)).toList());
      if (header != null) {
        throw header;
      }
    }
  }

  /**
   * Refuses to read {@code source} if its path, or a directory its glob matches, is at or inside
   * a Delta table.
   */
  private void requireNotDelta(Source source) {
    engine.requireNotDelta(source.path(), source.toString(), false, false);
    String pattern = filesOf(source);
    if (!pattern.matches(".*(?<!\\\\)[*?\\[{].*")) {
      return; // no glob (or its characters escaped: a path that exists as it is)
    }
    FileStatus[] matches;
    try {
      org.apache.hadoop.fs.Path glob = new org.apache.hadoop.fs.Path(pattern);
      matches = glob.getFileSystem(spark.sessionState().newHadoopConf()).globStatus(glob);
    } catch (IOException | RuntimeException e) {
      return; // no such path or file system: Spark's read says so
    }
    for (FileStatus match : matches == null ? new FileStatus[0] : matches) {
      if (match.isDirectory()) {
        engine.requireNotDelta(match.getPath().toString(), source.toString(), false, true);
      }
    }
  }

  /** The partition columns Spark found for the files {@code df} reads, in any case. */
  private static Set<String> partitionColumns(Dataset<Row> df) {
    Set<String> partitions = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    HadoopFsRelation fs = files(df);
    if (fs != null) {
      partitions.addAll(List.of(fs.partitionSchema().fieldNames()));
    }
    return partitions;
  }

  /** The files {@code df} reads, as read by {@code spark.read()}; null if it reads something else. */
  private static HadoopFsRelation files(Dataset<Row> df) {
    return df.queryExecution().analyzed() instanceof LogicalRelation relation
        && relation.relation() instanceof HadoopFsRelation fs ? fs : null;
  }

  /**
   * The files' schema checked against the declared one, before a job fails on it; partition
   * columns aside (their values are directory names, which Spark casts to the declared type).
   */
  private StructType checkParquet(Source source, Schema declared) {
    StructType written;
    Set<String> partitions;
    try {
      Dataset<Row> files = spark.read().parquet(filesOf(source));
      written = files.schema();
      partitions = partitionColumns(files);
    } catch (Exception | AssertionError e) { // AnalysisException is not a RuntimeException
      if (e instanceof SparkThrowable t && "UNABLE_TO_INFER_SCHEMA".equals(t.getErrorClass())
          && noDataFiles(source)) {
        return null; // a directory of no data file (a partitioned write of no rows): no rows
      }
      // Spark's inference types every column of the files, and fails on one it has no type for (a
      // UUID, a TIME, a nanosecond timestamp: pandas' datetimes), or on an empty file it took the
      // schema from, though Spark reads the files with a schema that leaves such a column out, and
      // skips empty files: then the declared columns are typed alone, from a file that is not empty.
      Dataset<Row> files = null;
      try {
        files = load(source, SparkSchemas.fromArrow(declared, Map.of())); // the files it reads
      } catch (Exception | AssertionError again) {
        // as below
      }
      if (SparkEngine.unknownParquetLogicalType(e)) {
        throw new EngineException(NAME, "cannot read " + source + ": "
            + (files == null ? "a file" : unreadableFooter(files)) + " holds "
            + SparkEngine.UNKNOWN_PARQUET_LOGICAL_TYPE, e);
      }
      if (files == null
          || !illegalParquetType(e) && dataFiles(files).stream().noneMatch(file -> file.getLen() == 0)) {
        throw new EngineException(NAME, "cannot read " + source + ": " + e.getMessage(), e);
      }
      partitions = partitionColumns(files);
      written = declaredColumns(source, files, declared, partitions);
    }
    Schema writtenArrow = ArrowUtils.toArrowSchema(written, "UTC", true, false);
    List<Field> read = new ArrayList<>();
    for (Field field : writtenArrow.getFields()) {
      if (ArrowSchemas.byName(declared.getFields(), field.getName()) != null
          && !partitions.contains(field.getName())) {
        read.add(field);
      }
    }
    List<String> problems = SchemaCompatibility.canRead(declared, new Schema(read)).problems();
    if (!problems.isEmpty()) {
      throw new EngineException(NAME, source + " cannot be read with the declared schema:\n  "
          + String.join("\n  ", problems), null);
    }
    return written;
  }

  /**
   * The first of the files {@code files} reads whose footer Spark's Parquet library cannot read
   * for a logical type it does not know, or "a file".
   */
  private String unreadableFooter(Dataset<Row> files) {
    for (FileStatus file : dataFiles(files)) {
      try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
          org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(file, spark.sessionState().newHadoopConf()))) {
        reader.getFooter();
      } catch (Exception | AssertionError e) {
        if (SparkEngine.unknownParquetLogicalType(e)) {
          return file.getPath().toString();
        }
      }
    }
    return "a file";
  }

  /** Whether {@code e} is, or was caused by, Spark's refusal of a Parquet type it has none for. */
  private static boolean illegalParquetType(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = String.valueOf(cause.getMessage());
      if (message.contains("Illegal Parquet type: ")
          || message.contains("Parquet type not yet supported: ") // INTERVAL
          || message.contains("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION")) { // DECIMAL(40,2)
        return true;
      }
    }
    return false;
  }

  /**
   * The columns of {@code files} (the first file's footer, as Spark's inference reads one) that
   * {@code declared} reads, partition columns aside, each clipped to what {@code declared} reads of
   * it (as Spark's reader clips a file's schema: struct fields left out are not read) and typed as
   * Spark's inference types it; a value read that Spark has no type for is refused, named.
   */
  private StructType declaredColumns(Source source, Dataset<Row> files, Schema declared,
      Set<String> partitions) {
    List<FileStatus> nonEmpty = dataFiles(files).stream().filter(file -> file.getLen() > 0).toList();
    if (nonEmpty.isEmpty()) {
      return new StructType();
    }
    MessageType footer;
    try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(
        org.apache.parquet.hadoop.util.HadoopInputFile.fromStatus(
            nonEmpty.get(0), spark.sessionState().newHadoopConf()))) {
      footer = reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new EngineException(NAME, "cannot read " + source + ": " + e.getMessage(), e);
    }
    var converter = new ParquetToSparkSchemaConverter(spark.sessionState().conf());
    StructType wanted = SparkSchemas.fromArrow(declared, Map.of());
    List<StructField> fields = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Type column : footer.getFields()) {
      Field field = ArrowSchemas.byName(declared.getFields(), column.getName());
      if (field == null || partitions.contains(column.getName())) {
        continue;
      }
      MessageType clipped = ParquetReadSupport.clipParquetSchema(
          new MessageType(footer.getName(), column),
          new StructType(new StructField[] {wanted.apply(field.getName())}), false, false);
      try {
        fields.addAll(List.of(converter.convert(clipped).fields()));
      } catch (Exception e) {
        int before = problems.size();
        Type raw = readable(converter, clipped.getType(0), wanted.apply(field.getName()).dataType(),
            column.getName(), false, problems);
        if (problems.size() == before) {
          try {
            fields.addAll(List.of(converter.convert(new MessageType(footer.getName(), raw)).fields()));
          } catch (Exception again) { // not a value of a type Spark has none for
            throw new EngineException(NAME, "cannot read " + source + ": " + e.getMessage(), e);
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new EngineException(NAME, source + " cannot be read with the declared schema:\n  "
          + String.join("\n  ", problems), null);
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /**
   * {@code type} (a file's column clipped to the declared one, at {@code path}) with each value of
   * a type Spark 3.5 has none for that {@code declared} reads as its raw type (a nanosecond
   * timestamp's BIGINT, a UUID's BINARY) made that plain type, as Spark's reader reads it; a
   * problem added for each other, named by its path as the DuckDB engine names it ({@code s.ns},
   * {@code l[]}, {@code m{value}}), by the Parquet format's rules for lists and maps. {@code
   * element}: {@code type} is the repeated value of a LIST, its element.
   */
  private static Type readable(ParquetToSparkSchemaConverter converter, Type type,
      DataType declared, String path, boolean element, List<String> problems) {
    boolean repeated = !element && type.isRepetition(Type.Repetition.REPEATED);
    String here = repeated ? path + "[]" : path;
    DataType wanted = !repeated ? declared : declared instanceof ArrayType a ? a.elementType() : null;
    if (type.isPrimitive()) {
      PrimitiveType primitive = type.asPrimitiveType();
      try {
        converter.convert(new MessageType("m", primitive));
        return primitive;
      } catch (Exception e) { // AnalysisException: "Illegal Parquet type: INT64 (TIME(MICROS,false))."
        String sparkHasNone = sparkHasNone(primitive.getLogicalTypeAnnotation());
        ArrowType raw = sparkHasNone == null ? null : EngineException.rawParquetType(sparkHasNone);
        if (raw != null && ArrowUtils.fromArrowType(raw).equals(wanted)) {
          return new PrimitiveType(primitive.getRepetition(), primitive.getPrimitiveTypeName(),
              primitive.getTypeLength(), primitive.getName());
        }
        String message = String.valueOf(e.getMessage());
        problems.add(EngineException.unreadableParquetType(here, sparkHasNone != null ? sparkHasNone
            : message.substring(message.indexOf(':') + 1).trim().replaceAll("\\.$", "")));
        return primitive;
      }
    }
    GroupType group = type.asGroupType();
    LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
    if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        && group.getFieldCount() == 1) {
      Type repeatedValue = group.getType(0);
      DataType elementType = wanted instanceof ArrayType a ? a.elementType() : null;
      if (repeatedValue.isPrimitive()) {
        return group.withNewFields(
            readable(converter, repeatedValue, elementType, here + "[]", true, problems));
      }
      GroupType inner = repeatedValue.asGroupType();
      if (inner.getFieldCount() > 1 || inner.getName().equals("array")
          || inner.getName().equals(group.getName() + "_tuple")) { // the element is this struct
        return group.withNewFields(fields(converter, inner, elementType, here + "[]", problems));
      }
      return group.withNewFields(inner.withNewFields(
          readable(converter, inner.getType(0), elementType, here + "[]", false, problems)));
    }
    if ((annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || annotation instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation)
        && group.getFieldCount() == 1 && !group.getType(0).isPrimitive()
        && group.getType(0).asGroupType().getFieldCount() == 2) {
      GroupType entries = group.getType(0).asGroupType();
      MapType map = wanted instanceof MapType m ? m : null;
      return group.withNewFields(entries.withNewFields(
          readable(converter, entries.getType(0), map == null ? null : map.keyType(),
              here + "{key}", false, problems),
          readable(converter, entries.getType(1), map == null ? null : map.valueType(),
              here + "{value}", false, problems)));
    }
    return fields(converter, group, wanted, here, problems);
  }

  /** {@code group} with its fields {@link #readable}, each against the declared field of its name. */
  private static GroupType fields(ParquetToSparkSchemaConverter converter, GroupType group,
      DataType declared, String path, List<String> problems) {
    List<Type> fields = new ArrayList<>();
    for (Type field : group.getFields()) {
      StructField declaredField =
          declared instanceof StructType struct ? InputColumns.find(struct, field.getName()) : null;
      fields.add(readable(converter, field, declaredField == null ? null : declaredField.dataType(),
          path + "." + field.getName(), false, problems));
    }
    return group.withNewFields(fields);
  }

  /**
   * The name {@link EngineException#unreadableParquetType} gives a Parquet type Spark 3.5 has
   * none for but reads as its raw value, or null.
   */
  private static String sparkHasNone(LogicalTypeAnnotation annotation) {
    if (annotation instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
      return "UUID";
    }
    if (annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp
        && timestamp.getUnit() == LogicalTypeAnnotation.TimeUnit.NANOS) {
      return "TIMESTAMP(NANOS)";
    }
    if (annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal
        && decimal.getPrecision() > DecimalType.MAX_PRECISION()) {
      return "DECIMAL(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
    }
    return annotation instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation time
        ? "TIME(" + time.getUnit() + ")" : null;
  }

  /** The files {@code files} reads, empty ones too, by path. */
  private static List<FileStatus> dataFiles(Dataset<Row> files) {
    HadoopFsRelation fs = files(files);
    return fs == null || !(fs.location() instanceof PartitioningAwareFileIndex index) ? List.of()
        : JavaConverters.seqAsJavaList(index.allFiles()).stream()
            .sorted(java.util.Comparator.comparing((FileStatus file) -> file.getPath().toString()))
            .toList();
  }

  /** Whether Spark finds no data file at the source's path (which exists). */
  private boolean noDataFiles(Source source) {
    HadoopFsRelation fs = files(spark.read().schema("id INT").parquet(filesOf(source)));
    return fs != null && fs.location().inputFiles().length == 0;
  }
}

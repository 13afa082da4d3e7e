package io.github.sparkarrow.duckdb;

import static io.github.sparkarrow.duckdb.DuckDbEngine.NAME;
import static io.github.sparkarrow.duckdb.DuckDbEngine.error;
import static io.github.sparkarrow.duckdb.DuckDbTypes.fileLiteral;
import static io.github.sparkarrow.duckdb.DuckDbTypes.literal;
import static io.github.sparkarrow.duckdb.DuckDbTypes.quote;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.PartitionColumns;
import io.github.sparkarrow.engine.Reads;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.engine.Table;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.SchemaCompatibility;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@link DuckDbEngine#read}: a {@link Source}'s files as Spark reads them, with the declared
 * schema, as a query over DuckDB's reader ({@code read_parquet}, {@code read_csv}, {@code
 * read_json}). The files are listed as Spark lists them ({@link DataFiles}), partition
 * directories give columns, each Parquet schema among the files is checked by Spark's rules, CSV
 * headers are checked against the declared columns, and values are read as Spark parses them
 * ({@link SparkParsing}).
 */
final class SourceReader {

  /** The lines {@link #firstLine} looks through for one that is not blank. */
  private static final int FIRST_LINES = 1000;

  /** A CSV file's first line that is not blank, and whether blank lines come before it. */
  private record FirstLine(String text, boolean afterBlankLines) {}

  /** The column each JSON object is read into, as a struct (see {@link #jsonRows}). */
  private static final String JSON_ROW = "__sparkarrow_json_row";

  private final DuckDbEngine engine;

  SourceReader(DuckDbEngine engine) {
    this.engine = engine;
  }

  /** The rows of {@code source}, read as Spark reads them: a query over DuckDB's reader of its files. */
  Table read(Source source) {
    String path = source.path();
    Reads reads = Reads.path(Reads.localPath(path));
    Path root = Path.of(path); // a directory read as Spark reads one, or the file
    String file = path; // the file, as given (DuckDB may read more than local paths)
    List<Path> listed = null; // the files, absolute, if not only that file
    // Partition directories (key=value, as Spark's partitionBy writes them) give columns, read as
    // text (url-decoded) and cast to the declared type, as Spark does.
    // Each column's name as Spark reads it (its escapes undone) -> as DuckDB names it (as written).
    Map<String, String> partitions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (DataFiles.isGlob(path) && !Files.exists(root)) { // matched as Spark matches it
      List<Path> matches = DataFiles.matches(path, source);
      if (matches.size() == 1) {
        root = matches.get(0);
        file = root.toString();
      } else {
        listed = DataFiles.files(matches, source);
      }
    }
    if (Files.isDirectory(root)) {
      Path directory = root;
      List<Path> relative = DataFiles.list(directory, source);
      DataFiles.partitionColumns(relative, source)
          .forEach(name -> partitions.put(PartitionColumns.unescape(name), name));
      listed = relative.stream().map(directory::resolve).toList();
    } else if (Files.isRegularFile(root) && !DataFiles.isNonEmptyFile(root)) {
      listed = List.of(); // Spark lists no empty file: no rows
    }
    Schema declared = ArrowSchemas.asNullable(source.schema());
    DuckDbTypes.requireNoIntervals(declared, source.toString());
    if (listed != null && listed.isEmpty()) { // a directory without data files: no rows, as on Spark
      return new DuckDbTable(engine, "SELECT " + String.join(", ", declared.getFields().stream()
          .map(f -> "CAST(NULL AS " + DuckDbTypes.sql(f) + ") AS " + quote(f.getName())).toList())
          + " LIMIT 0", reads);
    }
    List<String> paths = listed == null ? List.of(file) : listed.stream().map(Path::toString).toList();
    String files = listed == null ? fileLiteral(file)
        : "[" + String.join(", ", paths.stream().map(DuckDbTypes::fileLiteral).toList()) + "]";
    String hive = partitions.isEmpty() ? "hive_partitioning = false"
        : "hive_partitioning = true, hive_types_autocast = false";
    List<String> columns = new ArrayList<>();
    switch (source.format()) {
      case PARQUET -> {
        // Each file's columns by name, as Spark reads them: DuckDB would otherwise take the first
        // file's columns for all, and a column added to later files would read as null.
        String scan = "read_parquet(" + files + ", union_by_name = true, " + hive + ")";
        List<String> schemas = filesOfEachSchema(files, source);
        Schema written = parquetSchema(scan, schemas, source, declared, partitions);
        Map<String, Boolean> int96 = int96Columns(schemas, source, declared);
        for (Field field : declared.getFields()) {
          Field found = ArrowSchemas.byName(written.getFields(),
              partitions.getOrDefault(field.getName(), field.getName()));
          String column = found == null ? "NULL" : quote(found.getName());
          Boolean topLevel = found == null ? null : int96.get(found.getName());
          if (topLevel != null && hasInstant(field)) {
            if (!topLevel) {
              throw error(source + ": '" + found.getName() + "' holds INT96"
                  + " timestamps (Spark's default Parquet timestamps) inside a nested column,"
                  + " which the DuckDB engine cannot read as instants exactly. Write the files with"
                  + " spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS.", null);
            }
            // INT96 holds UTC wall time, which DuckDB reads as a TIMESTAMP without zone.
            column = "timezone('UTC', " + column + ")";
          } else if (found != null) { // INT96 aside, as Spark reads the rest
            String converted = asSparkReads(column, field, found, field.getName(), source, 0);
            column = converted == null ? column : converted;
          }
          columns.add((partitions.containsKey(field.getName()) && found != null
              ? SparkParsing.partitionValue(field, column, source)
              : "CAST(" + column + " AS " + DuckDbTypes.sql(field) + ")") + " AS " + quote(field.getName()));
        }
        return new DuckDbTable(engine, "SELECT " + String.join(", ", columns) + " FROM " + scan, reads);
      }
      case CSV, JSON -> {
        boolean json = source.format() == Source.Format.JSON;
        List<String> fileColumns = declared.getFields().stream().map(Field::getName)
            .filter(name -> !partitions.containsKey(name)).toList();
        // One column: DuckDB reads an empty line as a NULL field, where Spark skips the line
        // (as both skip one among several columns); its quoted "" (null to Spark) is told apart
        // as empty text (allow_quoted_nulls = false), made null below, and empty lines left out.
        boolean oneCsvColumn = !json && fileColumns.size() == 1;
        List<String> types = new ArrayList<>();
        for (Field field : declared.getFields()) {
          // JSON: each line's object is read as one struct (see jsonRows), its fields by name.
          String column = (json ? quote(JSON_ROW) + "." : "") + quote(field.getName());
          if (partitions.containsKey(field.getName())) { // not in the files: text from the directories
            column = SparkParsing.partitionValue(field, quote(partitions.get(field.getName())), source);
          } else {
            if (source.nullValue() != null) { // quoted too, as Spark (see the options below)
              column = "nullif(" + column + ", " + literal(source.nullValue()) + ")";
            } else if (oneCsvColumn) {
              column = "nullif(" + column + ", '')";
            }
            String checked = SparkParsing.asSparkParses(source, field, column);
            if (checked == null && source.format() == Source.Format.CSV
                && field.getType() instanceof ArrowType.Utf8) {
              checked = SparkParsing.csvText(source, field.getName(), column);
            }
            String type = checked == null ? DuckDbTypes.sql(field)
                : json ? SparkParsing.jsonReadType(field) : "VARCHAR";
            types.add(json ? quote(field.getName()) + " " + type
                : literal(field.getName()) + ": " + literal(type));
            column = checked != null ? checked : column;
          }
          columns.add(column + " AS " + quote(field.getName()));
        }
        String csv = "header = " + source.header() + ", delim = "
            + literal(String.valueOf(source.delimiter()));
        if (oneCsvColumn) {
          csv += ", allow_quoted_nulls = false"; // the null text made null above
        } else if (source.nullValue() != null) {
          // As Spark: the text and an unquoted empty field are null, a quoted "" is empty text.
          // DuckDB takes quoted nulls for both or neither: neither here, and the text's quoted
          // form is made null above.
          csv += ", nullstr = [" + literal(source.nullValue()) + ", ''], allow_quoted_nulls = false";
        }
        if (source.format() == Source.Format.CSV) {
          requireCsvFields(paths, fileColumns, source);
        }
        String options = source.format() == Source.Format.CSV ? csv + ", auto_detect = false"
            : source.multiLine() ? "format = 'array'" : "format = 'newline_delimited'";
        // JSON by key: with only partition columns declared, no file column is named.
        String named = types.isEmpty() ? ""
            : json ? ", records = false, columns = {" + literal(JSON_ROW) + ": "
                + literal("STRUCT(" + String.join(", ", types) + ")") + "}"
            : ", columns = {" + String.join(", ", types) + "}";
        String scan = (source.format() == Source.Format.CSV ? "read_csv(" : "read_json(") + files
            + ", " + options + ", " + hive + named + ")";
        if (oneCsvColumn) { // an empty line is no row
          scan = "(SELECT * FROM " + scan + " WHERE " + quote(fileColumns.get(0)) + " IS NOT NULL)";
        }
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + scan;
        if (source.format() == Source.Format.CSV) {
          sql = everyFieldParsed(sql, fileColumns);
        } else if (!types.isEmpty()) {
          sql = jsonRows(sql, source);
        }
        engine.prepare(sql);
        return new DuckDbTable(engine, sql, reads);
      }
      default -> throw new IllegalArgumentException(source.format().toString());
    }
  }

  /**
   * {@code sql} failing on a JSON value that is {@code null} where an object is read (a line of
   * {@code null}, as {@code jq} writes for a missing value, or such an array element with
   * multiLine), whatever a query reads, as Spark's FAILFAST mode fails on it. DuckDB would read
   * it as a row of NULLs, like {@code {}}: only a line read whole, as one struct ({@code records =
   * false}), tells the two apart. A query of some columns still reads only theirs from the
   * struct, but this check reads the whole struct, so a nested value of another kind (a number
   * for a list) fails every read on DuckDB, where Spark fails only a read of its column.
   */
  private static String jsonRows(String sql, Source source) {
    return sql + " WHERE CASE WHEN " + quote(JSON_ROW) + " IS NULL THEN error("
        + literal(source + ": a JSON value of null where an object is read, which Spark's"
            + " FAILFAST mode refuses (DuckDB alone would read a row of NULLs): remove it, or write"
            + " {} for a row of NULLs") + ") ELSE true END";
  }

  /**
   * {@code sql} with every field of every CSV line parsed and checked, whatever a query reads, as
   * Spark's engine parses them: DuckDB leaves out the columns a query does not read (a
   * {@code count()} would check no value), so a filter that is always true names them all.
   */
  private static String everyFieldParsed(String sql, List<String> fields) {
    if (fields.isEmpty()) {
      return sql;
    }
    return "SELECT * FROM (" + sql + ") WHERE " + String.join(" AND ", fields.stream()
        .map(name -> "(" + quote(name) + " IS NULL OR " + quote(name) + " IS NOT NULL)").toList());
  }

  /**
   * The CSV files' first lines checked against the {@code declared} columns (partition columns
   * aside), in the words Spark's engine uses: CSV is read by position, so a line of another number
   * of fields would be read under other columns or fail in DuckDB's words, and a header of other
   * names (or in another order) would put values under other columns' names. Without a header, the
   * first file's first line is counted (as Spark's engine counts the fields Spark infers from it);
   * with one, every file's header, as Spark checks each file's ({@code enforceSchema=false}).
   * Empty files have no line to check.
   */
  private void requireCsvFields(List<String> files, List<String> declared, Source source) {
    for (String file : files) {
      FirstLine first = new File(file).length() == 0 ? null : firstLine(file, source);
      if (first == null) { // no line but blank ones: no row, as on Spark
        continue;
      }
      if (source.header() && first.afterBlankLines()) {
        throw error(source + ": " + file + " has blank lines before its header line, which Spark"
            + " skips and DuckDB's reader would take for the header: remove them", null);
      }
      List<String> fields = csvFields(first.text(), source.delimiter());
      if (fields.size() != declared.size()) {
        throw EngineException.csvFields(NAME, source, "the first line of " + file, fields.size(),
            declared.size());
      }
      if (!source.header()) {
        return;
      }
      EngineException header = EngineException.csvHeader(NAME, source, file, fields, declared);
      if (header != null) {
        throw header;
      }
    }
  }

  /**
   * The first line of a CSV file that is not blank, whole, as Spark finds it (its reader skips
   * blank lines), or null if the first {@link #FIRST_LINES} are blank: read here from a plain
   * local file (a directory of many files is read quickly), else by DuckDB, which decompresses it.
   */
  private FirstLine firstLine(String file, Source source) {
    Path path = Path.of(file);
    List<String> lines = new ArrayList<>();
    if (Files.isRegularFile(path) && !file.endsWith(".gz") && !file.endsWith(".zst")) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); lines.size() < FIRST_LINES; b = in.read()) {
          if (b < 0 || b == '\n' || b == '\r') { // a CR alone ends a line too, as on both readers
            lines.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
            if (b < 0 || !lines.get(lines.size() - 1).isBlank()) {
              break;
            }
          } else {
            line.write(b);
          }
        }
      } catch (IOException e) {
        throw error("cannot read " + file + " of " + source + ": " + e, e);
      }
    } else {
      String sql = "SELECT * FROM read_csv(" + fileLiteral(file) + ", header = false, auto_detect = false,"
          + " columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '',"
          + " strict_mode = false, hive_partitioning = false) LIMIT " + FIRST_LINES;
      rows(sql, source).forEach(row -> lines.add(row[0] == null ? "" : row[0]));
    }
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        return new FirstLine(lines.get(i), i > 0);
      }
    }
    return null;
  }

  /** The fields of a CSV line: RFC 4180 quoting, a byte order mark and a {@code \r} left out. */
  private static List<String> csvFields(String line, char delimiter) {
    line = line.startsWith("\uFEFF") ? line.substring(1) : line;
    line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        field.append(c); // a doubled quote inside a quoted field
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == delimiter && !quoted) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  /**
   * {@code column}'s value where Spark's Parquet reader reads it otherwise than DuckDB's CAST to
   * the declared type, at any depth; null if nothing below {@code declared} does (the CAST then
   * reads it). Spark takes a BINARY's bytes as UTF-8 text (the strings of Impala and older writers,
   * written without the UTF8 annotation) and a STRING's UTF-8 as bytes, where the CAST writes
   * every byte outside ASCII as a {@code \xC3} escape, or reads such escapes as bytes: {@code été}
   * would be {@code \xC3\xA9t\xC3\xA9}; bytes that are not UTF-8 fail, as on the Spark engine.
   * Spark takes a timestamp without zone (pandas' and DuckDB's naive timestamps, Spark's
   * TIMESTAMP_NTZ) read as a TIMESTAMP for UTC wall time, where the CAST takes it for the
   * session zone's. A struct field written in another case (Spark matches names so) takes its
   * declared name, which the CAST would leave as written. {@code path} names the value in an
   * error, {@code depth} its lambdas' variables.
   */
  private static String asSparkReads(
      String column, Field declared, Field written, String path, Source source, int depth) {
    ArrowType d = declared.getType();
    ArrowType w = written.getType();
    if (d instanceof ArrowType.Utf8 && w instanceof ArrowType.Binary) {
      return "CASE WHEN " + column + " IS NULL THEN NULL ELSE coalesce(try(decode(" + column
          + ")), error(" + literal(EngineException.notUtf8(source, path)) + ")) END";
    }
    if (d instanceof ArrowType.Binary && w instanceof ArrowType.Utf8) {
      return "encode(" + column + ")";
    }
    if (d instanceof ArrowType.Timestamp dt && dt.getTimezone() != null
        && w instanceof ArrowType.Timestamp wt && wt.getTimezone() == null) {
      return "timezone('UTC', " + column + ")";
    }
    String x = "x" + depth; // a lambda's variable, one per depth
    if (d instanceof ArrowType.Struct && w instanceof ArrowType.Struct) {
      List<String> fields = new ArrayList<>();
      boolean converted = false;
      for (Field child : declared.getChildren()) {
        Field found = ArrowSchemas.byName(written.getChildren(), child.getName());
        String value = found == null ? "NULL" : column + "." + quote(found.getName());
        String inner = found == null ? null
            : asSparkReads(value, child, found, path + "." + child.getName(), source, depth + 1);
        // DuckDB's CAST keeps a field's written name where only its case differs: the declared one
        converted |= inner != null || found != null && !found.getName().equals(child.getName());
        fields.add(quote(child.getName()) + " := " + (inner == null ? value : inner));
      }
      return converted ? "CASE WHEN " + column + " IS NULL THEN NULL ELSE struct_pack("
          + String.join(", ", fields) + ") END" : null;
    }
    if (d instanceof ArrowType.List && w instanceof ArrowType.List) {
      String element = asSparkReads(x, declared.getChildren().get(0), written.getChildren().get(0),
          path + "[]", source, depth + 1);
      return element == null ? null : "list_transform(" + column + ", lambda " + x + ": " + element + ")";
    }
    if (d instanceof ArrowType.Map && w instanceof ArrowType.Map) {
      List<Field> de = declared.getChildren().get(0).getChildren();
      List<Field> we = written.getChildren().get(0).getChildren();
      String key = asSparkReads(x + ".key", de.get(0), we.get(0), path + "{key}", source, depth + 1);
      String value = asSparkReads(x + ".value", de.get(1), we.get(1), path + "{value}", source, depth + 1);
      return key == null && value == null ? null
          : "CASE WHEN " + column + " IS NULL THEN NULL ELSE map_from_entries(list_transform("
              + "map_entries(" + column + "), lambda " + x + ": struct_pack(key := "
              + (key == null ? x + ".key" : key) + ", value := " + (value == null ? x + ".value" : value)
              + "))) END";
    }
    return null;
  }

  /**
   * One file of each schema the Parquet {@code files} have (the first by name), in order: a
   * directory written over time holds several.
   */
  private List<String> filesOfEachSchema(String files, Source source) {
    String sql = "SELECT min(file_name) FROM (SELECT file_name, list_sort(list(concat_ws(':', name,"
        + " type, repetition_type, num_children, converted_type, scale, precision, logical_type)))"
        + " AS signature FROM parquet_schema(" + files + ") GROUP BY file_name) GROUP BY signature"
        + " ORDER BY 1";
    return rows(sql, source).stream().map(row -> row[0]).toList();
  }

  /**
   * The columns of the Parquet files ({@code scan}, all of them by name) that the declared schema
   * reads; each schema among them (one file of each, {@code schemas}) checked against the declared
   * one by Spark's rules, as Spark reads each file.
   */
  private Schema parquetSchema(String scan, List<String> schemas, Source source, Schema declared,
      Map<String, String> partitions) {
    List<String> problems = new ArrayList<>();
    for (String file : schemas) {
      List<String> found = new ArrayList<>();
      Schema written = sparkStyle(exportedParquetSchema(
          "read_parquet(" + fileLiteral(file) + ", hive_partitioning = false)", source), declared, found);
      found.addAll(SchemaCompatibility.canRead(declared, written).problems());
      String where = schemas.size() > 1 ? "in " + file + ": " : "";
      found.forEach(problem -> problems.add(where + problem));
    }
    if (!problems.isEmpty()) {
      throw error(source + " cannot be read with the declared schema:\n  "
          + String.join("\n  ", problems), null);
    }
    // The scan's partition columns are named as their directories (escapes and all).
    Schema asScanned = new Schema(declared.getFields().stream()
        .map(f -> new Field(partitions.getOrDefault(f.getName(), f.getName()), f.getFieldType(), f.getChildren()))
        .toList());
    return sparkStyle(exportedParquetSchema(scan, source), asScanned, new ArrayList<>());
  }

  private Schema exportedParquetSchema(String scan, Source source) {
    try {
      return engine.exportedSchema("SELECT * FROM " + scan + " LIMIT 0");
    } catch (EngineException e) {
      throw error("cannot read " + source + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The columns of {@code exported} that {@code declared} reads, as Spark types; problems added. */
  private static Schema sparkStyle(Schema exported, Schema declared, List<String> problems) {
    List<Field> read = new ArrayList<>();
    for (Field field : exported.getFields()) {
      Field reader = ArrowSchemas.byName(declared.getFields(), field.getName());
      Field typed = reader == null ? null : asSparkTypes(field, reader, field.getName(), problems);
      if (typed != null) {
        read.add(typed);
      }
    }
    return DuckDbTypes.sparkStyle(new Schema(read), "UTC", problems);
  }

  /**
   * {@code field} as Spark's Parquet reader types it (problems added), or null if Spark 3.5 has no
   * type for it or for a value inside it (a TIME, a nanosecond timestamp: pandas' datetimes), a
   * problem added that both engines name alike. Unsigned integers (pandas', Arrow's and DuckDB's
   * UINT columns) are typed as Spark types them: UINT8 as SMALLINT, UINT16 as INT, UINT32 as
   * BIGINT, UINT64 as DECIMAL(20,0), each then read by Spark's rules (a UINT8 as INT, not as
   * TINYINT, which Spark would read 200 as -56). DuckDB's CAST to the declared type is exact for
   * them all. Spark reads a UINT64 as no wider DECIMAL, though it widens a DECIMAL(20,0) it wrote.
   */
  private static Field asSparkTypes(Field field, Field declared, String path, List<String> problems) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.Time
        || type instanceof ArrowType.Timestamp t && t.getUnit() == TimeUnit.NANOSECOND) {
      problems.add(EngineException.unreadableParquetType(path,
          type instanceof ArrowType.Time ? "TIME" : "TIMESTAMP(NANOS)"));
      return null;
    }
    if (type instanceof ArrowType.Int i && !i.getIsSigned()) {
      type = i.getBitWidth() == 64 ? new ArrowType.Decimal(20, 0, 128)
          : new ArrowType.Int(i.getBitWidth() * 2, true);
      if (i.getBitWidth() == 64 && declared != null && declared.getType() instanceof ArrowType.Decimal d
          && d.getScale() == 0 && d.getPrecision() > 20) {
        problems.add(path + ": written as UINT64, read as " + ArrowSchemas.sqlName(d) + ": Spark's"
            + " Parquet reader reads a UINT64 only as DECIMAL(20,0) (SchemaColumnConvertNotSupportedException)."
            + " Declare it DECIMAL(20,0).");
      }
    }
    List<Field> children = new ArrayList<>();
    if (type instanceof ArrowType.Map) {
      Field entries = field.getChildren().get(0);
      Field declaredEntries = declared == null || declared.getChildren().isEmpty() ? null
          : declared.getChildren().get(0);
      List<Field> keyAndValue = new ArrayList<>();
      for (Field child : entries.getChildren()) {
        Field typed = asSparkTypes(child, declaredEntries == null ? null
                : ArrowSchemas.byName(declaredEntries.getChildren(), child.getName()),
            path + "{" + child.getName() + "}", problems);
        if (typed == null) {
          return null;
        }
        keyAndValue.add(typed);
      }
      children.add(new Field(entries.getName(), entries.getFieldType(), keyAndValue));
    } else {
      boolean list = type instanceof ArrowType.List;
      for (Field child : field.getChildren()) {
        Field reader = declared == null ? null
            : list ? (declared.getChildren().isEmpty() ? null : declared.getChildren().get(0))
            : ArrowSchemas.byName(declared.getChildren(), child.getName());
        Field typed = asSparkTypes(child, reader, list ? path + "[]" : path + "." + child.getName(),
            problems);
        if (typed == null) {
          return null;
        }
        children.add(typed);
      }
    }
    return new Field(field.getName(), new FieldType(field.isNullable(), type, null, field.getMetadata()),
        children);
  }

  /**
   * The top-level columns of the Parquet files (one of each schema) that hold INT96 timestamps:
   * true if the column is one, false if one is nested inside it. A column {@code declared} reads
   * that holds them in some files and not in others is refused: DuckDB reads the two as different
   * types. So is one that holds UUIDs, which DuckDB reads and Spark 3.5 cannot.
   */
  private Map<String, Boolean> int96Columns(List<String> schemas, Source source, Schema declared) {
    Map<String, Boolean> int96 = new HashMap<>(); // a column's value in the first file that has it
    Map<String, String> firstFile = new HashMap<>();
    for (String file : schemas) {
      for (Map.Entry<String, Leaves> column : leaves(file, source).entrySet()) {
        String name = column.getKey();
        Leaves leaves = column.getValue();
        boolean read = ArrowSchemas.byName(declared.getFields(), name) != null;
        if (read && leaves.uuid()) {
          throw error(source + " cannot be read with the declared schema:\n  in " + file + ": "
              + EngineException.unreadableParquetType(name, "FIXED_LEN_BYTE_ARRAY (UUID)"), null);
        }
        Boolean value = leaves.int96() ? Boolean.TRUE : leaves.nestedInt96() ? Boolean.FALSE : null;
        if (!firstFile.containsKey(name)) {
          firstFile.put(name, file);
          int96.put(name, value);
        } else if (!Objects.equals(int96.get(name), value) && read) {
          throw error(source + ": '" + name + "' holds INT96 timestamps"
              + " (Spark's default Parquet timestamps) in some files and other timestamps in others ("
              + firstFile.get(name) + ", " + file + "), which the DuckDB engine cannot read as one"
              + " column. Rewrite the files with spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS,"
              + " or read them on Spark.", null);
        }
      }
    }
    int96.values().removeIf(Objects::isNull);
    return int96;
  }

  /** What a top-level Parquet column holds: INT96 itself, INT96 inside it, UUIDs at any depth. */
  private record Leaves(boolean int96, boolean nestedInt96, boolean uuid) {}

  /** Every top-level column of a Parquet file, with what it holds. */
  private Map<String, Leaves> leaves(String file, Source source) {
    List<String[]> nodes = rows("SELECT name, type, num_children, logical_type"
        + " FROM parquet_schema(" + fileLiteral(file) + ")", source);
    Map<String, Leaves> columns = new HashMap<>();
    int[] at = {1};
    int count = nodes.isEmpty() || nodes.get(0)[2] == null ? 0 : Integer.parseInt(nodes.get(0)[2]);
    for (int i = 0; i < count && at[0] < nodes.size(); i++) {
      String[] column = nodes.get(at[0]);
      boolean[] found = new boolean[2]; // INT96, UUID
      skip(nodes, at, found);
      boolean self = "INT96".equals(column[1]);
      columns.put(column[0], new Leaves(self, found[0] && !self, found[1]));
    }
    return columns;
  }

  /** Skips the subtree at {@code at}, noting whether it holds an INT96 or a UUID leaf. */
  private static void skip(List<String[]> nodes, int[] at, boolean[] found) {
    String[] node = nodes.get(at[0]++);
    found[0] |= "INT96".equals(node[1]);
    found[1] |= node[3] != null && node[3].startsWith("UUIDType");
    int children = node[2] == null ? 0 : Integer.parseInt(node[2]);
    for (int i = 0; i < children && at[0] < nodes.size(); i++) {
      skip(nodes, at, found);
    }
  }

  private static boolean hasInstant(Field field) {
    if (field.getType() instanceof ArrowType.Timestamp t && t.getTimezone() != null) {
      return true;
    }
    for (Field child : field.getChildren()) {
      if (hasInstant(child)) {
        return true;
      }
    }
    return false;
  }


  /** The rows {@code sql} returns as text; a failure is one of reading {@code source}. */
  private List<String[]> rows(String sql, Source source) {
    try {
      return engine.rows(sql);
    } catch (EngineException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw error("cannot read " + source + ": " + cause.getMessage(), cause);
    }
  }
}

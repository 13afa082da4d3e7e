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
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@link DuckDbEngine#read}: a {@link Source}'s files as Spark reads them, with the declared
 * schema, as a query over DuckDB's reader ({@code read_parquet}, {@code read_csv}, {@code
 * read_json}). The files are listed as Spark lists them ({@link DataFiles}), partition
 * directories give columns, Parquet is read as Spark reads it ({@link ParquetSource}), CSV
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
    String path = DataFiles.localPath(source.path(), "cannot read " + source);
    Reads reads = Reads.path(Reads.localPath(path));
    Path root = Path.of(path); // a directory read as Spark reads one, or the file
    String file = path; // the file, as given
    List<Path> listed = null; // the files, absolute, if not only that file
    // Partition directories (key=value, as Spark's partitionBy writes them) give columns, read as
    // text (url-decoded) and cast to the declared type, as Spark does.
    // Each column's name as Spark reads it (its escapes undone) -> as DuckDB names it (as written).
    Map<String, String> partitions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    DataFiles.requireNotDelta(Reads.localPath(path), source.toString(), false);
    if (DataFiles.isGlob(path) && !Files.exists(root)) { // matched as Spark matches it
      List<Path> matches = DataFiles.matches(path, source);
      for (Path match : matches) { // the directories above them are the path's, checked
        if (Files.isDirectory(match.resolve("_delta_log"))) {
          throw EngineException.deltaTable(DuckDbEngine.NAME, source.toString(), match.toString(), false);
        }
      }
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
        return new DuckDbTable(engine,
            new ParquetSource(engine).query(source, files, paths, hive, declared, partitions), reads);
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
          requireCsvFields(paths, fileColumns, partitions.keySet(), source);
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
  private void requireCsvFields(
      List<String> files, List<String> declared, Set<String> partitions, Source source) {
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
      for (String field : source.header() ? fields : List.<String>of()) {
        if (partitions.stream().anyMatch(field::equalsIgnoreCase)) {
          throw EngineException.csvPartitionColumn(NAME, source, file, field);
        }
      }
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
      rows(engine, sql, source).forEach(row -> lines.add(row[0] == null ? "" : row[0]));
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



  /** The rows {@code sql} returns as text; a failure is one of reading {@code source}. */
  static List<String[]> rows(DuckDbEngine engine, String sql, Source source) {
    try {
      return engine.rows(sql);
    } catch (EngineException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw error("cannot read " + source + ": " + cause.getMessage(), cause);
    }
  }
}

package io.github.sparkarrow.duckdb;

import static io.github.sparkarrow.duckdb.DuckDbEngine.error;
import static io.github.sparkarrow.duckdb.DuckDbTypes.fileLiteral;
import static io.github.sparkarrow.duckdb.DuckDbTypes.literal;
import static io.github.sparkarrow.duckdb.DuckDbTypes.quote;

import io.github.sparkarrow.engine.EngineException;
import io.github.sparkarrow.engine.Source;
import io.github.sparkarrow.runtime.ArrowSchemas;
import io.github.sparkarrow.runtime.SchemaCompatibility;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Parquet {@link Source} as Spark reads it, for {@link SourceReader}: each distinct schema among
 * the files checked against the declared one by Spark's rules (its types for unsigned integers,
 * the columns it has no type for refused), and each value read as Spark's Parquet reader reads
 * it where DuckDB's CAST would read it otherwise (INT96 and naive timestamps, text written as
 * bytes, struct fields in another case).
 */
final class ParquetSource {

  /** Parquet's INTERVAL, as Spark names it ("Parquet type not yet supported: …"). */
  private static final String INTERVAL = "FIXED_LEN_BYTE_ARRAY (INTERVAL)";

  private final DuckDbEngine engine;

  ParquetSource(DuckDbEngine engine) {
    this.engine = engine;
  }

  /**
   * The query reading the Parquet {@code files} (a DuckDB list literal of {@code paths}; {@code
   * hive}: its partitioning options) as {@code declared}; {@code partitions}: each partition
   * column's name as Spark reads it, as DuckDB names it.
   */
  String query(Source source, String files, List<String> paths, String hive, Schema declared,
      Map<String, String> partitions) {
    List<String> columns = new ArrayList<>();
    // Each file's columns by name, as Spark reads them: DuckDB would otherwise take the first
    // file's columns for all, and a column added to later files would read as null.
    String scan = "read_parquet(" + files + ", union_by_name = true, " + hive + ")";
    List<String> schemas = filesOfEachSchema(files, paths, source);
    Map<String, Footer> footers = new LinkedHashMap<>();
    for (String file : schemas) {
      footers.put(file, footer(file, source));
    }
    Footer all = Footer.union(footers.values());
    Schema written = parquetSchema(scan, footers, all, source, declared, partitions);
    Map<String, Boolean> int96 = int96Columns(footers, source, declared);
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
        String converted = asSparkReads(column, field, found, field.getName(), all, source, 0);
        column = converted == null ? column : converted;
      }
      columns.add((partitions.containsKey(field.getName()) && found != null
          ? SparkParsing.partitionValue(field, column, source)
          : "CAST(" + column + " AS " + DuckDbTypes.sql(field) + ")") + " AS " + quote(field.getName()));
    }
    return "SELECT " + String.join(", ", columns) + " FROM " + scan;
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
   * declared name, which the CAST would leave as written. A list element that Spark reads as a
   * struct of one field where DuckDB reads that field itself ({@code footer}'s one-field elements,
   * by the element's path) is made that struct. A value of a type Spark has no type for, declared
   * as its raw type ({@code footer}'s unreadable values, by path), is read as that raw value.
   * {@code path} names the value in an error, {@code depth} its lambdas' variables.
   */
  private static String asSparkReads(String column, Field declared, Field written, String path,
      Footer footer, Source source, int depth) {
    String unreadable = footer.unreadable().get(key(path));
    if (unreadable != null) { // declared as its raw type, or refused up front
      return switch (unreadable) {
        case "TIMESTAMP(NANOS)", "TIME(NANOS)" -> "epoch_ns(" + column + ")";
        case "TIME(MICROS)" -> "epoch_us(" + column + ")";
        case "TIME(MILLIS)" -> "CAST(epoch_ms(" + column + ") AS INTEGER)";
        default -> "unhex(replace(CAST(" + column + " AS VARCHAR), '-', ''))"; // a UUID's bytes
      };
    }
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
      return struct(column, declared, written, false, path, footer, source, depth);
    }
    if (d instanceof ArrowType.List && w instanceof ArrowType.List) {
      Field element = declared.getChildren().get(0);
      Field writtenElement = written.getChildren().get(0);
      String read = footer.oneFieldElements().containsKey(key(path + "[]"))
          && element.getType() instanceof ArrowType.Struct
          && writtenElement.getType() instanceof ArrowType.Struct
          ? struct(x, element, writtenElement, true, path + "[]", footer, source, depth + 1)
          : asSparkReads(x, element, writtenElement, path + "[]", footer, source, depth + 1);
      return read == null ? null : "list_transform(" + column + ", lambda " + x + ": " + read + ")";
    }
    if (d instanceof ArrowType.Map && w instanceof ArrowType.Map) {
      List<Field> de = declared.getChildren().get(0).getChildren();
      List<Field> we = written.getChildren().get(0).getChildren();
      String key = asSparkReads(
          x + ".key", de.get(0), we.get(0), path + "{key}", footer, source, depth + 1);
      String value = asSparkReads(
          x + ".value", de.get(1), we.get(1), path + "{value}", footer, source, depth + 1);
      return key == null && value == null ? null
          : "CASE WHEN " + column + " IS NULL THEN NULL ELSE map_from_entries(list_transform("
              + "map_entries(" + column + "), lambda " + x + ": struct_pack(key := "
              + (key == null ? x + ".key" : key) + ", value := " + (value == null ? x + ".value" : value)
              + "))) END";
    }
    return null;
  }

  /**
   * The struct {@code column} as {@code declared} reads it, or null if DuckDB's CAST reads it so.
   * {@code oneField}: {@code column} is the value of {@code written}'s one field itself (DuckDB
   * reads a list element of one field so, Spark as the struct, never null).
   */
  private static String struct(String column, Field declared, Field written, boolean oneField,
      String path, Footer footer, Source source, int depth) {
    List<String> fields = new ArrayList<>();
    boolean converted = oneField;
    for (Field child : declared.getChildren()) {
      Field found = ArrowSchemas.byName(written.getChildren(), child.getName());
      String value = found == null ? "NULL" : oneField ? column : column + "." + quote(found.getName());
      String inner = found == null ? null : asSparkReads(
          value, child, found, path + "." + child.getName(), footer, source, depth + 1);
      // DuckDB's CAST keeps a field's written name where only its case differs: the declared one
      converted |= inner != null || found != null && !found.getName().equals(child.getName());
      fields.add(quote(child.getName()) + " := " + (inner == null ? value : inner));
    }
    String pack = "struct_pack(" + String.join(", ", fields) + ")";
    return !converted ? null
        : oneField ? pack : "CASE WHEN " + column + " IS NULL THEN NULL ELSE " + pack + " END";
  }

  /**
   * One file of each schema the Parquet {@code files} have (the first by name), in order: a
   * directory written over time holds several. A file whose schema DuckDB cannot read at all (a
   * map in Hive's old layout, which Spark reads) is refused, named ({@code paths}: the files).
   */
  private List<String> filesOfEachSchema(String files, List<String> paths, Source source) {
    String sql = "SELECT min(file_name) FROM (SELECT file_name, list_sort(list(concat_ws(':', name,"
        + " type, repetition_type, num_children, converted_type, scale, precision, logical_type)))"
        + " AS signature FROM parquet_schema(" + files + ") GROUP BY file_name) GROUP BY signature"
        + " ORDER BY 1";
    try {
      return engine.rows(sql).stream().map(row -> row[0]).toList();
    } catch (EngineException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (String.valueOf(cause.getMessage()).contains("MAP_KEY_VALUE requires two children")) {
        throw error(source + ": " + unreadableFooter(paths) + " holds a map in a layout older"
            + " writers used (a group annotated MAP_KEY_VALUE where the Parquet format has MAP, as"
            + " Hive wrote maps, or a map's entries of other than a key and a value), which DuckDB's"
            + " Parquet reader refuses, and with it every column of the file. Spark reads such a"
            + " group as a map, and the other columns of such a file: read it on the Spark engine,"
            + " or rewrite the files once (with Spark).", cause);
      }
      throw error("cannot read " + source + ": " + cause.getMessage(), cause);
    }
  }

  /** The first of {@code paths} whose schema DuckDB cannot read, or "a file" if none alone. */
  private String unreadableFooter(List<String> paths) {
    for (String path : paths) {
      try {
        engine.rows("SELECT count(*) FROM parquet_schema(" + fileLiteral(path) + ")");
      } catch (EngineException e) {
        return path;
      }
    }
    return "a file";
  }

  /**
   * The columns of the Parquet files ({@code scan}, all of them by name) that the declared schema
   * reads; each schema among them (one file of each, {@code footers}) checked against the declared
   * one by Spark's rules, as Spark reads each file. {@code all}: the {@link Footer} of all files.
   */
  private Schema parquetSchema(String scan, Map<String, Footer> footers, Footer all,
      Source source, Schema declared, Map<String, String> partitions) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Footer> footer : footers.entrySet()) {
      String file = footer.getKey();
      List<String> found = new ArrayList<>();
      Schema written = sparkStyle(exportedParquetSchema(
          "read_parquet(" + fileLiteral(file) + ", hive_partitioning = false)", declared,
          footer.getValue(), source), declared, footer.getValue(), found);
      footer.getValue().unreadable().forEach((path, type) -> {
        if (type.equals(INTERVAL) && ArrowSchemas.byName(declared.getFields(), column(path)) != null) {
          found.add(EngineException.unreadableParquetType(path, type)); // not exported, see there
        }
      });
      found.addAll(SchemaCompatibility.canRead(declared, written).problems());
      String where = footers.size() > 1 ? "in " + file + ": " : "";
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
    return sparkStyle(exportedParquetSchema(scan, asScanned, all, source), asScanned, all,
        new ArrayList<>());
  }

  /**
   * DuckDB's types of the columns of {@code scan} that {@code declared} reads, but for those that
   * hold an INTERVAL ({@code footer}'s): DuckDB hands one to Java as Arrow's MonthDayNano interval,
   * which Arrow Java 12 cannot import (the rest of the file could not be read at all).
   */
  private Schema exportedParquetSchema(String scan, Schema declared, Footer footer, Source source) {
    List<String> intervals = footer.unreadable().entrySet().stream()
        .filter(entry -> entry.getValue().equals(INTERVAL)).map(entry -> column(entry.getKey()))
        .toList();
    List<String> read = SourceReader.rows(engine,
            "SELECT column_name FROM (DESCRIBE SELECT * FROM " + scan + ")", source).stream()
        .map(row -> row[0])
        .filter(name -> ArrowSchemas.byName(declared.getFields(), name) != null
            && !intervals.contains(key(name)))
        .map(DuckDbTypes::quote)
        .toList();
    if (read.isEmpty()) {
      return new Schema(List.of());
    }
    try {
      return engine.exportedSchema("SELECT " + String.join(", ", read) + " FROM " + scan + " LIMIT 0");
    } catch (EngineException e) {
      throw error("cannot read " + source + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * The columns of {@code exported} that {@code declared} reads, as Spark types by what the files'
   * {@code footer} says (list elements of one field, values Spark has no type for); problems added.
   */
  private static Schema sparkStyle(Schema exported, Schema declared, Footer footer,
      List<String> problems) {
    List<Field> read = new ArrayList<>();
    for (Field field : exported.getFields()) {
      Field reader = ArrowSchemas.byName(declared.getFields(), field.getName());
      Field typed = reader == null ? null : asSparkTypes(
          withStructElements(field, field.getName(), footer.oneFieldElements()), reader,
          field.getName(), footer, problems);
      if (typed != null) {
        read.add(typed);
      }
    }
    return DuckDbTypes.sparkStyle(new Schema(read), "UTC", problems);
  }

  /**
   * {@code field} (DuckDB's type of a Parquet column) with each list element that Spark reads as
   * a struct of one field ({@code oneFieldElements}, by path) made that struct, never null, as
   * Spark types it; {@code path}: {@code field}'s.
   */
  private static Field withStructElements(
      Field field, String path, Map<String, String> oneFieldElements) {
    List<Field> children = new ArrayList<>();
    ArrowType type = field.getType();
    if (type instanceof ArrowType.List) {
      Field element = field.getChildren().get(0);
      String name = oneFieldElements.get(key(path + "[]"));
      children.add(name == null ? withStructElements(element, path + "[]", oneFieldElements)
          : new Field(element.getName(), new FieldType(false, ArrowType.Struct.INSTANCE, null),
              List.of(withStructElements(new Field(name, element.getFieldType(), element.getChildren()),
                  path + "[]." + name, oneFieldElements))));
    } else if (type instanceof ArrowType.Map) {
      Field entries = field.getChildren().get(0);
      children.add(new Field(entries.getName(), entries.getFieldType(), List.of(
          withStructElements(entries.getChildren().get(0), path + "{key}", oneFieldElements),
          withStructElements(entries.getChildren().get(1), path + "{value}", oneFieldElements))));
    } else {
      for (Field child : field.getChildren()) {
        children.add(withStructElements(child, path + "." + child.getName(), oneFieldElements));
      }
    }
    return new Field(field.getName(), field.getFieldType(), children);
  }

  /** A path as a {@link Footer}'s maps hold it: names match in any case, as Spark matches them. */
  private static String key(String path) {
    return path.toLowerCase(Locale.ROOT);
  }

  /** The top-level column of a {@link #key}: its name up to the first {@code .}, {@code [} or {@code {}. */
  private static String column(String path) {
    int end = path.length();
    for (char c : new char[] {'.', '[', '{'}) {
      int at = path.indexOf(c);
      end = at >= 0 ? Math.min(end, at) : end;
    }
    return path.substring(0, end);
  }

  /**
   * {@code field} as Spark's Parquet reader types it (problems added), or null if Spark 3.5 has no
   * type for it or for a value inside it that {@code declared} reads ({@code unreadable}, by path:
   * a TIME, a nanosecond timestamp as pandas writes its datetimes, a UUID), a problem added that
   * both engines name alike; such a value declared as its raw type (a BIGINT of nanoseconds, a
   * UUID's BINARY) is typed so, as Spark reads it. Struct fields {@code declared} leaves out are
   * left out, as Spark leaves them unread. Unsigned integers (pandas', Arrow's and DuckDB's
   * UINT columns) are typed as Spark types them: UINT8 as SMALLINT, UINT16 as INT, UINT32 as
   * BIGINT, UINT64 as DECIMAL(20,0), each then read by Spark's rules (a UINT8 as INT, not as
   * TINYINT, which Spark would read 200 as -56). DuckDB's CAST to the declared type is exact for
   * them all. Spark reads a UINT64 as no wider DECIMAL, though it widens a DECIMAL(20,0) it wrote.
   * A value of Parquet's NULL type (DuckDB's type NULL) is typed as Spark types its physical type.
   */
  private static Field asSparkTypes(Field field, Field declared, String path, Footer footer,
      List<String> problems) {
    ArrowType type = field.getType();
    String parquetType = footer.unreadable().get(key(path));
    if (parquetType != null) {
      ArrowType raw = EngineException.rawParquetType(parquetType);
      if (declared != null && declared.getType().equals(raw)) {
        if (parquetType.startsWith("DECIMAL(")) { // DuckDB reads it as a DOUBLE, rounded
          problems.add(path + ": written as Parquet's " + parquetType + ", which Spark 3.5 reads"
              + " only as its unscaled value's bytes, and the DuckDB engine cannot read so (DuckDB"
              + " reads a decimal of more than 38 digits as a rounded DOUBLE). Read it on the Spark"
              + " engine, or write it as a DECIMAL of at most 38 digits.");
          return null;
        }
        return new Field(field.getName(), new FieldType(field.isNullable(), raw, null), List.of());
      }
      problems.add(EngineException.unreadableParquetType(path, parquetType));
      return null;
    }
    ArrowType nullTyped = footer.nulls().get(key(path));
    if (type instanceof ArrowType.Null && nullTyped != null) {
      type = nullTyped; // DuckDB's CAST reads a NULL as any type
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
            path + "{" + child.getName() + "}", footer, problems);
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
        if (reader == null && !list && declared != null
            && declared.getType() instanceof ArrowType.Struct) {
          continue; // a field the declared struct leaves out, which Spark does not read
        }
        Field typed = asSparkTypes(child, reader, list ? path + "[]" : path + "." + child.getName(),
            footer, problems);
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
   * The top-level columns of the Parquet files (one of each schema, {@code footers}) that hold
   * INT96 timestamps: true if the column is one, false if one is nested inside it. A column {@code
   * declared} reads that holds them in some files and not in others is refused: DuckDB reads the
   * two as different types.
   */
  private Map<String, Boolean> int96Columns(Map<String, Footer> footers, Source source,
      Schema declared) {
    Map<String, Boolean> int96 = new HashMap<>(); // a column's value in the first file that has it
    Map<String, String> firstFile = new HashMap<>();
    for (Map.Entry<String, Footer> footer : footers.entrySet()) {
      String file = footer.getKey();
      for (Map.Entry<String, Leaves> column : footer.getValue().columns().entrySet()) {
        String name = column.getKey();
        Leaves leaves = column.getValue();
        boolean read = ArrowSchemas.byName(declared.getFields(), name) != null;
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

  /** What a top-level Parquet column holds: INT96 itself, or INT96 inside it. */
  private record Leaves(boolean int96, boolean nestedInt96) {}

  /**
   * What a Parquet file's schema says that DuckDB's types of its columns do not: each top-level
   * column's {@link Leaves}; the list elements that Spark reads as a struct of one field where
   * DuckDB reads the field itself, by the element's path (as {@code asSparkTypes} names it, {@code
   * tags[]}) to the field's name; the values of a type Spark 3.5 has none for, by path, to that
   * type as {@link EngineException#unreadableParquetType} names it ({@code TIMESTAMP(NANOS)}); the
   * values of Parquet's NULL type (a column of only nulls: pandas' and DuckDB's), by path, to the
   * type Spark reads them as, their physical type's ({@code INT32} as INT), where DuckDB's type is
   * NULL.
   */
  private record Footer(Map<String, Leaves> columns, Map<String, String> oneFieldElements,
      Map<String, String> unreadable, Map<String, ArrowType> nulls) {

    Footer() {
      this(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    /** What {@code footers} say of the values at each path (their columns' leaves aside). */
    static Footer union(Collection<Footer> footers) {
      Footer all = new Footer();
      for (Footer footer : footers) {
        all.oneFieldElements().putAll(footer.oneFieldElements());
        all.unreadable().putAll(footer.unreadable());
        all.nulls().putAll(footer.nulls());
      }
      return all;
    }
  }

  /** The {@link Footer} of a Parquet file. */
  private Footer footer(String file, Source source) {
    List<String[]> nodes = SourceReader.rows(engine, "SELECT name, type, num_children, logical_type,"
        + " repetition_type, converted_type, precision, scale FROM parquet_schema("
        + fileLiteral(file) + ")", source);
    Footer footer = new Footer();
    int[] at = {1};
    int count = nodes.isEmpty() ? 0 : children(nodes.get(0));
    for (int i = 0; i < count && at[0] < nodes.size(); i++) {
      String[] column = nodes.get(at[0]);
      boolean[] int96 = new boolean[1];
      walk(nodes, at, column[0], null, null, int96, footer);
      boolean self = "INT96".equals(column[1]);
      footer.columns().put(column[0], new Leaves(self, int96[0] && !self));
    }
    return footer;
  }

  /**
   * Walks the subtree at {@code at} (its value's path {@code path}; its parent's name and
   * annotation, LIST, MAP or null, {@code parent} and {@code parentType}), noting whether it holds
   * an INT96 leaf, where its values of types Spark has none for are (a decimal of more than 38
   * digits among them), where its values of Parquet's NULL type are, and each list element of one
   * field that Spark reads as a struct.
   *
   * <p>DuckDB reads a repeated group of one field as a list of that field, always; Spark reads it so
   * only as the repeated group of a LIST, and one named {@code array} (parquet-avro's) or {@code
   * <list>_tuple} (parquet-thrift's) there, or one outside a LIST (protobuf's repeated messages),
   * as a list of structs: the Parquet format's rules for lists written before it had them.
   */
  private static void walk(List<String[]> nodes, int[] at, String path, String parent,
      String parentType, boolean[] int96, Footer footer) {
    String[] node = nodes.get(at[0]++);
    int96[0] |= "INT96".equals(node[1]);
    int children = children(node);
    boolean repeated = "REPEATED".equals(node[4]);
    String type = node[5];
    String logical = node[3] == null ? "" : node[3];
    String sparkHasNone = logical.startsWith("UUIDType") ? "UUID"
        : logical.startsWith("TimestampType") && logical.contains("NANOS=NanoSeconds()") ? "TIMESTAMP(NANOS)"
        : logical.startsWith("TimeType") ? "TIME(" + (logical.contains("MILLIS=MilliSeconds()") ? "MILLIS"
            : logical.contains("MICROS=MicroSeconds()") ? "MICROS" : "NANOS") + ")"
        : "TIME_MILLIS".equals(type) ? "TIME(MILLIS)" : "TIME_MICROS".equals(type) ? "TIME(MICROS)"
        : "INTERVAL".equals(type) ? INTERVAL
        : "DECIMAL".equals(type) && node[6] != null && Integer.parseInt(node[6]) > 38
        ? "DECIMAL(" + node[6] + "," + node[7] + ")" : null;
    String here = key(repeated ? path + "[]" : path);
    if (sparkHasNone != null) {
      footer.unreadable().put(here, sparkHasNone);
    }
    if (logical.startsWith("NullType") && node[1] != null) { // as Spark types its physical type
      footer.nulls().put(here, switch (node[1]) {
        case "BOOLEAN" -> ArrowType.Bool.INSTANCE;
        case "INT32" -> new ArrowType.Int(32, true);
        case "INT64" -> new ArrowType.Int(64, true);
        case "FLOAT" -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        case "DOUBLE" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        default -> ArrowType.Binary.INSTANCE; // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY
      });
    }
    if (children == 0 || at[0] >= nodes.size()) {
      return;
    }
    if (children == 1 && repeated) { // a list of its one field, to DuckDB
      String field = nodes.get(at[0])[0];
      boolean struct = "LIST".equals(parentType)
          ? node[0].equals("array") || node[0].equals(parent + "_tuple")
          : !"MAP".equals(parentType);
      if (struct) {
        footer.oneFieldElements().put(key(path + "[]"), field);
      }
      walk(nodes, at, struct ? path + "[]." + field : path + "[]", node[0], null, int96, footer);
    } else if (children == 1 && ("LIST".equals(type) || "MAP".equals(type))) { // pulled up
      walk(nodes, at, path, node[0], type, int96, footer);
    } else if (children == 2 && repeated
        && ("MAP".equals(parentType) || "MAP_KEY_VALUE".equals(type))) { // a map's entries
      walk(nodes, at, path + "{key}", node[0], null, int96, footer);
      walk(nodes, at, path + "{value}", node[0], null, int96, footer);
    } else {
      for (int i = 0; i < children && at[0] < nodes.size(); i++) {
        walk(nodes, at, (repeated ? path + "[]." : path + ".") + nodes.get(at[0])[0], node[0],
            null, int96, footer);
      }
    }
  }

  private static int children(String[] node) {
    return node[2] == null ? 0 : Integer.parseInt(node[2]);
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
}

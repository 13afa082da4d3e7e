package io.github.sparkarrow.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads back the field lines of a schema snapshot: {@code `name`: <ArrowType.toString()>[ not
 * null]}, two more spaces of indent per level of nesting.
 */
final class ArrowTypeText {

  private static final Pattern LINE = Pattern.compile("( *)`((?:[^`]|``)*)`: (.+?)( not null)?");
  private static final Pattern CALL = Pattern.compile("(\\w+)(?:\\((.*)\\))?");

  private ArrowTypeText() {}

  static Schema schema(List<String> lines, String source) {
    List<String> fieldLines = new ArrayList<>();
    for (String line : lines) {
      if (!line.isBlank()) {
        fieldLines.add(line);
      }
    }
    int[] at = {0};
    List<Field> fields = new ArrayList<>();
    while (at[0] < fieldLines.size()) {
      fields.add(field(fieldLines, at, 2, source));
    }
    return new Schema(fields);
  }

  private static Field field(List<String> lines, int[] at, int indent, String source) {
    String line = lines.get(at[0]);
    Matcher m = LINE.matcher(line);
    if (!m.matches() || m.group(1).length() != indent) {
      throw new IllegalArgumentException(
          source + ": line '" + line + "' is not a field of the snapshot (indent " + indent + ")");
    }
    at[0]++;
    List<Field> children = new ArrayList<>();
    while (at[0] < lines.size() && indentOf(lines.get(at[0])) > indent) {
      children.add(field(lines, at, indent + 2, source));
    }
    ArrowType type = type(m.group(3), source);
    return new Field(
        m.group(2).replace("``", "`"), new FieldType(m.group(4) == null, type, null), children);
  }

  private static int indentOf(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** The Arrow type whose {@code toString()} is {@code text}, for every type a record can have. */
  static ArrowType type(String text, String source) {
    Matcher m = CALL.matcher(text);
    if (!m.matches()) {
      throw unknown(text, source);
    }
    String[] args = m.group(2) == null ? new String[0] : m.group(2).split(", ");
    switch (m.group(1)) {
      case "Int":
        return new ArrowType.Int(Integer.parseInt(args[0]), Boolean.parseBoolean(args[1]));
      case "FloatingPoint":
        return new ArrowType.FloatingPoint(FloatingPointPrecision.valueOf(args[0]));
      case "Utf8":
        return ArrowType.Utf8.INSTANCE;
      case "LargeUtf8":
        return ArrowType.LargeUtf8.INSTANCE;
      case "Binary":
        return ArrowType.Binary.INSTANCE;
      case "LargeBinary":
        return ArrowType.LargeBinary.INSTANCE;
      case "Bool":
        return ArrowType.Bool.INSTANCE;
      case "Decimal":
        return new ArrowType.Decimal(
            Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      case "Date":
        return new ArrowType.Date(DateUnit.valueOf(args[0]));
      case "Timestamp":
        return new ArrowType.Timestamp(
            TimeUnit.valueOf(args[0]), args[1].equals("null") ? null : args[1]);
      case "Duration":
        return new ArrowType.Duration(TimeUnit.valueOf(args[0]));
      case "Interval":
        return new ArrowType.Interval(IntervalUnit.valueOf(args[0]));
      case "List":
        return ArrowType.List.INSTANCE;
      case "Struct":
        return ArrowType.Struct.INSTANCE;
      case "Map":
        return new ArrowType.Map(Boolean.parseBoolean(args[0]));
      default:
        throw unknown(text, source);
    }
  }

  private static IllegalArgumentException unknown(String text, String source) {
    return new IllegalArgumentException(source + ": unknown Arrow type '" + text + "'");
  }
}

package io.github.sparkarrow.processor.emit;

import io.github.sparkarrow.processor.model.Column;
import io.github.sparkarrow.processor.model.RecordModel;
import io.github.sparkarrow.processor.model.SqlType;
import java.util.StringJoiner;

/**
 * Renders a record as one line of Spark DDL: {@code `id` BIGINT NOT NULL, `name` STRING COMMENT
 * 'x'}. Every identifier is back-quoted (so reserved words and odd characters are safe) and the
 * result parses with Spark's {@code StructType.fromDDL}. DDL cannot say that an array element or a
 * map value is NOT NULL; the Arrow schema and the Spark {@code StructType} carry that.
 */
public final class SparkDdlEmitter {

  private SparkDdlEmitter() {}

  public static String ddl(RecordModel record) {
    return fields(record, " ");
  }

  /** Spark's DDL type name of a SQL type, e.g. {@code ARRAY<DECIMAL(18,2)>}. */
  public static String typeName(SqlType type) {
    return type.accept(TYPE_NAME);
  }

  /** {@code `a``b`}: back-quoted, inner back-quotes doubled, as Spark's parser reads them. */
  public static String quoteIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /**
   * A single-quoted Spark string literal. Spark's parser unescapes backslash sequences, so a
   * backslash and a quote are escaped, and line breaks and tabs too, to keep the DDL on one line.
   */
  public static String quoteString(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\'':
          out.append("\\'");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          out.append(c);
      }
    }
    return out.append('\'').toString();
  }

  /** Top level uses {@code `name` TYPE}, a STRUCT {@code `name`: TYPE}. */
  private static String fields(RecordModel record, String separator) {
    StringJoiner joined = new StringJoiner(", ");
    for (Column column : record.columns()) {
      StringBuilder field =
          new StringBuilder(quoteIdentifier(column.name()))
              .append(separator)
              .append(typeName(column.value().type()));
      if (!column.value().nullable()) {
        field.append(" NOT NULL");
      }
      if (column.hasComment()) {
        field.append(" COMMENT ").append(quoteString(column.comment()));
      }
      joined.add(field);
    }
    return joined.toString();
  }

  private static final SqlType.Visitor<String> TYPE_NAME =
      new SqlType.Visitor<>() {
        @Override
        public String primitive(SqlType.Primitive type) {
          return type.kind().sparkName();
        }

        @Override
        public String text(SqlType.Text type) {
          return "STRING";
        }

        @Override
        public String binary(SqlType.Binary type) {
          return "BINARY";
        }

        @Override
        public String decimal(SqlType.Decimal type) {
          return "DECIMAL(" + type.precision() + "," + type.scale() + ")";
        }

        @Override
        public String temporal(SqlType.Temporal type) {
          return type.kind().sparkName();
        }

        @Override
        public String list(SqlType.ListOf type) {
          return "ARRAY<" + typeName(type.element().type()) + ">";
        }

        @Override
        public String map(SqlType.MapOf type) {
          return "MAP<" + typeName(type.key().type()) + ", " + typeName(type.value().type()) + ">";
        }

        @Override
        public String struct(SqlType.Struct type) {
          return "STRUCT<" + fields(type.record(), ": ") + ">";
        }
      };
}

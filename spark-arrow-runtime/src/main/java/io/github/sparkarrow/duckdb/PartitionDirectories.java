package io.github.sparkarrow.duckdb;

import io.github.sparkarrow.engine.PartitionColumns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The partition directories DuckDB's {@code COPY … (PARTITION_BY …)} writes, renamed as Spark's
 * {@code partitionBy} names them. DuckDB escapes a name or value as a URL does (every byte of its
 * UTF-8 outside {@code A-Z a-z 0-9 - _ . ~}: {@code %C3%A9} for {@code é}, {@code %20} for a space);
 * Spark escapes only the characters Hive's {@code FileUtils} lists ({@code %3A} for {@code :}) and
 * reads each {@code %XX} back as one character, so it would read DuckDB's {@code %C3%A9} as two.
 */
final class PartitionDirectories {

  private PartitionDirectories() {}

  /**
   * Renames the directories under {@code root}, one level per partition column in {@code names}'
   * order, from DuckDB's escapes to Spark's.
   */
  static void renameAsSpark(Path root, List<String> names) throws IOException {
    List<Path> level = List.of(root);
    for (String name : names) {
      List<Path> next = new ArrayList<>();
      for (Path directory : level) {
        try (Stream<Path> children = Files.list(directory)) {
          for (Path child : children.filter(Files::isDirectory).toList()) {
            String duckdb = child.getFileName().toString();
            int equals = duckdb.indexOf('=');
            if (equals < 0) {
              throw new IOException("DuckDB wrote " + child + ", not a directory " + name + "=…");
            }
            String value = duckdb.substring(equals + 1);
            String spark = PartitionColumns.escape(name) + "=" + (value.equals(PartitionColumns.NULL_VALUE)
                ? value : PartitionColumns.escape(unescape(value)));
            Path renamed = child.resolveSibling(spark);
            if (!renamed.equals(child)) {
              Files.move(child, renamed);
            }
            next.add(renamed);
          }
        }
      }
      level = next;
    }
  }

  /** DuckDB's URL escapes undone: each {@code %XX} a byte of UTF-8. */
  static String unescape(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    int plain = 0; // where the text not yet copied starts
    for (int i = 0; i + 2 < text.length(); i++) {
      if (text.charAt(i) == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
        bytes.writeBytes(text.substring(plain, i).getBytes(StandardCharsets.UTF_8));
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 2;
        plain = i + 1;
      }
    }
    bytes.writeBytes(text.substring(plain).getBytes(StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String text, int i) {
    return Character.digit(text.charAt(i), 16) >= 0;
  }
}

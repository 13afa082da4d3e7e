package io.github.sparkarrow.processor.model;

import java.util.Locale;

/** Column naming rules, as documented on {@code ColumnNaming}. */
public final class ColumnNames {

  private ColumnNames() {}

  /**
   * {@code intCol} → {@code int_col}; {@code httpURLValue} → {@code http_url_value}; {@code
   * line2Total} → {@code line2_total}; {@code already_snake} stays.
   */
  public static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && out.charAt(out.length() - 1) != '_') {
        char previous = name.charAt(i - 1);
        boolean afterLowerOrDigit = Character.isLowerCase(previous) || Character.isDigit(previous);
        boolean endsAcronym =
            Character.isUpperCase(previous)
                && i + 1 < name.length()
                && Character.isLowerCase(name.charAt(i + 1));
        if (afterLowerOrDigit || endsAcronym) {
          out.append('_');
        }
      }
      out.append(c);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}

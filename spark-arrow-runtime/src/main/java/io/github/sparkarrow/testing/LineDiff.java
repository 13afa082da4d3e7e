package io.github.sparkarrow.testing;

import java.util.List;

/** A line diff (longest common subsequence) for small texts: changed lines and one line around. */
final class LineDiff {

  private LineDiff() {}

  static String of(List<String> before, List<String> after) {
    int n = before.size();
    int m = after.size();
    int[][] common = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] =
            before.get(i).equals(after.get(j))
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int j = 0;
    String kept = null;
    boolean skipped = false;
    while (i < n || j < m) {
      if (i < n && j < m && before.get(i).equals(after.get(j))) {
        if (kept != null && !kept.isEmpty()) {
          skipped = true;
        }
        kept = before.get(i);
        i++;
        j++;
        continue;
      }
      if (kept != null) {
        out.append(skipped ? "  …\n" : "").append("  ").append(kept).append('\n');
        kept = null;
        skipped = false;
      }
      if (j < m && (i >= n || common[i][j + 1] >= common[i + 1][j])) {
        out.append("+ ").append(after.get(j++)).append('\n');
      } else {
        out.append("- ").append(before.get(i++)).append('\n');
      }
    }
    return out.toString();
  }
}

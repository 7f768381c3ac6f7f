package io.grokgrid.jobs.spec;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints for misspelt keys, by edit distance. */
final class Suggest {
  private Suggest() {}

  /** {@code " (did you mean 'x'?)"} for the nearest candidate within distance 2 or a third of the length, else "". */
  static String didYouMean(String typed, Collection<String> candidates) {
    String best = null;
    int bestDist = Integer.MAX_VALUE;
    String t = typed.toLowerCase(Locale.ROOT);
    for (String c : candidates) {
      int dist = distance(t, c.toLowerCase(Locale.ROOT));
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    int allowed = Math.max(2, typed.length() / 3);
    return best != null && bestDist <= allowed ? " (did you mean '" + best + "'?)" : "";
  }

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}

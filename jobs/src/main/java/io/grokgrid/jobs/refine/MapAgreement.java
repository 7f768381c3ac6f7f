package io.grokgrid.jobs.refine;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well a refined map reproduces a full grid of its finest resolution: at each point of the
 * full grid, the refined map's outcome is that of its nearest evaluated point (Euclidean distance
 * in finest lattice steps, within the point's combination of the other axes); among equally near
 * ones the most common, ties to the alphabetically first. Inside a cell whose corners agree that
 * is the corners' outcome. The same rule as {@code analysis/sql/refine_agreement.sql}.
 */
public final class MapAgreement {
  private MapAgreement() {}

  /** The majority of {@code labels} (ties to the alphabetically first), or null when empty. */
  public static String majority(List<String> labels) {
    Map<String, Integer> n = new TreeMap<>();
    labels.forEach(l -> n.merge(l, 1, Integer::sum));
    return mostCommon(n);
  }

  private static String mostCommon(Map<String, Integer> counts) {
    String pick = null;
    int most = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) { // alphabetical
      if (e.getValue() > most) {
        pick = e.getKey();
        most = e.getValue();
      }
    }
    return pick;
  }

  /** The refined map's outcome at finest point {@code g}, from the evaluated points' outcomes. */
  public static String predict(RefineLattice lattice, Map<Long, String> evaluated, long g) {
    long other = lattice.other(g);
    long best = Long.MAX_VALUE;
    Map<String, Integer> near = new TreeMap<>();
    for (Map.Entry<Long, String> e : evaluated.entrySet()) {
      if (lattice.other(e.getKey()) != other) {
        continue;
      }
      long dist = 0;
      for (int j = 0; j < lattice.dims(); j++) {
        long dj = lattice.index(e.getKey(), j) - lattice.index(g, j);
        dist += dj * dj;
      }
      if (dist < best) {
        best = dist;
        near.clear();
      }
      if (dist == best) {
        near.merge(e.getValue(), 1, Integer::sum);
      }
    }
    return mostCommon(near);
  }

  /** The share of the full grid's points whose outcome the refined map gives. */
  public static double share(RefineLattice lattice, Map<Long, String> refined, Map<Long, String> full) {
    long agree = 0;
    for (Map.Entry<Long, String> e : full.entrySet()) {
      if (e.getValue().equals(predict(lattice, refined, e.getKey()))) {
        agree++;
      }
    }
    return (double) agree / full.size();
  }
}

package io.grokgrid.analysis.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokgrid.vocab.SpecKeys;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A refined sweep's map at its resolution (README, "Refined phase maps"): the finest lattice of
 * its refined axes, read from the spec in {@code sweep.json}, and a category for every lattice
 * point, that of its nearest evaluated point (distance in lattice steps; among equally near ones
 * the most common, ties to the alphabetically first; the rule of
 * {@code analysis/sql/refine_agreement.sql}). Inside a cell whose corners agree every lattice point
 * takes their category, so the map shows cells of different sizes.
 */
final class RefinedMap {
  private RefinedMap() {}

  /**
   * One refined axis: {@code size} values from {@code from} to {@code to}, evenly in the value or
   * in its logarithm (as the jobs module's AxisRange).
   */
  record Axis(String name, double from, double to, int size, boolean log) {
    /** The lattice index of value {@code v} (rounded: stored values carry the formula's bits). */
    int index(double v) {
      double t = log ? (Math.log10(v) - Math.log10(from)) / (Math.log10(to) - Math.log10(from))
          : (v - from) / (to - from);
      return (int) Math.round(t * (size - 1));
    }
  }

  /**
   * @param axes the refined axes, in the spec's order
   * @param levels refinement levels (level 0's spacing is {@code 2^levels} lattice steps)
   * @param fullRuns runs of a full grid of the finest resolution (every axis, every replicate)
   */
  record Lattice(List<Axis> axes, int levels, long fullRuns) {
    /** The refined axis {@code name}, or null. */
    Axis axis(String name) {
      return axes.stream().filter(a -> a.name().equals(name)).findFirst().orElse(null);
    }
  }

  /** The lattice of a refined sweep's spec (sweep.json's {@code spec}), or null for a plain grid. */
  static Lattice of(JsonNode spec) {
    if (spec == null || !spec.has(SpecKeys.REFINE)) {
      return null;
    }
    JsonNode refine = spec.path(SpecKeys.REFINE);
    int levels = refine.path(SpecKeys.LEVELS).asInt();
    List<String> names = new ArrayList<>();
    refine.path(SpecKeys.AXES).forEach(n -> names.add(n.asText()));
    List<Axis> axes = new ArrayList<>();
    long full = Math.max(1, spec.path(SpecKeys.REPLICATES).asLong(1));
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.path(SpecKeys.GRID).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      int size;
      if (v.isArray()) {
        size = v.size();
      } else {
        int points = v.path(SpecKeys.POINTS).asInt();
        boolean refined = names.contains(e.getKey());
        size = refined ? (points - 1) * (1 << levels) + 1 : points;
        if (refined) {
          axes.add(new Axis(e.getKey(), v.path(SpecKeys.FROM).asDouble(), v.path(SpecKeys.TO).asDouble(), size,
              SpecKeys.LOG.equals(v.path(SpecKeys.SCALE).asText(SpecKeys.LINEAR))));
        }
      }
      full *= size;
    }
    return new Lattice(axes, levels, full);
  }

  /**
   * The category of every lattice point of {@code x} x {@code y}, indexed [x index][y index], from
   * the evaluated cells (whose {@code i}, {@code j} index {@code xs}, {@code ys}).
   */
  static int[][] raster(Axis x, Axis y, List<Object> xs, List<Object> ys, List<PhaseDiagramChart.Cell> cells) {
    int n = cells.size();
    int[] ci = new int[n];
    int[] cj = new int[n];
    for (int k = 0; k < n; k++) {
      ci[k] = x.index(((Number) xs.get(cells.get(k).i())).doubleValue());
      cj[k] = y.index(((Number) ys.get(cells.get(k).j())).doubleValue());
    }
    int[][] out = new int[x.size()][y.size()];
    for (int a = 0; a < x.size(); a++) {
      for (int b = 0; b < y.size(); b++) {
        long best = Long.MAX_VALUE;
        Map<String, Integer> near = new TreeMap<>();
        Map<String, Integer> category = new TreeMap<>();
        for (int k = 0; k < n; k++) {
          long d = (long) (ci[k] - a) * (ci[k] - a) + (long) (cj[k] - b) * (cj[k] - b);
          if (d < best) {
            best = d;
            near.clear();
          }
          if (d == best) {
            int c = cells.get(k).category();
            String name = PhaseDiagramChart.CELL_CATEGORIES.get(c);
            near.merge(name, 1, Integer::sum);
            category.put(name, c);
          }
        }
        String pick = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : near.entrySet()) { // alphabetical
          if (e.getValue() > most) {
            pick = e.getKey();
            most = e.getValue();
          }
        }
        out[a][b] = pick == null ? PhaseDiagramChart.NO_PHASE : category.get(pick);
      }
    }
    return out;
  }

  /** Tick labels of a lattice axis: the level-0 values, blank between them. */
  static String[] labels(Axis axis, int levels) {
    String[] s = new String[axis.size()];
    int stride = 1 << levels;
    for (int i = 0; i < s.length; i++) {
      s[i] = i % stride == 0 ? Fmt.num(value(axis, i)) : "";
    }
    return s;
  }

  /** Lattice value {@code i} of {@code axis} (as the jobs module's AxisRange computes it). */
  static double value(Axis axis, int i) {
    if (i == 0) {
      return axis.from();
    }
    if (i == axis.size() - 1) {
      return axis.to();
    }
    double t = (double) i / (axis.size() - 1);
    return axis.log()
        ? Math.pow(10, Math.log10(axis.from()) + (Math.log10(axis.to()) - Math.log10(axis.from())) * t)
        : axis.from() + (axis.to() - axis.from()) * t;
  }
}

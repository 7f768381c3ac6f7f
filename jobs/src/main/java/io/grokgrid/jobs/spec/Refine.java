package io.grokgrid.jobs.spec;

import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.SpecKeys;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code refine:} block of a spec: adaptive refinement of 1 to 3 range axes where neighbouring
 * grid points disagree on an outcome. Level 0 is the coarse grid of the ranges; each further level
 * halves the spacing inside the cells whose corner points disagree (majority over replicates).
 * Points live on the finest lattice ({@code (points - 1) * 2^levels + 1} values per axis), see
 * {@link AxisRange}.
 *
 * @param axes the refined axes, grid axes given as ranges, in the grid's order
 * @param by the outcome that must agree: {@link Columns#PHASE}, {@link Columns#GROKKED}, or a
 *     numeric column of runs or grokking binned by {@code bins}
 * @param bins ascending cut points of a numeric {@code by} (a value v falls in bin k when k cuts
 *     are <= v); empty for phase and grokked
 * @param levels refinement levels after level 0, in [1, {@link #MAX_LEVELS}]
 * @param maxRuns most runs of the whole sweep (0: no bound): a level that would pass it is not
 *     started
 */
public record Refine(List<String> axes, String by, List<Double> bins, int levels, long maxRuns)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Most refinement levels: 2^8 = 256 finest steps per coarse step. */
  public static final int MAX_LEVELS = 8;
  /** Most refined axes (cells have 2^axes corners). */
  public static final int MAX_AXES = 3;
  /** The categorical outcomes; other values of {@code by} are numeric columns with bins. */
  public static final List<String> CATEGORICAL = List.of(Columns.PHASE, Columns.GROKKED);

  public Refine {
    axes = List.copyOf(axes);
    bins = List.copyOf(bins);
  }

  /** Whether the outcome is a numeric column cut into bins. */
  public boolean binned() {
    return !CATEGORICAL.contains(by);
  }

  /** The outcome label of one run's value of {@link #by} (null: the run has none, e.g. failed). */
  public String label(Object value) {
    if (value == null) {
      return "none";
    }
    if (!binned()) {
      return String.valueOf(value);
    }
    double v = ((Number) value).doubleValue();
    if (Double.isNaN(v)) {
      return "none";
    }
    int k = 0;
    while (k < bins.size() && bins.get(k) <= v) {
      k++;
    }
    return "bin" + k;
  }

  /** The block as in the spec. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(SpecKeys.AXES, new ArrayList<>(axes));
    m.put(SpecKeys.BY, by);
    if (!bins.isEmpty()) {
      m.put(SpecKeys.BINS, new ArrayList<>(bins));
    }
    m.put(SpecKeys.LEVELS, levels);
    if (maxRuns > 0) {
      m.put(SpecKeys.MAX_RUNS, maxRuns);
    }
    return m;
  }
}

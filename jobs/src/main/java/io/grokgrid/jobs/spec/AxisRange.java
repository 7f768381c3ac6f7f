package io.grokgrid.jobs.spec;

import io.grokgrid.engine.Check;
import io.grokgrid.vocab.SpecKeys;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An axis given as a range instead of a list: {@code {from: 1.0e-3, to: 1.0e-1, points: 5,
 * scale: log}}. Its values are {@code points} evenly spaced values from {@code from} to
 * {@code to} (both included), evenly in the value ({@code linear}) or in its logarithm
 * ({@code log}); an integer parameter's values are rounded to the nearest integer.
 *
 * <p>A refined axis lives on its finest lattice, {@code (points - 1) * 2^levels + 1} values, and
 * its coarse (level-0) values are every {@code 2^levels}-th of those. Every value is computed from
 * its index on the lattice it belongs to and that lattice's size alone, so a value (hence a run id
 * and its seeds) never depends on the level at which it was reached.
 *
 * @param from the first value
 * @param to the last value, > from
 * @param points values at level 0, >= 2
 * @param log whether the values are evenly spaced in their logarithm (then from > 0)
 */
public record AxisRange(double from, double to, int points, boolean log) implements Serializable {
  private static final long serialVersionUID = 1L;

  public AxisRange {
    if (points < 2) {
      throw new IllegalArgumentException("points must be an integer >= 2, got " + points);
    }
  }

  /** Values on the lattice of {@code levels} halvings: {@code (points - 1) * 2^levels + 1}. */
  public int latticeSize(int levels) {
    return (points - 1) * (1 << levels) + 1;
  }

  /** Value {@code i} of a lattice of {@code size} values (size >= 2), rounded if {@code integer}. */
  public double value(int i, int size, boolean integer) {
    double v;
    if (i == 0) {
      v = from;
    } else if (i == size - 1) {
      v = to;
    } else {
      double t = (double) i / (size - 1);
      // powers of ten in log10, so that a decade's values come out as written (0.1, not 0.10000000000000006)
      v = log ? Math.pow(10, Math.log10(from) + (Math.log10(to) - Math.log10(from)) * t) : from + (to - from) * t;
    }
    return integer ? Math.rint(v) : v;
  }

  /** The lattice of {@code levels} halvings, every value. */
  public List<Double> lattice(int levels, boolean integer) {
    int n = latticeSize(levels);
    List<Double> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(value(i, n, integer));
    }
    return out;
  }

  /** The level-0 values of an axis refined {@code levels} times (computed on the finest lattice). */
  public List<Double> coarse(int levels, boolean integer) {
    int n = latticeSize(levels);
    int stride = 1 << levels;
    List<Double> out = new ArrayList<>(points);
    for (int i = 0; i < n; i += stride) {
      out.add(value(i, n, integer));
    }
    return out;
  }

  /**
   * Checks the range for parameter {@code key} with {@code levels} halvings: to > from, from > 0
   * on a log scale, and for an integer parameter enough distinct integers for every lattice value.
   */
  void check(String key, int levels, boolean integer) {
    if (!(to > from)) {
      throw new IllegalArgumentException(key + ": a range needs to > from, got from " + Check.num(from)
          + ", to " + Check.num(to));
    }
    if (log && !(from > 0)) {
      throw new IllegalArgumentException(key + ": a log-scale range needs from > 0, got from " + Check.num(from));
    }
    if (integer) {
      List<Double> v = lattice(levels, true);
      for (int i = 1; i < v.size(); i++) {
        if (v.get(i).equals(v.get(i - 1))) {
          throw new IllegalArgumentException(key + ": the range from " + Check.num(from) + " to " + Check.num(to)
              + " is too narrow for " + v.size() + " distinct integer values (" + points + " points"
              + (levels > 0 ? " refined " + levels + " levels" : "") + (log ? ", log scale" : "")
              + "): values " + (long) (double) v.get(i - 1) + " and " + (long) (double) v.get(i) + " round alike;"
              + " widen the range or lower points");
        }
      }
    }
  }

  /** The range as in the spec. */
  Map<String, Object> toMap(boolean integer) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(SpecKeys.FROM, integer ? (Object) (long) from : (Object) from);
    m.put(SpecKeys.TO, integer ? (Object) (long) to : (Object) to);
    m.put(SpecKeys.POINTS, points);
    m.put(SpecKeys.SCALE, log ? SpecKeys.LOG : SpecKeys.LINEAR);
    return m;
  }
}

package io.grokgrid.jobs.refine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The refinement of one sweep, level by level, without Spark: which points each level adds, from
 * the outcomes of the points before it. Level 0 is the coarse grid and its cells (boxes of
 * {@code 2^d} corner points at spacing {@code 2^levels}); after each level, a cell of that level
 * whose corners disagree is split: the points of the next level inside it (the half-spacing
 * lattice on the closed cell) are added, and its {@code 2^d} halves are the next level's cells. A
 * cell whose corners agree is final. A point's outcome is the majority over its replicates (ties
 * to the alphabetically first label); a point with a tie counts as disagreeing with any neighbour,
 * since the boundary passes through it.
 *
 * <p>Everything is a function of the outcomes alone (points are {@link RefineLattice} indices,
 * sets are sorted), so a resumed or re-run refinement adds the same points in the same order.
 *
 * <p>Lifecycle: {@link #start()} gives level 0's points; the caller {@link #vote}s every run of
 * them, then asks {@link #next()} for the next level's points, and so on until {@link #next()}
 * returns none or the levels are spent.
 */
public final class Refinement {
  private final RefineLattice lattice;
  /** The cells of the current level (lower corner point), all of the same spacing. */
  private long[] cells = new long[0];
  private int level = -1;
  private final Map<Long, String> outcome = new HashMap<>();
  private final Set<Long> tied = new HashSet<>();
  private final Map<Long, Map<String, Integer>> votes = new HashMap<>();
  private final Map<Long, Integer> levelOf = new HashMap<>();

  public Refinement(RefineLattice lattice) {
    this.lattice = lattice;
  }

  /** The lattice. */
  public RefineLattice lattice() {
    return lattice;
  }

  /** The level whose points the last {@link #start()} or {@link #next()} gave (-1 before). */
  public int level() {
    return level;
  }

  /** Level 0: every point of the coarse grid, sorted; its cells become the current cells. */
  public long[] start() {
    level = 0;
    int s = lattice.spacing(0);
    List<Long> points = new ArrayList<>();
    List<Long> lower = new ArrayList<>();
    int d = lattice.dims();
    for (long o = 0; o < lattice.otherCombos(); o++) {
      int[] idx = new int[d];
      boolean more = true;
      while (more) {
        long g = lattice.point(o, idx);
        points.add(g);
        boolean inner = true;
        for (int j = 0; j < d; j++) {
          inner &= idx[j] + s < lattice.size(j);
        }
        if (inner) {
          lower.add(g);
        }
        more = false;
        for (int j = d - 1; j >= 0; j--) {
          idx[j] += s;
          if (idx[j] < lattice.size(j)) {
            more = true;
            break;
          }
          idx[j] = 0;
        }
      }
    }
    cells = sorted(lower);
    long[] out = sorted(points);
    for (long g : out) {
      levelOf.put(g, 0);
    }
    return out;
  }

  /** One run's outcome at point {@code g} of the current level (any order). */
  public void vote(long g, String label) {
    votes.computeIfAbsent(g, k -> new TreeMap<>()).merge(label, 1, Integer::sum);
  }

  /** Turns the votes cast so far into the points' majority outcomes. */
  private void settle() {
    for (Map.Entry<Long, Map<String, Integer>> e : votes.entrySet()) {
      String best = null;
      int most = 0;
      boolean tie = false;
      for (Map.Entry<String, Integer> v : e.getValue().entrySet()) { // alphabetical
        if (v.getValue() > most) {
          best = v.getKey();
          most = v.getValue();
          tie = false;
        } else if (v.getValue() == most) {
          tie = true;
        }
      }
      outcome.put(e.getKey(), best);
      if (tie) {
        tied.add(e.getKey());
      } else {
        tied.remove(e.getKey());
      }
    }
    votes.clear();
  }

  /**
   * The next level's points (sorted; none when no cell of the current level disagrees or the
   * levels are spent), from the votes cast on the current level's points.
   */
  public long[] next() {
    settle();
    if (level >= lattice.refine().levels()) {
      cells = new long[0];
      return new long[0];
    }
    int s = lattice.spacing(level);
    int h = s / 2;
    int d = lattice.dims();
    Set<Long> fresh = new HashSet<>();
    List<Long> children = new ArrayList<>();
    for (long c : cells) {
      if (!disagrees(c, s)) {
        continue;
      }
      // the 3^d points of the half-spacing lattice on the closed cell; its 2^d halves
      int[] k = new int[d];
      for (int n = 0; n < pow(3, d); n++) {
        int rest = n;
        boolean lowerHalf = true;
        long g = c;
        for (int j = 0; j < d; j++) {
          k[j] = rest % 3;
          rest /= 3;
          g = lattice.shift(g, j, k[j] * h);
          lowerHalf &= k[j] < 2;
        }
        if (!outcome.containsKey(g)) {
          fresh.add(g);
        }
        if (lowerHalf) {
          children.add(g);
        }
      }
    }
    level++;
    cells = sorted(new ArrayList<>(new HashSet<>(children)));
    long[] out = sorted(new ArrayList<>(fresh));
    for (long g : out) {
      levelOf.put(g, level);
    }
    return out;
  }

  /** Whether the corners of the cell at lower corner {@code c} and spacing {@code s} disagree. */
  private boolean disagrees(long c, int s) {
    int d = lattice.dims();
    String first = null;
    for (int n = 0; n < (1 << d); n++) {
      long g = c;
      for (int j = 0; j < d; j++) {
        if ((n >> j & 1) == 1) {
          g = lattice.shift(g, j, s);
        }
      }
      if (tied.contains(g)) {
        return true;
      }
      String o = outcome.getOrDefault(g, "none");
      if (first == null) {
        first = o;
      } else if (!first.equals(o)) {
        return true;
      }
    }
    return false;
  }

  /** The majority outcome of every evaluated point so far (after the last {@link #next()}). */
  public Map<Long, String> outcomes() {
    return java.util.Collections.unmodifiableMap(outcome);
  }

  /** The level at which each point was added. */
  public Map<Long, Integer> levels() {
    return java.util.Collections.unmodifiableMap(levelOf);
  }

  /** The outcome the refined map gives finest point {@code g} (see {@link MapAgreement}). */
  public String predict(long g) {
    return MapAgreement.predict(lattice, outcome, g);
  }

  private static int pow(int b, int e) {
    int r = 1;
    for (int i = 0; i < e; i++) {
      r *= b;
    }
    return r;
  }

  private static long[] sorted(List<Long> xs) {
    long[] a = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    return a;
  }
}

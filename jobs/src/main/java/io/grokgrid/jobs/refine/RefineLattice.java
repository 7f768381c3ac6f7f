package io.grokgrid.jobs.refine;

import io.grokgrid.jobs.spec.Refine;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.Serializable;
import java.util.List;

/**
 * Where a refined sweep's points live: its finest lattice ({@link SweepSpec#finest()}), a point
 * named by its grid point index {@code g} there (row-major over the axes in spec order, as
 * {@link io.grokgrid.jobs.spec.Lattice} numbers grid points). A point splits into its refined-axis
 * indices and the combination of the other axes ({@code other}, row-major over the other axes in
 * spec order): each combination of the other axes is refined on its own.
 *
 * <p>At level k the spacing on a refined axis is {@code 2^(levels - k)} finest steps; level 0's
 * points are those whose refined indices are all multiples of {@code 2^levels}.
 */
public final class RefineLattice implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Refine refine;
  private final int[] sizes;
  private final long[] strides;
  private final int[] refined;
  private final int[] others;
  private final long otherCombos;

  /** The finest lattice of refined spec {@code spec}. */
  public RefineLattice(SweepSpec spec) {
    this.refine = spec.refine();
    if (refine == null) {
      throw new IllegalArgumentException("spec " + spec.name() + " has no refine block");
    }
    SweepSpec finest = spec.finest();
    List<String> axes = List.copyOf(finest.grid().keySet());
    this.sizes = new int[axes.size()];
    this.strides = new long[axes.size()];
    long stride = 1;
    for (int a = axes.size() - 1; a >= 0; a--) {
      sizes[a] = finest.grid().get(axes.get(a)).size();
      strides[a] = stride;
      stride *= sizes[a];
    }
    this.refined = refine.axes().stream().mapToInt(axes::indexOf).toArray();
    this.others = java.util.stream.IntStream.range(0, axes.size())
        .filter(a -> !refine.axes().contains(axes.get(a))).toArray();
    long n = 1;
    for (int a : others) {
      n *= sizes[a];
    }
    this.otherCombos = n;
  }

  /** The refinement settings. */
  public Refine refine() {
    return refine;
  }

  /** Refined axes. */
  public int dims() {
    return refined.length;
  }

  /** Finest lattice size of refined axis {@code j} (in {@link Refine#axes()} order). */
  public int size(int j) {
    return sizes[refined[j]];
  }

  /** Combinations of the axes that are not refined. */
  public long otherCombos() {
    return otherCombos;
  }

  /** Finest steps between neighbouring points of level {@code level}. */
  public int spacing(int level) {
    return 1 << (refine.levels() - level);
  }

  /** The point at refined indices {@code idx} in other-axes combination {@code other}. */
  public long point(long other, int[] idx) {
    long g = 0;
    for (int i = others.length - 1; i >= 0; i--) {
      int a = others[i];
      g += (other % sizes[a]) * strides[a];
      other /= sizes[a];
    }
    for (int j = 0; j < refined.length; j++) {
      g += idx[j] * strides[refined[j]];
    }
    return g;
  }

  /** The point {@code steps} finest steps along refined axis {@code j} from point {@code g}. */
  long shift(long g, int j, int steps) {
    return g + steps * strides[refined[j]];
  }

  /** Refined index {@code j} of point {@code g}. */
  public int index(long g, int j) {
    int a = refined[j];
    return (int) ((g / strides[a]) % sizes[a]);
  }

  /** The other-axes combination of point {@code g}. */
  public long other(long g) {
    long other = 0;
    for (int a : others) {
      other = other * sizes[a] + (g / strides[a]) % sizes[a];
    }
    return other;
  }
}

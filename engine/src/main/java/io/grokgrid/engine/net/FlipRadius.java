package io.grokgrid.engine.net;

import io.grokgrid.engine.Dense;
import io.grokgrid.engine.Metric;
import io.grokgrid.vocab.Columns;
import java.util.Arrays;

/**
 * flip_radius: over the clean test points the net classifies correctly, the median l2 length of
 * the smallest sign-flipping perturbation found by DeepFool's linearized steps (Moosavi-Dezfooli
 * et al. 2016) on the piecewise-linear f, divided by the recipe's {@code signal} (Frei et al.,
 * NeurIPS 2023, arXiv 2303.01456: nets that generalize on clustered data are flipped by
 * perturbations far smaller than the cluster separation).
 *
 * <p>From x, step delta <- delta - (1 + {@link #OVERSHOOT}) f(x + delta) grad / |grad|^2 until the
 * sign of f flips ({@link #MAX_STEPS} at most; a point never flipped counts as +infinity), then
 * take the first point on the segment [x, x + delta] where f changes sign: f is linear between the
 * kinks where a unit's pre-activation changes sign, so that point is found exactly by walking the
 * kinks in order. Every perturbation lies in the row space of W (delta = W^T gamma), so the whole
 * search runs on the pre-activations z = W x + G gamma with G = W W^T and |delta|^2 = gamma^T G gamma:
 * one m x m product per step, no p-dimensional vector.
 */
final class FlipRadius implements Metric.Scalar<NetStep> {
  /** DeepFool's overshoot, so a step lands past the linearized boundary rather than on it. */
  static final double OVERSHOOT = 0.02;
  /** Linearized steps before a point is declared unflippable. */
  static final int MAX_STEPS = 50;

  @Override
  public String name() {
    return Columns.FLIP_RADIUS;
  }

  @Override
  public double value(NetStep s, int run) {
    double[] radius = radii(s, run);
    return NetGeometry.median(radius, radius.length) / s.geometry().signal;
  }

  /** The flip distances of the correctly classified clean test points, in test-set order. */
  static double[] radii(NetStep s, int run) {
    NetGeometry g = s.geometry();
    int m = g.m;
    int nt = g.nt;
    double[] z0 = g.testPre(run);
    double[] gram = g.gram(run);
    // the correctly classified clean test points
    int[] pts = new int[nt];
    int np = 0;
    for (int i = 0; i < nt; i++) {
      if (s.yTestClean()[i] * s.ft()[run * nt + i] > 0) {
        pts[np++] = i;
      }
    }
    if (np == 0) {
      return new double[0];
    }
    // per point (column-major by point: point q's m values at q * m)
    double[] zq = new double[np * m];
    double[] gg = new double[np * m];
    double[] gamma = new double[np * m];
    double[] f0 = new double[np];
    for (int q = 0; q < np; q++) {
      int i = pts[q];
      for (int j = 0; j < m; j++) {
        zq[q * m + j] = z0[j * nt + i];
      }
      f0[q] = output(g, zq, q * m, null, 0, 1.0);
    }
    boolean[] flipped = new boolean[np];
    int[] open = new int[np];
    double[] fNow = new double[np];
    for (int it = 0; it < MAX_STEPS; it++) {
      int no = 0;
      for (int q = 0; q < np; q++) {
        if (!flipped[q]) {
          double f = output(g, zq, q * m, gg, q * m, 1.0);
          fNow[q] = f;
          if (f * f0[q] <= 0 && it > 0) {
            flipped[q] = true;
          } else if (Double.isFinite(f)) {
            open[no++] = q;
          }
        }
      }
      if (no == 0) {
        break;
      }
      // v = a o sigma'(z) for the open points, then G v in one product
      double[] v = new double[m * no];
      for (int c = 0; c < no; c++) {
        int q = open[c];
        for (int j = 0; j < m; j++) {
          v[j * no + c] = g.a[j] * g.slope(zq[q * m + j] + gg[q * m + j]);
        }
      }
      double[] gv = new double[m * no];
      Dense.multiply(false, false, m, no, m, 1.0, gram, v, 0.0, gv);
      for (int c = 0; c < no; c++) {
        int q = open[c];
        double norm2 = 0.0;
        for (int j = 0; j < m; j++) {
          norm2 += v[j * no + c] * gv[j * no + c];
        }
        if (!(norm2 > 0.0)) {
          // a flat region (every unit's slope 0): no direction to move in
          f0[q] = Double.NaN;
          continue;
        }
        double step = -(1.0 + OVERSHOOT) * fNow[q] / norm2;
        for (int j = 0; j < m; j++) {
          gamma[q * m + j] += step * v[j * no + c];
          gg[q * m + j] += step * gv[j * no + c];
        }
      }
    }
    double[] radius = new double[np];
    for (int q = 0; q < np; q++) {
      boolean done = flipped[q] || output(g, zq, q * m, gg, q * m, 1.0) * f0[q] <= 0;
      if (!done || Double.isNaN(f0[q])) {
        radius[q] = Double.POSITIVE_INFINITY;
        continue;
      }
      double len2 = 0.0;
      for (int j = 0; j < m; j++) {
        len2 += gamma[q * m + j] * gg[q * m + j];
      }
      double t = firstSignChange(g, zq, q * m, gg, q * m, f0[q]);
      radius[q] = t * Math.sqrt(Math.max(0.0, len2));
    }
    return radius;
  }

  /** f at z + t d (d null: at z), for the point whose values start at the given offsets. */
  static double output(NetGeometry g, double[] z, int zo, double[] d, int dOff, double t) {
    double f = 0.0;
    for (int j = 0; j < g.m; j++) {
      double zj = d == null ? z[zo + j] : z[zo + j] + t * d[dOff + j];
      f += g.a[j] * g.act(zj);
    }
    return f;
  }

  /**
   * The smallest t in (0, 1] with f(z + t d) of the sign opposite to {@code f0} or zero, where
   * f(z + t d) = sum_j a_j sigma(z_j + t d_j) is linear between the kinks t_j = -z_j / d_j:
   * walk the kinks in increasing order, tracking value and slope, and solve the linear piece
   * where the sign changes. Assumes f(z + d) has that sign. With the plain ReLU, f is exactly 0
   * where every unit is off: such a kink is a crossing however the tracked value rounded.
   */
  static double firstSignChange(NetGeometry g, double[] z, int zo, double[] d, int dOff, double f0) {
    int m = g.m;
    double[] kinks = new double[m];
    int[] unit = new int[m];
    int nk = 0;
    double value = 0.0;
    double slope = 0.0;
    int on = 0;
    for (int j = 0; j < m; j++) {
      double zj = z[zo + j];
      double dj = d[dOff + j];
      value += g.a[j] * g.act(zj);
      // the slope on the first piece: the unit's side just after t = 0
      boolean up = zj > 0 || (zj == 0 && dj > 0);
      on += up ? 1 : 0;
      slope += g.a[j] * (up ? 1.0 : g.leak) * dj;
      if (dj != 0) {
        double tj = -zj / dj;
        if (tj > 0 && tj < 1) {
          kinks[nk] = tj;
          unit[nk] = j;
          nk++;
        }
      }
    }
    Integer[] order = new Integer[nk];
    for (int c = 0; c < nk; c++) {
      order[c] = c;
    }
    double[] kk = kinks;
    Arrays.sort(order, (p, q) -> Double.compare(kk[p], kk[q]));
    double t = 0.0;
    double sign = Math.signum(f0);
    for (int c = 0; c <= nk; c++) {
      double next = c < nk ? kinks[order[c]] : 1.0;
      double end = value + slope * (next - t);
      if (end * sign <= 0) {
        // the zero of this linear piece
        double root = slope == 0 ? t : t - value / slope;
        return Math.min(next, Math.max(t, root));
      }
      value = end;
      t = next;
      if (c < nk) {
        int j = unit[order[c]];
        double dj = d[dOff + j];
        // crossing the kink flips the unit between slope 1 and the leak
        double delta = g.a[j] * (1.0 - g.leak) * dj;
        slope += dj > 0 ? delta : -delta;
        on += dj > 0 ? 1 : -1;
        if (on == 0 && g.leak == 0.0) {
          return t;
        }
      }
    }
    return 1.0;
  }
}

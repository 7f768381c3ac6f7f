package io.grokgrid.engine.net;

/**
 * Non-negative least squares in its quadratic form: lambda >= 0 minimizing
 * lambda^T H lambda - 2 b^T lambda for a symmetric positive semi-definite H (n x n, row-major),
 * by the active-set method of Lawson and Hanson (1974, ch. 23): grow the set of positive
 * coordinates by the most violated optimality condition, solve the unconstrained problem on it
 * (Cholesky), and step back to the boundary when a coordinate would turn negative. Finite: each
 * outer step strictly lowers the objective; capped at 3 n outer steps as in the original.
 */
final class Nnls {
  private Nnls() {}

  /** The minimizer lambda (n values, >= 0). */
  static double[] solve(double[] h, double[] b, int n) {
    return solve(h, b, n, null);
  }

  /**
   * The minimizer lambda, started from the coordinates positive in {@code start} (a previous
   * solution of a nearby problem, or null): the method first solves on that set and steps back
   * to feasibility, then goes on as from zero. The minimizer is the same (the problem is convex);
   * only the number of steps changes, from ~n Cholesky solves to a few when the set moves little.
   */
  static double[] solve(double[] h, double[] b, int n, double[] start) {
    double scale = 0.0;
    for (int i = 0; i < n; i++) {
      scale = Math.max(scale, Math.abs(h[i * n + i]));
    }
    double[] lambda = new double[n];
    if (!(scale > 0.0) || !Double.isFinite(scale)) {
      return lambda;
    }
    double bScale = 0.0;
    for (double v : b) {
      bScale = Math.max(bScale, Math.abs(v));
    }
    double tol = 1e-12 * Math.max(bScale, 1e-300);
    boolean[] passive = new boolean[n];
    double[] w = new double[n];
    if (start != null) {
      for (int i = 0; i < n; i++) {
        passive[i] = start[i] > 0;
      }
      if (!feasible(h, b, n, passive, lambda, scale)) {
        java.util.Arrays.fill(passive, false);
      }
    }
    for (int outer = 0; outer < 3 * n; outer++) {
      // w = b - H lambda: the negative half-gradient; optimal when w <= 0 off the passive set
      int best = -1;
      double bestW = tol;
      for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int j = 0; j < n; j++) {
          s -= h[i * n + j] * lambda[j];
        }
        w[i] = s;
        if (!passive[i] && s > bestW) {
          best = i;
          bestW = s;
        }
      }
      if (best < 0) {
        break;
      }
      passive[best] = true;
      if (!feasible(h, b, n, passive, lambda, scale)) {
        // singular on the new set: the coordinate adds nothing; leave it out
        passive[best] = false;
      }
    }
    return lambda;
  }

  /**
   * Lawson and Hanson's inner loop: from a feasible lambda (zero off {@code passive}), solve on
   * the passive set and step back to the boundary while the solution has a non-positive
   * coordinate, dropping it from the set. False (nothing changed) if the first solve is singular.
   */
  private static boolean feasible(double[] h, double[] b, int n, boolean[] passive, double[] lambda,
      double scale) {
    for (int inner = 0; inner < 3 * n; inner++) {
        double[] z = solvePassive(h, b, n, passive, scale);
        if (z == null) {
          if (inner > 0) {
            return true;
          }
          return false;
        }
        double alpha = 1.0;
        boolean feasible = true;
        for (int i = 0; i < n; i++) {
          if (passive[i] && z[i] <= 0) {
            feasible = false;
            double denom = lambda[i] - z[i];
            alpha = Math.min(alpha, denom > 0 ? lambda[i] / denom : 0.0);
          }
        }
        if (feasible) {
          System.arraycopy(z, 0, lambda, 0, n);
          return true;
        }
        for (int i = 0; i < n; i++) {
          if (passive[i]) {
            lambda[i] += alpha * (z[i] - lambda[i]);
            if (lambda[i] <= 1e-15 * Math.abs(z[i]) || lambda[i] <= 0) {
              lambda[i] = 0.0;
              passive[i] = false;
            }
          }
        }
    }
    return true;
  }

  /** H_PP z_P = b_P by Cholesky, zero elsewhere; null when H_PP is not positive definite. */
  private static double[] solvePassive(double[] h, double[] b, int n, boolean[] passive, double scale) {
    int[] idx = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (passive[i]) {
        idx[k++] = i;
      }
    }
    double[] l = new double[k * k];
    for (int r = 0; r < k; r++) {
      for (int c = 0; c <= r; c++) {
        double s = h[idx[r] * n + idx[c]];
        for (int q = 0; q < c; q++) {
          s -= l[r * k + q] * l[c * k + q];
        }
        if (r == c) {
          if (!(s > 1e-13 * scale)) {
            return null;
          }
          l[r * k + r] = Math.sqrt(s);
        } else {
          l[r * k + c] = s / l[c * k + c];
        }
      }
    }
    double[] y = new double[k];
    for (int r = 0; r < k; r++) {
      double s = b[idx[r]];
      for (int q = 0; q < r; q++) {
        s -= l[r * k + q] * y[q];
      }
      y[r] = s / l[r * k + r];
    }
    double[] z = new double[n];
    for (int r = k - 1; r >= 0; r--) {
      double s = y[r];
      for (int q = r + 1; q < k; q++) {
        s -= l[q * k + r] * z[idx[q]];
      }
      z[idx[r]] = s / l[r * k + r];
    }
    return z;
  }
}

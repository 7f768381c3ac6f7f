package io.grokgrid.engine.net;

import io.grokgrid.engine.Dense;

/**
 * What the implicit-bias metrics read of a pack at one logged step, in float64, computed on first
 * use per run and kept for the other metrics of the same step: the Gram W W^T (m x m), its
 * eigenvalues, the Gram W P_perp W^T of the part of W off the training inputs' span, the training
 * and test pre-activations, the activation slopes at the test points and G times them. The
 * state supplies the matrices by its own route ({@link Source}): the primal form from W, the dual
 * forms from W W^T = s^2 W0 W0^T + P C^T + s C B^T with B = W0 X^T and P = s B + C K (so W is
 * never formed) and W P_perp W^T = s^2 W0 P_perp W0^T.
 */
final class NetGeometry {
  /** A state's route to the matrices, per run; arrays row-major, float64. */
  interface Source {
    /** W X^T, m x n (the current training pre-activations). */
    double[] trainPre(int r);

    /** W X_test^T, m x n_test (as the last test pass left them). */
    double[] testPre(int r);

    /** W W^T, m x m. */
    double[] gram(int r);

    /** W P_perp W^T, m x m. */
    double[] orthGram(int r);
  }

  final int m;
  final int n;
  final int nt;
  final double[] a;
  final double leak;
  final double signal;
  final Span span;
  /** Per run, the KKT multipliers of the previous logged step (NNLS warm starts), or null. */
  final double[][] kktStart;
  private final Source src;
  private final double[][] gram;
  private final double[][] orthGram;
  private final double[][] eigen;
  private final double[][] trainPre;
  private final double[][] testPre;
  private final double[][] slopes;
  private final double[][] gramSlopes;

  NetGeometry(int runs, int m, int n, int nt, double[] a, double leak, double signal, Span span,
      Source src, double[][] kktStart) {
    this.kktStart = kktStart;
    this.m = m;
    this.n = n;
    this.nt = nt;
    this.a = a;
    this.leak = leak;
    this.signal = signal;
    this.span = span;
    this.src = src;
    gram = new double[runs][];
    orthGram = new double[runs][];
    eigen = new double[runs][];
    trainPre = new double[runs][];
    testPre = new double[runs][];
    slopes = new double[runs][];
    gramSlopes = new double[runs][];
  }

  /** Drops run r's matrices once its metrics are recorded (a pack's runs are read one by one). */
  void release(int r) {
    gram[r] = null;
    orthGram[r] = null;
    eigen[r] = null;
    trainPre[r] = null;
    testPre[r] = null;
    slopes[r] = null;
    gramSlopes[r] = null;
  }

  /** sigma'(z): 1 for z > 0, the leak otherwise (ReLU'(0) taken as 0, as the trainer does). */
  double slope(double z) {
    return z > 0 ? 1.0 : leak;
  }

  /** sigma(z). */
  double act(double z) {
    return z > 0 ? z : leak * z;
  }

  double[] gram(int r) {
    if (gram[r] == null) {
      gram[r] = symmetrized(src.gram(r), m);
    }
    return gram[r];
  }

  double[] orthGram(int r) {
    if (orthGram[r] == null) {
      orthGram[r] = symmetrized(src.orthGram(r), m);
    }
    return orthGram[r];
  }

  /** The eigenvalues of W W^T, ascending. */
  double[] eigenvalues(int r) {
    if (eigen[r] == null) {
      double[] g = gram(r);
      boolean finite = true;
      for (double v : g) {
        finite &= Double.isFinite(v);
      }
      if (!finite) {
        double[] nan = new double[m];
        java.util.Arrays.fill(nan, Double.NaN);
        eigen[r] = nan;
      } else {
        eigen[r] = Dense.eigenvaluesOf(g, m);
      }
    }
    return eigen[r];
  }

  double[] trainPre(int r) {
    if (trainPre[r] == null) {
      trainPre[r] = src.trainPre(r);
    }
    return trainPre[r];
  }

  double[] testPre(int r) {
    if (testPre[r] == null) {
      testPre[r] = src.testPre(r);
    }
    return testPre[r];
  }

  /**
   * V, m x n_test: column i is a o sigma'(W x_i) for test point x_i, so that the input gradient
   * of f at x_i is W^T v_i.
   */
  double[] testSlopes(int r) {
    if (slopes[r] == null) {
      double[] z = testPre(r);
      double[] v = new double[m * nt];
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < nt; i++) {
          v[j * nt + i] = a[j] * slope(z[j * nt + i]);
        }
      }
      slopes[r] = v;
    }
    return slopes[r];
  }

  /** G V, m x n_test: column i is W W^T v_i = W (grad_x f(x_i)). */
  double[] gramTestSlopes(int r) {
    if (gramSlopes[r] == null) {
      double[] gv = new double[m * nt];
      Dense.multiply(false, false, m, nt, m, 1.0, gram(r), testSlopes(r), 0.0, gv);
      gramSlopes[r] = gv;
    }
    return gramSlopes[r];
  }

  /** (x + x^T) / 2 in place: the routes give G up to rounding-level asymmetry. */
  private static double[] symmetrized(double[] x, int m) {
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j < m; j++) {
        double v = 0.5 * (x[i * m + j] + x[j * m + i]);
        x[i * m + j] = v;
        x[j * m + i] = v;
      }
    }
    return x;
  }

  /** The median of the first {@code len} values of {@code v} (sorted in place); NaN if len = 0. */
  static double median(double[] v, int len) {
    if (len == 0) {
      return Double.NaN;
    }
    java.util.Arrays.sort(v, 0, len);
    return len % 2 == 1 ? v[len / 2] : 0.5 * (v[len / 2 - 1] + v[len / 2]);
  }
}

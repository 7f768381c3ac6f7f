package io.grokgrid.engine.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The implicit-bias metrics computed on a materialized first layer W (m x p, plain double
 * arrays), the way a reader of the papers would: singular values by one-sided Jacobi (Hestenes)
 * on W itself, the projection off the training inputs by an explicit orthonormal basis
 * (modified Gram-Schmidt, twice), DeepFool on input vectors in R^p, and the KKT residual from the
 * explicit matrix W - sum_i lambda_i y_i (a o sigma'(W x_i)) x_i^T. Nothing here shares code with
 * {@link NetGeometry} or the states except the NNLS solver (same lambda, independent residual).
 */
final class MetricsReference {
  private MetricsReference() {}

  /** Singular values of w (m x p, m <= p) by one-sided Jacobi rotations of its rows. */
  static double[] singularValues(double[][] w) {
    double[][] u = Reference.copy(w);
    int m = u.length;
    for (int sweep = 0; sweep < 60; sweep++) {
      double off = 0.0;
      for (int i = 0; i < m; i++) {
        for (int j = i + 1; j < m; j++) {
          double alpha = Reference.dot(u[i], u[i]);
          double beta = Reference.dot(u[j], u[j]);
          double gamma = Reference.dot(u[i], u[j]);
          if (gamma == 0.0) {
            continue;
          }
          off = Math.max(off, Math.abs(gamma) / Math.sqrt(alpha * beta));
          double zeta = (beta - alpha) / (2.0 * gamma);
          double t = Math.signum(zeta == 0 ? 1.0 : zeta) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
          double c = 1.0 / Math.sqrt(1.0 + t * t);
          double s = c * t;
          for (int l = 0; l < u[i].length; l++) {
            double a = u[i][l];
            double b = u[j][l];
            u[i][l] = c * a - s * b;
            u[j][l] = s * a + c * b;
          }
        }
      }
      if (off < 1e-15) {
        break;
      }
    }
    double[] s = new double[m];
    for (int i = 0; i < m; i++) {
      s[i] = Math.sqrt(Reference.dot(u[i], u[i]));
    }
    return s;
  }

  static double stableRank(double[] sv) {
    double top = Arrays.stream(sv).max().orElseThrow();
    return Arrays.stream(sv).map(v -> v * v).sum() / (top * top);
  }

  static double effectiveRank(double[] sv) {
    double sum = Arrays.stream(sv).sum();
    double h = 0.0;
    for (double v : sv) {
      if (v > 0) {
        h -= v / sum * Math.log(v / sum);
      }
    }
    return Math.exp(h);
  }

  /** An orthonormal basis of the span of the rows of x (modified Gram-Schmidt, twice). */
  static List<double[]> basis(double[][] x) {
    List<double[]> q = new ArrayList<>();
    for (double[] row : x) {
      double[] v = row.clone();
      double norm0 = Math.sqrt(Reference.dot(v, v));
      for (int pass = 0; pass < 2; pass++) {
        for (double[] b : q) {
          double c = Reference.dot(b, v);
          for (int l = 0; l < v.length; l++) {
            v[l] -= c * b[l];
          }
        }
      }
      double norm = Math.sqrt(Reference.dot(v, v));
      if (norm > 1e-10 * norm0) {
        for (int l = 0; l < v.length; l++) {
          v[l] /= norm;
        }
        q.add(v);
      }
    }
    return q;
  }

  /** v with its components along the basis removed. */
  static double[] orth(double[] v, List<double[]> q) {
    double[] out = v.clone();
    for (double[] b : q) {
      double c = Reference.dot(b, v);
      for (int l = 0; l < out.length; l++) {
        out[l] -= c * b[l];
      }
    }
    return out;
  }

  static double wOrthNorm(double[][] w, List<double[]> q) {
    double s = 0.0;
    for (double[] row : w) {
      double[] o = orth(row, q);
      s += Reference.dot(o, o);
    }
    return Math.sqrt(s);
  }

  /** grad_x f(x) = sum_j a_j sigma'(w_j . x) w_j. */
  static double[] inputGradient(double[][] w, double[] a, double[] x, double leak) {
    double[] g = new double[x.length];
    for (int j = 0; j < w.length; j++) {
      double z = Reference.dot(w[j], x);
      double c = a[j] * (z > 0 ? 1.0 : leak);
      for (int l = 0; l < g.length; l++) {
        g[l] += c * w[j][l];
      }
    }
    return g;
  }

  static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  static double gradOrthShare(double[][] w, double[] a, double[][] xTest, List<double[]> q, double leak) {
    List<Double> shares = new ArrayList<>();
    for (double[] x : xTest) {
      double[] g = inputGradient(w, a, x, leak);
      double all = Reference.dot(g, g);
      if (all > 0) {
        double[] o = orth(g, q);
        shares.add(Math.sqrt(Math.min(1.0, Reference.dot(o, o) / all)));
      }
    }
    return median(shares);
  }

  /**
   * DeepFool in R^p from x (the overshoot and step cap of {@link FlipRadius}), then the first
   * sign change of f on the segment [x, x + delta], found by evaluating f on a fine bisection.
   */
  static double flipDistance(double[][] w, double[] a, double[] x, double leak) {
    double f0 = Reference.output(w, a, x, leak);
    double[] xk = x.clone();
    boolean flipped = false;
    for (int it = 0; it < FlipRadius.MAX_STEPS; it++) {
      double f = Reference.output(w, a, xk, leak);
      if (it > 0 && f * f0 <= 0) {
        flipped = true;
        break;
      }
      double[] g = inputGradient(w, a, xk, leak);
      double g2 = Reference.dot(g, g);
      if (!(g2 > 0)) {
        return Double.POSITIVE_INFINITY;
      }
      double step = -(1.0 + FlipRadius.OVERSHOOT) * f / g2;
      for (int l = 0; l < xk.length; l++) {
        xk[l] += step * g[l];
      }
    }
    if (!flipped && Reference.output(w, a, xk, leak) * f0 > 0) {
      return Double.POSITIVE_INFINITY;
    }
    double[] d = new double[x.length];
    for (int l = 0; l < d.length; l++) {
      d[l] = xk[l] - x[l];
    }
    // the first sign change on [0, 1]: f is piecewise linear in t with kinks at -z_j / dz_j;
    // evaluate at every kink in order and solve the linear piece that crosses
    int m = w.length;
    double[] z = new double[m];
    double[] dz = new double[m];
    List<Double> ts = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      z[j] = Reference.dot(w[j], x);
      dz[j] = Reference.dot(w[j], d);
      double t = -z[j] / dz[j];
      if (dz[j] != 0 && t > 0 && t < 1) {
        ts.add(t);
      }
    }
    ts.add(1.0);
    ts.sort(Double::compare);
    double prevT = 0.0;
    double prevF = f0;
    for (double t : ts) {
      double f = 0.0;
      for (int j = 0; j < m; j++) {
        double zz = z[j] + t * dz[j];
        f += a[j] * (zz > 0 ? zz : leak * zz);
      }
      if (f * f0 <= 0) {
        double root = prevT + (t - prevT) * prevF / (prevF - f);
        return root * Math.sqrt(Reference.dot(d, d));
      }
      prevT = t;
      prevF = f;
    }
    return Math.sqrt(Reference.dot(d, d));
  }

  static double flipRadius(double[][] w, double[] a, double[][] xTest, double[] yClean, double leak,
      double signal) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < xTest.length; i++) {
      if (yClean[i] * Reference.output(w, a, xTest[i], leak) > 0) {
        r.add(flipDistance(w, a, xTest[i], leak));
      }
    }
    return median(r) / signal;
  }

  static double kktResidual(double[][] w, double[] a, double[][] x, double[] y, double leak) {
    int n = x.length;
    int m = w.length;
    double[][] u = new double[n][m];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double z = Reference.dot(w[j], x[i]);
        u[i][j] = y[i] * a[j] * (z > 0 ? 1.0 : leak);
        b[i] += u[i][j] * z;
      }
    }
    double[] h = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        h[i * n + k] = Reference.dot(u[i], u[k]) * Reference.dot(x[i], x[k]);
      }
    }
    double[] lambda = Nnls.solve(h, b, n);
    double[][] r = Reference.copy(w);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double c = lambda[i] * u[i][j];
        for (int l = 0; l < x[i].length; l++) {
          r[j][l] -= c * x[i][l];
        }
      }
    }
    return Reference.frobenius(r) / Reference.frobenius(w);
  }
}

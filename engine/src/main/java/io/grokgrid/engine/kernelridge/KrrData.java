package io.grokgrid.engine.kernelridge;

import io.grokgrid.engine.Dense;

import io.grokgrid.engine.Seeds;
import java.util.SplittableRandom;

/**
 * One kernel-ridge data set: training labels, the n x n kernel matrix K and its eigendecomposition
 * K = U diag(k) U^T (float64, computed once; every ridge delta of every run on this data set is
 * solved from it), and what the test risk needs ({@link TestRisk}).
 *
 * <p>Solve: alpha(delta) = U diag(phi(k_i)) U^T y with phi = 1 / (k_i + delta) (eigenvalues that
 * rounding made negative are taken as 0), the minimizer of sum_i (f(x_i) - y_i)^2 + delta |f|_H^2
 * over f = sum_i alpha_i k(x_i, .) (gradient K ((K + delta I) alpha - y) = 0). At delta = 0 it is
 * the minimum-norm interpolant, the pseudo-inverse K^+ y: eigenvalues at or below n eps k_max
 * (eps the float64 machine epsilon, numpy's pinv cut) are indistinguishable from rounding and
 * dropped, so the solve interpolates exactly (up to rounding) whenever {@link #rank} = n. That
 * is the spectrum design's delta = 0; the Gaussian-kernel design solves the deltas the
 * eigendecomposition does not resolve ({@link #eigenAccurate}) in double-double instead
 * ({@link #exact}).
 */
final class KrrData {
  /** Chunk width (features) of the spectrum design's passes over its n x P design. */
  static final int CHUNK = 512;

  final int n;
  final double[] y;
  /** K, row-major (kept to evaluate the fit on the training points). */
  final double[] kernel;
  /** Eigenvalues of K, ascending, as computed. */
  final double[] values;
  /** U, row-major; column i is the eigenvector of values[i]. */
  final double[] vectors;
  /** U^T y. */
  final double[] uy;
  /** Eigenvalues kept by the delta = 0 solve: above n eps max(k). */
  final int rank;
  private final double cut;
  final TestRisk test;
  /** The double-double route of the Gaussian-kernel design; null in the spectrum design. */
  final GaussianExact exact;

  /** The population (or test-sample) risks of predictors alpha, noise included. */
  interface TestRisk {
    /**
     * @param alphas n x d row-major: column j holds predictor j's coefficients
     * @param d number of predictors
     * @return each predictor's risk E (f(x) - y)^2 over a fresh (x, y), label noise included
     */
    double[] risks(double[] alphas, int d);
  }

  KrrData(double[] y, double[] kernel, TestRisk test, GaussianExact exact) {
    this.n = y.length;
    this.y = y;
    this.kernel = kernel;
    this.test = test;
    this.exact = exact;
    this.vectors = kernel.clone();
    this.values = Dense.symmetricEigen(vectors, n);
    double max = Math.max(values[n - 1], 0.0);
    this.cut = n * Math.ulp(1.0) * max;
    int r = 0;
    for (double k : values) {
      if (k > cut) {
        r++;
      }
    }
    this.rank = r;
    this.uy = new double[n];
    Dense.gemm(true, false, n, 1, n, 1.0, vectors, y, 0.0, uy);
  }

  /**
   * Whether the float64 eigendecomposition serves this delta to about 1e-4 relative: it is exact
   * for a matrix within c n eps k_max of K (the rounding of K's entries and dsyevd's backward
   * error), which moves the solution of (K + delta I) alpha = y by at most that over delta.
   * Below (and at delta = 0, where the pseudo-inverse drops what float64 cannot resolve) the
   * Gaussian-kernel design solves in double-double ({@link GaussianExact}).
   */
  boolean eigenAccurate(double delta) {
    return delta >= EIGEN_MARGIN * cut;
  }

  /** 1 / the relative accuracy asked of an eigendecomposition solve ({@link #eigenAccurate}). */
  static final double EIGEN_MARGIN = 1e4;

  /** alpha for each delta, as the columns of an n x deltas.length row-major matrix. */
  double[] alphas(double[] deltas) {
    int d = deltas.length;
    double[] scaled = new double[n * d];
    for (int i = 0; i < n; i++) {
      double k = Math.max(values[i], 0.0);
      for (int j = 0; j < d; j++) {
        double phi;
        if (deltas[j] == 0.0) {
          phi = values[i] > cut ? 1.0 / k : 0.0;
        } else {
          phi = 1.0 / (k + deltas[j]);
        }
        scaled[i * d + j] = phi * uy[i];
      }
    }
    double[] a = new double[n * d];
    Dense.gemm(false, false, n, d, n, 1.0, vectors, scaled, 0.0, a);
    return a;
  }

  /** K alphas (the fitted values at the training points), n x d. */
  double[] fitted(double[] alphas, int d) {
    double[] f = new double[n * d];
    Dense.gemm(false, false, n, d, n, 1.0, kernel, alphas, 0.0, f);
    return f;
  }

  /**
   * The spectrum design: features z_ij = sqrt(lambda_j) g_ij with g_ij ~ N(0, 1) (the
   * eigenfunctions, unit variance), kernel k(x, x') = sum_j z_j z'_j, target f* = sum_j v_j g_j,
   * y = f*(x) + N(0, sigma^2). Column j of g (all n rows) is drawn from
   * {@code Seeds.derive(seed, "feature", j)}, so a data set with more features extends one with
   * fewer; the label noise from {@code Seeds.derive(seed, "noise")}. The n x P design is never
   * held: one pass in chunks builds K and f*(x_i), a second (per pack) redraws the chunks to
   * evaluate predictors.
   *
   * <p>Test risk: the exact population risk of f = sum_i alpha_i k(x_i, .), whose coefficient
   * on g_j is c_j = lambda_j (g^T alpha)_j: sum_j (c_j - v_j)^2 + sigma^2.
   */
  static KrrData spectrum(int n, double[] lambda, double[] v, double sigma, long seed) {
    int p = lambda.length;
    double[] kernel = new double[n * n];
    double[] y = new double[n];
    double[] sqrtLambda = new double[p];
    for (int j = 0; j < p; j++) {
      sqrtLambda[j] = Math.sqrt(lambda[j]);
    }
    double[] g = new double[n * CHUNK];
    double[] z = new double[n * CHUNK];
    for (int from = 0; from < p; from += CHUNK) {
      int c = Math.min(CHUNK, p - from);
      draw(g, n, from, c, seed);
      for (int i = 0; i < n; i++) {
        double fi = 0.0;
        for (int j = 0; j < c; j++) {
          double gij = g[i * c + j];
          z[i * c + j] = sqrtLambda[from + j] * gij;
          fi += v[from + j] * gij;
        }
        y[i] += fi;
      }
      Dense.gemm(false, true, n, n, c, 1.0, z, z, 1.0, kernel);
    }
    SplittableRandom noise = new SplittableRandom(Seeds.derive(seed, "noise"));
    for (int i = 0; i < n; i++) {
      y[i] += sigma * noise.nextGaussian();
    }
    double sigma2 = sigma * sigma;
    TestRisk risk = (alphas, d) -> {
      double[] out = new double[d];
      double[] gc = new double[n * CHUNK];
      double[] t = new double[CHUNK * d];
      for (int from = 0; from < p; from += CHUNK) {
        int c = Math.min(CHUNK, p - from);
        draw(gc, n, from, c, seed);
        Dense.gemm(true, false, c, d, n, 1.0, gc, alphas, 0.0, t);
        for (int j = 0; j < c; j++) {
          double l = lambda[from + j];
          double vj = v[from + j];
          for (int k = 0; k < d; k++) {
            double e = l * t[j * d + k] - vj;
            out[k] += e * e;
          }
        }
      }
      for (int k = 0; k < d; k++) {
        out[k] += sigma2;
      }
      return out;
    };
    return new KrrData(y, kernel, risk, null);
  }

  /** Columns from .. from + c - 1 of g into the n x c row-major {@code g}. */
  private static void draw(double[] g, int n, int from, int c, long seed) {
    for (int j = 0; j < c; j++) {
      SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "feature", from + j));
      for (int i = 0; i < n; i++) {
        g[i * c + j] = r.nextGaussian();
      }
    }
  }

  /**
   * The Gaussian-kernel design: x uniform on the unit sphere S^(dim-1) (normalized Gaussians,
   * training points from {@code Seeds.derive(seed, "x")}, test points from
   * {@code Seeds.derive(seed, "test")}), k(x, x') = exp(-|x - x'|^2 / h^2), target sin(x_1) or 0,
   * label noise N(0, sigma^2) from {@code Seeds.derive(seed, "noise")}.
   *
   * <p>Test risk: the Monte Carlo mean over the nTest test points of (f(x) - f*(x))^2, plus
   * sigma^2 (the noisy test label's expected loss, its noise integrated exactly).
   */
  static KrrData gaussian(int n, int nTest, int dim, double h, boolean sine, double sigma, long seed) {
    double[] x = sphere(n, dim, Seeds.derive(seed, "x"));
    double[] xt = sphere(nTest, dim, Seeds.derive(seed, "test"));
    double[] kernel = gaussianKernel(x, n, x, n, dim, h);
    double[] kt = gaussianKernel(xt, nTest, x, n, dim, h);
    double[] ft = new double[nTest];
    double[] y = new double[n];
    SplittableRandom noise = new SplittableRandom(Seeds.derive(seed, "noise"));
    for (int i = 0; i < n; i++) {
      y[i] = (sine ? Math.sin(x[i * dim]) : 0.0) + sigma * noise.nextGaussian();
    }
    for (int i = 0; i < nTest; i++) {
      ft[i] = sine ? Math.sin(xt[i * dim]) : 0.0;
    }
    double sigma2 = sigma * sigma;
    TestRisk risk = (alphas, d) -> {
      double[] pred = new double[nTest * d];
      Dense.gemm(false, false, nTest, d, n, 1.0, kt, alphas, 0.0, pred);
      double[] out = new double[d];
      for (int i = 0; i < nTest; i++) {
        for (int k = 0; k < d; k++) {
          double e = pred[i * d + k] - ft[i];
          out[k] += e * e;
        }
      }
      for (int k = 0; k < d; k++) {
        out[k] = out[k] / nTest + sigma2;
      }
      return out;
    };
    return new KrrData(y, kernel, risk, new GaussianExact(x, xt, dim, y, ft, sigma2, h));
  }

  /** m points uniform on S^(dim-1), row-major m x dim. */
  static double[] sphere(int m, int dim, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[m * dim];
    for (int i = 0; i < m; i++) {
      double s = 0.0;
      for (int k = 0; k < dim; k++) {
        double g = r.nextGaussian();
        x[i * dim + k] = g;
        s += g * g;
      }
      double norm = Math.sqrt(s);
      for (int k = 0; k < dim; k++) {
        x[i * dim + k] /= norm;
      }
    }
    return x;
  }

  /** exp(-|a_i - b_j|^2 / h^2), ma x mb row-major (differences taken directly, no 2 - 2 a.b). */
  static double[] gaussianKernel(double[] a, int ma, double[] b, int mb, int dim, double h) {
    double[] k = new double[ma * mb];
    double inv = 1.0 / (h * h);
    for (int i = 0; i < ma; i++) {
      for (int j = 0; j < mb; j++) {
        double s = 0.0;
        for (int c = 0; c < dim; c++) {
          double e = a[i * dim + c] - b[j * dim + c];
          s += e * e;
        }
        k[i * mb + j] = Math.exp(-s * inv);
      }
    }
    return k;
  }
}

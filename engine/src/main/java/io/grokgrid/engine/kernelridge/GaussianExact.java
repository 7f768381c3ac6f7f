package io.grokgrid.engine.kernelridge;

import java.util.Locale;

/**
 * The Gaussian-kernel design's ridge fits solved in double-double ({@link DoubleDouble}), for the
 * deltas that the float64 eigendecomposition cannot serve: at delta = 0 the minimum-norm
 * interpolant K^-1 y, whose K has eigenvalues far below float64's resolution as soon as the
 * bandwidth is not small next to the spacing of the points (Medvedev, Vardi, Srebro 2024 study
 * exactly those schedules). The kernel entries (training and test), the Cholesky factor of
 * K + delta I, the solve and the predictions sum_i alpha_i k(x, x_i) are all in double-double:
 * the coefficients alpha of a nearly singular K are huge and cancel in the predictions, so a
 * float64 test kernel would lose what the solve gained.
 *
 * <p>Accuracy is checked per solve, not assumed: one step of iterative refinement (residual
 * y - (K + delta I) alpha in double-double, solved with the same factor) gives a correction
 * whose effect on the test predictions estimates the error of the first solve; the refined
 * solution is used, and a solve whose correction moves the predictions by more than
 * {@link #TOLERANCE} of their root mean square (or whose Cholesky factorization meets a
 * non-positive pivot) is refused with an {@link IllegalStateException} naming n and the
 * bandwidth: that interpolant is beyond 32 digits too, and no number is better than a wrong one.
 *
 * <p>Lifecycle: built with the data set; the double-double kernels are computed on the first
 * solve and kept (2 n^2 + 2 n n_test doubles). Not thread-safe (a pack is solved by one thread).
 */
final class GaussianExact {
  /** The largest relative change of the test predictions one refinement step may make. */
  static final double TOLERANCE = 1e-6;

  final int n;
  final int nTest;
  final int dim;
  /** Training points, n x dim row-major. */
  final double[] x;
  /** Test points, nTest x dim row-major. */
  final double[] xt;
  final double[] y;
  final double[] ft;
  private final double sigma2;
  final double h;
  private double[] kh;
  private double[] kl;
  private double[] th;
  private double[] tl;

  /**
   * @param x training points, n x dim row-major
   * @param xt test points, nTest x dim row-major
   * @param y training labels
   * @param ft f* at the test points
   * @param sigma2 label noise variance (added to the test risk)
   * @param h the bandwidth used
   */
  GaussianExact(double[] x, double[] xt, int dim, double[] y, double[] ft, double sigma2, double h) {
    this.n = y.length;
    this.nTest = ft.length;
    this.dim = dim;
    this.x = x;
    this.xt = xt;
    this.y = y;
    this.ft = ft;
    this.sigma2 = sigma2;
    this.h = h;
  }

  /**
   * One solve: its fit, its predictions at the test points (rounded to double) and its estimated
   * relative error on them (the last refinement step's change over their rms).
   */
  record Solution(KrrFit fit, double[] predictions, double error) {}

  private void kernels() {
    if (kh != null) {
      return;
    }
    double[] out = new double[2];
    double hh = h * h;
    double hl = Math.fma(h, h, -hh);
    kh = new double[n * n];
    kl = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        DoubleDouble.gaussian(x, i, x, j, dim, hh, hl, out);
        kh[i * n + j] = out[0];
        kl[i * n + j] = out[1];
        kh[j * n + i] = out[0];
        kl[j * n + i] = out[1];
      }
    }
    th = new double[nTest * n];
    tl = new double[nTest * n];
    for (int t = 0; t < nTest; t++) {
      for (int i = 0; i < n; i++) {
        DoubleDouble.gaussian(xt, t, x, i, dim, hh, hl, out);
        th[t * n + i] = out[0];
        tl[t * n + i] = out[1];
      }
    }
  }

  /**
   * The fit at ridge delta >= 0 (0: the interpolant), reported with {@code rank} = n (nothing
   * is dropped).
   *
   * @throws IllegalStateException when double-double cannot solve K + delta I accurately
   */
  Solution solve(double delta) {
    kernels();
    double[] lh = new double[n * n];
    double[] ll = new double[n * n];
    int bad = DoubleDouble.cholesky(kh, kl, n, delta, lh, ll);
    if (bad >= 0) {
      throw refused(delta, "pivot " + bad + " of the Cholesky factorization is not positive");
    }
    double[] ah = y.clone();
    double[] al = new double[n];
    DoubleDouble.choleskySolve(lh, ll, n, ah, al);
    // one refinement step: c = (K + delta I)^-1 (y - (K + delta I) alpha)
    double[] out = new double[2];
    double[] ch = new double[n];
    double[] cl = new double[n];
    for (int i = 0; i < n; i++) {
      DoubleDouble.dotRow(kh, kl, i, n, ah, al, delta, out);
      DoubleDouble.add(y[i], 0.0, -out[0], -out[1], out);
      ch[i] = out[0];
      cl[i] = out[1];
    }
    DoubleDouble.choleskySolve(lh, ll, n, ch, cl);
    for (int i = 0; i < n; i++) {
      DoubleDouble.add(ah[i], al[i], ch[i], cl[i], out);
      ah[i] = out[0];
      al[i] = out[1];
    }
    double risk = 0.0;
    double predSq = 0.0;
    double moved = 0.0;
    double[] pred = new double[nTest];
    for (int t = 0; t < nTest; t++) {
      DoubleDouble.dotRow(th, tl, t, n, ah, al, 0.0, out);
      double p = out[0];
      pred[t] = p;
      DoubleDouble.dotRow(th, tl, t, n, ch, cl, 0.0, out);
      moved = Math.max(moved, Math.abs(out[0]));
      double e = p - ft[t];
      risk += e * e;
      predSq += p * p;
    }
    double rms = Math.sqrt(predSq / nTest);
    double error = rms > 0.0 ? moved / rms : moved;
    if (!(error <= TOLERANCE)) {
      throw refused(delta, String.format(Locale.ROOT,
          "one refinement step moved the test predictions by %.1e of their rms (tolerance %.0e)",
          error, TOLERANCE));
    }
    double sq = 0.0;
    double norm2h = 0.0;
    double norm2l = 0.0;
    for (int i = 0; i < n; i++) {
      DoubleDouble.dotRow(kh, kl, i, n, ah, al, 0.0, out);
      double fh = out[0];
      double fl = out[1];
      DoubleDouble.add(fh, fl, -y[i], 0.0, out);
      sq += out[0] * out[0];
      DoubleDouble.mul(fh, fl, ah[i], al[i], out);
      DoubleDouble.add(norm2h, norm2l, out[0], out[1], out);
      norm2h = out[0];
      norm2l = out[1];
    }
    KrrFit fit = new KrrFit(sq / n, risk / nTest + sigma2, Math.sqrt(Math.max(norm2h, 0.0)), n);
    return new Solution(fit, pred, error);
  }

  private IllegalStateException refused(double delta, String why) {
    return new IllegalStateException(String.format(Locale.ROOT,
        "the Gaussian kernel matrix at n = %d, bandwidth %.4g, delta %.3g is too ill-conditioned "
            + "for a double-double solve: %s", n, h, delta, why));
  }
}

package io.grokgrid.engine.kernelridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.engine.Seeds;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The double-double route of the Gaussian-kernel design against an independent solve in
 * {@link BigDecimal} at 50 digits (the test's own exp by halving and Taylor series, Gaussian
 * elimination with partial pivoting instead of Cholesky), on a kernel matrix beyond float64.
 */
class GaussianExactTest {
  private static final MathContext MC = new MathContext(50);

  /**
   * e^x for x <= 0: e^(x / 2^k) by 25 Taylor terms with |x / 2^k| < 1/128 (the rest < 1e-77),
   * squared k times.
   */
  static BigDecimal exp(BigDecimal x) {
    int k = 0;
    BigDecimal r = x;
    while (r.abs().compareTo(new BigDecimal("0.0078125")) > 0) {
      r = r.divide(BigDecimal.valueOf(2), MC);
      k++;
    }
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    for (int i = 1; i <= 25; i++) {
      term = term.multiply(r, MC).divide(BigDecimal.valueOf(i), MC);
      sum = sum.add(term, MC);
    }
    for (int i = 0; i < k; i++) {
      sum = sum.multiply(sum, MC);
    }
    return sum;
  }

  static BigDecimal kernel(double[] a, int i, double[] b, int j, int dim, double h) {
    BigDecimal s = BigDecimal.ZERO;
    for (int c = 0; c < dim; c++) {
      BigDecimal d = new BigDecimal(a[i * dim + c]).subtract(new BigDecimal(b[j * dim + c]));
      s = s.add(d.multiply(d));
    }
    BigDecimal hh = new BigDecimal(h).multiply(new BigDecimal(h));
    return exp(s.divide(hh, MC).negate());
  }

  /**
   * exp, the kernel's one transcendental step, to 10 u (1 + |x|) relative, u = 2^-106 ~ 1.2e-32
   * the double-double unit: exp's relative condition number is |x| (the reduction x - k ln 2
   * carries ln 2 to u), and the series and the nine squarings add a few u.
   */
  @Test
  void expMatchesATaylorSeriesIn50Digits() {
    double[] out = new double[2];
    for (double a : new double[] {-1e-9, -0.3, -0.6931471805599453, -1.7, -20.5, -123.456, -600.0}) {
      DoubleDouble.exp(a, 0.0, out);
      BigDecimal got = new BigDecimal(out[0]).add(new BigDecimal(out[1]));
      BigDecimal want = exp(new BigDecimal(a));
      double rel = got.subtract(want).abs().divide(want, MC).doubleValue();
      assertThat(rel).as("exp(%s)", a).isLessThan(10 * 0x1p-106 * (1 + Math.abs(a)));
    }
  }

  /**
   * Fixed bandwidth h = 2 at n = 100 on S^2: float64 resolves fewer than n of K's eigenvalues
   * (rank < n), so its pseudo-inverse is not the interpolant; the double-double solve is, to
   * 1e-12 of the predictions' rms against the 50-digit solve. Why 1e-12 holds: the condition
   * number here is ~1e20, so 32 digits leave ~12 and the refinement step recovers more (the
   * solve's own estimate, asserted below 1e-14, is ~1e-19); 50 digits leave ~30. Training error:
   * a backward-stable solve leaves a residual ~ n u |K| |alpha| with u = 2^-106 and |alpha| up to
   * |y| / k_min ~ 1e20 |y|, so the training MSE is below 1e-18 of mean y^2.
   */
  @Test
  void interpolantBeyondFloat64MatchesA50DigitSolve() {
    int n = 100;
    KernelRidge f = new KernelRidge(n, 30, true, Spectrum.POWER, 2.0, 0.1, false, 2.0, 0.5, 1, 3, 2.0, 0.0);
    KrrData data = f.generate(Seeds.derive(2024L, "exact", n));
    GaussianExact ex = data.exact;
    assertThat(data.rank).as("float64 rank").isLessThan(n);

    GaussianExact.Solution dd = ex.solve(0.0);
    assertThat(dd.error()).isLessThan(1e-14);
    double meanY2 = 0.0;
    for (double v : data.y) {
      meanY2 += v * v / n;
    }
    assertThat(dd.fit().trainLoss()).isLessThan(1e-18 * meanY2);
    assertThat(dd.fit().rank()).isEqualTo(n);
    // the float64 pseudo-inverse does not interpolate
    KrrFit pinv = KernelRidge.fit(new KrrData(data.y, data.kernel, data.test, null), new double[] {0.0}).get(0);
    assertThat(pinv.trainLoss()).isGreaterThan(1e-8 * meanY2);

    BigDecimal[][] a = new BigDecimal[n][n + 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = kernel(ex.x, i, ex.x, j, ex.dim, ex.h);
        a[j][i] = a[i][j];
      }
      a[i][n] = new BigDecimal(ex.y[i]);
    }
    BigDecimal[] alpha = solve(a, n);
    double num = 0.0;
    double den = 0.0;
    for (int t = 0; t < ex.nTest; t++) {
      BigDecimal p = BigDecimal.ZERO;
      for (int i = 0; i < n; i++) {
        p = p.add(kernel(ex.xt, t, ex.x, i, ex.dim, ex.h).multiply(alpha[i], MC), MC);
      }
      double e = p.subtract(new BigDecimal(dd.predictions()[t])).doubleValue();
      num = Math.max(num, Math.abs(e));
      den += dd.predictions()[t] * dd.predictions()[t] / ex.nTest;
    }
    assertThat(num / Math.sqrt(den)).isLessThan(1e-12);
    // and the risk the run reports is that solve's
    List<KrrFit> fits = KernelRidge.fit(data, new double[] {0.0});
    assertThat(fits.get(0).testRisk()).isEqualTo(dd.fit().testRisk());
  }

  /** Fixed h = 2 at n = 400 is beyond 32 digits too: refused, with n and the bandwidth named. */
  @Test
  void refusesASystemBeyondDoubleDouble() {
    KernelRidge f = new KernelRidge(400, 10, true, Spectrum.POWER, 2.0, 0.1, false, 2.0, 0.5, 1, 3, 2.0, 0.0);
    KrrData data = f.generate(Seeds.derive(2024L, "refused"));
    assertThatThrownBy(() -> KernelRidge.fit(data, new double[] {0.0, 1.0}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the Gaussian kernel matrix at n = 400, bandwidth 2.000, delta 0.00 "
            + "is too ill-conditioned for a double-double solve: ");
  }

  /** Gaussian elimination with partial pivoting on the augmented n x (n + 1) matrix. */
  private static BigDecimal[] solve(BigDecimal[][] a, int n) {
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (a[r][c].abs().compareTo(a[p][c].abs()) > 0) {
          p = r;
        }
      }
      BigDecimal[] t = a[c];
      a[c] = a[p];
      a[p] = t;
      for (int r = c + 1; r < n; r++) {
        BigDecimal m = a[r][c].divide(a[c][c], MC);
        for (int k = c; k <= n; k++) {
          a[r][k] = a[r][k].subtract(m.multiply(a[c][k], MC), MC);
        }
      }
    }
    BigDecimal[] x = new BigDecimal[n];
    for (int r = n - 1; r >= 0; r--) {
      BigDecimal s = a[r][n];
      for (int k = r + 1; k < n; k++) {
        s = s.subtract(a[r][k].multiply(x[k], MC), MC);
      }
      x[r] = s.divide(a[r][r], MC);
    }
    return x;
  }
}

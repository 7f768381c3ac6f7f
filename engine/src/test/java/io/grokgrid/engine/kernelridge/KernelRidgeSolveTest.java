package io.grokgrid.engine.kernelridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Seeds;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The solve from one eigendecomposition against a direct solve of (K + delta I) alpha = y, the
 * kernel matrices against their definitions, the interpolant at delta = 0, and the population
 * risk against its definition.
 */
class KernelRidgeSolveTest {

  /** {@code rate}: the spectrum's own parameter (decay a of power, exp_rate b of exp). */
  private static KernelRidge spectrumFamily(int n, int p, String spectrum, double rate, boolean noise) {
    Spectrum s = Spectrum.valueOf(spectrum);
    return new KernelRidge(n, 100, false, s, s == Spectrum.POWER ? rate : 2.0,
        s == Spectrum.EXP ? rate : 0.1, noise, 1.5, 0.5, p, 3, 1.0, 0.0);
  }

  private static KernelRidge sphereFamily(int n, double h0, double b) {
    return new KernelRidge(n, 500, true, Spectrum.POWER, 2.0, 0.1, false, 2.0, 0.5, 1, 3, h0, b);
  }

  /** Cholesky solve of the symmetric positive definite (K + delta I) x = y (test's own code). */
  private static double[] choleskySolve(double[] k, int n, double delta, double[] y) {
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = k[i * n + j] + (i == j ? delta : 0.0);
        for (int m = 0; m < j; m++) {
          s -= l[i][m] * l[j][m];
        }
        l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
      }
    }
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      double s = y[i];
      for (int m = 0; m < i; m++) {
        s -= l[i][m] * z[m];
      }
      z[i] = s / l[i][i];
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = z[i];
      for (int m = i + 1; m < n; m++) {
        s -= l[m][i] * x[m];
      }
      x[i] = s / l[i][i];
    }
    return x;
  }

  private static double relDiff(double[] a, double[] b) {
    double num = 0.0;
    double den = 0.0;
    for (int i = 0; i < a.length; i++) {
      num += (a[i] - b[i]) * (a[i] - b[i]);
      den += b[i] * b[i];
    }
    return Math.sqrt(num / den);
  }

  private static double[] column(double[] m, int rows, int cols, int c) {
    double[] out = new double[rows];
    for (int i = 0; i < rows; i++) {
      out[i] = m[i * cols + c];
    }
    return out;
  }

  /**
   * Every delta's alpha equals the direct (Cholesky) solve to 1e-9 relative. Both are backward
   * stable: each alpha's relative error is at most ~ c n eps cond(K + delta I) (Golub and Van
   * Loan, 2.6.2 and 8.1). The deltas are chosen so that cond <= 1e4 (asserted), giving
   * 1e4 * 60 * 2.2e-16 = 1.3e-10 with c ~ 1, under the 1e-9 the issue asks for.
   */
  @Test
  void everyDeltaMatchesTheDirectSolve() {
    for (KernelRidge f : List.of(spectrumFamily(60, 600, "POWER", 2.0, false),
        spectrumFamily(60, 600, "LOG", 0.0, true), sphereFamily(60, 1.0, 0.0))) {
      KrrData d = f.generate(Seeds.derive(5L, "solve"));
      int n = d.n;
      double kmax = d.values[n - 1];
      double[] deltas = {1e-4 * kmax, 1e-2 * kmax, kmax, 30.0 * kmax};
      double[] alphas = d.alphas(deltas);
      for (int j = 0; j < deltas.length; j++) {
        double cond = (kmax + deltas[j]) / (Math.max(d.values[0], 0.0) + deltas[j]);
        assertThat(cond).isLessThanOrEqualTo(1e4 + 1.0);
        double[] direct = choleskySolve(d.kernel, n, deltas[j], d.y);
        assertThat(relDiff(column(alphas, n, deltas.length, j), direct))
            .as("%s delta %s", f, deltas[j]).isLessThan(1e-9);
      }
    }
  }

  /**
   * The spectrum design's K, rebuilt entry by entry from its documented draws (column j of g from
   * Seeds.derive(seed, "feature", j)): K_il = sum_j lambda_j g_ij g_lj; the chunked BLAS sums
   * differ only in rounding, n-term sums of O(1) terms: 1e-12 relative to the diagonal.
   */
  @Test
  void spectrumKernelIsTheFeatureGram() {
    KernelRidge f = spectrumFamily(20, 1100, "POWER", 2.0, false);
    long seed = 42L;
    KrrData d = f.generate(seed);
    double[] lambda = f.eigenvalues();
    double[][] g = new double[20][1100];
    for (int j = 0; j < 1100; j++) {
      SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "feature", j));
      for (int i = 0; i < 20; i++) {
        g[i][j] = r.nextGaussian();
      }
    }
    for (int i = 0; i < 20; i++) {
      for (int l = 0; l < 20; l++) {
        double s = 0.0;
        for (int j = 0; j < 1100; j++) {
          s += lambda[j] * g[i][j] * g[l][j];
        }
        assertThat(d.kernel[i * 20 + l]).isCloseTo(s, within(1e-12 * d.kernel[i * 20 + i]));
      }
    }
  }

  /** The sphere design's K from its definition exp(-|x - x'|^2 / h^2) with h = h0 n^-b. */
  @Test
  void gaussianKernelUsesTheScheduledBandwidth() {
    KernelRidge f = sphereFamily(16, 2.0, 0.5);
    assertThat(f.effectiveBandwidth()).isCloseTo(0.5, within(1e-15));
    long seed = 9L;
    KrrData d = f.generate(seed);
    double[] x = KrrData.sphere(16, 3, Seeds.derive(seed, "x"));
    for (int i = 0; i < 16; i++) {
      assertThat(x[i * 3] * x[i * 3] + x[i * 3 + 1] * x[i * 3 + 1] + x[i * 3 + 2] * x[i * 3 + 2])
          .isCloseTo(1.0, within(1e-15));
      for (int l = 0; l < 16; l++) {
        double s = 0.0;
        for (int c = 0; c < 3; c++) {
          s += (x[i * 3 + c] - x[l * 3 + c]) * (x[i * 3 + c] - x[l * 3 + c]);
        }
        assertThat(d.kernel[i * 16 + l]).isCloseTo(Math.exp(-s / 0.25), within(1e-15));
      }
    }
  }

  /**
   * delta = 0 interpolates: training MSE 0 up to rounding when K keeps full rank. The residual of
   * U diag(1/k) U^T y through K is ~ n eps cond(K) |y| (cond ~ 1e4 here), so the MSE relative to
   * mean y^2 is ~ (n eps cond)^2 < 1e-16; and the interpolant is the delta -> 0 limit of the ridge
   * (first order in delta: 1e-10 k_min moves alpha by ~1e-10 relative).
   */
  @Test
  void ridgelessInterpolatesAndIsTheLimitOfRidge() {
    for (KernelRidge f : List.of(spectrumFamily(80, 4000, "POWER", 2.0, false),
        spectrumFamily(80, 4000, "EXP", 0.1, true), sphereFamily(80, 2.0, 0.5))) {
      KrrData d = f.generate(Seeds.derive(3L, "interp"));
      assertThat(d.rank).as("%s", f).isEqualTo(80);
      double kmin = d.values[0];
      List<KrrFit> fits = KernelRidge.fit(d, new double[] {0.0, 1e-10 * kmin, 1e-2 * kmin});
      double my2 = 0.0;
      for (double v : d.y) {
        my2 += v * v / d.n;
      }
      assertThat(fits.get(0).trainLoss() / my2).as("%s", f).isLessThan(1e-16);
      assertThat(fits.get(2).trainLoss()).isGreaterThan(fits.get(0).trainLoss());
      double[] a = d.alphas(new double[] {0.0, 1e-10 * kmin});
      assertThat(relDiff(column(a, 80, 2, 1), column(a, 80, 2, 0))).isLessThan(1e-8);
    }
  }

  /**
   * The spectrum design's risk, exact: sum_j (c_j - v_j)^2 + sigma^2 with c = Lambda g^T alpha,
   * against a Monte Carlo estimate from 20000 fresh draws x (f(x) = sum_i alpha_i k(x_i, x) with
   * k from the features, y = f*(x) + noise). The MC mean of squared Gaussian errors has relative
   * standard error sqrt(2 / 20000) = 1%, so 5% is 5 standard errors.
   */
  @Test
  void spectrumRiskIsThePopulationRisk() {
    KernelRidge f = spectrumFamily(30, 200, "POWER", 2.0, false);
    long seed = 77L;
    KrrData d = f.generate(seed);
    double delta = 1e-3;
    double risk = KernelRidge.fit(d, new double[] {delta}).get(0).testRisk();
    double[] alpha = d.alphas(new double[] {delta});
    double[] lambda = f.eigenvalues();
    double[] v = f.coefficients();
    double[][] g = new double[30][200];
    for (int j = 0; j < 200; j++) {
      SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "feature", j));
      for (int i = 0; i < 30; i++) {
        g[i][j] = r.nextGaussian();
      }
    }
    SplittableRandom r = new SplittableRandom(123L);
    int m = 20000;
    double mc = 0.0;
    double[] gx = new double[200];
    for (int t = 0; t < m; t++) {
      double fstar = 0.0;
      for (int j = 0; j < 200; j++) {
        gx[j] = r.nextGaussian();
        fstar += v[j] * gx[j];
      }
      double fx = 0.0;
      for (int i = 0; i < 30; i++) {
        double k = 0.0;
        for (int j = 0; j < 200; j++) {
          k += lambda[j] * g[i][j] * gx[j];
        }
        fx += alpha[i] * k;
      }
      double e = fx - fstar - 0.5 * r.nextGaussian();
      mc += e * e / m;
    }
    assertThat(mc).isCloseTo(risk, within(0.05 * risk));
  }
}

package io.grokgrid.engine.kernelridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The eigenframework's kappa, risk and cost against closed forms and an independent numpy run. */
class EigenframeworkTest {

  private static double[] power(int p, double a) {
    return Spectrum.POWER.eigenvalues(p, a);
  }

  private static double[] powers(int p, double t) {
    double[] v2 = new double[p];
    for (int i = 0; i < p; i++) {
      v2[i] = Math.pow(i + 1.0, -t);
    }
    return v2;
  }

  /**
   * P equal eigenvalues lambda: P lambda / (lambda + kappa) + delta / kappa = n is the quadratic
   * n kappa^2 + (n lambda - P lambda - delta) kappa - delta lambda = 0, whose positive root is
   * the closed form below; bisection to the last bits agrees to a few ulps (1e-13 relative).
   * Back from kappa to delta = kappa (n - sum L_i) must give delta again.
   */
  @Test
  void kappaSolvesTheEquationForFlatSpectra() {
    int p = 300;
    int n = 100;
    double lambda = 0.7;
    double[] flat = new double[p];
    java.util.Arrays.fill(flat, lambda);
    Eigenframework ef = new Eigenframework(flat, new double[p], 1.0, n);
    for (double delta : new double[] {0.0, 1e-6, 0.3, 50.0, 1e4}) {
      double b = n * lambda - p * lambda - delta;
      double expected = (-b + Math.sqrt(b * b + 4.0 * n * delta * lambda)) / (2.0 * n);
      assertThat(ef.kappa(delta)).as("delta %s", delta).isCloseTo(expected, within(1e-13 * expected));
      // delta(kappa) = kappa (n - sum L_i): the difference loses ~n ulps of n, times kappa
      double k = ef.kappa(delta);
      assertThat(ef.delta(k)).isCloseTo(delta, within(1e-9 * delta + 1e-13 * n * k));
    }
  }

  /**
   * Pure-noise target: the least risk over delta is sigma^2 (delta -> infinity, f = 0), so the
   * cost is E_0 = n / (n - sum L_i^2) at delta = 0 (Zhou et al.: the worst case over targets).
   * Values from an independent numpy implementation (bisection on log kappa, numpy sums):
   * power a = 2, P = 50 n: E_0 = 2.0067 (n = 100), 2.0156 (n = 1000); exp b = 0.1, P = 50 n,
   * n = 100: 10.0005; log, P = 50 n: 1.4842 (n = 100), 1.3926 (n = 1000). Printed to 4 digits,
   * hence 1e-4 absolute.
   */
  @Test
  void pureNoiseCostIsE0AndMatchesNumpy() {
    double[][] cases = {
        {0, 2.0, 100, 2.0067}, {0, 2.0, 1000, 2.0156}, {1, 0.1, 100, 10.0005},
        {2, 0.0, 100, 1.4842}, {2, 0.0, 1000, 1.3926}};
    for (double[] c : cases) {
      Spectrum s = Spectrum.values()[(int) c[0]];
      int n = (int) c[2];
      double[] lambda = s.eigenvalues(50 * n, c[1]);
      Eigenframework ef = new Eigenframework(lambda, new double[lambda.length], 0.25, n);
      double kappa = ef.kappa(0.0);
      double l2 = 0.0;
      for (double l : lambda) {
        l2 += (l / (l + kappa)) * (l / (l + kappa));
      }
      double e0 = n / (n - l2);
      assertThat(ef.risk(0.0)).isCloseTo(0.25 * e0, within(1e-12));
      assertThat(ef.bestRisk()).isCloseTo(0.25, within(1e-9));
      assertThat(ef.cost()).as("%s n=%d", s, n).isCloseTo(c[3], within(1e-4));
    }
  }

  /**
   * A signal target v_i^2 = i^-1.5 with lambda_i = i^-2, P = 5000, n = 100, sigma^2 = 0.25.
   * numpy (same formulas, independent code): kappa(0) = 2.402951352185691e-4, risk(0) =
   * 0.8611682208582359; kappa(1e-3) = 2.599683331093866e-4, risk = 0.8366206030204744;
   * kappa(1) = 0.01163411496547712, risk = 0.8248338456440193. Both bisect to ~1e-15, so 1e-10
   * relative leaves room for summation order. The least risk from a 4000-point scan of log kappa
   * in numpy is 0.6833191 (cost 1.2602724): a scan overestimates a smooth minimum by O(step^2),
   * here below 1e-6 relative, the tolerance.
   */
  @Test
  void signalTargetMatchesNumpy() {
    Eigenframework ef = new Eigenframework(power(5000, 2.0), powers(5000, 1.5), 0.25, 100);
    double[][] ref = {{0.0, 2.402951352185691e-4, 0.8611682208582359},
        {1e-3, 2.599683331093866e-4, 0.8366206030204744}, {1.0, 0.01163411496547712, 0.8248338456440193}};
    for (double[] r : ref) {
      assertThat(ef.kappa(r[0])).isCloseTo(r[1], within(1e-10 * r[1]));
      assertThat(ef.risk(r[0])).isCloseTo(r[2], within(1e-10 * r[2]));
    }
    assertThat(ef.bestRisk()).isCloseTo(0.6833191, within(1e-6));
    assertThat(ef.cost()).isCloseTo(1.2602724, within(2e-6));
  }

  /** At most n eigenvalues and delta = 0: kappa = 0 and E = n / (n - P) (least squares). */
  @Test
  void underParameterizedRidgelessIsLeastSquares() {
    Eigenframework ef = new Eigenframework(power(40, 2.0), new double[40], 1.0, 100);
    assertThat(ef.kappa(0.0)).isEqualTo(0.0);
    assertThat(ef.risk(0.0)).isCloseTo(100.0 / 60.0, within(1e-12));
  }
}

package io.grokgrid.engine.kernelridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.engine.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Gaussian kernel ridgeless regression at fixed dimension (Medvedev, Vardi, Srebro 2024: never
 * consistent, whatever the bandwidth schedule, and at least with enough noise worse than the null
 * predictor). x uniform on S^2 (d = 3: the points' spacing is ~ n^-1/(d-1) = n^-1/2), f* =
 * sin(x_1), sigma = 0.5: Bayes risk sigma^2 = 0.25, null predictor's risk E sin^2(x_1) + sigma^2
 * = 1/2 - sin(2)/4 + 0.25 = 0.5227. The interpolant is solved exactly (double-double,
 * {@link GaussianExact}) and its test risk compared with both the Bayes risk (consistency) and
 * the tuned ridge at the same bandwidth (the cost of overfitting), for the paper's three classes
 * of schedules h = h0 n^-b:
 * <ul>
 *   <li>h large next to the spacing (b = 0, fixed, and b = 1/4): the interpolant's risk grows
 *       with n (catastrophic) while the tuned ridge learns, so the cost is far above 1;
 *   <li>h ~ the spacing (b = 1/2) with h0 = 2: tempered, the cost stays ~2-3;
 *   <li>h below the spacing (b = 1/2 with h0 = 0.5, and h ~ 1/n): every predictor at that
 *       bandwidth is ~0 away from the data, ridge or not; the interpolant's risk is the null
 *       predictor's (the paper's h = o(n^-1/(d-1)) limit) and the cost is ~1. Not consistent
 *       all the same: ~2.1 times the Bayes risk.
 * </ul>
 *
 * <p>Margins. Each statistic is the median over R = 9 data sets of a per-data-set log ratio (log
 * because the catastrophic costs spread over orders of magnitude). Its sampling error is taken
 * from the replicates themselves: SE = 1.2533 s / sqrt(R), s their standard deviation (the
 * median's asymptotic standard error for a normal sample). "Bounded away from 1" is asserted as
 * median - 3 SE > ln 1.1: three standard errors of the replicates' sampling, and 10% more
 * because each risk is a Monte Carlo mean over 1000 test points (relative standard error
 * sqrt(2 / 1000) = 4.5% for the squared errors of the noisy-label part, so a ratio of two risks
 * could be off by ~9% at two standard errors, though they share their test points).
 */
class GaussianKernelTest {
  private static final double SIGMA = 0.5;
  private static final double BAYES = SIGMA * SIGMA;
  private static final double NULL_RISK = 0.5 - Math.sin(2.0) / 4.0 + BAYES;
  private static final int R = 9;
  private static final double FLOOR = Math.log(1.1);
  private static final double[] GRID = grid();

  private static double[] grid() {
    double[] g = new double[14];
    for (int i = 1; i < g.length; i++) {
      g[i] = Math.pow(10.0, i - 9);
    }
    return g;
  }

  /** Median and its standard error 1.2533 s / sqrt(R) of a sample. */
  private record Stat(double median, double se) {
    static Stat of(double[] v) {
      double mean = Arrays.stream(v).average().orElseThrow();
      double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
      double[] s = v.clone();
      Arrays.sort(s);
      return new Stat(s[s.length / 2], 1.2533 * Math.sqrt(ss / (v.length - 1)) / Math.sqrt(v.length));
    }

    double lower() {
      return median - 3.0 * se;
    }

    double upper() {
      return median + 3.0 * se;
    }
  }

  /** {log cost, log risk_interp / Bayes, log risk_interp / null risk}, each over R data sets. */
  private static Stat[] measure(double h0, double b, int n) {
    KernelRidge f = new KernelRidge(n, 1000, true, Spectrum.POWER, 2.0, 0.1, false, 2.0, SIGMA, 1, 3, h0, b);
    double[][] v = new double[3][R];
    for (int r = 0; r < R; r++) {
      KrrData d = f.generate(Seeds.derive(2024L, "gaussian", h0, b, n, r));
      List<KrrFit> fits = KernelRidge.fit(d, GRID);
      assertThat(fits.get(0).trainLoss()).as("the interpolant interpolates").isLessThan(1e-20);
      double best = fits.stream().mapToDouble(KrrFit::testRisk).min().orElseThrow();
      double risk = fits.get(0).testRisk();
      v[0][r] = Math.log(risk / best);
      v[1][r] = Math.log(risk / BAYES);
      v[2][r] = Math.log(risk / NULL_RISK);
    }
    return new Stat[] {Stat.of(v[0]), Stat.of(v[1]), Stat.of(v[2])};
  }

  @Test
  void ridgelessIsNeverConsistentWhateverTheBandwidthSchedule() {
    // {h0, b, 1 if the bandwidth is not below the spacing (the tuned ridge learns)}
    double[][] schedules = {{0.5, 0.0, 1}, {2.0, 0.25, 1}, {2.0, 0.5, 1}, {0.5, 0.5, 0}, {4.0, 1.0, 0}};
    StringBuilder table = new StringBuilder("h0 b n cost risk_interp/bayes risk_interp/null\n");
    for (double[] s : schedules) {
      for (int n : new int[] {100, 200}) {
        Stat[] m = measure(s[0], s[1], n);
        table.append(String.format(Locale.ROOT, "%.1f %.2f %d %.3f (se %.2f) %.3f (se %.2f) %.3f%n",
            s[0], s[1], n, Math.exp(m[0].median()), m[0].se(), Math.exp(m[1].median()), m[1].se(),
            Math.exp(m[2].median())));
        System.out.print(table.substring(table.lastIndexOf("\n", table.length() - 2) + 1));
        String at = String.format(Locale.ROOT, "h0=%s b=%s n=%d", s[0], s[1], n);
        // never consistent: the interpolant's risk stays above the Bayes risk
        assertThat(m[1].lower()).as("log risk_interp/bayes, " + at).isGreaterThan(FLOOR);
        if (s[2] == 1) {
          // the tuned ridge at the same bandwidth learns: the cost is bounded away from 1
          assertThat(m[0].lower()).as("log cost, " + at).isGreaterThan(FLOOR);
        } else {
          // nothing at this bandwidth learns: cost ~1 and the interpolant ~ the null predictor
          assertThat(m[0].upper()).as("log cost, " + at).isLessThan(FLOOR);
          assertThat(Math.abs(m[2].median()) - 3.0 * m[2].se()).as("log risk/null, " + at)
              .isLessThan(FLOOR);
        }
      }
    }
  }
}

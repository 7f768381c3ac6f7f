package io.grokgrid.engine.univariate;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.Seeds;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Cost of overfitting of GD-trained interpolants over a grid of n (Joshi, Vardi, Srebro 2023;
 * README, "Task `univariate-regression`" and README "Output tables"), measured and printed.
 *
 * <p>What GD reaches in seconds. With data knots and a large init scale (omega = 16, step size
 * 2 / (m omega^2), m = 4n, 50000 steps) GD nearly interpolates (train MSE 0.2-6% of sigma^2 for
 * n = 16..64). That regime is lazy: the knots barely move, so the interpolant is that of a fixed
 * kernel, close to the linear spline through the data, which is tempered for both losses. The
 * costs (interpolant's test risk over the best early-stopped risk of the same run, i.e. the
 * early-stopping cost, averaged over 3 seeds) stay near 1.2-1.5, with L2 cost ~ (L1 cost)^2 as for
 * Gaussian-like test errors: no heavy-tailed spikes. Seen: n = 16, 32, 64: train MSE 0.011,
 * 0.0004, 0.015; L2 cost 1.27, 1.53, 1.50; L1 cost 1.13, 1.23, 1.22; log-log slopes L2 0.12, L1
 * 0.06. Because cost2 ~ cost1^2, slope_L2 ~ 2 slope_L1 whenever the L1 cost drifts up with n, so
 * "slope_L2 > slope_L1" would hold here without any catastrophic behaviour; it is printed, not
 * asserted. With other seeds (n = 8..64) both slopes were ~0.01.
 *
 * <p>Not reached: Joshi et al.'s catastrophic L2 comes from spiky minimum-norm interpolants (as we
 * read Hanin 2021, the linear spline is itself of minimal norm, with spiky alternatives of equal
 * norm on intervals where the data's discrete curvature keeps its sign) and from rare training
 * sets (catastrophic in expectation). GD in the rich regime (small init scale, moving knots) does
 * grow spikes (n = 8, omega = 4: L2 cost 5.1 vs L1 cost 1.8) but stalls far from interpolation at
 * larger n (train MSE 25-65% of sigma^2 after 2e5 steps for n = 32..64, so costs fall with n).
 * The assertions below check what holds: near interpolation, a real cost (> 1.05 in L1; seen >= 1.13), and the
 * Gaussian-like relation between the two costs.
 */
class CostOfOverfittingTest {
  private static final double SIGMA = 0.5;
  private static final double OMEGA = 16.0;
  private static final int STEPS = 50_000;
  private static final int SEEDS = 3;

  @Test
  void lazyGdInterpolantsAreTemperedInBothLosses() {
    int[] ns = {16, 32, 64};
    double[] logN = new double[ns.length];
    double[] logCost2 = new double[ns.length];
    double[] logCost1 = new double[ns.length];
    int[] logs = LogSchedule.of(STEPS, 40);
    for (int k = 0; k < ns.length; k++) {
      int n = ns[k];
      int m = 4 * n;
      Hyper h = new Hyper(2.0 / (m * OMEGA * OMEGA), 0.0);
      double[] l2 = new double[logs.length];
      double[] l1 = new double[logs.length];
      double train = 0.0;
      for (int s = 0; s < SEEDS; s++) {
        long seed = Seeds.derive(2307_15396L, "cost", n, s);
        RegressionData d = new UnivariateRegression(n, 20_000, SIGMA, Target.SIN).generate(Seeds.derive(seed, "data"));
        Curve c = RegressionTrainer.train(d, new UnivariateNet(m, OMEGA, Knots.DATA,
            Seeds.derive(seed, "init")), List.of(h), STEPS, logs, RegressionTrainer.WITH_CLEAN).get(0).curve();
        assertThat(c.length()).isEqualTo(logs.length);
        for (int i = 0; i < logs.length; i++) {
          l2[i] += c.testLoss()[i] / SEEDS;
          l1[i] += c.testLossL1()[i] / SEEDS;
        }
        train += c.trainLoss()[c.last()] / SEEDS;
      }
      int last = logs.length - 1;
      double cost2 = l2[last] / min(l2);
      double cost1 = l1[last] / min(l1);
      System.out.printf(Locale.ROOT, "univariate n=%d: train MSE %.4f, test L2 %.4f (best %.4f), L1 %.4f"
          + " (best %.4f), cost L2 %.3f, cost L1 %.3f%n", n, train, l2[last], min(l2), l1[last], min(l1), cost2, cost1);
      assertThat(train).as("near interpolation at n = %d", n).isLessThan(0.1 * SIGMA * SIGMA);
      assertThat(cost1).as("interpolating noise costs test risk").isGreaterThan(1.05);
      // Gaussian-like errors give L2 cost = (L1 cost)^2; seen within 0.05 in log; 0.15 allows for other seeds while spikes (L2 cost 5 vs L1 cost 1.8, log difference 0.45) would fail
      assertThat(Math.log(cost2) - 2 * Math.log(cost1)).as("log cost2 - 2 log cost1").isBetween(-0.15, 0.15);
      logN[k] = Math.log(n);
      logCost2[k] = Math.log(cost2);
      logCost1[k] = Math.log(cost1);
    }
    System.out.printf(Locale.ROOT, "univariate log-log slopes of the cost over n: L2 %.3f, L1 %.3f%n",
        slope(logN, logCost2), slope(logN, logCost1));
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }

  /** Least-squares slope of y on x. */
  static double slope(double[] x, double[] y) {
    double mx = 0.0;
    double my = 0.0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0.0;
    double sxx = 0.0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
  }
}

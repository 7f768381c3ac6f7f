package io.grokgrid.engine.univariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.net.GdTrainer;
import io.grokgrid.engine.univariate.UnivariateNet.Params;
import io.grokgrid.vocab.Values;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data, initialization, metrics, interpolation, divergence and messages of univariate regression. */
class RegressionBasicsTest {

  @Test
  void dataFollowsTheRecipe() {
    double sigma = 0.5;
    RegressionData d = new UnivariateRegression(20000, 10, sigma, Target.SIN).generate(3);
    double mean = 0.0;
    double var = 0.0;
    for (int i = 0; i < d.nTrain(); i++) {
      double x = d.xTrain()[i];
      assertThat(x).isBetween(0.0, 1.0);
      assertThat(d.fTrain()[i]).isEqualTo(Math.sin(2 * Math.PI * x));
      double e = d.yTrain()[i] - d.fTrain()[i];
      mean += x / d.nTrain();
      var += e * e / d.nTrain();
    }
    // mean of U[0,1] over 20000: sd 0.29 / 141 = 0.002; noise variance: relative sd sqrt(2/20000)
    // = 0.01; both bounds are > 4 sd
    assertThat(mean).isCloseTo(0.5, offset(0.01));
    assertThat(var / (sigma * sigma)).isCloseTo(1.0, offset(0.05));
    // the test set does not depend on n_train, the training set not on n_test
    RegressionData other = new UnivariateRegression(5, 10, sigma, Target.SIN).generate(3);
    assertThat(other.xTest()).containsExactly(d.xTest());
    RegressionData more = new UnivariateRegression(5, 99, sigma, Target.SIN).generate(3);
    assertThat(more.xTrain()).containsExactly(other.xTrain());
    assertThat(new UnivariateRegression(5, 10, sigma, Target.ZERO).generate(3).fTest()).containsOnly(0.0);
  }

  @Test
  void initializationIsBalancedZeroAndPutsDataKnotsInEveryGap() {
    double omega = 0.7;
    RegressionData d = new UnivariateRegression(10, 5, 0.5, Target.SIN).generate(1);
    UnivariateNet net = new UnivariateNet(25, omega, Knots.DATA, 9);
    Params p = net.initial(d.xTrain());
    Params u = new UnivariateNet(25, omega, Knots.UNIFORM, 9).initial(d.xTrain());
    for (int j = 0; j < 24; j++) {
      assertThat(Math.abs(p.w[j])).isEqualTo(omega);
      assertThat(Math.abs(p.v[j])).isEqualTo(omega);
    }
    assertThat(p.v[24]).isZero();
    for (double x = 0.0; x <= 1.0; x += 0.01) {
      assertThat(p.apply(x)).isCloseTo(0.0, offset(1e-15));
    }
    assertThat(p.c).isZero();
    assertThat(p.d).isZero();
    double[] xs = d.xTrain().clone();
    Arrays.sort(xs);
    for (int g = 0; g < 9; g++) {
      double knot = -p.b[2 * g] / p.w[2 * g];
      assertThat(knot).isCloseTo(0.5 * (xs[g] + xs[g + 1]), offset(1e-15));
      assertThat(knot).isEqualTo(-p.b[2 * g + 1] / p.w[2 * g + 1]);
    }
    // the data knots replace only the first pairs' knots; every other draw is the same
    assertThat(p.w).containsExactly(u.w);
    assertThat(p.v).containsExactly(u.v);
    assertThat(Arrays.copyOfRange(p.b, 18, 25)).containsExactly(Arrays.copyOfRange(u.b, 18, 25));
  }

  @Test
  void curveMetricsMatchADirectEvaluation() {
    RegressionData d = new UnivariateRegression(12, 300, 0.4, Target.SIN).generate(5);
    UnivariateNet net = new UnivariateNet(16, 1.0, Knots.UNIFORM, 6);
    int[] logs = {0, 3, 40};
    RunResult r = RegressionTrainer.train(d, net, List.of(new Hyper(0.01, 0.1)), 40, logs, RegressionTrainer.WITH_CLEAN).get(0);
    Curve c = r.curve();
    assertThat(c.steps()).containsExactly(logs);
    // step 0: the zero function
    assertThat(c.testLoss()[0]).isCloseTo(meanPow(d.yTest(), 2), offset(1e-12));
    assertThat(c.testLossL1()[0]).isCloseTo(meanPow(d.yTest(), 1), offset(1e-12));
    assertThat(c.values(RegressionTrainer.TEST_CLEAN_L2)[0]).isCloseTo(meanPow(d.fTest(), 2), offset(1e-12));
    assertThat(c.trainLoss()[0]).isCloseTo(meanPow(d.yTrain(), 2), offset(1e-12));
    // step 40 of GD by hand with the direct gradient of the decayed objective
    Params p = net.initial(d.xTrain());
    for (int t = 0; t < 40; t++) {
      Params g = RegressionTrainer.gradient(d, p);
      for (int j = 0; j < 16; j++) {
        p.w[j] = (1 - 0.01 * 0.1) * p.w[j] - 0.01 * g.w[j];
        p.v[j] = (1 - 0.01 * 0.1) * p.v[j] - 0.01 * g.v[j];
        p.b[j] -= 0.01 * g.b[j];
      }
      p.c -= 0.01 * g.c;
      p.d -= 0.01 * g.d;
    }
    double l2 = 0.0;
    double l1 = 0.0;
    double c1 = 0.0;
    for (int i = 0; i < d.nTest(); i++) {
      double f = p.apply(d.xTest()[i]);
      l2 += Math.pow(f - d.yTest()[i], 2) / d.nTest();
      l1 += Math.abs(f - d.yTest()[i]) / d.nTest();
      c1 += Math.abs(f - d.fTest()[i]) / d.nTest();
    }
    // same updates, different summation order in the outputs: rounding only
    assertThat(c.testLoss()[2]).isCloseTo(l2, offset(1e-10));
    assertThat(c.testLossL1()[2]).isCloseTo(l1, offset(1e-10));
    assertThat(c.values(RegressionTrainer.TEST_CLEAN_L1)[2]).isCloseTo(c1, offset(1e-10));
    assertThat(c.trainLoss()[2]).isCloseTo(2 * RegressionGradientTest.direct(d, p), offset(1e-10));
    assertThat(c.weightNorm()[2]).isCloseTo(Math.sqrt(p.normSq()), offset(1e-10));
  }

  /**
   * With data knots and a large init scale (omega = 16, the lazy regime, step size 2 / (m omega^2))
   * GD nearly interpolates n = 64 noisy points in 50000 steps (seen: train MSE 0.011, 4.5% of
   * sigma^2 = 0.25, averaged over 3 seeds); uniform knots leave many gaps between close inputs
   * without a kink and stall far from interpolation (seen: 0.15-0.2 after 2e5 steps).
   */
  @Test
  void dataKnotsReachNearInterpolation() {
    int n = 64;
    int m = 4 * n;
    double omega = 16.0;
    double sigma = 0.5;
    RegressionData d = new UnivariateRegression(n, 2000, sigma, Target.SIN).generate(Seeds.derive(2307L, "interp"));
    Hyper h = new Hyper(2.0 / (m * omega * omega), 0.0);
    int steps = 50_000;
    RunResult r = RegressionTrainer.train(d, new UnivariateNet(m, omega, Knots.DATA, 11), List.of(h), steps,
        LogSchedule.of(steps, 20), RegressionTrainer.WITH_CLEAN).get(0);
    Curve c = r.curve();
    assertThat(r.status()).isEqualTo(Values.OK);
    assertThat(c.trainLoss()[c.last()]).isLessThan(0.1 * sigma * sigma);
    // interpolating noise costs test loss: above the noise floor
    assertThat(c.testLoss()[c.last()]).isGreaterThan(sigma * sigma);
  }

  @Test
  void divergenceStopsTheRun() {
    RegressionData d = new UnivariateRegression(8, 20, 0.5, Target.SIN).generate(2);
    UnivariateNet net = new UnivariateNet(8, 1.0, Knots.UNIFORM, 3);
    List<RunResult> rs = RegressionTrainer.train(d, net, List.of(new Hyper(1e160, 0.0), new Hyper(0.01, 0.0)),
        30, new int[] {0, 1, 2, 30}, RegressionTrainer.WITH_CLEAN);
    assertThat(rs.get(0).status()).isEqualTo(Values.DIVERGED);
    assertThat(rs.get(0).detail()).startsWith("non-finite training loss or weights at step ");
    assertThat(rs.get(0).stepsDone()).isBetween(1, 3);
    assertThat(rs.get(0).curve().length()).isEqualTo(rs.get(0).stepsDone());
    assertThat(rs.get(1).status()).isEqualTo(Values.OK);
    assertThat(rs.get(1).stepsDone()).isEqualTo(30);
  }

  @Test
  void badParametersNameTheKeyTheRuleAndTheValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> new UnivariateRegression(0, 10, 0.5, Target.SIN))
        .withMessage("n_train must be an integer in [1, 1000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new UnivariateRegression(10, 0, 0.5, Target.SIN))
        .withMessage("n_test must be an integer in [1, 10000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new UnivariateRegression(10, 10, -0.1, Target.SIN))
        .withMessage("label_noise_std must be a finite number >= 0, got -0.1");
    assertThatIllegalArgumentException().isThrownBy(() -> Target.parse("cos"))
        .withMessage("target must be one of [sin, zero], got cos");
    assertThatIllegalArgumentException().isThrownBy(() -> Knots.parse("grid"))
        .withMessage("knots must be one of [uniform, data], got grid");
    assertThatIllegalArgumentException().isThrownBy(() -> new UnivariateNet(0, 1.0, Knots.DATA, 1))
        .withMessage("width must be an integer in [1, 10000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new UnivariateNet(4, Double.NaN, Knots.DATA, 1))
        .withMessage("init_scale must be a finite number >= 0, got NaN");
    RegressionData d = new UnivariateRegression(4, 4, 0.5, Target.SIN).generate(1);
    UnivariateNet net = new UnivariateNet(4, 1.0, Knots.UNIFORM, 1);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RegressionTrainer.train(d, net, List.of(new Hyper(0.1, 0.0)), 3, new int[] {0, 2, 2, 3}, RegressionTrainer.WITH_CLEAN))
        .withMessage("log steps must be increasing within [0, 3] and end at 3, got [0, 2, 2, 3]");
    assertThat(Target.parse("sin")).isEqualTo(Target.SIN);
    assertThat(Knots.DATA.label()).isEqualTo("data");
  }

  private static double meanPow(double[] v, int pow) {
    double s = 0.0;
    for (double x : v) {
      s += pow == 2 ? x * x : Math.abs(x);
    }
    return s / v.length;
  }
}

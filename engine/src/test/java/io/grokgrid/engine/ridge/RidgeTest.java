package io.grokgrid.engine.ridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Grokking;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ridge family of Xu, Vardi and Safran (2026): gradient, forms, the Eq. (8) bounds. */
class RidgeTest {

  private static int[] everyStep(int steps) {
    int[] s = new int[steps + 1];
    for (int t = 0; t <= steps; t++) {
      s[t] = t;
    }
    return s;
  }

  /**
   * The objective is quadratic, so central differences have no truncation error: only rounding,
   * about eps |L| / h = 1e-16 * 1 / 1e-4 = 1e-12. Gradient entries are O(1/sqrt(p)) ~ 0.1; 1e-9
   * catches any wrong factor (1/n, lambda, a transpose).
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void gradientMatchesCentralDifferences(long seed) {
    Ridge r = new Ridge(7, 12, 0.3, 1.0, "primal");
    RidgeData d = r.generate(Seeds.derive(seed, "ridge-gc"));
    double[] theta = r.initialTheta(Seeds.derive(seed, "ridge-gc-init"));
    double lambda = 0.37;
    double[] g = PrimalTrainer.gradient(d, theta, lambda);
    double h = 1e-4;
    for (int j = 0; j < theta.length; j++) {
      double[] plus = theta.clone();
      double[] minus = theta.clone();
      plus[j] += h;
      minus[j] -= h;
      double fd = (PrimalTrainer.objective(d, plus, lambda) - PrimalTrainer.objective(d, minus, lambda)) / (2 * h);
      assertThat(g[j]).as("coordinate %d", j).isCloseTo(fd, offset(1e-9));
    }
  }

  /**
   * The primal form (theta held whole) and the spectral form are the same GD in exact arithmetic;
   * in float64 they differ by rounding, amplified at most by the number of steps: relative 1e-9.
   * Covered: over-parameterized (n < p), with label noise, and rank-deficient (n > p).
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void primalAndSpectralFormsAgree(int variant) {
    int n = variant == 2 ? 30 : 20;
    int p = variant == 2 ? 12 : 80;
    double noise = variant == 1 ? 0.2 : 0.0;
    Ridge primal = new Ridge(n, p, noise, 0.8, "primal");
    Ridge dual = new Ridge(n, p, noise, 0.8, "dual");
    long seed = Seeds.derive(variant, "ridge-forms");
    List<Hyper> hypers = List.of(new Hyper(1.0, 1e-3), new Hyper(0.5, 0.0), new Hyper(2.0, 0.05));
    int steps = 300;
    int[] logs = LogSchedule.of(steps, 30);
    PackResult a = primal.train(primal.generate(seed), 9, hypers, steps, logs);
    PackResult b = dual.train(dual.generate(seed), 9, hypers, steps, logs);
    assertThat(a.form()).isEqualTo(Form.PRIMAL);
    assertThat(b.form()).isEqualTo(Form.DUAL);
    for (int r = 0; r < hypers.size(); r++) {
      Curve ca = a.runs().get(r).curve();
      Curve cb = b.runs().get(r).curve();
      assertThat(cb.steps()).containsExactly(ca.steps());
      assertThat(ca.trainAcc()).isNull();
      assertThat(ca.testAcc()).isNull();
      for (int i = 0; i < ca.length(); i++) {
        assertThat(cb.trainLoss()[i]).isCloseTo(ca.trainLoss()[i], offset(1e-9 * (1 + ca.trainLoss()[i])));
        assertThat(cb.testLoss()[i]).isCloseTo(ca.testLoss()[i], offset(1e-9 * (1 + ca.testLoss()[i])));
        assertThat(cb.weightNorm()[i]).isCloseTo(ca.weightNorm()[i], offset(1e-9 * (1 + ca.weightNorm()[i])));
        assertThat(cb.testLossL1()[i]).isCloseTo(ca.testLossL1()[i], offset(1e-9 * (1 + ca.testLossL1()[i])));
      }
    }
  }

  /** Data: theta* on the unit sphere, x ~ N(0, I/p) (so E|x|^2 = 1), y = <theta*, x> without noise. */
  @Test
  void dataFollowTheRecipe() {
    Ridge r = new Ridge(200, 400, 0.0, 1.0, "dual");
    RidgeData d = r.generate(11);
    double[] star = d.thetaStar();
    assertThat(RidgeData.dot(star, 0, star, 0, 400)).isCloseTo(1.0, offset(1e-12));
    double[] x = d.x();
    double[] y = d.y();
    double sq = 0.0;
    for (int i = 0; i < 200; i++) {
      assertThat(y[i]).isCloseTo(RidgeData.dot(x, i * 400, star, 0, 400), offset(1e-15));
      sq += RidgeData.dot(x, i * 400, x, i * 400, 400);
    }
    // mean of 200 x 400 squares of N(0, 1/400): 1 with std sqrt(2 / 80000) = 0.005; 5 sigma
    assertThat(sq / 200).isCloseTo(1.0, offset(0.025));
    // the same seed gives the same data; another seed other data
    assertThat(r.generate(11).y()).containsExactly(y);
    assertThat(r.generate(12).y()[0]).isNotEqualTo(y[0]);
    // population loss at step 0 is |theta0 - theta*|^2 / (2p) exactly
    double[] t0 = r.initialTheta(5);
    double err = 0.0;
    for (int j = 0; j < 400; j++) {
      err += (t0[j] - star[j]) * (t0[j] - star[j]);
    }
    Curve c = r.train(d, 5, List.of(new Hyper(1.0, 1e-3)), 0, new int[] {0}).runs().get(0).curve();
    assertThat(c.testLoss()[0]).isCloseTo(err / 800, offset(1e-12));
    // L1: <theta - theta*, x> ~ N(0, |theta - theta*|^2 / p), whose mean absolute value is sqrt(2 v / pi)
    assertThat(c.testLossL1()[0]).isCloseTo(Math.sqrt(2 * err / 400 / Math.PI), offset(1e-12));
  }

  /**
   * The population losses against a Monte Carlo estimate on fresh draws (x ~ N(0, I/p), noise
   * sigma = 0.5): half squared error and absolute error over 200000 samples. Both estimates have
   * relative standard error below 1/sqrt(200000) * 1.5 ~ 0.0034; 0.02 is over 5 of them.
   */
  @Test
  void populationLossesMatchMonteCarlo() {
    int p = 50;
    double sigma = 0.5;
    Ridge r = new Ridge(10, p, sigma, 1.0, "dual");
    RidgeData d = r.generate(4);
    Curve c = r.train(d, 8, List.of(new Hyper(0.5, 0.01)), 30, new int[] {0, 30}).runs().get(0).curve();
    double[] theta = r.initialTheta(8);
    double[] star = d.thetaStar();
    SplittableRandom rng = new SplittableRandom(99);
    int samples = 200_000;
    double half = 0.0;
    double abs = 0.0;
    for (int s = 0; s < samples; s++) {
      double e = 0.0;
      for (int j = 0; j < p; j++) {
        e += (theta[j] - star[j]) * rng.nextGaussian() / Math.sqrt(p);
      }
      e -= sigma * rng.nextGaussian();
      half += 0.5 * e * e;
      abs += Math.abs(e);
    }
    assertThat(c.testLoss()[0]).isCloseTo(half / samples, offset(0.02 * c.testLoss()[0]));
    assertThat(c.testLossL1()[0]).isCloseTo(abs / samples, offset(0.02 * c.testLossL1()[0]));
  }

  private record Times(int tFit, int tGen, double fitBound, double genBound) {}

  /** Measured t_fit and t_gen (every step logged) and the Eq. (8) bounds of one run. */
  private static Times times(Ridge r, long seed, double alpha, double lambda, int steps) {
    RidgeData d = r.generate(seed);
    Hyper h = new Hyper(alpha, lambda);
    PackResult res = r.train(d, Seeds.derive(seed, "init"), List.of(h), steps, everyStep(steps));
    Grokking g = Grokking.ofRegression(res.runs().get(0).curve(), Thresholds.REGRESSION_DEFAULT);
    Map<String, Double> th = r.theory(d, h, Thresholds.REGRESSION_DEFAULT);
    assertThat(g.tFit()).as("t_fit within %d steps", steps).isNotNull();
    assertThat(g.tGen()).as("t_gen within %d steps", steps).isNotNull();
    return new Times(g.tFit(), g.tGen(), th.get(Columns.T_FIT_BOUND), th.get(Columns.T_GEN_BOUND));
  }

  /**
   * The paper's defaults scaled down (n = 50, p = 500, alpha = 1, lambda = 1e-4, nu^2 = 1,
   * eps = c = 0.01; alpha lambda = 1e-4 <= 0.01 as Eq. (8) requires): the measured times respect
   * the bounds for every seed, and the run groks (t_gen >> t_fit).
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void measuredTimesRespectTheBounds(long seed) {
    Times t = times(new Ridge(50, 500, 0.0, 1.0, "dual"), seed, 1.0, 1e-4, 40_000);
    assertThat((double) t.tFit()).isLessThanOrEqualTo(t.fitBound());
    assertThat((double) t.tGen()).isGreaterThanOrEqualTo(t.genBound());
    assertThat(t.tGen()).isGreaterThan(10 * t.tFit());
  }

  /**
   * t_gen scales like 1/(alpha lambda): the least-squares slope of log t_gen on log lambda over a
   * small grid (alpha lambda from 1e-4 to 4e-3) is within [-1.2, -0.8].
   */
  @Test
  void generalizationTimeScalesLikeOneOverLambda() {
    Ridge r = new Ridge(50, 500, 0.0, 1.0, "dual");
    double[] lambdas = {1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 4e-3};
    List<double[]> pts = new ArrayList<>();
    for (double lambda : lambdas) {
      Times t = times(r, 7, 1.0, lambda, 40_000);
      pts.add(new double[] {Math.log(lambda), Math.log(t.tGen())});
    }
    double mx = pts.stream().mapToDouble(v -> v[0]).average().orElseThrow();
    double my = pts.stream().mapToDouble(v -> v[1]).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (double[] v : pts) {
      sxy += (v[0] - mx) * (v[1] - my);
      sxx += (v[0] - mx) * (v[0] - mx);
    }
    double slope = sxy / sxx;
    assertThat(slope).isBetween(-1.2, -0.8);
  }

  @Test
  void divergesWithATooLargeStep() {
    Ridge r = new Ridge(20, 40, 0.0, 1.0, "dual");
    RidgeData d = r.generate(1);
    // alpha k_max / n > 2 makes the top mode grow: k_max ~ (1 + sqrt(n/p))^2 ~ 2.9, n = 20
    RunResult run = r.train(d, 2, List.of(new Hyper(100.0, 0.0)), 5000, LogSchedule.of(5000, 50))
        .runs().get(0);
    assertThat(run.status()).isEqualTo(Values.DIVERGED);
    assertThat(run.stepsDone()).isLessThan(5000);
    assertThat(run.detail()).startsWith("non-finite training loss or weights at step ");
  }

  @Test
  void messagesNameTheKey() {
    assertThatThrownBy(() -> new Ridge(0, 10, 0, 1, "auto")).hasMessage("n_train must be an integer in [1, 100000], got 0");
    assertThatThrownBy(() -> new Ridge(5, 10, -1, 1, "auto")).hasMessage("label_noise_std must be a finite number >= 0, got -1");
    assertThatThrownBy(() -> new Ridge(5, 10, 0, -1, "auto")).hasMessage("init_scale must be a finite number >= 0, got -1");
    assertThatThrownBy(() -> new Ridge(5, 10, 0, 1, "fast")).hasMessage("form must be one of [auto, primal, dual], got fast");
  }

  /** theory: null where Eq. (8) is undefined. */
  @Test
  void boundsAreNullWhereUndefined() {
    Ridge r = new Ridge(30, 20, 0.0, 1.0, "dual");
    Map<String, Double> th = r.theory(r.generate(1), new Hyper(1.0, 1e-3), Thresholds.REGRESSION_DEFAULT);
    assertThat(th.get(Columns.T_GEN_BOUND)).isNull(); // p <= n
    assertThat(th.get(Columns.T_FIT_BOUND)).isPositive();
    Ridge over = new Ridge(10, 20, 0.0, 1.0, "dual");
    assertThat(over.theory(over.generate(1), new Hyper(1.0, 0.0), Thresholds.REGRESSION_DEFAULT)
        .get(Columns.T_GEN_BOUND)).isNull(); // lambda = 0: t2 is infinite
  }
}

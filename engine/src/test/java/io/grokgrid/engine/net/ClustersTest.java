package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Values;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The clusters family (Frei, Vardi, Bartlett, Srebro, NeurIPS 2023; README, "Task `clusters`"):
 * the law of its data checked by its moments, and the paper's generalization at a size that runs
 * in seconds. Tolerances are {@link #Z} standard errors of the estimate under the documented law
 * (binomial for fractions, 1/sqrt(N) for the mean of N unit-variance draws, sqrt(2/N) for their
 * mean square); one-sided bounds over many comparisons are set so that the union over all of
 * them stays below ~1e-6.
 */
class ClustersTest {
  private static final double Z = 5.0;

  /**
   * mu_c = r g_c / |g_c|: the norm is r up to a few roundings (relative ~1e-16 per operation
   * over p terms: 1e-12 is far above it). Two independent uniform directions of R^p have a cosine
   * with mean 0 and variance exactly 1/p, (1 + cos) / 2 ~ Beta((p-1)/2, (p-1)/2), whose tails are
   * lighter than N(0, 1/p)'s: P(|cos| > 6.5 / sqrt(p)) < 1e-10, so over the k(k-1)/2 = 120 pairs
   * a correct generator fails with probability < 1e-8, while an unnormalized, shared or
   * axis-aligned mean breaks the norm or a cosine by far more.
   */
  @Test
  void meansHaveNormSignalAndAreNearlyOrthogonal() {
    int k = 16;
    int p = 1000;
    double r = 7.0;
    double[][] mu = new Clusters(10, 10, p, k, r, 0.0).means(2023);
    double sumSqCos = 0.0;
    for (int c = 0; c < k; c++) {
      assertThat(Math.sqrt(Reference.dot(mu[c], mu[c]))).as("|mu_%d|", c).isCloseTo(r, within(1e-12 * r));
      for (int e = 0; e < c; e++) {
        double cos = Reference.dot(mu[c], mu[e]) / (r * r);
        assertThat(Math.abs(cos)).as("cos(mu_%d, mu_%d)", c, e).isLessThan(6.5 / Math.sqrt(p));
        sumSqCos += cos * cos;
      }
    }
    // the mean of 120 squared cosines estimates 1/p (each has variance ~2/p^2): within 5 sigma
    double pairs = k * (k - 1) / 2.0;
    assertThat(sumSqCos / pairs * p).as("p * mean squared cosine").isCloseTo(1.0, within(Z * Math.sqrt(2 / pairs)));
  }

  /** ceil(k/2) means labelled +1, floor(k/2) labelled -1, in a seeded order. */
  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 7, 64})
  void bothLabelsOccurBalanced(int k) {
    Clusters task = new Clusters(10, 10, 5, k, 1.0, 0.0);
    int plusFirst = 0;
    for (long seed = 0; seed < 40; seed++) {
      double[] s = task.meanLabels(seed);
      assertThat(s).hasSize(k);
      int plus = 0;
      for (double v : s) {
        assertThat(v).isIn(1.0, -1.0);
        plus += v > 0 ? 1 : 0;
      }
      assertThat(plus).isEqualTo((k + 1) / 2);
      plusFirst += s[0] > 0 ? 1 : 0;
      assertThat(task.meanLabels(seed)).isEqualTo(s);
    }
    // the shuffle depends on the seed: mean 0 is +1 with probability ceil(k/2)/k in (0, 1), so
    // over 40 seeds both labels occur (all alike has probability < 2 (2/3)^40 ~ 2e-7)
    assertThat(plusFirst).isStrictlyBetween(0, 40);
  }

  /**
   * For both sets: each clean label is its cluster's; clusters are uniform among k (binomial);
   * the residual xi = x - mu_c has i.i.d. N(0, 1) coordinates, so each |xi| is ~ sqrt(p), its
   * mean square over n p coordinates is 1 within Z sqrt(2/(n p)) and its coordinate mean 0 within
   * Z / sqrt(n p); its component along its own mean, &lt;xi, mu_c&gt; / r, is N(0, 1) (mean within
   * Z / sqrt(n), mean square 1 within Z sqrt(2/n)), which a residual that kept part of the mean
   * would break; flips are Binomial(n, eta) and independent of the label.
   */
  @ParameterizedTest
  @ValueSource(strings = {"train", "test"})
  void pointsAreMeanPlusStandardNoise(String which) {
    int n = 4000;
    int p = 200;
    int k = 4;
    double r = 3.0;
    double eta = 0.2;
    long seed = 99;
    Clusters task = new Clusters(n, n, p, k, r, eta);
    double[][] mu = task.means(seed);
    double[] s = task.meanLabels(seed);
    Clusters.Part part = task.part(seed, which, n, DataType.DOUBLE);
    double[][] x = Reference.matrix(part.x());
    double[] clean = Reference.vector(part.clean());
    double[] noisy = Reference.vector(part.noisy());
    int[] count = new int[k];
    int flips = 0;
    int flipsPos = 0;
    int pos = 0;
    double sq = 0.0;
    double sum = 0.0;
    double along = 0.0;
    double alongSq = 0.0;
    for (int i = 0; i < n; i++) {
      int c = part.cluster()[i];
      count[c]++;
      assertThat(clean[i]).isEqualTo(s[c]);
      assertThat(noisy[i]).isIn(clean[i], -clean[i]);
      flips += noisy[i] != clean[i] ? 1 : 0;
      pos += clean[i] > 0 ? 1 : 0;
      flipsPos += clean[i] > 0 && noisy[i] != clean[i] ? 1 : 0;
      double a = 0.0;
      double own = 0.0;
      for (int j = 0; j < p; j++) {
        double xi = x[i][j] - mu[c][j];
        own += xi * xi;
        sum += xi;
        a += xi * mu[c][j];
      }
      sq += own;
      // |xi|^2 ~ chi^2_p, mean p = 200, std sqrt(2p) = 20: within 7 std of p (the right tail,
      // by Wilson-Hilferty, is 5.8 normal std out: < 3e-9 a point, < 3e-5 over 8000 points)
      assertThat(own).as("|x - mu_c|^2 of example %d", i).isCloseTo(p, within(7 * Math.sqrt(2.0 * p)));
      along += a / r;
      alongSq += (a / r) * (a / r);
    }
    for (int c = 0; c < k; c++) {
      assertThat((double) count[c] / n).as("share of cluster %d", c)
          .isCloseTo(1.0 / k, within(Z * Math.sqrt((1.0 / k) * (1 - 1.0 / k) / n)));
    }
    double np = (double) n * p;
    assertThat(sq / np).as("residual mean square").isCloseTo(1.0, within(Z * Math.sqrt(2 / np)));
    assertThat(sum / np).as("residual mean").isCloseTo(0.0, within(Z / Math.sqrt(np)));
    assertThat(along / n).as("residual along its mean").isCloseTo(0.0, within(Z / Math.sqrt(n)));
    assertThat(alongSq / n).as("its mean square").isCloseTo(1.0, within(Z * Math.sqrt(2.0 / n)));
    assertThat((double) flips / n).as("flip rate").isCloseTo(eta, within(Z * Math.sqrt(eta * (1 - eta) / n)));
    assertThat((double) flipsPos / pos).as("flip rate among clean +1")
        .isCloseTo(eta, within(Z * Math.sqrt(eta * (1 - eta) / pos)));
  }

  /** generate() is the documented parts; float32 is the float64 data rounded; seeds decide all. */
  @Test
  void sameSeedSameDataBitForBit() {
    Clusters task = new Clusters(30, 20, 50, 5, 4.0, 0.3);
    Dataset d = task.generate(7, Precision.FLOAT64);
    Dataset again = task.generate(7, Precision.FLOAT64);
    for (int a = 0; a < 6; a++) {
      assertThat(bits(part(again, a))).as("array %d", a).isEqualTo(bits(part(d, a)));
    }
    Clusters.Part train = task.part(7, "train", 30, DataType.DOUBLE);
    Clusters.Part test = task.part(7, "test", 20, DataType.DOUBLE);
    assertThat(bits(d.xTrain())).isEqualTo(bits(train.x()));
    assertThat(bits(d.yTrainClean())).isEqualTo(bits(train.clean()));
    assertThat(bits(d.yTrain())).isEqualTo(bits(train.noisy()));
    assertThat(bits(d.xTest())).isEqualTo(bits(test.x()));
    assertThat(bits(d.yTestClean())).isEqualTo(bits(test.clean()));
    assertThat(bits(d.yTestNoisy())).isEqualTo(bits(test.noisy()));
    // float32: the same numbers rounded once
    assertThat(bits(task.generate(7, Precision.FLOAT32).xTrain()))
        .isEqualTo(bits(d.xTrain().castTo(DataType.FLOAT)));
    // n_test does not change the training set
    assertThat(bits(new Clusters(30, 99, 50, 5, 4.0, 0.3).generate(7, Precision.FLOAT64).xTrain()))
        .isEqualTo(bits(d.xTrain()));
    Dataset other = task.generate(8, Precision.FLOAT64);
    assertThat(bits(other.xTrain())).isNotEqualTo(bits(d.xTrain()));
    assertThat(bits(other.xTest())).isNotEqualTo(bits(d.xTest()));
  }

  static INDArray part(Dataset d, int a) {
    return List.of(d.xTrain(), d.yTrain(), d.yTrainClean(), d.xTest(), d.yTestClean(), d.yTestNoisy()).get(a);
  }

  /** The array's shape and values as raw bits (a float widens to double exactly). */
  static List<Long> bits(INDArray a) {
    List<Long> out = new java.util.ArrayList<>();
    for (long s : a.shape()) {
      out.add(s);
    }
    for (double v : a.castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
      out.add(Double.doubleToRawLongBits(v));
    }
    return out;
  }

  @Test
  void messagesNameTheKeyTheValueAndTheRule() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Clusters(10, 10, 5, 1, 1.0, 0.0))
        .withMessage("clusters must be an integer in [2, 1000000], got 1");
    assertThatIllegalArgumentException().isThrownBy(() -> new Clusters(10, 10, 0, 2, 1.0, 0.0))
        .withMessage("dim must be an integer in [1, 100000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new Clusters(10, 10, 5, 2, -1.0, 0.0))
        .withMessage("signal must be a finite number >= 0, got -1");
    assertThatIllegalArgumentException().isThrownBy(() -> new Clusters(10, 10, 5, 2, 1.0, 0.5))
        .withMessage("noise_rate must be in [0, 0.5), got 0.5");
    assertThatIllegalArgumentException().isThrownBy(() -> new Clusters(0, 10, 5, 2, 1.0, 0.0))
        .withMessage("n_train must be an integer in [1, 1000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new NetFamily(new Clusters(10, 10, 5, 2, 1.0, 0.0),
        4, 1.0, 1.0, "auto", Precision.FLOAT32, List.of())).withMessage("leak must be in [0, 1), got 1");
    assertThatNoException().isThrownBy(() -> new Clusters(1, 1, 1, 2, 0.0, 0.0));
  }

  /**
   * Frei et al.'s regime at a size that runs in seconds: k = 4 nearly orthogonal clusters
   * (p = 1000, cosines ~ 1/sqrt(p) = 0.03), r = 10, n = 100 (about 25 points a cluster), m = 50,
   * small initialization, plain ReLU, 200 steps of size 0.1. The training labels are fit and the
   * clean test accuracy is >= 0.99. Why that holds with room: a unit's weight moves along sums of
   * its active training inputs, ~ 25 mu_c + (a sum of 25 xi), whose direction u has
   * &lt;u, mu_c&gt; ~ r^2 / sqrt(r^2 + p / 25) = 100 / 11.8 ~ 8.5 against unit-variance noise along u,
   * so a nearest-learned-mean rule errs with probability ~ Phi(-8) ~ 1e-15 per point, and the
   * other means (cosines ~0.03, so ~0.3 r along u) barely move it. The threshold allows 5 errors
   * among the 500 test points for what the network does differently from that rule. Measured at
   * seeds 1-3: training and clean test accuracy 1.000 each, training loss ~0.003.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void generalizesOnNearlyOrthogonalClusters(long seed) {
    Clusters task = new Clusters(100, 500, 1000, 4, 10.0, 0.0);
    NetFamily f = new NetFamily(task, 50, 1e-4, 0.0, "auto", Precision.FLOAT32, List.of());
    int steps = 200;
    int[] logs = LogSchedule.of(steps, 30);
    PackResult res;
    try (NetFamily.Data data = f.generate(Seeds.derive(seed, "clusters-data"))) {
      res = f.train(data, Seeds.derive(seed, "clusters-init"), List.of(new Hyper(0.1, 0.0)), steps, logs);
    }
    assertThat(res.runs().get(0).status()).isEqualTo(Values.OK);
    Curve c = res.runs().get(0).curve();
    assertThat(c.trainAcc()[c.last()]).isEqualTo(1.0);
    assertThat(c.testAcc()[c.last()]).isGreaterThanOrEqualTo(0.99);
  }
}

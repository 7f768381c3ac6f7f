package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

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

/** The gaussian-mixture family of Frei, Vardi, Bartlett and Srebro (COLT 2023). */
class GaussianMixtureTest {

  /** x = y~ mu + xi: y~ x_1 has mean r and the other coordinates mean 0, variance 1; flips at rate eta. */
  @Test
  void dataFollowTheRecipe() {
    int n = 4000;
    int p = 30;
    double r = 2.0;
    double eta = 0.2;
    Dataset d = new GaussianMixture(n, 10, p, r, eta).generate(17, Precision.FLOAT64);
    double[][] x = Reference.matrix(d.xTrain());
    double[] clean = Reference.vector(d.yTrainClean());
    double along = 0.0;
    double across = 0.0;
    double sq = 0.0;
    for (int i = 0; i < n; i++) {
      along += clean[i] * x[i][0];
      across += x[i][1];
      sq += x[i][2] * x[i][2];
    }
    // means of n = 4000 unit-variance terms: std 1/sqrt(4000) = 0.016; 5 sigma = 0.08
    assertThat(along / n).isCloseTo(r, offset(0.08));
    assertThat(across / n).isCloseTo(0.0, offset(0.08));
    // variance estimate: std sqrt(2/4000) = 0.022; 5 sigma = 0.11
    assertThat(sq / n).isCloseTo(1.0, offset(0.11));
    // flips: binomial(4000, 0.2) / 4000 has std 0.0063; 5 sigma = 0.032
    assertThat(d.flippedTrain() / (double) n).isCloseTo(eta, offset(0.032));
    // same seed, same data; the test set is drawn apart from the training set
    assertThat(new GaussianMixture(n, 10, p, r, eta).generate(17, Precision.FLOAT64).xTrain())
        .isEqualTo(d.xTrain());
  }

  private static Curve train(int p, long seed, double alpha, int steps) {
    // n = 50, r = 10, eta = 0.1: n r^2 = 5000 and n^2 = 2500
    Dataset d = new GaussianMixture(50, 500, p, 10.0, 0.1).generate(Seeds.derive(seed, "gm-phen"), Precision.FLOAT32);
    assertThat(d.flippedTrain()).as("some training labels are flipped").isPositive();
    Net net = new Net(100, 1e-6, Seeds.derive(seed, "gm-phen-init"), 0.1);
    int[] logs = LogSchedule.of(steps, 30);
    NetFamily f = new NetFamily(new GaussianMixture(50, 500, p, 10.0, 0.1), 100, 1e-6, 0.1, "auto",
        Precision.FLOAT32, List.of());
    PackResult res = GdTrainer.train(d, null, net, List.of(new Hyper(alpha, 0.0)), steps, logs,
        f.form(steps, logs.length));
    assertThat(res.runs().get(0).status()).isEqualTo(Values.OK);
    return res.runs().get(0).curve();
  }

  /**
   * Near-orthogonal regime, p = 20000 >= 4 max(n r^2, n^2): the network fits every training label,
   * flipped ones included (train accuracy 1 on the observed labels), and its clean test accuracy
   * is >= 0.9: benign overfitting (Frei et al., Theorem 3.1; their test error bound
   * exp(-n r^4 / (C p)) is tiny at n r^4 / p = 25).
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void nearOrthogonalDataAreFitBenignly(long seed) {
    Curve c = train(20_000, seed, 0.01, 200);
    assertThat(c.trainAcc()[c.last()]).isEqualTo(1.0);
    assertThat(c.testAcc()[c.last()]).isGreaterThanOrEqualTo(0.9);
  }

  /**
   * At small p (20 < n = 50) the same network and budget cannot fit the flipped labels: a flipped
   * example sits amid clean ones of the other class, and without a near-orthogonal direction of
   * its own the network keeps the clean label.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void smallDimensionDoesNotFitTheFlippedLabels(long seed) {
    Curve c = train(20, seed, 0.1, 1000);
    assertThat(c.trainAcc()[c.last()]).isLessThan(1.0);
  }

  @Test
  void messagesNameTheKey() {
    assertThatThrownBy(() -> new GaussianMixture(10, 10, 0, 1, 0))
        .hasMessage("dim must be an integer in [1, 100000000], got 0");
    assertThatThrownBy(() -> new GaussianMixture(10, 10, 5, -1, 0))
        .hasMessage("signal must be a finite number >= 0, got -1");
    assertThatThrownBy(() -> new GaussianMixture(10, 10, 5, 1, 0.5))
        .hasMessage("noise_rate must be in [0, 0.5), got 0.5");
    assertThatThrownBy(() -> new Net(4, 1.0, 1, 1.0)).hasMessage("leak must be in [0, 1), got 1");
    assertThatThrownBy(() -> new NetFamily(new GaussianMixture(10, 10, 5, 1, 0), 4, 1.0, -0.1, "auto",
        Precision.FLOAT32, List.of())).hasMessage("leak must be in [0, 1), got -0.1");
  }
}

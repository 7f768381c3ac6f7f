package io.grokgrid.engine.modular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.modular.ModularNet.Params;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ModularTrainer#gradient} (the code a training step runs: one-hot gather forward,
 * scatter-add backward) against central finite differences of an independent dense
 * implementation: x = one-hot(a) ++ one-hot(b) as a 2q-vector, h = W1 x by a full matrix-vector
 * product, logits = W2 ReLU(h), mean cross-entropy on the observed labels.
 */
class ModularGradientTest {
  private static final int Q = 5;
  private static final int M = 4;
  private static final double H = 1e-5;

  /**
   * Central differences err by h^2/6 |d^3 L| (truncation) plus ~eps |L| / h (rounding). Away from
   * ReLU kinks (checked below) the logits move linearly along one coordinate, with slopes at most
   * B = max(max|W2|, max ReLU(h)) (asserted < 5); the third derivative of log-sum-exp along a
   * logit direction v is at most 2 max|v|^3, so truncation < 1e-10 / 6 * 2 * 125 ~ 4e-9 and
   * rounding ~ 2e-16 * 5 / 1e-5 ~ 1e-10. 1e-7 leaves a factor 25, while a wrong factor anywhere
   * (1/n, the softmax, the ReLU mask, a swapped column) changes entries of size 1e-3..1e-1 by
   * much more.
   */
  private static final double TOL = 1e-7;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void gradientOfEveryParameterMatchesCentralDifferences(long seed) {
    // noise 0.4: several observed labels differ from the clean ones, so the labels used matter
    ModularData d = new ModularAddition(Q, 0.6, 0.4).generate(Seeds.derive(seed, "mgc-data"));
    assertThat(d.flippedTrain()).isPositive();
    Params p = new ModularNet(M, 2.0, Seeds.derive(seed, "mgc-init")).initial(Q);
    double[][] w1 = p.w1();
    double[][] w2 = p.w2();
    assertAwayFromKinks(w1, d);
    // ReLU(h) <= 2 max|W1|
    assertThat(Math.max(maxAbs(w2), 2 * maxAbs(w1))).as("bound B used for the tolerance").isLessThan(5.0);

    Params g = ModularTrainer.gradient(d, p);
    double[][] g1 = g.w1();
    double[][] g2 = g.w2();
    assertThat(ModularTrainer.loss(d, p)).isCloseTo(denseLoss(w1, w2, d), offset(1e-13));

    double norm = 0.0;
    for (int j = 0; j < M; j++) {
      for (int k = 0; k < 2 * Q; k++) {
        double keep = w1[j][k];
        w1[j][k] = keep + H;
        double plus = denseLoss(w1, w2, d);
        w1[j][k] = keep - H;
        double minus = denseLoss(w1, w2, d);
        w1[j][k] = keep;
        double fd = (plus - minus) / (2 * H);
        assertThat(g1[j][k]).as("dL/dW1[%d][%d], seed %d", j, k, seed).isCloseTo(fd, offset(TOL));
        norm += fd * fd;
      }
    }
    for (int c = 0; c < Q; c++) {
      for (int j = 0; j < M; j++) {
        double keep = w2[c][j];
        w2[c][j] = keep + H;
        double plus = denseLoss(w1, w2, d);
        w2[c][j] = keep - H;
        double minus = denseLoss(w1, w2, d);
        w2[c][j] = keep;
        double fd = (plus - minus) / (2 * H);
        assertThat(g2[c][j]).as("dL/dW2[%d][%d], seed %d", c, j, seed).isCloseTo(fd, offset(TOL));
        norm += fd * fd;
      }
    }
    // not vacuous (e.g. every unit dead)
    assertThat(Math.sqrt(norm)).isGreaterThan(1e-2);
  }

  /** Mean cross-entropy on observed training labels, dense and straightforward. */
  static double denseLoss(double[][] w1, double[][] w2, ModularData d) {
    int q = d.modulus();
    int m = w1.length;
    double total = 0.0;
    for (int i = 0; i < d.nTrain(); i++) {
      double[] x = new double[2 * q];
      x[d.trainA()[i]] = 1.0;
      x[q + d.trainB()[i]] = 1.0;
      double[] z = new double[m];
      for (int j = 0; j < m; j++) {
        double h = 0.0;
        for (int k = 0; k < 2 * q; k++) {
          h += w1[j][k] * x[k];
        }
        z[j] = Math.max(h, 0.0);
      }
      double[] logits = new double[q];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < q; c++) {
        for (int j = 0; j < m; j++) {
          logits[c] += w2[c][j] * z[j];
        }
        max = Math.max(max, logits[c]);
      }
      double s = 0.0;
      for (double v : logits) {
        s += Math.exp(v - max);
      }
      total += max + Math.log(s) - logits[d.trainLabel()[i]];
    }
    return total / d.nTrain();
  }

  private static double maxAbs(double[][] w) {
    double m = 0.0;
    for (double[] row : w) {
      for (double v : row) {
        m = Math.max(m, Math.abs(v));
      }
    }
    return m;
  }

  private static void assertAwayFromKinks(double[][] w1, ModularData d) {
    int q = d.modulus();
    double min = Double.POSITIVE_INFINITY;
    for (double[] row : w1) {
      for (int i = 0; i < d.nTrain(); i++) {
        min = Math.min(min, Math.abs(row[d.trainA()[i]] + row[q + d.trainB()[i]]));
      }
    }
    assertThat(min).as("no pre-activation within reach of a finite-difference step").isGreaterThan(10 * H);
  }
}

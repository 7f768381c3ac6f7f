package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Seeds;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GdTrainer#gradient} against central finite differences of the mean logistic loss
 * L(W) = mean_i log(1 + exp(-y_i f(x_i))), f(x) = sum_j a_j ReLU(<w_j, x>), evaluated by the
 * plain-double code in {@link Reference} (observed, possibly flipped labels; a = net.outputWeights()).
 */
class GradientCheckTest {
  private static final int N = 6;
  private static final int P = 5;
  private static final int M = 4;

  /** Finite-difference step. */
  private static final double H = 1e-5;

  /**
   * Central differences err by at most h^2/6 |d^3L| (truncation) plus about eps |L| / h (rounding
   * of the two loss values). Along one coordinate w_jl, f is linear with slope a_j x_il between
   * kinks, |a_j| = 1/2 and |x_il| < 6 here, and the third derivative of softplus is below 0.1, so
   * |d^3L| < 0.1 * 3^3 = 2.7 and truncation < 1e-10 * 2.7 / 6 < 5e-11; rounding ~ 1.1e-16 * 1 /
   * 1e-5 ~ 1e-11. 1e-8 leaves a factor > 100 while a wrong factor anywhere (1/n, the sigmoid, a_j,
   * the ReLU mask) changes gradient entries of size 1e-2..1e-1 by at least that much. No kink is
   * crossed: the test requires every |<w_j, x_i>| > H * max|x| * 10 (checked below).
   */
  private static final double TOL = 1e-8;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void gradientMatchesCentralDifferences(long seed) {
    // noise 0.3 so that some observed labels differ from the clean ones at n = 6
    Dataset d = new XorClusters(N, 3, P, 1.5, 0.3).generate(Seeds.derive(seed, "gc-data"), Precision.FLOAT64);
    Net net = new Net(M, 1.0, Seeds.derive(seed, "gc-init"));
    double[][] x = Reference.matrix(d.xTrain());
    double[] y = Reference.vector(d.yTrain());
    double[] a = net.outputWeights();

    // a point away from W(0) as well: W(0) plus an independent N(0, 0.5^2) perturbation
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "gc-w"));
    double[][] w = Reference.initialWeights(net, P);
    for (double[] row : w) {
      for (int l = 0; l < P; l++) {
        row[l] += 0.5 * rng.nextGaussian();
      }
    }
    assertAwayFromKinks(w, x);

    INDArray gEngine = GdTrainer.gradient(d, net, Nd4j.create(w).castTo(DataType.DOUBLE));
    assertThat(gEngine.shape()).containsExactly(M, P);
    double[][] g = gEngine.toDoubleMatrix();

    double norm = 0.0;
    for (int j = 0; j < M; j++) {
      for (int l = 0; l < P; l++) {
        double[][] plus = Reference.copy(w);
        double[][] minus = Reference.copy(w);
        plus[j][l] += H;
        minus[j][l] -= H;
        double fd = (Reference.loss(plus, a, x, y) - Reference.loss(minus, a, x, y)) / (2 * H);
        assertThat(g[j][l]).as("dL/dW[%d][%d], seed %d", j, l, seed).isCloseTo(fd, offset(TOL));
        norm += fd * fd;
      }
    }
    // the check must not pass vacuously (e.g. every unit dead)
    assertThat(Math.sqrt(norm)).isGreaterThan(1e-3);
  }

  /**
   * The leaky-ReLU network (Frei et al. 2023) through the same passes, leak 0.1 and 0.5, on
   * gaussian-mixture data: the same tolerance argument (the slope is at most 1, so the bounds on
   * |d^3L| above still hold).
   */
  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5})
  void leakyGradientMatchesCentralDifferences(double leak) {
    for (long seed = 1; seed <= 3; seed++) {
      Dataset d = new GaussianMixture(N, 3, P, 1.5, 0.3).generate(Seeds.derive(seed, "gc-gm"), Precision.FLOAT64);
      Net net = new Net(M, 1.0, Seeds.derive(seed, "gc-init"), leak);
      double[][] x = Reference.matrix(d.xTrain());
      double[] y = Reference.vector(d.yTrain());
      double[] a = net.outputWeights();
      SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "gc-w"));
      double[][] w = Reference.initialWeights(net, P);
      for (double[] row : w) {
        for (int l = 0; l < P; l++) {
          row[l] += 0.5 * rng.nextGaussian();
        }
      }
      assertAwayFromKinks(w, x);
      double[][] g = GdTrainer.gradient(d, net, Nd4j.create(w).castTo(DataType.DOUBLE)).toDoubleMatrix();
      double[][] closed = Reference.gradient(w, a, x, y, leak);
      double norm = 0.0;
      for (int j = 0; j < M; j++) {
        for (int l = 0; l < P; l++) {
          double[][] plus = Reference.copy(w);
          double[][] minus = Reference.copy(w);
          plus[j][l] += H;
          minus[j][l] -= H;
          double fd = (Reference.loss(plus, a, x, y, leak) - Reference.loss(minus, a, x, y, leak)) / (2 * H);
          assertThat(g[j][l]).as("leak %s dL/dW[%d][%d], seed %d", leak, j, l, seed).isCloseTo(fd, offset(TOL));
          assertThat(g[j][l]).isCloseTo(closed[j][l], offset(1e-14));
          norm += fd * fd;
        }
      }
      assertThat(Math.sqrt(norm)).isGreaterThan(1e-3);
      // the leak matters: the plain-ReLU gradient at the same point differs
      double[][] plain = Reference.gradient(w, a, x, y, 0.0);
      double diff = 0.0;
      for (int j = 0; j < M; j++) {
        for (int l = 0; l < P; l++) {
          diff += Math.abs(plain[j][l] - g[j][l]);
        }
      }
      assertThat(diff).isGreaterThan(1e-4);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void gradientAgreesWithTheClosedForm(long seed) {
    Dataset d = new XorClusters(N, 3, P, 1.5, 0.3).generate(Seeds.derive(seed, "gc-data"), Precision.FLOAT64);
    Net net = new Net(M, 1.0, Seeds.derive(seed, "gc-init"));
    double[][] x = Reference.matrix(d.xTrain());
    double[] y = Reference.vector(d.yTrain());
    double[][] w = Reference.initialWeights(net, P);
    double[][] expected = Reference.gradient(w, net.outputWeights(), x, y);
    double[][] g = GdTrainer.gradient(d, net, Nd4j.create(w)).toDoubleMatrix();
    for (int j = 0; j < M; j++) {
      for (int l = 0; l < P; l++) {
        // same formula, different summation order: a few ulps of the largest term
        assertThat(g[j][l]).isCloseTo(expected[j][l], offset(1e-14));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void lossAtInitializationIsTheMeanLogisticLossOnObservedLabels(long seed) {
    Dataset d = new XorClusters(N, 3, P, 1.5, 0.3).generate(Seeds.derive(seed, "gc-data"), Precision.FLOAT64);
    assertThat(d.flippedTrain()).as("some label flipped, so observed vs clean matters").isPositive()
        .isLessThan(N);
    Net net = new Net(M, 1.0, Seeds.derive(seed, "gc-init"));
    Curve c = GdTrainer.train(d, null, net, List.of(new Hyper(0.1, 0.0)), 0, new int[] {0},
        Form.PRIMAL).runs().get(0).curve();
    double[][] w = Reference.initialWeights(net, P);
    double expected = Reference.loss(w, net.outputWeights(), Reference.matrix(d.xTrain()), Reference.vector(d.yTrain()));
    double onClean = Reference.loss(w, net.outputWeights(), Reference.matrix(d.xTrain()), Reference.vector(d.yTrainClean()));
    assertThat(c.trainLoss()[0]).isCloseTo(expected, offset(1e-14));
    // and the observed labels are the ones used: the clean-label loss differs
    assertThat(Math.abs(onClean - expected)).isGreaterThan(1e-6);
  }

  private static void assertAwayFromKinks(double[][] w, double[][] x) {
    double maxX = 0.0;
    for (double[] row : x) {
      for (double v : row) {
        maxX = Math.max(maxX, Math.abs(v));
      }
    }
    assertThat(maxX).as("bound used for the tolerance").isLessThan(6.0);
    double minPre = Double.POSITIVE_INFINITY;
    for (double[] wj : w) {
      for (double[] xi : x) {
        minPre = Math.min(minPre, Math.abs(Reference.dot(wj, xi)));
      }
    }
    assertThat(minPre).as("no pre-activation within reach of a finite-difference step").isGreaterThan(10 * H * maxX);
  }
}

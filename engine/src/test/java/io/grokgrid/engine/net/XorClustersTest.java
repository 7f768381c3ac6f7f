package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The XOR-cluster law (README, "Task `xor-clusters`") checked by its moments. Every tolerance is
 * {@link #Z} standard errors of the estimate under the documented law: binomial for fractions,
 * 1/sqrt(k) for the mean of k unit-variance draws, sqrt(2/k) for their mean square (Var z^2 = 2),
 * sqrt((4r^2 + 2)/k) for the mean of (+-r + z)^2. A correct generator fails one check with
 * probability < 1e-6; a wrong axis, scale, sign rule or flip rule moves an estimate by tens of
 * standard errors.
 */
class XorClustersTest {
  private static final double Z = 5.0;
  private static final int N = 4000;
  private static final int P = 20;
  private static final double R = 5.0;
  private static final double ETA = 0.2;
  private static final XorClusters TASK = new XorClusters(N, N, P, R, ETA);

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void bothSetsFollowTheLaw(boolean trainSet) {
    Dataset d = TASK.generate(2023, Precision.FLOAT64);
    double[][] x = Reference.matrix(trainSet ? d.xTrain() : d.xTest());
    double[] clean = Reference.vector(trainSet ? d.yTrainClean() : d.yTestClean());
    double[] noisy = Reference.vector(trainSet ? d.yTrain() : d.yTestNoisy());
    assertThat(x.length).isEqualTo(N);
    assertThat(x[0].length).isEqualTo(P);
    checkLaw(x, clean, noisy);
  }

  private static void checkLaw(double[][] x, double[] clean, double[] noisy) {
    int n = x.length;
    int pos = 0;
    int flips = 0;
    int flipsPos = 0;
    for (int i = 0; i < n; i++) {
      assertThat(clean[i]).isIn(1.0, -1.0);
      assertThat(noisy[i]).isIn(clean[i], -clean[i]);
      pos += clean[i] > 0 ? 1 : 0;
      flips += noisy[i] != clean[i] ? 1 : 0;
      flipsPos += clean[i] > 0 && noisy[i] != clean[i] ? 1 : 0;
    }
    int neg = n - pos;
    // clean labels: Binomial(n, 1/2)
    assertThat((double) pos / n).as("fraction of clean +1").isCloseTo(0.5, within(Z * Math.sqrt(0.25 / n)));
    // flips: Binomial(n, eta), and independent of the clean label
    assertThat((double) flips / n).as("flip rate").isCloseTo(ETA, within(Z * Math.sqrt(ETA * (1 - ETA) / n)));
    assertThat((double) flipsPos / pos).as("flip rate among clean +1")
        .isCloseTo(ETA, within(Z * Math.sqrt(ETA * (1 - ETA) / pos)));
    assertThat((double) (flips - flipsPos) / neg).as("flip rate among clean -1")
        .isCloseTo(ETA, within(Z * Math.sqrt(ETA * (1 - ETA) / neg)));

    // +1 examples sit at +-r e1, -1 examples at +-r e2: the cluster axis c, the other axis o
    for (double label : new double[] {1.0, -1.0}) {
      int c = label > 0 ? 0 : 1;
      int o = 1 - c;
      int k = 0;
      double sumAbs = 0;
      double sumSq = 0;
      int positiveSide = 0;
      double sumO = 0;
      double sumOSq = 0;
      for (int i = 0; i < n; i++) {
        if (clean[i] != label) {
          continue;
        }
        k++;
        sumAbs += Math.abs(x[i][c]);
        sumSq += x[i][c] * x[i][c];
        positiveSide += x[i][c] > 0 ? 1 : 0;
        sumO += x[i][o];
        sumOSq += x[i][o] * x[i][o];
      }
      String what = "clean " + (label > 0 ? "+1" : "-1") + ", x_" + c;
      // |s r + z| has mean r(1 - 2 Phi(-r)) + 2 phi(r) = r + O(1e-6) at r = 5, sd < 1
      assertThat(sumAbs / k).as(what + ": mean |x|").isCloseTo(R, within(Z / Math.sqrt(k)));
      // E (s r + z)^2 = r^2 + 1, Var = 4 r^2 + 2
      assertThat(sumSq / k).as(what + ": mean x^2").isCloseTo(R * R + 1, within(Z * Math.sqrt((4 * R * R + 2) / k)));
      // the sign s is uniform: half on each side (z flips a side with probability Phi(-5) ~ 3e-7)
      assertThat((double) positiveSide / k).as(what + ": fraction on the + side")
          .isCloseTo(0.5, within(Z * Math.sqrt(0.25 / k)));
      // the other cluster axis carries pure noise for this class
      assertThat(sumO / k).as("clean " + label + ", x_" + o + ": mean").isCloseTo(0.0, within(Z / Math.sqrt(k)));
      assertThat(sumOSq / k).as("clean " + label + ", x_" + o + ": mean square")
          .isCloseTo(1.0, within(Z * Math.sqrt(2.0 / k)));
    }

    // coordinates 2..p-1: N(0, 1) for everyone
    int p = x[0].length;
    double total = 0;
    double totalSq = 0;
    for (int j = 2; j < p; j++) {
      double s = 0;
      double sq = 0;
      for (double[] row : x) {
        s += row[j];
        sq += row[j] * row[j];
      }
      assertThat(s / n).as("mean of x_" + j).isCloseTo(0.0, within(Z / Math.sqrt(n)));
      assertThat(sq / n).as("mean square of x_" + j).isCloseTo(1.0, within(Z * Math.sqrt(2.0 / n)));
      total += s;
      totalSq += sq;
    }
    double cells = (double) n * (p - 2);
    assertThat(total / cells).as("pooled mean").isCloseTo(0.0, within(Z / Math.sqrt(cells)));
    assertThat(totalSq / cells).as("pooled mean square").isCloseTo(1.0, within(Z * Math.sqrt(2.0 / cells)));
  }

  @Test
  void generatorFollowsTheDocumentedDrawOrder() {
    // example i draws clean label, cluster sign, flip, then its p noise coordinates
    XorClusters task = new XorClusters(7, 5, 6, 2.5, 0.3);
    long seed = 99;
    Dataset d = task.generate(seed, Precision.FLOAT64);
    checkDraws(Seeds.derive(seed, "train"), task, Reference.matrix(d.xTrain()), Reference.vector(d.yTrainClean()),
        Reference.vector(d.yTrain()));
    checkDraws(Seeds.derive(seed, "test"), task, Reference.matrix(d.xTest()), Reference.vector(d.yTestClean()),
        Reference.vector(d.yTestNoisy()));
  }

  private static void checkDraws(long seed, XorClusters task, double[][] x, double[] clean, double[] noisy) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < x.length; i++) {
      double y = rng.nextBoolean() ? 1.0 : -1.0;
      double s = rng.nextBoolean() ? 1.0 : -1.0;
      boolean flip = rng.nextDouble() < task.noiseRate();
      assertThat(clean[i]).as("clean label %d", i).isEqualTo(y);
      assertThat(noisy[i]).as("observed label %d", i).isEqualTo(flip ? -y : y);
      for (int j = 0; j < task.dim(); j++) {
        double v = rng.nextGaussian();
        if (j == (y > 0 ? 0 : 1)) {
          v += s * task.signal();
        }
        assertThat(x[i][j]).as("x[%d][%d]", i, j).isEqualTo(v);
      }
    }
  }

  @Test
  void changingNTestLeavesTheTrainingSetUnchanged() {
    Dataset small = new XorClusters(50, 10, 30, 3.0, 0.1).generate(5, Precision.FLOAT32);
    Dataset large = new XorClusters(50, 80, 30, 3.0, 0.1).generate(5, Precision.FLOAT32);
    assertThat(Reference.matrix(large.xTrain())).isDeepEqualTo(Reference.matrix(small.xTrain()));
    assertThat(Reference.vector(large.yTrain())).containsExactly(Reference.vector(small.yTrain()));
    assertThat(Reference.vector(large.yTrainClean())).containsExactly(Reference.vector(small.yTrainClean()));
    // examples are drawn one after the other, so the smaller test set is a prefix of the larger
    double[][] xs = Reference.matrix(small.xTest());
    double[][] xl = Reference.matrix(large.xTest());
    for (int i = 0; i < 10; i++) {
      assertThat(xl[i]).containsExactly(xs[i]);
    }
    assertThat(Arrays.copyOf(Reference.vector(large.yTestClean()), 10))
        .containsExactly(Reference.vector(small.yTestClean()));
    assertThat(Arrays.copyOf(Reference.vector(large.yTestNoisy()), 10))
        .containsExactly(Reference.vector(small.yTestNoisy()));
    // and the test set is not a copy of the training set
    assertThat(xs[0]).isNotEqualTo(Reference.matrix(small.xTrain())[0]);
  }

  @Test
  void changingTheNoiseRateOnlyChangesWhichLabelsFlip() {
    // the flip draw is made whatever eta is, so inputs and clean labels do not move
    Dataset none = new XorClusters(200, 20, 10, 3.0, 0.0).generate(8, Precision.FLOAT64);
    Dataset some = new XorClusters(200, 20, 10, 3.0, 0.3).generate(8, Precision.FLOAT64);
    assertThat(Reference.matrix(some.xTrain())).isDeepEqualTo(Reference.matrix(none.xTrain()));
    assertThat(Reference.vector(some.yTrainClean())).containsExactly(Reference.vector(none.yTrainClean()));
    assertThat(Reference.vector(none.yTrain())).containsExactly(Reference.vector(none.yTrainClean()));
    assertThat(none.flippedTrain()).isZero();
    assertThat(some.flippedTrain()).isPositive();
    // flippedTrain counts the observed labels that differ from the clean ones
    double[] y = Reference.vector(some.yTrain());
    double[] c = Reference.vector(some.yTrainClean());
    int count = 0;
    for (int i = 0; i < y.length; i++) {
      count += y[i] != c[i] ? 1 : 0;
    }
    assertThat(some.flippedTrain()).isEqualTo(count);
  }

  @Test
  void float32DataIsTheFloat64DataRounded() {
    XorClusters task = new XorClusters(30, 20, 12, 3.0, 0.2);
    Dataset d64 = task.generate(3, Precision.FLOAT64);
    Dataset d32 = task.generate(3, Precision.FLOAT32);
    assertThat(d32.xTrain().dataType()).isEqualTo(DataType.FLOAT);
    assertThat(d32.yTrain().dataType()).isEqualTo(DataType.FLOAT);
    assertThat(d64.xTest().dataType()).isEqualTo(DataType.DOUBLE);
    // exact: every float32 value is the float64 value rounded to float
    assertThat(d32.xTrain().toFloatMatrix()).isDeepEqualTo(d64.xTrain().castTo(DataType.FLOAT).toFloatMatrix());
    assertThat(d32.xTest().toFloatMatrix()).isDeepEqualTo(d64.xTest().castTo(DataType.FLOAT).toFloatMatrix());
    assertThat(Reference.vector(d32.yTrain())).containsExactly(Reference.vector(d64.yTrain()));
    assertThat(Reference.vector(d32.yTestNoisy())).containsExactly(Reference.vector(d64.yTestNoisy()));
    assertThat(d32.nTrain()).isEqualTo(30);
    assertThat(d32.nTest()).isEqualTo(20);
    assertThat(d32.dim()).isEqualTo(12);
    assertThat(d32.yTrain().shape()).containsExactly(1, 30);
  }
}

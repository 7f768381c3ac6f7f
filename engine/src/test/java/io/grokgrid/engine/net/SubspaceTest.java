package io.grokgrid.engine.net;

import static io.grokgrid.engine.net.ClustersTest.bits;
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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The subspace family (after Melamed, Yehudai, Vardi, NeurIPS 2023; README, "Task `subspace`"):
 * the inputs lie on span(U) to rounding, the labels are the teacher's, the moments follow the
 * documented law (tolerances {@link #Z} standard errors, as in {@link ClustersTest}), and a
 * network learns the teacher at a size that runs in seconds.
 */
class SubspaceTest {
  private static final double Z = 5.0;
  private static final double EPS32 = Math.ulp(1.0f) / 2; // 2^-24, float's unit roundoff

  /**
   * Two passes of modified Gram-Schmidt leave |U^T U - I| at a small multiple of the unit
   * roundoff 1.1e-16 times p (the dot products' rounding; Giraud, Langou, Rozloznik 2005,
   * "twice is enough"), ~1e-13 here: 1e-12 bounds every entry.
   */
  @Test
  void basisIsOrthonormal() {
    int p = 500;
    int d = 40;
    double[][] u = new Subspace(10, 10, p, d, 1.0, 0.0).basis(5);
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        assertThat(Reference.dot(u[a], u[b])).as("u_%d . u_%d", a, b).isCloseTo(a == b ? 1.0 : 0.0, within(1e-12));
      }
    }
    double[] v = new Subspace(10, 10, p, d, 1.0, 0.0).teacher(5);
    assertThat(Reference.dot(v, v)).isCloseTo(1.0, within(1e-14));
  }

  /**
   * Every input's residual off span(U), |x - U U^T x|, is rounding: in float64 x = (r / sqrt d)
   * sum_l z_l u_l carries ~d p ulps (1e-12 |x| bounds it and U's departure from orthonormality);
   * in float32 the stored x is the double one rounded once, each coordinate by at most 2^-24 of
   * itself, so the residual is at most 2^-24 |x| plus that. Recovering z = (sqrt d / r) U^T x
   * gives the example's z to the same relative rounding, and sign(&lt;v, z&gt;) is its clean label
   * wherever |&lt;v, z&gt;| exceeds twice that rounding of |z| (a uniform direction's margin is that
   * small with probability ~ 2 tol sqrt(d) / sqrt(2 pi) ~ 2e-7 in float32: none of the 600 is).
   */
  @ParameterizedTest
  @EnumSource(Precision.class)
  void inputsLieOnTheSubspaceAndLabelsAreTheTeachers(Precision precision) {
    int n = 300;
    int p = 400;
    int d = 12;
    double r = 3.0;
    long seed = 77;
    Subspace task = new Subspace(n, n, p, d, r, 0.25);
    double[][] u = task.basis(seed);
    double[] v = task.teacher(seed);
    Dataset ds = task.generate(seed, precision);
    Subspace.Part part = task.part(seed, "train", n, u, v, DataType.DOUBLE);
    double tol = precision == Precision.FLOAT32 ? EPS32 + 1e-12 : 1e-12;
    int ambiguous = 0;
    for (boolean train : new boolean[] {true, false}) {
      double[][] x = Reference.matrix(train ? ds.xTrain() : ds.xTest());
      double[] clean = Reference.vector(train ? ds.yTrainClean() : ds.yTestClean());
      for (int i = 0; i < n; i++) {
        double[] coef = new double[d];
        double[] res = x[i].clone();
        for (int l = 0; l < d; l++) {
          coef[l] = Reference.dot(u[l], x[i]);
          for (int j = 0; j < p; j++) {
            res[j] -= coef[l] * u[l][j];
          }
        }
        double norm = Math.sqrt(Reference.dot(x[i], x[i]));
        assertThat(Math.sqrt(Reference.dot(res, res))).as("residual of example %d", i).isLessThanOrEqualTo(tol * norm);
        double[] z = new double[d];
        for (int l = 0; l < d; l++) {
          z[l] = coef[l] * Math.sqrt(d) / r;
        }
        double zn = Math.sqrt(Reference.dot(z, z));
        if (train) {
          for (int l = 0; l < d; l++) {
            assertThat(z[l]).isCloseTo(part.z()[i][l], within(4 * tol * zn));
          }
        }
        double margin = Reference.dot(v, z);
        if (Math.abs(margin) <= 2 * tol * zn) {
          ambiguous++; // the rounding of x could have moved z across the teacher's hyperplane
          continue;
        }
        assertThat(clean[i]).as("clean label of example %d", i).isEqualTo(margin > 0 ? 1.0 : -1.0);
      }
    }
    assertThat(ambiguous).isZero();
  }

  /**
   * |x|^2 = r^2 chi^2_d / d: its mean over n examples is r^2 within Z r^2 sqrt(2 / (n d)); the
   * coordinates of z are N(0, 1) (mean within Z / sqrt(n d)); the clean labels are balanced by
   * the teacher's symmetry (Binomial(n, 1/2)); flips are Binomial(n, eta).
   */
  @ParameterizedTest
  @ValueSource(strings = {"train", "test"})
  void momentsFollowTheLaw(String which) {
    int n = 4000;
    int p = 60;
    int d = 8;
    double r = 2.0;
    double eta = 0.2;
    long seed = 31;
    Subspace task = new Subspace(n, n, p, d, r, eta);
    Subspace.Part part = task.part(seed, which, n, task.basis(seed), task.teacher(seed), DataType.DOUBLE);
    double[][] x = Reference.matrix(part.x());
    double[] clean = Reference.vector(part.clean());
    double[] noisy = Reference.vector(part.noisy());
    double sq = 0.0;
    double zSum = 0.0;
    int pos = 0;
    int flips = 0;
    for (int i = 0; i < n; i++) {
      sq += Reference.dot(x[i], x[i]);
      for (double zl : part.z()[i]) {
        zSum += zl;
      }
      pos += clean[i] > 0 ? 1 : 0;
      assertThat(noisy[i]).isIn(clean[i], -clean[i]);
      flips += noisy[i] != clean[i] ? 1 : 0;
    }
    assertThat(sq / n).as("mean |x|^2").isCloseTo(r * r, within(Z * r * r * Math.sqrt(2.0 / (n * d))));
    assertThat(zSum / (n * d)).as("mean z coordinate").isCloseTo(0.0, within(Z / Math.sqrt(n * d)));
    assertThat((double) pos / n).as("share of clean +1").isCloseTo(0.5, within(Z * Math.sqrt(0.25 / n)));
    assertThat((double) flips / n).as("flip rate").isCloseTo(eta, within(Z * Math.sqrt(eta * (1 - eta) / n)));
  }

  @Test
  void sameSeedSameDataBitForBit() {
    Subspace task = new Subspace(30, 20, 50, 6, 4.0, 0.3);
    Dataset d = task.generate(7, Precision.FLOAT64);
    Dataset again = task.generate(7, Precision.FLOAT64);
    for (int a = 0; a < 6; a++) {
      assertThat(bits(ClustersTest.part(again, a))).as("array %d", a).isEqualTo(bits(ClustersTest.part(d, a)));
    }
    assertThat(bits(task.generate(7, Precision.FLOAT32).xTrain()))
        .isEqualTo(bits(d.xTrain().castTo(DataType.FLOAT)));
    // n_test does not change the training set
    assertThat(bits(new Subspace(30, 99, 50, 6, 4.0, 0.3).generate(7, Precision.FLOAT64).xTrain()))
        .isEqualTo(bits(d.xTrain()));
    Dataset other = task.generate(8, Precision.FLOAT64);
    assertThat(bits(other.xTrain())).isNotEqualTo(bits(d.xTrain()));
    assertThat(bits(other.xTest())).isNotEqualTo(bits(d.xTest()));
    assertThat(task.basis(8)[0]).isNotEqualTo(task.basis(7)[0]);
    assertThat(task.teacher(8)).isNotEqualTo(task.teacher(7));
  }

  @Test
  void messagesNameTheKeyTheValueAndTheRule() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Subspace(10, 10, 50, 51, 1.0, 0.0))
        .withMessage("subspace_dim must be an integer in [1, dim = 50], got 51");
    assertThatIllegalArgumentException().isThrownBy(() -> new Subspace(10, 10, 50, 0, 1.0, 0.0))
        .withMessage("subspace_dim must be an integer in [1, dim = 50], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new Subspace(10, 10, 100_000, 200, 1.0, 0.0))
        .withMessage("subspace_dim * dim must be at most 16777216 (the basis U is held in memory), "
            + "got 200 * 100000 = 20000000");
    assertThatIllegalArgumentException().isThrownBy(() -> new Subspace(10, 10, 50, 5, -1.0, 0.0))
        .withMessage("signal must be a finite number >= 0, got -1");
    assertThatIllegalArgumentException().isThrownBy(() -> new Subspace(10, 10, 50, 5, 1.0, 0.5))
        .withMessage("noise_rate must be in [0, 0.5), got 0.5");
    assertThatIllegalArgumentException().isThrownBy(() -> new Subspace(10, 10, 0, 1, 1.0, 0.0))
        .withMessage("dim must be an integer in [1, 100000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new NetFamily(new Subspace(10, 10, 5, 2, 1.0, 0.0),
        4, 1.0, -0.5, "auto", Precision.FLOAT32, List.of())).withMessage("leak must be in [0, 1), got -0.5");
    assertThatNoException().isThrownBy(() -> new Subspace(1, 1, 1, 1, 0.0, 0.0));
    assertThatNoException().isThrownBy(() -> new Subspace(1, 1, 4096, 4096, 1.0, 0.0));
  }

  /**
   * The network learns the teacher's halfspace: d = 10, p = 1000, n = 200, m = 50, r = sqrt(d)
   * (z-sized inputs), small initialization, plain ReLU, 1000 steps of size 0.5. A halfspace
   * through the origin in R^d has VC dimension d, and a classifier consistent with n examples
   * errs with probability ~ d / n = 0.05 (e.g. the max-margin one, whose leave-one-out error is at
   * most the support vectors' share); the network, fitting all but a few of its training labels
   * (>= 0.95; the last few, nearest the teacher's hyperplane, take thousands of steps), is held to
   * >= 0.9 on 1000 clean test points (one binomial standard error <= 0.01): twice that rate, far
   * from chance. Measured at seeds 1-3: test accuracy 0.960, 0.949, 0.930; training 0.995, 0.995, 0.980.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void learnsTheTeacherInsideTheSubspace(long seed) {
    Subspace task = new Subspace(200, 1000, 1000, 10, Math.sqrt(10), 0.0);
    NetFamily f = new NetFamily(task, 50, 1e-4, 0.0, "auto", Precision.FLOAT32, List.of());
    int steps = 1000;
    int[] logs = LogSchedule.of(steps, 30);
    PackResult res;
    try (NetFamily.Data data = f.generate(Seeds.derive(seed, "subspace-data"))) {
      res = f.train(data, Seeds.derive(seed, "subspace-init"), List.of(new Hyper(0.5, 0.0)), steps, logs);
    }
    assertThat(res.runs().get(0).status()).isEqualTo(Values.OK);
    Curve c = res.runs().get(0).curve();
    assertThat(c.trainAcc()[c.last()]).isGreaterThanOrEqualTo(0.95);
    assertThat(c.testAcc()[c.last()]).isGreaterThanOrEqualTo(0.9);
  }
}

package io.grokgrid.engine.univariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.univariate.UnivariateNet.Params;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RegressionTrainer#gradient} (the sorted prefix-sum code a training step runs) against
 * central finite differences of a direct O(n m) evaluation of
 * (1/2n) sum_i (sum_j v_j ReLU(w_j x_i + b_j) + c x_i + d - y_i)^2, for every parameter.
 */
class RegressionGradientTest {
  private static final int N = 9;
  private static final int M = 7;
  private static final double H = 1e-6;

  /**
   * Along one coordinate the objective is a quadratic in the outputs, which are linear in v, c, d
   * and piecewise linear in w, b (no kink within reach: checked below), so it is a polynomial of
   * degree <= 2 in the coordinate and central differences are exact up to rounding: about
   * eps |L| / h = 2e-16 * 5 / 1e-6 ~ 1e-9. 1e-7 leaves a factor 100; a wrong factor (1/n, the
   * ReLU mask, a prefix/suffix swap) changes entries of size 1e-2..1 by much more.
   */
  private static final double TOL = 1e-7;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void gradientOfEveryParameterMatchesCentralDifferences(long seed) {
    RegressionData d = new UnivariateRegression(N, 5, 0.5, Target.SIN).generate(Seeds.derive(seed, "rgc-data"));
    Params p = new UnivariateNet(M, 1.0, Knots.UNIFORM, Seeds.derive(seed, "rgc-init")).uniform();
    // move away from the symmetric init: random perturbations, a zero slope and a zero skip
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "rgc-perturb"));
    for (int j = 0; j < M; j++) {
      p.w[j] += 0.5 * rng.nextGaussian();
      p.b[j] += 0.3 * rng.nextGaussian();
      p.v[j] += 0.5 * rng.nextGaussian();
    }
    p.w[M - 1] = 0.0;
    p.b[M - 1] = 0.2;
    p.c = 0.7;
    p.d = -0.2;
    double minPre = Double.POSITIVE_INFINITY;
    for (int j = 0; j < M; j++) {
      for (double x : d.xTrain()) {
        if (p.w[j] != 0.0) {
          minPre = Math.min(minPre, Math.abs(p.w[j] * x + p.b[j]));
        }
      }
    }
    assertThat(minPre).as("no kink within reach of a finite-difference step").isGreaterThan(10 * H);
    assertThat(RegressionTrainer.objective(d, p)).isCloseTo(direct(d, p), offset(1e-13));

    Params g = RegressionTrainer.gradient(d, p);
    double norm = 0.0;
    double[][] params = {p.w, p.b, p.v};
    double[][] grads = {g.w, g.b, g.v};
    String[] names = {"w", "b", "v"};
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < M; j++) {
        double keep = params[k][j];
        params[k][j] = keep + H;
        double plus = direct(d, p);
        params[k][j] = keep - H;
        double minus = direct(d, p);
        params[k][j] = keep;
        double fd = (plus - minus) / (2 * H);
        assertThat(grads[k][j]).as("dL/d%s[%d], seed %d", names[k], j, seed).isCloseTo(fd, offset(TOL));
        norm += fd * fd;
      }
    }
    double keep = p.c;
    p.c = keep + H;
    double plus = direct(d, p);
    p.c = keep - H;
    double minus = direct(d, p);
    p.c = keep;
    assertThat(g.c).as("dL/dc").isCloseTo((plus - minus) / (2 * H), offset(TOL));
    keep = p.d;
    p.d = keep + H;
    plus = direct(d, p);
    p.d = keep - H;
    minus = direct(d, p);
    p.d = keep;
    assertThat(g.d).as("dL/dd").isCloseTo((plus - minus) / (2 * H), offset(TOL));
    assertThat(Math.sqrt(norm)).isGreaterThan(1e-2);
  }

  /** The objective by direct evaluation, independent of the trainer's sorted evaluation. */
  static double direct(RegressionData d, Params p) {
    double s = 0.0;
    for (int i = 0; i < d.nTrain(); i++) {
      double r = p.apply(d.xTrain()[i]) - d.yTrain()[i];
      s += r * r;
    }
    return s / (2.0 * d.nTrain());
  }
}

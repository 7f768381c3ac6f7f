package io.grokgrid.engine.univariate;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.SplittableRandom;

/**
 * Noisy univariate regression of Joshi, Vardi and Srebro 2023, "Noisy Interpolation Learning with
 * Shallow Univariate ReLU Networks" (arXiv 2307.15396), README, "Task `univariate-regression`": x ~ U[0, 1],
 * y = f*(x) + N(0, sigma^2), f* = sin(2 pi x) by default.
 *
 * <p>Seed semantics: {@link #generate} draws the training set from {@code Seeds.derive(seed,
 * "train")} and the test set from {@code Seeds.derive(seed, "test")}, so n_test does not change
 * the training set; within a set example i draws x_i and then its noise, in that order.
 *
 * @param nTrain n >= 1
 * @param nTest number of test points >= 1 (the test losses are Monte Carlo estimates over them;
 *     interpolants spike between close training points, so use thousands)
 * @param noiseStd sigma >= 0
 * @param target f*
 */
record UnivariateRegression(int nTrain, int nTest, double noiseStd, Target target)
    implements java.io.Serializable {

  /** Validates every parameter; messages name the spec key. */
  public UnivariateRegression {
    Check.intIn(Columns.N_TRAIN, nTrain, 1, 1_000_000);
    Check.intIn(Columns.N_TEST, nTest, 1, 10_000_000);
    Check.atLeast(Columns.LABEL_NOISE_STD, noiseStd, 0.0);
    if (target == null) {
      throw new IllegalArgumentException("target must be one of [sin, zero], got null");
    }
  }

  /** Draws a training and a test set from {@code seed} (see the class comment). */
  public RegressionData generate(long seed) {
    double[][] train = part(Seeds.derive(seed, "train"), nTrain);
    double[][] test = part(Seeds.derive(seed, "test"), nTest);
    return new RegressionData(train[0], train[1], train[2], test[0], test[1], test[2]);
  }

  private double[][] part(long seed, int n) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextDouble();
      f[i] = target.apply(x[i]);
      y[i] = f[i] + noiseStd * rng.nextGaussian();
    }
    return new double[][] {x, y, f};
  }
}

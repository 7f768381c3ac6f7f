package io.grokgrid.engine.univariate;

/**
 * A univariate-regression run's state at a logged step, as the metrics read it.
 *
 * @param trainLoss training MSE on the noisy targets, mean (f(x_i) - y_i)^2
 * @param ft the net's outputs on the test points (sorted by x)
 * @param yTest the noisy test targets, in the same order
 * @param fTest f* at the test points, in the same order
 * @param normSq |w|^2 + |v|^2 (biases and the skip connection excluded)
 */
record UnivariateStep(double trainLoss, double[] ft, double[] yTest, double[] fTest, double normSq) {

  /** mean |f(x) - target|^power over the test points, power 1 or 2. */
  double testError(double[] target, int power) {
    double s = 0.0;
    for (int i = 0; i < ft.length; i++) {
      double r = ft[i] - target[i];
      s += power == 2 ? r * r : Math.abs(r);
    }
    return s / ft.length;
  }
}

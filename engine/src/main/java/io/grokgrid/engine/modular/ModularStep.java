package io.grokgrid.engine.modular;

import io.grokgrid.engine.Dense;
import io.grokgrid.engine.WeightSpectrum;

/**
 * A modular-addition run's state at a logged step, as the metrics read it.
 *
 * @param train the training pass's statistics (see {@link ModularTrainer.Pass#run}): loss and
 *     accuracy on the observed labels
 * @param test the test pass's statistics: loss and accuracy on the noisy labels, accuracy on the
 *     clean ones
 * @param normSq |W1|_F^2 + |W2|_F^2
 * @param params the run's weights at this step (the spectral metrics read W1)
 */
record ModularStep(double[] train, double[] test, double normSq, ModularNet.Params params)
    implements WeightSpectrum {

  /**
   * The eigenvalues of the smaller of W1 W1^T (m x m) and W1^T W1 (2q x 2q): the squared
   * singular values of the first layer W1 (m x 2q), without the zeros of the larger side.
   */
  @Override
  public double[] gramEigenvalues(int run) {
    int m = params.m;
    int cols = 2 * params.q;
    // params.w1 is W1^T row-major (2q x m)
    int side = Math.min(m, cols);
    double[] g = new double[side * side];
    if (m <= cols) {
      Dense.multiply(true, false, m, m, cols, 1.0, params.w1, params.w1, 0.0, g);
    } else {
      Dense.multiply(false, true, cols, cols, m, 1.0, params.w1, params.w1, 0.0, g);
    }
    return Dense.eigenvaluesOf(g, side);
  }
}

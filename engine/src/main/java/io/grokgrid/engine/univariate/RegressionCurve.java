package io.grokgrid.engine.univariate;

import java.util.Arrays;

/**
 * A univariate-regression run's learning curve at its logged steps. All arrays have the same
 * length; every loss is a mean over examples.
 *
 * @param steps logged steps (state after that many GD steps)
 * @param trainLoss training MSE, mean (f(x_i) - y_i)^2 on the noisy targets (twice the data term
 *     of the training objective)
 * @param testLossL2 test MSE on the noisy test targets
 * @param testLossL1 test mean absolute error on the noisy test targets
 * @param testCleanL2 test MSE against f* (noise-free)
 * @param testCleanL1 test mean absolute error against f*
 * @param weightNorm sqrt(|w|^2 + |v|^2), the norm of the decayed weights (biases and the skip
 *     connection excluded)
 */
public record RegressionCurve(
    int[] steps,
    double[] trainLoss,
    double[] testLossL2,
    double[] testLossL1,
    double[] testCleanL2,
    double[] testCleanL1,
    double[] weightNorm) {

  /** Number of logged points. */
  public int length() {
    return steps.length;
  }

  /** The index of the last point. */
  public int last() {
    return steps.length - 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RegressionCurve c && Arrays.equals(steps, c.steps)
        && Arrays.equals(trainLoss, c.trainLoss) && Arrays.equals(testLossL2, c.testLossL2)
        && Arrays.equals(testLossL1, c.testLossL1) && Arrays.equals(testCleanL2, c.testCleanL2)
        && Arrays.equals(testCleanL1, c.testCleanL1) && Arrays.equals(weightNorm, c.weightNorm);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(steps) * 31 + Arrays.hashCode(trainLoss);
  }

  @Override
  public String toString() {
    return "RegressionCurve[" + steps.length + " points, last step "
        + (steps.length == 0 ? -1 : steps[last()]) + "]";
  }
}

package io.grokgrid.engine;

import java.util.Arrays;

/**
 * A run's learning curve: metrics at its logged steps (see {@link LogSchedule}). All arrays have
 * the same length. Accuracies are fractions in [0, 1]; losses are means over examples; the weight
 * norm is the Frobenius norm of the trained first layer W (of theta for linear models).
 *
 * <p>Regression families (SCIENCE.md sections 3 and 5) have no accuracies: their accuracy arrays
 * are null, their losses are half squared errors, and {@code testLoss} is the (population or test)
 * loss on noisy targets. {@code testLossL1} is null unless the family also records an L1 test loss.
 *
 * @param steps logged steps (state after that many GD steps)
 * @param trainLoss mean training loss on the observed labels
 * @param trainAcc training accuracy on the observed (possibly flipped) labels
 * @param testLoss mean test loss on the noisy test labels
 * @param testAcc test accuracy on the clean test labels
 * @param testAccNoisy test accuracy on the noisy test labels
 * @param weightNorm |W|_F
 * @param testLossL1 mean absolute test error on noisy targets, or null when not recorded
 */
public record Curve(
    int[] steps,
    double[] trainLoss,
    double[] trainAcc,
    double[] testLoss,
    double[] testAcc,
    double[] testAccNoisy,
    double[] weightNorm,
    double[] testLossL1) {

  /** A curve without an L1 test loss. */
  public Curve(int[] steps, double[] trainLoss, double[] trainAcc, double[] testLoss,
      double[] testAcc, double[] testAccNoisy, double[] weightNorm) {
    this(steps, trainLoss, trainAcc, testLoss, testAcc, testAccNoisy, weightNorm, null);
  }

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
    return o instanceof Curve c && Arrays.equals(steps, c.steps)
        && Arrays.equals(trainLoss, c.trainLoss) && Arrays.equals(trainAcc, c.trainAcc)
        && Arrays.equals(testLoss, c.testLoss) && Arrays.equals(testAcc, c.testAcc)
        && Arrays.equals(testAccNoisy, c.testAccNoisy) && Arrays.equals(weightNorm, c.weightNorm)
        && Arrays.equals(testLossL1, c.testLossL1);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(steps) * 31 + Arrays.hashCode(trainLoss);
  }

  @Override
  public String toString() {
    return "Curve[" + steps.length + " points, last step " + (steps.length == 0 ? -1 : steps[last()]) + "]";
  }
}

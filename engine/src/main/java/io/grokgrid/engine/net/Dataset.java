package io.grokgrid.engine.net;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A binary classification data set with observed (possibly flipped) and clean labels.
 *
 * @param xTrain training inputs, n x p, one example per row
 * @param yTrain observed training labels in {-1, +1}, 1 x n (what the network is trained on)
 * @param yTrainClean clean training labels, 1 x n
 * @param xTest test inputs, n_test x p
 * @param yTestClean clean test labels, 1 x n_test (test accuracy is reported on these)
 * @param yTestNoisy test labels with the same flip rate as training, 1 x n_test
 */
public record Dataset(
    INDArray xTrain,
    INDArray yTrain,
    INDArray yTrainClean,
    INDArray xTest,
    INDArray yTestClean,
    INDArray yTestNoisy) implements AutoCloseable {

  /**
   * Frees the arrays' native memory now rather than when the garbage collector gets to their
   * wrappers (which, with little heap allocation, can be long after: a sweep of large data sets
   * would hold many of them). The data set must not be used afterwards.
   */
  @Override
  public void close() {
    release(xTrain, yTrain, yTrainClean, xTest, yTestClean, yTestNoisy);
  }

  /** Closes each array that owns its memory (views and shared buffers are left alone). */
  static void release(INDArray... xs) {
    for (INDArray x : xs) {
      if (x != null && x.closeable()) {
        x.close();
      }
    }
  }

  /** Number of training examples n. */
  public int nTrain() {
    return (int) xTrain.rows();
  }

  /** Number of test examples. */
  public int nTest() {
    return (int) xTest.rows();
  }

  /** Input dimension p. */
  public int dim() {
    return (int) xTrain.columns();
  }

  /** Number of training labels that differ from their clean label. */
  public int flippedTrain() {
    return (int) yTrain.neq(yTrainClean).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
  }
}

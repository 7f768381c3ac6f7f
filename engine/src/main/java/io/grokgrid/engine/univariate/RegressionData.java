package io.grokgrid.engine.univariate;

/**
 * One draw of {@link UnivariateRegression}. The arrays are owned by the record and must not be
 * modified.
 *
 * @param xTrain training inputs in [0, 1)
 * @param yTrain noisy training targets (what the network is trained on)
 * @param fTrain clean values f*(x) at the training inputs
 * @param xTest test inputs
 * @param yTest noisy test targets (test_loss_l2, test_loss_l1)
 * @param fTest clean test values f*(x) (the clean losses)
 */
record RegressionData(
    double[] xTrain, double[] yTrain, double[] fTrain, double[] xTest, double[] yTest, double[] fTest) {

  /** n. */
  public int nTrain() {
    return xTrain.length;
  }

  /** Number of test points. */
  public int nTest() {
    return xTest.length;
  }

  @Override
  public String toString() {
    return "RegressionData[" + nTrain() + " train, " + nTest() + " test]";
  }
}

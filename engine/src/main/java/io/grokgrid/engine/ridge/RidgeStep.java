package io.grokgrid.engine.ridge;

/**
 * A ridge run's state at a logged step, as the metrics read it.
 *
 * @param trainLoss (1/2n)|X theta - y|^2
 * @param err2 |theta - theta*|^2
 * @param norm |theta|
 * @param data the data set (p and the noise variance)
 */
record RidgeStep(double trainLoss, double err2, double norm, RidgeData data) {

  /** The population loss E (1/2)(<theta, x> - y)^2 = |theta - theta*|^2 / (2p) + sigma^2 / 2. */
  double populationLoss() {
    return err2 / (2.0 * data.p) + data.noiseVar / 2.0;
  }

  /**
   * The population mean absolute error E|<theta, x> - y| = sqrt(2 v / pi), v = |theta - theta*|^2 / p
   * + sigma^2: the error is Gaussian with variance v.
   */
  double populationL1() {
    return Math.sqrt(2.0 * (err2 / data.p + data.noiseVar) / Math.PI);
  }
}

package io.grokgrid.engine.modular;

/**
 * One draw of {@link ModularAddition}: the training and test pairs with their labels. Example i
 * of a set is the pair (a[i], b[i]); its input is one-hot(a) concatenated with one-hot(b), 2q
 * values. The arrays are owned by the record and must not be modified.
 *
 * @param modulus q, the number of classes
 * @param trainA first operands of the training pairs, in [0, q)
 * @param trainB second operands of the training pairs
 * @param trainLabel observed training labels (possibly replaced by noise); the network is trained on these
 * @param trainClean clean training labels (a + b) mod q
 * @param testA first operands of the test pairs
 * @param testB second operands of the test pairs
 * @param testClean clean test labels (test_acc is measured on these)
 * @param testNoisy test labels with the same noise as training (test_loss and test_acc_noisy)
 */
record ModularData(
    int modulus,
    int[] trainA,
    int[] trainB,
    int[] trainLabel,
    int[] trainClean,
    int[] testA,
    int[] testB,
    int[] testClean,
    int[] testNoisy) {

  /** Number of training pairs. */
  public int nTrain() {
    return trainA.length;
  }

  /** Number of test pairs. */
  public int nTest() {
    return testA.length;
  }

  /** Number of training labels that differ from their clean label. */
  public int flippedTrain() {
    int c = 0;
    for (int i = 0; i < trainLabel.length; i++) {
      if (trainLabel[i] != trainClean[i]) {
        c++;
      }
    }
    return c;
  }

  @Override
  public String toString() {
    return "ModularData[q=" + modulus + ", " + nTrain() + " train, " + nTest() + " test, "
        + flippedTrain() + " flipped]";
  }
}

package io.grokgrid.engine.net;

import io.grokgrid.engine.Log1p;
import io.grokgrid.engine.WeightSpectrum;

/**
 * A pack's state at a logged step, as the net metrics read it: the outputs of every run on the
 * training and test inputs and the squared weight norms. Arrays are run-major: run r's output
 * on example i is at {@code r * n + i}.
 *
 * @param n training examples
 * @param nt test examples
 * @param f training outputs f(x_i), k x n
 * @param ft test outputs, k x n_test
 * @param weightNormSq |W_r|_F^2 per run
 * @param y observed (possibly flipped) training labels in {-1, +1}
 * @param yTestClean clean test labels
 * @param yTestNoisy test labels flipped at the training rate
 * @param geometry what the implicit-bias metrics read, or null when none is recorded
 */
record NetStep(int n, int nt, double[] f, double[] ft, double[] weightNormSq, double[] y,
    double[] yTestClean, double[] yTestNoisy, NetGeometry geometry) implements WeightSpectrum {

  @Override
  public double[] gramEigenvalues(int run) {
    return geometry.eigenvalues(run);
  }

  /** log(1 + e^x) without overflow. */
  static double softplus(double x) {
    // Log1p: StrictMath.log1p's numbers without its native call
    return Math.max(x, 0.0) + Log1p.of(Math.exp(-Math.abs(x)));
  }

  /** Mean logistic loss of run r's {@code out} (n_out per run) against {@code labels}. */
  static double logisticLoss(double[] out, int r, int nOut, double[] labels) {
    double loss = 0;
    for (int i = 0; i < nOut; i++) {
      loss += softplus(-labels[i] * out[r * nOut + i]);
    }
    return loss / nOut;
  }

  /** Fraction of run r's {@code out} whose sign agrees with {@code labels}. */
  static double accuracy(double[] out, int r, int nOut, double[] labels) {
    int hits = 0;
    for (int i = 0; i < nOut; i++) {
      hits += labels[i] * out[r * nOut + i] > 0 ? 1 : 0;
    }
    return (double) hits / nOut;
  }
}

package io.grokgrid.engine.net;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A pack's training state in one of the two forms; see {@link GdTrainer}. */
interface State extends NetGeometry.Source {
  /**
   * The network outputs on the training inputs at the current weights (k x n, run-major) and, per
   * run, a sum that is finite iff all of the run's outputs are and, where the state holds them,
   * its pre-activations (a run with a non-finite one stops there).
   */
  void trainOutputs(double[] f, double[] sums);

  /** Test pre-activations (k m x n_test). */
  INDArray testPre();

  /** |W_r|_F^2 per run. */
  double[] weightNormSq();

  /**
   * Applies one step given the loss derivatives g (k x n, run-major, step size folded in) and
   * the per-run shrinks 1 - step size x weight decay.
   */
  void step(double[] g, double[] shrink);

  /** Zeroes run r's rows (after divergence). */
  void zero(int r);

  /** Floating-point operations spent so far. */
  double flops();
}

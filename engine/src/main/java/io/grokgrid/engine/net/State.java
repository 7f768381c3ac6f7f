package io.grokgrid.engine.net;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A pack's training state in one of the two forms; see {@link GdTrainer}. */
interface State {
  /** Training pre-activations P (k m x n), current. */
  INDArray trainPre();

  /** Test pre-activations (k m x n_test). */
  INDArray testPre();

  /** |W_r|_F^2 per run. */
  double[] weightNormSq();

  /** Applies one step given D already scaled by step size (k m x n). */
  void step(INDArray d, double[] shrink);

  /** Zeroes run r's rows (after divergence). */
  void zero(int r);

  /** Floating-point operations spent so far. */
  double flops();
}

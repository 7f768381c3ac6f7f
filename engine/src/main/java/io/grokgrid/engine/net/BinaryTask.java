package io.grokgrid.engine.net;

import io.grokgrid.engine.Precision;

/**
 * A binary classification recipe: draws a {@link Dataset} (observed and clean labels in {-1, +1})
 * from a seed. Implemented by {@link XorClusters}, {@link GaussianMixture}, {@link Clusters} and
 * {@link Subspace}; {@link NetFamily} trains the two-layer network on any of them.
 */
interface BinaryTask {
  /** Draws a training and a test set from {@code seed}. */
  Dataset generate(long seed, Precision precision);

  /** Number of training examples n. */
  int nTrain();

  /** Number of test examples. */
  int nTest();

  /** Input dimension p. */
  int dim();

  /**
   * The signal strength r of the recipe (a cluster mean's norm, or the input scale): the unit in
   * which robustness metrics such as {@code flip_radius} are reported.
   */
  double signal();
}

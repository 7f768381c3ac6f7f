package io.grokgrid.engine;

import io.grokgrid.vocab.Columns;

/** sigma_max = |W|_2, the largest singular value of the first layer (README, "Implicit-bias metrics"). */
public final class SigmaMax<S extends WeightSpectrum> implements Metric.Scalar<S> {
  @Override
  public String name() {
    return Columns.SIGMA_MAX;
  }

  @Override
  public double value(S state, int run) {
    return Math.sqrt(Math.max(0.0, WeightSpectrum.max(state.gramEigenvalues(run))));
  }
}

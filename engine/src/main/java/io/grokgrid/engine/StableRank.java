package io.grokgrid.engine;

import io.grokgrid.vocab.Columns;

/**
 * The stable rank |W|_F^2 / |W|_2^2 = sum_i sigma_i^2 / max_i sigma_i^2 of the first layer
 * (Rudelson & Vershynin 2007; the measure of Frei et al., ICLR 2023, arXiv 2210.07082): between 1
 * and rank W, insensitive to tiny singular values. NaN for W = 0.
 */
public final class StableRank<S extends WeightSpectrum> implements Metric.Scalar<S> {
  @Override
  public String name() {
    return Columns.STABLE_RANK;
  }

  @Override
  public double value(S state, int run) {
    double[] ev = state.gramEigenvalues(run);
    double top = WeightSpectrum.max(ev);
    if (!(top > 0.0)) {
      return Double.NaN;
    }
    double sum = 0.0;
    for (double e : ev) {
      sum += Math.max(0.0, e);
    }
    return sum / top;
  }
}

package io.grokgrid.engine;

import io.grokgrid.vocab.Columns;

/**
 * The effective rank exp(-sum_i p_i ln p_i), p_i = sigma_i / sum_j sigma_j, of the first layer
 * (Roy & Vetterli 2007, as Yunis et al. 2024, arXiv 2408.11804, compute it): between 1 and
 * rank W. NaN for W = 0.
 */
public final class EffectiveRank<S extends WeightSpectrum> implements Metric.Scalar<S> {
  @Override
  public String name() {
    return Columns.EFFECTIVE_RANK;
  }

  @Override
  public double value(S state, int run) {
    double[] s = WeightSpectrum.singularValues(state.gramEigenvalues(run));
    double sum = 0.0;
    for (double v : s) {
      sum += v;
    }
    if (!(sum > 0.0) || Double.isInfinite(sum)) {
      return Double.NaN;
    }
    double h = 0.0;
    for (double v : s) {
      if (v > 0.0) {
        double p = v / sum;
        h -= p * Math.log(p);
      }
    }
    return Math.exp(h);
  }
}

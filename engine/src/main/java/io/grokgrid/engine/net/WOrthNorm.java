package io.grokgrid.engine.net;

import io.grokgrid.engine.Metric;
import io.grokgrid.vocab.Columns;

/**
 * w_orth_norm = |W P_perp|_F, the part of the first layer off the span of the training inputs
 * (Melamed, Yehudai, Vardi 2023, arXiv 2303.00783: the directions adversarial perturbations use).
 * A GD step adds only combinations of training inputs to W, so under GD this is exactly
 * (1 - alpha lambda)^t |W0 P_perp|_F: linear in the initialization scale, shrunk by weight decay.
 */
final class WOrthNorm implements Metric.Scalar<NetStep> {
  @Override
  public String name() {
    return Columns.W_ORTH_NORM;
  }

  @Override
  public double value(NetStep s, int run) {
    NetGeometry g = s.geometry();
    double[] h = g.orthGram(run);
    double tr = 0.0;
    for (int j = 0; j < g.m; j++) {
      tr += h[j * g.m + j];
    }
    return Math.sqrt(Math.max(0.0, tr));
  }
}

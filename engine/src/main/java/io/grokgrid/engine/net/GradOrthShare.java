package io.grokgrid.engine.net;

import io.grokgrid.engine.Metric;
import io.grokgrid.vocab.Columns;

/**
 * grad_orth_share: the median over test points of |P_perp grad_x f| / |grad_x f|, P_perp
 * projecting off the span of the training inputs (Melamed, Yehudai, Vardi 2023, arXiv
 * 2303.00783: a large share means small perturbations off the data subspace flip the output).
 * With grad_x f(x) = W^T v, v = a o sigma'(W x): |grad|^2 = v^T W W^T v and
 * |P_perp grad|^2 = v^T W P_perp W^T v. Test points where the gradient vanishes are left out.
 */
final class GradOrthShare implements Metric.Scalar<NetStep> {
  @Override
  public String name() {
    return Columns.GRAD_ORTH_SHARE;
  }

  @Override
  public double value(NetStep s, int run) {
    NetGeometry g = s.geometry();
    int m = g.m;
    int nt = g.nt;
    double[] v = g.testSlopes(run);
    double[] gv = g.gramTestSlopes(run);
    double[] hv = new double[m * nt];
    io.grokgrid.engine.Dense.multiply(false, false, m, nt, m, 1.0, g.orthGram(run), v, 0.0, hv);
    double[] share = new double[nt];
    int len = 0;
    for (int i = 0; i < nt; i++) {
      double all = 0.0;
      double orth = 0.0;
      for (int j = 0; j < m; j++) {
        all += v[j * nt + i] * gv[j * nt + i];
        orth += v[j * nt + i] * hv[j * nt + i];
      }
      if (all > 0.0 && Double.isFinite(all)) {
        share[len++] = Math.sqrt(Math.min(1.0, Math.max(0.0, orth / all)));
      }
    }
    return NetGeometry.median(share, len);
  }
}

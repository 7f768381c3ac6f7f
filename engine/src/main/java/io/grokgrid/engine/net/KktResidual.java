package io.grokgrid.engine.net;

import io.grokgrid.engine.Metric;
import io.grokgrid.vocab.Columns;

/**
 * kkt_residual = min over lambda >= 0 of |W - sum_i lambda_i y_i (a o sigma'(W x_i)) x_i^T|_F / |W|_F:
 * how far the first layer is from satisfying the stationarity condition of a KKT point of the
 * margin-maximization problem (Lyu & Li 2020; Frei et al. 2023 and Haim et al. 2022 build on
 * it), sigma' being 1[W x_i > 0] for the ReLU and the leaky slope otherwise, y the observed
 * training labels. With u_i = y_i a o sigma'(W x_i) the objective is
 * |W|^2 - 2 b^T lambda + lambda^T H lambda, b_i = u_i^T (W x_i), H_ij = (u_i^T u_j)(x_i^T x_j): a
 * non-negative least squares problem in n unknowns ({@link Nnls}) from the training
 * pre-activations and K = X X^T alone, so W is never formed.
 */
final class KktResidual implements Metric.Scalar<NetStep> {
  @Override
  public String name() {
    return Columns.KKT_RESIDUAL;
  }

  @Override
  public double value(NetStep s, int run) {
    NetGeometry g = s.geometry();
    int m = g.m;
    int n = g.n;
    double w2 = s.weightNormSq()[run];
    if (!(w2 > 0.0) || !Double.isFinite(w2)) {
      return Double.NaN;
    }
    double[] z = g.trainPre(run);
    double[] y = s.y();
    // u (n x m, one row per example) and b
    double[] u = new double[n * m];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      double bi = 0.0;
      for (int j = 0; j < m; j++) {
        double zji = z[j * n + i];
        double uij = y[i] * g.a[j] * g.slope(zji);
        u[i * m + j] = uij;
        bi += uij * zji;
      }
      b[i] = bi;
    }
    double[] h = new double[n * n];
    io.grokgrid.engine.Dense.multiply(false, true, n, n, m, 1.0, u, u, 0.0, h);
    double[] k = g.span.k();
    for (int i = 0; i < n * n; i++) {
      h[i] *= k[i];
    }
    double[] lambda = Nnls.solve(h, b, n, g.kktStart[run]);
    g.kktStart[run] = lambda;
    double quad = 0.0;
    double lin = 0.0;
    for (int i = 0; i < n; i++) {
      if (lambda[i] == 0.0) {
        continue;
      }
      lin += b[i] * lambda[i];
      double hi = 0.0;
      for (int j = 0; j < n; j++) {
        hi += h[i * n + j] * lambda[j];
      }
      quad += lambda[i] * hi;
    }
    return Math.sqrt(Math.max(0.0, w2 - 2.0 * lin + quad) / w2);
  }
}

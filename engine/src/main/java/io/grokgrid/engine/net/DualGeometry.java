package io.grokgrid.engine.net;

import io.grokgrid.engine.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The dual forms' route to the Grams of {@link NetGeometry}, in float64: with W = s W0 + C X,
 * B = W0 X^T and P = W X^T = s B + C K,
 * W W^T = s^2 W0 W0^T + s B C^T + s C B^T + C K C^T = s^2 W0 W0^T + P C^T + s C B^T
 * (two m x m x n products a run and step), and, since C X P_perp = 0,
 * W P_perp W^T = s^2 W0 P_perp W0^T = s^2 (W0 W0^T - B K^+ B^T), fixed per pack. W0 W0^T is
 * accumulated from W0's seeded column chunks at set-up ({@link DualState#start}).
 */
final class DualGeometry {
  private final int m;
  private final int n;
  private final double[] g0;
  private final double[] b;
  private final Span span;
  private double[] g0Orth;

  /**
   * @param g0 W0 W0^T (m x m, the pack's type)
   * @param b W0 X^T (m x n, row-major, float64)
   */
  DualGeometry(INDArray g0, double[] b, int m, int n, Span span) {
    this.m = m;
    this.n = n;
    this.g0 = g0.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    this.b = b;
    this.span = span;
  }

  /** W W^T of the run with shrink product s, pre-activations P and coefficients C (m x n each). */
  double[] gram(double s, double[] p, double[] c) {
    double[] g = new double[m * m];
    for (int i = 0; i < m * m; i++) {
      g[i] = s * s * g0[i];
    }
    Dense.multiply(false, true, m, m, n, 1.0, p, c, 1.0, g);
    Dense.multiply(false, true, m, m, n, s, c, b, 1.0, g);
    return g;
  }

  /** W P_perp W^T of the run with shrink product s. */
  double[] orthGram(double s) {
    if (g0Orth == null) {
      double[] proj = span.project(b, m);
      g0Orth = new double[m * m];
      for (int i = 0; i < m * m; i++) {
        g0Orth[i] = g0[i] - proj[i];
      }
    }
    double[] out = new double[m * m];
    for (int i = 0; i < m * m; i++) {
      out[i] = s * s * g0Orth[i];
    }
    return out;
  }
}

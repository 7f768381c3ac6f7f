package io.grokgrid.engine.univariate;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Seeds;
import java.util.SplittableRandom;

/**
 * The network of Joshi, Vardi and Srebro 2023 (arXiv 2307.15396): a two-layer ReLU net on R with
 * biases and a linear skip connection,
 * f(x) = sum_j v_j ReLU(w_j x + b_j) + c x + d, all of w, b, v, c, d trained. Weight decay (the
 * representation cost whose minimizers are the paper's min-norm interpolants) acts on the weights
 * w and v only; biases b, the skip slope c and the offset d are not decayed, as in the paper's
 * norm, which leaves affine functions free.
 *
 * <p>Initialization: unit j gets a knot u_j ~ U[0, 1] and a direction s_j uniform in {+1, -1};
 * w_j = s_j, b_j = -s_j u_j, so ReLU(w_j x + b_j) = ReLU(s_j (x - u_j)) has its kink at u_j inside
 * the data range (a unit whose kink lies outside [0, 1] is affine on the data and wasted). The
 * output weights start at v_j ~ N(0, omega^2 / m) and c = d = 0. With m >> n the random knots
 * split [0, 1] finely enough that GD can bend the function between any two training points.
 *
 * <p>Seed semantics: unit j draws u_j, s_j, then v_j, in that order, from
 * {@code Seeds.derive(initSeed, "units")}.
 *
 * @param width m >= 1
 * @param initScale omega >= 0 (scale of the initial output weights)
 * @param initSeed the seed of the initialization
 */
public record UnivariateNet(int width, double initScale, long initSeed) {

  /** Validates the width and the scale. */
  public UnivariateNet {
    Check.intIn("width", width, 1, 10_000_000);
    Check.atLeast("init_scale", initScale, 0.0);
  }

  /** The initial parameters. */
  public Params initial() {
    int m = width;
    Params p = new Params(m);
    SplittableRandom rng = new SplittableRandom(Seeds.derive(initSeed, "units"));
    for (int j = 0; j + 1 < m; j += 2) {
      double u = rng.nextDouble();
      double s = rng.nextBoolean() ? 1.0 : -1.0;
      double sign = rng.nextBoolean() ? 1.0 : -1.0;
      for (int k = j; k <= j + 1; k++) {
        p.w[k] = s * initScale;
        p.b[k] = -s * initScale * u;
      }
      p.v[j] = sign * initScale;
      p.v[j + 1] = -sign * initScale;
    }
    if (m % 2 == 1) {
      double u = rng.nextDouble();
      double s = rng.nextBoolean() ? 1.0 : -1.0;
      p.w[m - 1] = s * initScale;
      p.b[m - 1] = -s * initScale * u;
    }
    return p;
  }

  /**
   * One run's parameters in float64: w, b, v (length m), c and d. Mutable working storage; not
   * shared between runs.
   */
  public static final class Params {
    final double[] w;
    final double[] b;
    final double[] v;
    double c;
    double d;

    Params(int m) {
      w = new double[m];
      b = new double[m];
      v = new double[m];
    }

    /** A deep copy. */
    public Params copy() {
      Params p = new Params(w.length);
      System.arraycopy(w, 0, p.w, 0, w.length);
      System.arraycopy(b, 0, p.b, 0, b.length);
      System.arraycopy(v, 0, p.v, 0, v.length);
      p.c = c;
      p.d = d;
      return p;
    }

    /** f(x). */
    public double apply(double x) {
      double s = c * x + d;
      for (int j = 0; j < w.length; j++) {
        double h = w[j] * x + b[j];
        if (h > 0.0) {
          s += v[j] * h;
        }
      }
      return s;
    }

    /** |w|^2 + |v|^2, the decayed part. */
    public double normSq() {
      double s = 0.0;
      for (int j = 0; j < w.length; j++) {
        s += w[j] * w[j] + v[j] * v[j];
      }
      return s;
    }
  }
}

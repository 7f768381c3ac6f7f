package io.grokgrid.engine.univariate;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.SplittableRandom;

/**
 * The network of Joshi, Vardi and Srebro 2023 (arXiv 2307.15396): a two-layer ReLU net on R with
 * biases and a linear skip connection,
 * f(x) = sum_j v_j ReLU(w_j x + b_j) + c x + d, all of w, b, v, c, d trained. Weight decay (the
 * representation cost whose minimizers are the paper's min-norm interpolants) acts on the weights
 * w and v only; biases b, the skip slope c and the offset d are not decayed, as in the paper's
 * norm, which leaves affine functions free.
 *
 * <p>Initialization (balanced, zero function): units come in pairs (2g, 2g+1) that share a knot
 * u_g and a direction s_g uniform in {+1, -1}: w = s_g omega, b = -s_g omega u_g, so
 * ReLU(w x + b) = omega ReLU(s_g (x - u_g)) kinks at u_g; their output weights are +omega and
 * -omega (sign uniform), so f = 0 at initialization and |v_j| = |w_j| (the balance weight decay
 * favours). c = d = 0. Knots are uniform on [0, 1] ({@link Knots#UNIFORM}), or one pair per gap
 * between consecutive training inputs ({@link Knots#DATA}). An odd last unit gets v = 0. omega
 * sets the regime: large omega is lazy (the knots barely move and GD converges to the
 * interpolant of the fixed kernel, close to the linear spline through the data), small omega is
 * rich (knots move, but GD reaches interpolation only very slowly).
 *
 * <p>Seed semantics: pair g draws u_g, s_g and the sign of its output weights, in that order, from
 * {@code Seeds.derive(initSeed, "units")}; an odd last unit then draws u and s. {@link Knots#DATA}
 * overwrites the knots of the first pairs and leaves every draw unchanged.
 *
 * @param width m >= 1
 * @param initScale omega >= 0 (|w_j| = |v_j| = omega at initialization)
 * @param knots initial knot placement
 * @param initSeed the seed of the initialization
 */
record UnivariateNet(int width, double initScale, Knots knots, long initSeed)
    implements java.io.Serializable {

  /** Validates the width, the scale and the knot placement. */
  public UnivariateNet {
    Check.intIn(Columns.WIDTH, width, 1, 10_000_000);
    Check.atLeast(Columns.INIT_SCALE, initScale, 0.0);
    if (knots == null) {
      throw new IllegalArgumentException("knots must be one of [uniform, data], got null");
    }
  }

  /** The initial parameters for training inputs {@code xTrain} (used only with {@link Knots#DATA}). */
  public Params initial(double[] xTrain) {
    return knots == Knots.DATA ? adapted(xTrain) : uniform();
  }

  /** The initial parameters with uniform knots. */
  Params uniform() {
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
   * Knots adapted to the training inputs: for every gap between consecutive sorted inputs, unit
   * pair g (units 2g, 2g+1) gets its knot at the gap's midpoint, while pairs last; the remaining
   * units keep their uniform knots. Directions and output weights are those of {@link #uniform()}.
   */
  Params adapted(double[] xTrain) {
    Params p = uniform();
    double[] xs = xTrain.clone();
    java.util.Arrays.sort(xs);
    int pairs = width / 2;
    for (int g = 0; g + 1 < xs.length && g < pairs; g++) {
      double u = 0.5 * (xs[g] + xs[g + 1]);
      for (int k = 2 * g; k <= 2 * g + 1; k++) {
        p.b[k] = -p.w[k] * u;
      }
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

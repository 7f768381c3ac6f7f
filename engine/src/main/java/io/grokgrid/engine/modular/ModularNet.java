package io.grokgrid.engine.modular;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.SplittableRandom;

/**
 * The two-layer ReLU MLP for {@link ModularAddition}: f(a, b) = W2 ReLU(W1 x), x = one-hot(a) ++
 * one-hot(b) in R^{2q}, W1 in R^{m x 2q}, W2 in R^{q x m}, no biases, both layers trained
 * (Gromov 2023 uses the same bias-free two-layer form). Because x is one-hot, W1 x is the sum of
 * two columns, W1[:, a] + W1[:, q + b].
 *
 * <p>Initialization ("LeCun normal" times omega, the init-scale multiplier of Liu et al. 2022):
 * W1 entries ~ N(0, omega^2 / (2q)) and W2 entries ~ N(0, omega^2 / m), i.e. variance
 * omega^2 / fan_in per layer. With omega = 1 this is the usual fan-in scaling of PyTorch-style
 * inits (up to PyTorch's uniform distribution and its factor 1/3 in variance).
 *
 * <p>Seed semantics: W1 is drawn from {@code Seeds.derive(initSeed, "w1")} column by column
 * (input coordinate k = 0..2q-1, then unit j = 0..m-1), W2 from {@code Seeds.derive(initSeed,
 * "w2")} row by row (class c, then unit j). The draw does not depend on the data.
 *
 * @param width m, number of hidden units, >= 1
 * @param initScale omega >= 0
 * @param initSeed the seed of the initialization
 */
record ModularNet(int width, double initScale, long initSeed) implements java.io.Serializable {

  /** Validates the width and the scale. */
  public ModularNet {
    Check.intIn(Columns.WIDTH, width, 1, 1_000_000);
    Check.atLeast(Columns.INIT_SCALE, initScale, 0.0);
  }

  /** The initial parameters for modulus q. */
  public Params initial(int modulus) {
    int q = modulus;
    int m = width;
    Params p = new Params(q, m);
    SplittableRandom r1 = new SplittableRandom(Seeds.derive(initSeed, "w1"));
    double s1 = initScale / Math.sqrt(2.0 * q);
    for (int i = 0; i < p.w1.length; i++) {
      p.w1[i] = s1 * r1.nextGaussian();
    }
    SplittableRandom r2 = new SplittableRandom(Seeds.derive(initSeed, "w2"));
    double s2 = initScale / Math.sqrt(m);
    for (int i = 0; i < p.w2.length; i++) {
      p.w2[i] = s2 * r2.nextGaussian();
    }
    return p;
  }

  /**
   * The trained weights of one run, in float64. Layouts are chosen for the one-hot gather:
   * {@code w1[k * m + j]} = W1[j, k] (input coordinate k's column is contiguous), and
   * {@code w2[c * m + j]} = W2[c, j] (row-major). Mutable working storage; not shared between runs.
   */
  public static final class Params {
    final int q;
    final int m;
    final double[] w1;
    final double[] w2;

    Params(int q, int m) {
      this.q = q;
      this.m = m;
      this.w1 = new double[2 * q * m];
      this.w2 = new double[q * m];
    }

    /** A deep copy. */
    public Params copy() {
      Params p = new Params(q, m);
      System.arraycopy(w1, 0, p.w1, 0, w1.length);
      System.arraycopy(w2, 0, p.w2, 0, w2.length);
      return p;
    }

    /** W1 as an m x 2q matrix (a copy). */
    public double[][] w1() {
      double[][] out = new double[m][2 * q];
      for (int k = 0; k < 2 * q; k++) {
        for (int j = 0; j < m; j++) {
          out[j][k] = w1[k * m + j];
        }
      }
      return out;
    }

    /** W2 as a q x m matrix (a copy). */
    public double[][] w2() {
      double[][] out = new double[q][m];
      for (int c = 0; c < q; c++) {
        System.arraycopy(w2, c * m, out[c], 0, m);
      }
      return out;
    }

    /** |W1|_F^2 + |W2|_F^2. */
    public double normSq() {
      double s = 0.0;
      for (double v : w1) {
        s += v * v;
      }
      for (double v : w2) {
        s += v * v;
      }
      return s;
    }
  }
}

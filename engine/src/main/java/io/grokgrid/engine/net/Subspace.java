package io.grokgrid.engine.net;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inputs on a low-dimensional linear subspace, after Melamed, Yehudai and Vardi, "Adversarial
 * Examples Exist in Two-Layer ReLU Networks for Low Dimensional Linear Subspaces" (NeurIPS 2023,
 * arXiv 2303.00783; README, "Task `subspace`").
 *
 * <p>U is a p x d matrix with orthonormal columns (d = {@code subspace_dim}): a p x d Gaussian
 * matrix orthonormalized by modified Gram-Schmidt with one reorthogonalization pass ("twice is
 * enough"), in plain Java so that the basis is the same bits on every machine. An example is
 * x = (r / sqrt(d)) U z with z ~ N(0, I_d) and r = {@code signal}, so E|x|^2 = r^2 and every x
 * lies in span(U). The paper proves its results for any data on the subspace and any labels;
 * this family takes the simplest teacher inside it, a halfspace through the origin: v is uniform
 * on the unit sphere of R^d and the clean label is y = sign(&lt;v, z&gt;) (+1 when the product is 0,
 * an event of probability 0). The observed label is the clean one flipped independently with
 * probability {@code noise_rate}. Test examples are drawn the same way (same U and v); clean and
 * noisy test labels are both kept.
 *
 * <p>Seed semantics: the Gaussian matrix behind U is drawn from {@code Seeds.derive(seed, "basis")}
 * (column by column, p coordinates each), v from {@code Seeds.derive(seed, "teacher")} (d
 * coordinates, then normalized), the training set from {@code Seeds.derive(seed, "train")} and the
 * test set from {@code Seeds.derive(seed, "test")}; within a set, example i draws its d
 * coordinates of z, then its flip. U is held during generation (8 p d bytes, hence the bound
 * p d <= 2^24) and costs O(p d^2) to build.
 *
 * @param nTrain n, number of training examples, >= 1
 * @param nTest number of test examples, >= 1
 * @param dim p, input dimension, >= 1
 * @param subspaceDim d, the dimension of the subspace, in [1, p], with p d <= 2^24
 * @param signal r, the root mean square norm of an input, >= 0
 * @param noiseRate eta, label flip probability in [0, 0.5)
 */
record Subspace(int nTrain, int nTest, int dim, int subspaceDim, double signal, double noiseRate)
    implements BinaryTask {

  /** The largest p d: U is held in memory while the data are drawn. */
  static final long MAX_BASIS = 1L << 24;

  /** Validates every parameter; messages name the spec key. */
  public Subspace {
    Check.intIn(Columns.N_TRAIN, nTrain, 1, 1_000_000);
    Check.intIn(Columns.N_TEST, nTest, 1, 1_000_000);
    Check.intIn(Columns.DIM, dim, 1, 100_000_000);
    if (subspaceDim < 1 || subspaceDim > dim) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s must be an integer in [1, %s = %d], got %d", Columns.SUBSPACE_DIM, Columns.DIM, dim,
          subspaceDim));
    }
    if ((long) subspaceDim * dim > MAX_BASIS) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s * %s must be at most %d (the basis U is held in memory), got %d * %d = %d",
          Columns.SUBSPACE_DIM, Columns.DIM, MAX_BASIS, subspaceDim, dim, (long) subspaceDim * dim));
    }
    Check.atLeast(Columns.SIGNAL, signal, 0.0);
    Check.halfOpen(Columns.NOISE_RATE, noiseRate, 0.0, 0.5);
  }

  /** Draws a training and a test set from {@code seed} (see the class comment). */
  @Override
  public Dataset generate(long seed, Precision precision) {
    double[][] u = basis(seed);
    double[] v = teacher(seed);
    Part train = part(seed, "train", nTrain, u, v, precision.dataType());
    Part test = part(seed, "test", nTest, u, v, precision.dataType());
    return new Dataset(train.x, train.noisy, train.clean, test.x, test.clean, test.noisy);
  }

  /** One set: inputs n x p, clean and noisy labels 1 x n, and each example's z (n x d). */
  record Part(INDArray x, INDArray clean, INDArray noisy, double[][] z) {}

  /** U's d columns, each of length p, orthonormal. */
  double[][] basis(long seed) {
    int p = dim;
    int d = subspaceDim;
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "basis"));
    double[][] u = new double[d][p];
    for (int l = 0; l < d; l++) {
      double[] col = u[l];
      for (int j = 0; j < p; j++) {
        col[j] = rng.nextGaussian();
      }
      // two passes of modified Gram-Schmidt against the earlier columns: the second removes
      // what rounding left of them in the first
      for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < l; k++) {
          double[] q = u[k];
          double dot = 0.0;
          for (int j = 0; j < p; j++) {
            dot += q[j] * col[j];
          }
          for (int j = 0; j < p; j++) {
            col[j] -= dot * q[j];
          }
        }
      }
      double sq = 0.0;
      for (int j = 0; j < p; j++) {
        sq += col[j] * col[j];
      }
      // a Gaussian column lies in the span of the earlier ones with probability 0 (d <= p)
      double inv = 1.0 / Math.sqrt(sq);
      for (int j = 0; j < p; j++) {
        col[j] *= inv;
      }
    }
    return u;
  }

  /** The teacher v, a unit vector of R^d. */
  double[] teacher(long seed) {
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "teacher"));
    double[] v = new double[subspaceDim];
    double sq = 0.0;
    for (int l = 0; l < v.length; l++) {
      v[l] = rng.nextGaussian();
      sq += v[l] * v[l];
    }
    double inv = 1.0 / Math.sqrt(sq);
    for (int l = 0; l < v.length; l++) {
      v[l] *= inv;
    }
    return v;
  }

  /** The set {@code which} ("train" or "test") of n examples, on basis u with teacher v. */
  Part part(long seed, String which, int n, double[][] u, double[] v, DataType type) {
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, which));
    int p = dim;
    int d = subspaceDim;
    double scale = signal / Math.sqrt(d);
    double[] clean = new double[n];
    double[] noisy = new double[n];
    double[][] zs = new double[n][];
    float[] xf = type == DataType.FLOAT ? new float[n * p] : null;
    double[] xd = type == DataType.FLOAT ? null : new double[n * p];
    double[] row = new double[p];
    for (int i = 0; i < n; i++) {
      double[] z = new double[d];
      double margin = 0.0;
      for (int l = 0; l < d; l++) {
        z[l] = rng.nextGaussian();
        margin += v[l] * z[l];
      }
      boolean flip = rng.nextDouble() < noiseRate;
      double y = margin >= 0.0 ? 1.0 : -1.0;
      zs[i] = z;
      clean[i] = y;
      noisy[i] = flip ? -y : y;
      Arrays.fill(row, 0.0);
      for (int l = 0; l < d; l++) {
        double a = scale * z[l];
        double[] col = u[l];
        for (int j = 0; j < p; j++) {
          row[j] += a * col[j];
        }
      }
      int off = i * p;
      if (xf != null) {
        for (int j = 0; j < p; j++) {
          xf[off + j] = (float) row[j];
        }
      } else {
        System.arraycopy(row, 0, xd, off, p);
      }
    }
    INDArray x = xf != null
        ? Nd4j.create(xf, new long[] {n, p}, 'c')
        : Nd4j.create(xd, new long[] {n, p}, 'c');
    return new Part(x, Nd4j.create(clean, new long[] {1, n}, 'c').castTo(type),
        Nd4j.create(noisy, new long[] {1, n}, 'c').castTo(type), zs);
  }
}

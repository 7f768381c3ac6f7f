package io.grokgrid.engine.net;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The k-cluster data of Frei, Vardi, Bartlett and Srebro, "The Double-Edged Sword of Implicit
 * Bias: Generalization vs. Robustness in ReLU Networks" (NeurIPS 2023, arXiv 2303.01456; README,
 * "Task `clusters`").
 *
 * <p>k = {@code clusters} means mu_1..mu_k, each mu_c = r g_c / |g_c| with g_c ~ N(0, I_p) and
 * r = {@code signal}: i.i.d. uniform directions, so |mu_c| = r exactly (to rounding) and the
 * cosine of two means is ~ N(0, 1/p), nearly orthogonal for large p (the paper's small
 * correlations between the means). Mean c carries the label s_c in {+1, -1}: ceil(k/2) means are
 * labelled +1 and floor(k/2) labelled -1, assigned by a seeded shuffle, so both labels occur.
 * An example picks its cluster c uniformly among the k, x = mu_c + xi with xi ~ N(0, I_p), and
 * its clean label is s_c; the observed label is the clean one flipped independently with
 * probability {@code noise_rate}. Test examples are drawn the same way (same means); clean and
 * noisy test labels are both kept.
 *
 * <p>Seed semantics: g_c is drawn from {@code Seeds.derive(seed, "mean", c)} (p coordinates in
 * order), the labels' shuffle from {@code Seeds.derive(seed, "labels")}, the training set from
 * {@code Seeds.derive(seed, "train")} and the test set from {@code Seeds.derive(seed, "test")}
 * (so n_test leaves the training set unchanged, and both sets share the means). Within a set,
 * example i draws its cluster, its flip, then its p noise coordinates, in that order. The means
 * are never held whole (k p numbers could be large): a mean's coordinates are drawn again from its
 * seed for each example, which gives the same numbers at the cost of p extra draws per example.
 *
 * @param nTrain n, number of training examples, >= 1
 * @param nTest number of test examples, >= 1
 * @param dim p, input dimension, >= 1
 * @param clusters k, number of cluster means, >= 2
 * @param signal r = |mu_c|, >= 0
 * @param noiseRate eta, label flip probability in [0, 0.5)
 */
record Clusters(int nTrain, int nTest, int dim, int clusters, double signal, double noiseRate)
    implements BinaryTask {

  /** Validates every parameter; messages name the spec key. */
  public Clusters {
    Check.intIn(Columns.N_TRAIN, nTrain, 1, 1_000_000);
    Check.intIn(Columns.N_TEST, nTest, 1, 1_000_000);
    Check.intIn(Columns.DIM, dim, 1, 100_000_000);
    Check.intIn(Columns.CLUSTERS, clusters, 2, 1_000_000);
    Check.atLeast(Columns.SIGNAL, signal, 0.0);
    Check.halfOpen(Columns.NOISE_RATE, noiseRate, 0.0, 0.5);
  }

  /** Draws a training and a test set from {@code seed} (see the class comment). */
  @Override
  public Dataset generate(long seed, Precision precision) {
    Part train = part(seed, "train", nTrain, precision.dataType());
    Part test = part(seed, "test", nTest, precision.dataType());
    return new Dataset(train.x, train.noisy, train.clean, test.x, test.clean, test.noisy);
  }

  /**
   * One set: inputs n x p, clean and noisy labels 1 x n, and each example's cluster index (the
   * tests read it).
   */
  record Part(INDArray x, INDArray clean, INDArray noisy, int[] cluster) {}

  /** The labels s_c of the k means, in {+1, -1}: ceil(k/2) of +1, shuffled by the seed. */
  double[] meanLabels(long seed) {
    double[] s = new double[clusters];
    for (int c = 0; c < clusters; c++) {
      s[c] = c % 2 == 0 ? 1.0 : -1.0;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "labels"));
    for (int c = clusters - 1; c > 0; c--) { // Fisher-Yates
      int j = rng.nextInt(c + 1);
      double t = s[c];
      s[c] = s[j];
      s[j] = t;
    }
    return s;
  }

  /** The seed of g_c. */
  private static long meanSeed(long seed, int c) {
    return Seeds.derive(seed, "mean", c);
  }

  /** r / |g_c| for every mean (one pass over each g_c). */
  private double[] meanScales(long[] meanSeeds) {
    double[] scale = new double[clusters];
    for (int c = 0; c < clusters; c++) {
      SplittableRandom g = new SplittableRandom(meanSeeds[c]);
      double sq = 0.0;
      for (int j = 0; j < dim; j++) {
        double v = g.nextGaussian();
        sq += v * v;
      }
      scale[c] = sq > 0.0 ? signal / Math.sqrt(sq) : 0.0;
    }
    return scale;
  }

  /** The means mu_c, k x p (for tests and small k p: generation never holds them). */
  double[][] means(long seed) {
    long[] seeds = new long[clusters];
    for (int c = 0; c < clusters; c++) {
      seeds[c] = meanSeed(seed, c);
    }
    double[] scale = meanScales(seeds);
    double[][] mu = new double[clusters][dim];
    for (int c = 0; c < clusters; c++) {
      SplittableRandom g = new SplittableRandom(seeds[c]);
      for (int j = 0; j < dim; j++) {
        mu[c][j] = scale[c] * g.nextGaussian();
      }
    }
    return mu;
  }

  /** The set {@code which} ("train" or "test") of n examples drawn from the data seed. */
  Part part(long seed, String which, int n, DataType type) {
    long[] meanSeeds = new long[clusters];
    for (int c = 0; c < clusters; c++) {
      meanSeeds[c] = meanSeed(seed, c);
    }
    double[] scale = meanScales(meanSeeds);
    double[] label = meanLabels(seed);
    SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, which));
    int p = dim;
    double[] clean = new double[n];
    double[] noisy = new double[n];
    int[] cluster = new int[n];
    float[] xf = type == DataType.FLOAT ? new float[n * p] : null;
    double[] xd = type == DataType.FLOAT ? null : new double[n * p];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(clusters);
      boolean flip = rng.nextDouble() < noiseRate;
      double y = label[c];
      cluster[i] = c;
      clean[i] = y;
      noisy[i] = flip ? -y : y;
      // mu_c's coordinates drawn again from its own seed, interleaved with the example's noise
      SplittableRandom g = new SplittableRandom(meanSeeds[c]);
      double s = scale[c];
      int off = i * p;
      for (int j = 0; j < p; j++) {
        double v = s * g.nextGaussian() + rng.nextGaussian();
        if (xf != null) {
          xf[off + j] = (float) v;
        } else {
          xd[off + j] = v;
        }
      }
    }
    INDArray x = xf != null
        ? Nd4j.create(xf, new long[] {n, p}, 'c')
        : Nd4j.create(xd, new long[] {n, p}, 'c');
    return new Part(x, Nd4j.create(clean, new long[] {1, n}, 'c').castTo(type),
        Nd4j.create(noisy, new long[] {1, n}, 'c').castTo(type), cluster);
  }
}

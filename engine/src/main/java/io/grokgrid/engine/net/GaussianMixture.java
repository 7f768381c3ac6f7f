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
 * The two-cluster Gaussian mixture of Frei, Vardi, Bartlett and Srebro, "Benign Overfitting in
 * Linear Classifiers and Leaky ReLU Networks from KKT Conditions for Margin Maximization"
 * (COLT 2023; README, "Task `gaussian-mixture`").
 *
 * <p>mu = r e1 with r = {@code signal}. The clean label y~ is uniform in {+1, -1} and
 * x = y~ mu + xi with xi ~ N(0, I_p). The observed label is the clean one flipped independently
 * with probability {@code noise_rate}. Test examples are drawn the same way; clean and noisy test
 * labels are both kept. The regime of interest is near-orthogonal data, p >= C max(n r^2, n^2).
 *
 * <p>Seed semantics as {@link XorClusters}: the training set from {@code Seeds.derive(seed, "train")},
 * the test set from {@code Seeds.derive(seed, "test")}; example i draws its clean label, its flip,
 * then its p noise coordinates, in that order.
 *
 * @param nTrain n, number of training examples, >= 1
 * @param nTest number of test examples, >= 1
 * @param dim p, input dimension, >= 1
 * @param signal r = |mu|, >= 0
 * @param noiseRate eta, label flip probability in [0, 0.5)
 */
record GaussianMixture(int nTrain, int nTest, int dim, double signal, double noiseRate)
    implements BinaryTask {

  /** Validates every parameter; messages name the spec key. */
  public GaussianMixture {
    Check.intIn(Columns.N_TRAIN, nTrain, 1, 1_000_000);
    Check.intIn(Columns.N_TEST, nTest, 1, 1_000_000);
    Check.intIn(Columns.DIM, dim, 1, 100_000_000);
    Check.atLeast(Columns.SIGNAL, signal, 0.0);
    Check.halfOpen(Columns.NOISE_RATE, noiseRate, 0.0, 0.5);
  }

  @Override
  public Dataset generate(long seed, Precision precision) {
    DataType type = precision.dataType();
    INDArray[] train = part(Seeds.derive(seed, "train"), nTrain, type);
    INDArray[] test = part(Seeds.derive(seed, "test"), nTest, type);
    return new Dataset(train[0], train[2], train[1], test[0], test[1], test[2]);
  }

  /** x, clean labels, noisy labels. */
  private INDArray[] part(long seed, int n, DataType type) {
    SplittableRandom rng = new SplittableRandom(seed);
    int p = dim;
    double[] clean = new double[n];
    double[] noisy = new double[n];
    double[] x = new double[n * p];
    for (int i = 0; i < n; i++) {
      double y = rng.nextBoolean() ? 1.0 : -1.0;
      boolean flip = rng.nextDouble() < noiseRate;
      clean[i] = y;
      noisy[i] = flip ? -y : y;
      int off = i * p;
      for (int j = 0; j < p; j++) {
        x[off + j] = rng.nextGaussian();
      }
      x[off] += y * signal;
    }
    return new INDArray[] {
        Nd4j.create(x, new long[] {n, p}, 'c').castTo(type),
        Nd4j.create(clean, new long[] {1, n}, 'c').castTo(type),
        Nd4j.create(noisy, new long[] {1, n}, 'c').castTo(type)};
  }
}

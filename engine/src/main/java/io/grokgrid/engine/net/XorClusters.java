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
 * The XOR-cluster data of Xu, Wang, Frei, Vardi and Hu, "Benign Overfitting and Grokking in ReLU
 * Networks for XOR Cluster Data" (arXiv 2310.02541), Section 2.
 *
 * <p>mu1 = r e1 and mu2 = r e2 with r = {@code signal}. The clean label is uniform in {+1, -1};
 * a +1 example is {@code +-mu1 + xi}, a -1 example is {@code +-mu2 + xi} (sign uniform), with
 * xi ~ N(0, I_p). The observed label is the clean one flipped independently with probability
 * {@code noise_rate}. Test examples are drawn the same way; both clean and noisy test labels are kept.
 *
 * <p>Seed semantics: {@link #generate} draws the training set from
 * {@code Seeds.derive(seed, "train")} and the test set from {@code Seeds.derive(seed, "test")},
 * so changing n_test leaves the training set unchanged. Within a set, example i draws its clean
 * label, cluster sign, flip and then its p noise coordinates, in that order.
 *
 * @param nTrain n, number of training examples, >= 1
 * @param nTest number of test examples, >= 1
 * @param dim p, input dimension, >= 2 (the two cluster directions)
 * @param signal r = |mu1| = |mu2|, >= 0
 * @param noiseRate eta, label flip probability in [0, 0.5)
 */
public record XorClusters(int nTrain, int nTest, int dim, double signal, double noiseRate)
    implements BinaryTask {

  /** Validates every parameter; messages name the spec key. */
  public XorClusters {
    Check.intIn(Columns.N_TRAIN, nTrain, 1, 1_000_000);
    Check.intIn(Columns.N_TEST, nTest, 1, 1_000_000);
    Check.intIn(Columns.DIM, dim, 2, 100_000_000);
    Check.atLeast(Columns.SIGNAL, signal, 0.0);
    Check.halfOpen(Columns.NOISE_RATE, noiseRate, 0.0, 0.5);
  }

  /** Draws a training and a test set from {@code seed} (see the class comment). */
  @Override
  public Dataset generate(long seed, Precision precision) {
    Part train = part(Seeds.derive(seed, "train"), nTrain, precision.dataType());
    Part test = part(Seeds.derive(seed, "test"), nTest, precision.dataType());
    return new Dataset(train.x, train.noisy, train.clean, test.x, test.clean, test.noisy);
  }

  private record Part(INDArray x, INDArray clean, INDArray noisy) {}

  private Part part(long seed, int n, DataType type) {
    SplittableRandom rng = new SplittableRandom(seed);
    int p = dim;
    double[] clean = new double[n];
    double[] noisy = new double[n];
    float[] xf = type == DataType.FLOAT ? new float[n * p] : null;
    double[] xd = type == DataType.FLOAT ? null : new double[n * p];
    double[] row = new double[p];
    for (int i = 0; i < n; i++) {
      double y = rng.nextBoolean() ? 1.0 : -1.0;
      double sign = rng.nextBoolean() ? 1.0 : -1.0;
      boolean flip = rng.nextDouble() < noiseRate;
      clean[i] = y;
      noisy[i] = flip ? -y : y;
      for (int j = 0; j < p; j++) {
        row[j] = rng.nextGaussian();
      }
      // +1 examples sit on the e1 axis, -1 examples on the e2 axis
      row[y > 0 ? 0 : 1] += sign * signal;
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
        Nd4j.create(noisy, new long[] {1, n}, 'c').castTo(type));
  }
}

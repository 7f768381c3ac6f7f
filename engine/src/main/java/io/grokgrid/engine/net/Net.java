package io.grokgrid.engine.net;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two-layer network of Xu et al. (arXiv 2310.02541), f(x) = sum_j a_j ReLU(<w_j, x>), no
 * biases; with {@code leak} > 0 the leaky ReLU max(z, leak z) of Frei et al. (COLT 2023). The output weights a_j are uniform in {+1/sqrt(m), -1/sqrt(m)} and fixed; the first
 * layer starts at w_j(0) ~ N(0, omega^2 I_p) and is the only trained layer.
 *
 * <p>Seed semantics: a_j are drawn from {@code Seeds.derive(initSeed, "a")}. W(0) is drawn in
 * column chunks of {@link #CHUNK} input coordinates; chunk c (an m x CHUNK block, row-major) is
 * drawn from {@code Seeds.derive(initSeed, "w0", c)}. This lets W(0) X^T be formed block by
 * block without ever holding W(0) whole, and gives the same W(0) in the primal and dual forms.
 *
 * @param width m, number of hidden units, >= 1
 * @param initScale omega, standard deviation of the initial first-layer weights, >= 0
 * @param initSeed the seed of the initialization
 * @param leak slope of the activation for negative inputs, in [0, 1); 0 is the plain ReLU
 */
public record Net(int width, double initScale, long initSeed, double leak) {
  /** Number of input coordinates per independently seeded block of W(0). */
  public static final int CHUNK = 1024;

  /** Validates the width, the scale and the leak. */
  public Net {
    Check.intIn(Columns.WIDTH, width, 1, 10_000_000);
    Check.atLeast(Columns.INIT_SCALE, initScale, 0.0);
    Check.halfOpen(Columns.LEAK, leak, 0.0, 1.0);
  }

  /** The plain-ReLU network (leak 0). */
  public Net(int width, double initScale, long initSeed) {
    this(width, initScale, initSeed, 0.0);
  }

  /** The fixed output weights a_j, 1/sqrt(m) in absolute value, as an m-vector. */
  public double[] outputWeights() {
    SplittableRandom rng = new SplittableRandom(Seeds.derive(initSeed, "a"));
    double mag = 1.0 / Math.sqrt(width);
    double[] a = new double[width];
    for (int j = 0; j < width; j++) {
      a[j] = rng.nextBoolean() ? mag : -mag;
    }
    return a;
  }

  /** Number of chunks W(0) has for input dimension p. */
  public static int chunks(int dim) {
    return (dim + CHUNK - 1) / CHUNK;
  }

  /** Chunk c of W(0): m x (columns of chunk c), i.e. columns [c*CHUNK, min(p, (c+1)*CHUNK)). */
  public INDArray initialChunk(int dim, int c, DataType type) {
    int from = c * CHUNK;
    int cols = Math.min(dim, from + CHUNK) - from;
    SplittableRandom rng = new SplittableRandom(Seeds.derive(initSeed, "w0", c));
    int len = width * cols;
    if (type == DataType.FLOAT) {
      float[] v = new float[len];
      for (int i = 0; i < len; i++) {
        v[i] = (float) (initScale * rng.nextGaussian());
      }
      return Nd4j.create(v, new long[] {width, cols}, 'c');
    }
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = initScale * rng.nextGaussian();
    }
    return Nd4j.create(v, new long[] {width, cols}, 'c');
  }

  /** W(0) whole, m x p (the primal form; avoid for large p). */
  public INDArray initialWeights(int dim, DataType type) {
    INDArray w = Nd4j.create(type, width, dim);
    for (int c = 0; c < chunks(dim); c++) {
      int from = c * CHUNK;
      INDArray chunk = initialChunk(dim, c, type);
      w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + chunk.columns())).assign(chunk);
    }
    return w;
  }
}

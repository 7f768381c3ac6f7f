package io.grokgrid.engine.net;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dual form with the steps of {@link MaskKernel} (float32): each run's P and C live in Java
 * arrays ({@link MaskRun}) and a step is one fused pass of the kernel per run, which also leaves
 * the next step's outputs and mask. ND4J is used only at set-up (W_0 X^T, as {@link DualState})
 * and at logged steps: the test pre-activations s W_0 X_test^T + C X X_test^T are one GEMM as in
 * the dense dual form. The weight norm needs no product: with P = s P_0 + C K,
 * |W|^2 = s^2 |W_0|^2 + 2 s <P_0, C> + <P - s P_0, C>.
 *
 * <p>Each run's product S diag(g) K is carried from step to step by {@link MaskProduct} where
 * only a few mask bits flipped and g did not change (the linear-loss regime), and made afresh by
 * the kernel's lookups otherwise.
 */
final class MaskDualState implements State {
  private final Pack pk;
  private final MaskKernel kernel;
  private final INDArray kTrainTest;
  private final INDArray q0s;
  private final double w0sq;
  private final float[] p0;
  private final float[] kmat;
  private final float[] a;
  private final float leak;
  private final MaskRun[] runs;
  private final MaskProduct[] products;
  private final double[] s;
  private final INDArray c;
  private final INDArray q;
  private final float[] tab;
  private final float[] u;
  private final float[] gf;
  private double flops;

  private final DualGeometry geometry;

  /** @param span the training inputs' span, or null when no implicit-bias metric is recorded */
  MaskDualState(Pack pk, Gram gram, MaskKernel kernel, Span span) {
    if (pk.type != DataType.FLOAT) {
      throw new IllegalArgumentException("form dual-mask needs precision float32, got " + pk.type);
    }
    this.pk = pk;
    this.kernel = kernel;
    DualState.Start st = DualState.start(pk, span != null);
    w0sq = st.w0sq();
    flops += st.flops();
    kTrainTest = gram.trainTest();
    q0s = pk.stack(st.q0());
    c = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.n);
    q = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.nt);
    int m = pk.m;
    int n = pk.n;
    MaskRun shape = new MaskRun(m, n);
    int stride = shape.stride;
    p0 = padded(st.p0().data().asFloat(), m, n, stride);
    kmat = padded(gram.train().dup('c').data().asFloat(), n, n, stride);
    double[] ad = pk.net.outputWeights();
    a = new float[m];
    for (int j = 0; j < m; j++) {
      a[j] = (float) ad[j];
    }
    leak = (float) pk.net.leak();
    tab = new float[MaskKernel.tableSize(n)];
    u = new float[stride];
    gf = new float[stride];
    runs = new MaskRun[pk.k];
    products = new MaskProduct[pk.k];
    s = new double[pk.k];
    for (int r = 0; r < pk.k; r++) {
      runs[r] = r == 0 ? shape : new MaskRun(m, n);
      System.arraycopy(p0, 0, runs[r].p, 0, p0.length);
      // a step with g = 0 and shrink 1 changes nothing and leaves the outputs and the mask
      kernel.step(runs[r], a, leak, kmat, gf, 1f, tab, u);
      runs[r].swapBits();
      products[r] = new MaskProduct(m, n, stride, runs[r].words);
      s[r] = 1.0;
    }
    geometry = span == null ? null
        : new DualGeometry(st.g0(), unpadded(p0, m, n, stride), m, n, span);
  }

  private static double[] unpadded(float[] x, int rows, int cols, int stride) {
    double[] out = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i * cols + j] = x[i * stride + j];
      }
    }
    return out;
  }

  @Override
  public double[] trainPre(int r) {
    return unpadded(runs[r].p, pk.m, pk.n, runs[r].stride);
  }

  private long version;
  private long copied = -1;
  private double[] qAll;

  @Override
  public double[] testPre(int r) {
    if (copied != version) {
      qAll = Pack.doubles(q);
      copied = version;
    }
    return pk.runRows(qAll, r, pk.nt);
  }

  @Override
  public double[] gram(int r) {
    flops += 4.0 * pk.m * pk.m * pk.n;
    MaskRun run = runs[r];
    return geometry.gram(s[r], unpadded(run.p, pk.m, pk.n, run.stride),
        unpadded(run.c, pk.m, pk.n, run.stride));
  }

  @Override
  public double[] orthGram(int r) {
    return geometry.orthGram(s[r]);
  }

  private static float[] padded(float[] x, int rows, int cols, int stride) {
    float[] out = new float[rows * stride];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(x, i * cols, out, i * stride, cols);
    }
    return out;
  }

  @Override
  public void trainOutputs(double[] f, double[] sums) {
    int n = pk.n;
    for (int r = 0; r < pk.k; r++) {
      float[] fr = runs[r].f;
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        f[r * n + i] = fr[i];
        sum += fr[i];
      }
      sums[r] = sum;
    }
  }

  @Override
  public void step(double[] g, double[] sh) {
    version++;
    int n = pk.n;
    for (int r = 0; r < pk.k; r++) {
      boolean still = sh[r] == 1.0;
      for (int i = 0; i < n; i++) {
        gf[i] = (float) g[r * n + i];
        still &= gf[i] == 0f;
      }
      if (!still) {
        MaskProduct pr = products[r];
        pr.bring(kernel, runs[r].bits, kmat, gf, leak, tab, u);
        kernel.stepFrom(runs[r], a, leak, pr.r, gf, (float) sh[r], pr.u);
        runs[r].swapBits();
      }
      s[r] *= sh[r];
    }
    flops += 2.0 * pk.k * pk.m * pk.n * pk.n;
  }

  @Override
  public INDArray testPre() {
    storeCoefficients();
    Blas.gemm(c, kTrainTest, q, false, false, 1.0, 0.0);
    q.addi(q0s.mulColumnVector(pk.perRowColumn(s)));
    flops += 2.0 * pk.k * pk.m * pk.n * pk.nt;
    return q;
  }

  /** Copies every run's C into {@code c} (k m x n, unit-major: row j k + r). */
  private void storeCoefficients() {
    int k = pk.k;
    int n = pk.n;
    FloatBuffer buf = c.data().asNioFloat();
    for (int r = 0; r < k; r++) {
      MaskRun run = runs[r];
      for (int j = 0; j < pk.m; j++) {
        buf.put((j * k + r) * n, run.c, j * run.stride, n);
      }
    }
  }

  @Override
  public double[] weightNormSq() {
    // |s W0 + C X|^2 = s^2 |W0|^2 + 2 s <W0 X^T, C> + <C K, C> with C K = P - s P0, in double
    double[] out = new double[pk.k];
    for (int r = 0; r < pk.k; r++) {
      MaskRun run = runs[r];
      double sr = s[r];
      double cross = 0.0;
      double quad = 0.0;
      for (int j = 0; j < pk.m; j++) {
        int o = j * run.stride;
        for (int i = o; i < o + pk.n; i++) {
          double ci = run.c[i];
          double p0i = p0[i];
          cross += p0i * ci;
          quad += (run.p[i] - sr * p0i) * ci;
        }
      }
      out[r] = sr * sr * w0sq + 2.0 * sr * cross + quad;
    }
    return out;
  }

  @Override
  public void zero(int r) {
    version++;
    runs[r].zero();
    products[r].reset();
    s[r] = 0.0;
  }

  @Override
  public double flops() {
    return flops;
  }
}

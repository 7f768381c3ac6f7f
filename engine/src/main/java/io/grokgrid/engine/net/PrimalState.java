package io.grokgrid.engine.net;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The primal form: W is held whole, k m x p (4 k m n p flops a step). With a {@link MaskKernel}
 * (form {@code primal-mask}, float32) the backward product D X = diag(a) S (diag(g) X) is made by
 * the kernel's table lookups on a Java copy of W (rows padded to a multiple of
 * {@link MaskRun#PAD}), which is written back to ND4J after each step for the forward GEMM and
 * the metrics.
 */
final class PrimalState implements State {
  private final Pack pk;
  final INDArray w;
  private final INDArray p;
  private final INDArray q;
  private final INDArray x;
  private final INDArray xt;
  private final INDArray d;
  /** Whether p holds only zeros (new, or cleared by the backward pass): see trainPre. */
  private boolean pZero = true;
  private double flops;

  private final Span span;
  /** The mask form's kernel and its arrays, or null for the dense backward product. */
  private final MaskKernel kernel;
  private int xs;
  private int words;
  private float[] wj;
  private float[] xj;
  private long[] bits;
  private float[] gr;
  private float[] af;
  private float[] tab;
  private float[] u;
  /** Counts steps, so the float64 copies below are made once per logged step. */
  private long version;
  private long copied = -1;
  private double[] wAll;
  private double[] pAll;
  private double[] qAll;
  private double[] x64;

  /** Drops the float64 copies of an earlier step; each is made on first use at a logged step. */
  private void copies() {
    if (copied != version) {
      wAll = null;
      pAll = null;
      qAll = null;
      copied = version;
    }
  }

  private double[] wAll() {
    copies();
    if (wAll == null) {
      wAll = Pack.doubles(w);
    }
    return wAll;
  }

  /** @param span the training inputs' span, or null when no implicit-bias metric is recorded */
  PrimalState(Pack pk, Span span) {
    this(pk, span, null);
  }

  /** @param kernel the mask kernel for the backward product, or null for the dense GEMM */
  PrimalState(Pack pk, Span span, MaskKernel kernel) {
    this.pk = pk;
    this.span = span;
    this.kernel = kernel;
    INDArray w0 = pk.net.initialWeights(pk.d.dim(), pk.type);
    w = pk.k == 1 ? w0 : pk.stack(w0);
    p = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.n);
    q = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.nt);
    x = pk.d.xTrain();
    xt = pk.d.xTest();
    d = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.n);
    if (kernel != null) {
      startMask();
    }
  }

  private void startMask() {
    if (pk.type != DataType.FLOAT) {
      throw new IllegalArgumentException("form primal-mask needs precision float32, got " + pk.type);
    }
    int dim = pk.d.dim();
    int n = pk.n;
    xs = (dim + MaskRun.PAD - 1) / MaskRun.PAD * MaskRun.PAD;
    words = (n + 63) / 64;
    float[] xf = x.dup('c').data().asFloat();
    xj = new float[n * xs];
    for (int i = 0; i < n; i++) {
      System.arraycopy(xf, i * dim, xj, i * xs, dim);
    }
    int rows = pk.k * pk.m;
    Passes.check(w, (long) rows * dim);
    float[] wf = w.data().asFloat();
    wj = new float[rows * xs];
    for (int row = 0; row < rows; row++) {
      System.arraycopy(wf, row * dim, wj, row * xs, dim);
    }
    bits = new long[pk.m * words];
    gr = new float[n];
    af = new float[pk.m];
    for (int j = 0; j < pk.m; j++) {
      af[j] = (float) pk.passes.a[j];
    }
    tab = new float[MaskKernel.tableSize(n)];
    u = new float[xs];
  }
  @Override
  public void trainOutputs(double[] f, double[] sums) {
    pk.passes.forward(trainPre(), pk.n, f, sums, true);
  }

  INDArray trainPre() {
    // into zeros, beta = 1 gives the numbers of beta = 0 without OpenBLAS's pass zeroing p
    Blas.gemm(w, x, p, false, true, 1.0, pZero ? 1.0 : 0.0);
    pZero = false;
    flops += 2.0 * pk.k * pk.m * pk.n * pk.d.dim();
    return p;
  }

  @Override
  public INDArray testPre() {
    Blas.gemm(w, xt, q, false, true, 1.0, 0.0);
    flops += 2.0 * pk.k * pk.m * pk.nt * pk.d.dim();
    return q;
  }

  @Override
  public double[] weightNormSq() {
    // per-row norms squared in double: squares of finite float32 weights can overflow float32
    double[] rowNorms = pk.rowNorms(w);
    for (int row = 0; row < rowNorms.length; row++) {
      if (!Double.isFinite(rowNorms[row])) {
        // float32 accumulation overflowed on a finite row: redo that row (only) in double
        rowNorms[row] = w.getRow(row).castTo(DataType.DOUBLE).norm2Number().doubleValue();
      }
    }
    double[] out = new double[pk.k];
    for (int row = 0; row < pk.k * pk.m; row++) {
      out[row % pk.k] += rowNorms[row] * rowNorms[row];
    }
    return out;
  }

  @Override
  public void step(double[] g, double[] sh) {
    version++;
    if (kernel != null) {
      maskStep(g, sh);
      return;
    }
    INDArray dm = derivative(g, sh);
    if (Pack.uniform(sh)) {
      Blas.gemm(dm, x, w, false, false, -1.0, sh[0]);
    } else {
      pk.scaleRows(w, sh);
      Blas.gemm(dm, x, w, false, false, -1.0, 1.0);
    }
    flops += 2.0 * pk.k * pk.m * pk.n * pk.d.dim();
  }

  /**
   * W_r <- sh_r W_r - diag(a) (l 1 g_r^T X + (1 - l) S_r diag(g_r) X) for each run r by the
   * kernel (run r's unit j is row j k + r), then W is written back to ND4J.
   */
  private void maskStep(double[] g, double[] sh) {
    int k = pk.k;
    int n = pk.n;
    int dim = pk.d.dim();
    float leak = (float) pk.net.leak();
    for (int r = 0; r < k; r++) {
      for (int j = 0; j < pk.m; j++) {
        kernel.maskBits(pk.passes.loadedRow(j), r * n, n, bits, j * words);
      }
      for (int i = 0; i < n; i++) {
        gr[i] = (float) g[r * n + i];
      }
      kernel.update(bits, words, pk.m, n, af, leak, xj, xs, gr, (float) sh[r], wj, r * xs, k * xs,
          tab, u);
    }
    java.nio.FloatBuffer buf = w.data().asNioFloat();
    if (xs == dim) {
      buf.put(0, wj, 0, wj.length);
    } else {
      for (int row = 0; row < k * pk.m; row++) {
        buf.put(row * dim, wj, row * xs, dim);
      }
    }
    flops += 2.0 * pk.k * pk.m * pk.n * pk.d.dim();
  }

  /** The loss-derivative matrix D (k m x n) at the loaded pre-activations. */
  INDArray derivative(double[] g, double[] sh) {
    pZero = pk.passes.backwardClearing(g, d);
    return d;
  }

  @Override
  public double[] trainPre(int r) {
    copies();
    if (pAll == null) {
      pAll = Pack.doubles(p);
    }
    return pk.runRows(pAll, r, pk.n);
  }

  @Override
  public double[] testPre(int r) {
    copies();
    if (qAll == null) {
      qAll = Pack.doubles(q);
    }
    return pk.runRows(qAll, r, pk.nt);
  }

  @Override
  public double[] gram(int r) {
    int m = pk.m;
    int dim = pk.d.dim();
    double[] wr = pk.runRows(wAll(), r, dim);
    double[] g = new double[m * m];
    if ((long) m * m * dim > 1 << 16) {
      io.grokgrid.engine.Dense.gemm(false, true, m, m, dim, 1.0, wr, wr, 0.0, g);
    } else {
      // the symmetric product by contiguous row dot products, half of it
      for (int i = 0; i < m; i++) {
        for (int j = 0; j <= i; j++) {
          double acc = 0.0;
          for (int l = 0; l < dim; l++) {
            acc += wr[i * dim + l] * wr[j * dim + l];
          }
          g[i * m + j] = acc;
          g[j * m + i] = acc;
        }
      }
    }
    flops += 2.0 * m * m * dim;
    return g;
  }

  /** (W - W X^T K^+ X)(...)^T: W's part off the inputs' span, formed explicitly. */
  @Override
  public double[] orthGram(int r) {
    int m = pk.m;
    int n = pk.n;
    int dim = pk.d.dim();
    double[] wr = pk.runRows(wAll(), r, dim);
    if (x64 == null) {
      x64 = Pack.doubles(pk.d.xTrain());
    }
    double[] x = x64;
    double[] pre = new double[m * n];
    io.grokgrid.engine.Dense.multiply(false, true, m, n, dim, 1.0, wr, x, 0.0, pre);
    double[] coef = new double[m * n];
    io.grokgrid.engine.Dense.multiply(false, false, m, n, n, 1.0, pre, span.kPlus(), 0.0, coef);
    io.grokgrid.engine.Dense.multiply(false, false, m, dim, n, -1.0, coef, x, 1.0, wr);
    double[] h = new double[m * m];
    io.grokgrid.engine.Dense.multiply(false, true, m, m, dim, 1.0, wr, wr, 0.0, h);
    flops += 2.0 * m * dim * (2.0 * n + m);
    return h;
  }

  @Override
  public void zero(int r) {
    version++;
    pk.rows(w, r).assign(0.0);
    if (kernel != null) {
      for (int j = 0; j < pk.m; j++) {
        java.util.Arrays.fill(wj, (j * pk.k + r) * xs, (j * pk.k + r + 1) * xs, 0f);
      }
    }
  }

  @Override
  public double flops() {
    return flops;
  }
}

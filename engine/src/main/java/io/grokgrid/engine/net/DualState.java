package io.grokgrid.engine.net;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The dual form: P = W X^T and C with W = s W_0 + C X; W_0 enters only through W_0 X^T and
 * W_0 X_test^T, formed once from its seeded column chunks (2 k m n^2 flops a step).
 */
final class DualState implements State {
  private final Pack pk;
  private final INDArray kTrain;
  private final INDArray kTrainTest;
  private final INDArray q0s;
  /** W_0 X^T stacked per run (m k x n), formed once: the cross term of every weight norm. */
  private final INDArray p0s;
  private final double w0sq;
  private final INDArray p;
  private final INDArray c;
  private final INDArray q;
  private final INDArray d;
  private final double[] s;
  private final DualGeometry geometry;
  private double flops;
  /** Counts steps, so the float64 copies below are made once per logged step. */
  private long version;
  private long copied = -1;
  private double[] pAll;
  private double[] cAll;
  private double[] qAll;

  /** P, C and Q in float64, copied once per logged step (after the test pass stored C). */
  private void copies() {
    if (copied != version) {
      pAll = Pack.doubles(p);
      cAll = Pack.doubles(c);
      qAll = Pack.doubles(q);
      copied = version;
    }
  }

  /** @param span the training inputs' span, or null when no implicit-bias metric is recorded */
  DualState(Pack pk, Gram gram, Span span) {
    this.pk = pk;
    Start st = start(pk, span != null);
    kTrain = gram.train();
    kTrainTest = gram.trainTest();
    w0sq = st.w0sq();
    flops += st.flops();
    p0s = pk.stack(st.p0());
    p = p0s.dup('c');
    q0s = pk.stack(st.q0());
    c = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.n);
    q = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.nt);
    d = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.n);
    s = new double[pk.k];
    Arrays.fill(s, 1.0);
    geometry = span == null ? null
        : new DualGeometry(st.g0(), pk.runRows(p0s, 0), pk.m, pk.n, span);
  }

  /**
   * W_0 X^T (m x n), W_0 X_test^T (m x n_test), |W_0|_F^2 and, when asked, W_0 W_0^T (m x m,
   * else null), formed from W_0's seeded column chunks (2 m (n + n_test) p flops, 2 m^2 p more
   * for W_0 W_0^T).
   */
  record Start(INDArray p0, INDArray q0, double w0sq, double flops, INDArray g0) {}

  static Start start(Pack pk, boolean withGram) {
    Dataset d = pk.d;
    int m = pk.m;
    int dim = d.dim();
    INDArray p0 = Nd4j.create(pk.type, m, pk.n);
    INDArray q0 = Nd4j.create(pk.type, m, pk.nt);
    INDArray g0 = withGram ? Nd4j.create(pk.type, m, m) : null;
    double sq = 0.0;
    for (int ch = 0; ch < Net.chunks(dim); ch++) {
      INDArray w0c = pk.net.initialChunk(dim, ch, pk.type);
      long from = (long) ch * Net.CHUNK;
      INDArray xc = d.xTrain().get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + w0c.columns()));
      INDArray xtc = d.xTest().get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + w0c.columns()));
      INDArray xcd = xc.dup('c');
      INDArray xtcd = xtc.dup('c');
      Blas.gemm(w0c, xcd, p0, false, true, 1.0, 1.0);
      Blas.gemm(w0c, xtcd, q0, false, true, 1.0, 1.0);
      if (g0 != null) {
        Blas.gemm(w0c, w0c, g0, false, true, 1.0, 1.0);
      }
      double nrm = w0c.norm2Number().doubleValue();
      sq += nrm * nrm;
      // native memory is freed when the Java wrappers are collected, which can be long after
      // when little else allocates on the heap: release these (up to 4 MB a chunk) now
      Dataset.release(w0c, xcd, xtcd);
    }
    double flops = 2.0 * m * (pk.n + pk.nt) * dim + (withGram ? 2.0 * m * m * dim : 0.0);
    return new Start(p0, q0, sq, flops, g0);
  }

  @Override
  public void trainOutputs(double[] f, double[] sums) {
    pk.passes.forward(p, pk.n, f, sums, true);
  }

  @Override
  public INDArray testPre() {
    pk.passes.storeCoefficients(c);
    Blas.gemm(c, kTrainTest, q, false, false, 1.0, 0.0);
    q.addi(q0s.mulColumnVector(pk.perRowColumn(s)));
    flops += 2.0 * pk.k * pk.m * pk.n * pk.nt;
    return q;
  }

  @Override
  public double[] weightNormSq() {
    // |s W0 + C X|^2 = s^2 |W0|^2 + 2 s <W0 X^T, C> + <C K, C>, per run, summed in double
    // (squares of finite float32 weights can overflow float32)
    pk.passes.storeCoefficients(c);
    INDArray ck = Nd4j.gemm(c, kTrain, false, false);
    double[] quad = pk.blockDots(ck, c);
    double[] cross = pk.blockDots(c, p0s);
    flops += 2.0 * pk.k * pk.m * pk.n * pk.n;
    double[] out = new double[pk.k];
    for (int r = 0; r < pk.k; r++) {
      out[r] = s[r] * s[r] * w0sq + 2.0 * s[r] * cross[r] + quad[r];
    }
    return out;
  }

  @Override
  public void step(double[] g, double[] sh) {
    version++;
    pk.passes.backward(g, sh, true, d);
    INDArray dm = d;
    if (Pack.uniform(sh)) {
      Blas.gemm(dm, kTrain, p, false, false, -1.0, sh[0]);
    } else {
      pk.scaleRows(p, sh);
      Blas.gemm(dm, kTrain, p, false, false, -1.0, 1.0);
    }
    for (int r = 0; r < pk.k; r++) {
      s[r] *= sh[r];
    }
    flops += 2.0 * pk.k * pk.m * pk.n * pk.n;
  }

  @Override
  public double[] trainPre(int r) {
    copies();
    return pk.runRows(pAll, r, pk.n);
  }

  @Override
  public double[] testPre(int r) {
    copies();
    return pk.runRows(qAll, r, pk.nt);
  }

  /** From the coefficients {@link #testPre()} stored at this logged step. */
  @Override
  public double[] gram(int r) {
    flops += 4.0 * pk.m * pk.m * pk.n;
    copies();
    return geometry.gram(s[r], pk.runRows(pAll, r, pk.n), pk.runRows(cAll, r, pk.n));
  }

  @Override
  public double[] orthGram(int r) {
    return geometry.orthGram(s[r]);
  }

  @Override
  public void zero(int r) {
    version++;
    pk.rows(p, r).assign(0.0);
    pk.passes.zeroCoefficients(r);
    s[r] = 0.0;
  }

  @Override
  public double flops() {
    return flops;
  }
}

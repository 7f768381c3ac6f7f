package io.grokgrid.engine.net;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The primal form: W is held whole, k m x p (4 k m n p flops a step). */
final class PrimalState implements State {
  private final Pack pk;
  final INDArray w;
  private final INDArray p;
  private final INDArray q;
  private final INDArray x;
  private final INDArray xt;
  private final INDArray d;
  private double flops;

  private final Span span;

  /** @param span the training inputs' span, or null when no implicit-bias metric is recorded */
  PrimalState(Pack pk, Span span) {
    this.pk = pk;
    this.span = span;
    INDArray w0 = pk.net.initialWeights(pk.d.dim(), pk.type);
    w = pk.k == 1 ? w0 : pk.stack(w0);
    p = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.n);
    q = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.nt);
    x = pk.d.xTrain();
    xt = pk.d.xTest();
    d = Nd4j.create(pk.type, (long) pk.k * pk.m, pk.n);
  }

  @Override
  public void trainOutputs(double[] f, double[] sums) {
    pk.passes.forward(trainPre(), pk.n, f, sums, true);
  }

  INDArray trainPre() {
    Blas.gemm(w, x, p, false, true, 1.0, 0.0);
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
    double[] rowNorms = w.norm2(1).toDoubleVector();
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
    INDArray dm = derivative(g, sh);
    if (Pack.uniform(sh)) {
      Blas.gemm(dm, x, w, false, false, -1.0, sh[0]);
    } else {
      w.muliColumnVector(pk.column(sh));
      Blas.gemm(dm, x, w, false, false, -1.0, 1.0);
    }
    flops += 2.0 * pk.k * pk.m * pk.n * pk.d.dim();
  }

  /** The loss-derivative matrix D (k m x n) at the loaded pre-activations. */
  INDArray derivative(double[] g, double[] sh) {
    pk.passes.backward(g, sh, false, d);
    return d;
  }

  @Override
  public double[] trainPre(int r) {
    return pk.runRows(p, r);
  }

  @Override
  public double[] testPre(int r) {
    return pk.runRows(q, r);
  }

  @Override
  public double[] gram(int r) {
    int m = pk.m;
    int dim = pk.d.dim();
    double[] wr = pk.runRows(w, r);
    double[] g = new double[m * m];
    io.grokgrid.engine.Dense.gemm(false, true, m, m, dim, 1.0, wr, wr, 0.0, g);
    flops += 2.0 * m * m * dim;
    return g;
  }

  /** (W - W X^T K^+ X)(...)^T: W's part off the inputs' span, formed explicitly. */
  @Override
  public double[] orthGram(int r) {
    int m = pk.m;
    int n = pk.n;
    int dim = pk.d.dim();
    double[] wr = pk.runRows(w, r);
    double[] x = pk.d.xTrain().castTo(DataType.DOUBLE).dup('c').data().asDouble();
    double[] pre = new double[m * n];
    io.grokgrid.engine.Dense.gemm(false, true, m, n, dim, 1.0, wr, x, 0.0, pre);
    double[] coef = new double[m * n];
    io.grokgrid.engine.Dense.gemm(false, false, m, n, n, 1.0, pre, span.kPlus(), 0.0, coef);
    io.grokgrid.engine.Dense.gemm(false, false, m, dim, n, -1.0, coef, x, 1.0, wr);
    double[] h = new double[m * m];
    io.grokgrid.engine.Dense.gemm(false, true, m, m, dim, 1.0, wr, wr, 0.0, h);
    flops += 2.0 * m * dim * (2.0 * n + m);
    return h;
  }

  @Override
  public void zero(int r) {
    pk.rows(w, r).assign(0.0);
  }

  @Override
  public double flops() {
    return flops;
  }
}

package io.grokgrid.engine.net;

import io.grokgrid.engine.Dense;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The span of a data set's training inputs in float64, for the implicit-bias metrics: the Gram
 * K = X X^T (n x n) and its pseudo-inverse K^+, so that X^T K^+ X is the orthogonal projection
 * onto the span of the training inputs. Eigenvalues of K below n eps max(K's eigenvalues) are
 * read as 0 (inputs that are linearly dependent up to rounding). K and K^+ are row-major.
 */
final class Span {
  private final int n;
  private final double[] k;
  private double[] kPlus;

  Span(int n, double[] k) {
    this.n = n;
    this.k = k;
  }

  int n() {
    return n;
  }

  double[] k() {
    return k;
  }

  /** K^+, computed on first use (only the projection metrics need it). */
  double[] kPlus() {
    if (kPlus == null) {
      kPlus = pseudoInverse(k, n);
    }
    return kPlus;
  }

  /**
   * K of {@code xTrain} (n x p) in float64 (2 n^2 p flops), from float64 copies of its
   * {@link Net#CHUNK}-column blocks: exact to double rounding whatever the inputs' type (a
   * float32 K would make zero eigenvalues of rank-deficient inputs look like 1e-7 of the top
   * one, and K^+ would blow them up), without a float64 copy of the whole of X.
   */
  static Span of(INDArray xTrain) {
    int n = (int) xTrain.rows();
    int p = (int) xTrain.columns();
    double[] k = new double[n * n];
    for (int from = 0; from < p; from += Net.CHUNK) {
      int to = Math.min(p, from + Net.CHUNK);
      INDArray block = xTrain.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
      double[] x = block.dup('c').castTo(DataType.DOUBLE).data().asDouble();
      Dense.multiply(false, true, n, n, to - from, 1.0, x, x, 1.0, k);
    }
    return new Span(n, k);
  }

  /** The pseudo-inverse of a symmetric positive semi-definite n x n row-major matrix. */
  static double[] pseudoInverse(double[] a, int n) {
    double[] v = a.clone();
    double[] w = Dense.symmetricEigen(v, n);
    double top = 0.0;
    for (double e : w) {
      top = Math.max(top, Math.abs(e));
    }
    double cut = n * Math.ulp(1.0) * top;
    // K^+ = (V D^-1/2)(V D^-1/2)^T over the kept eigenvalues: one product
    double[] scaled = new double[n * n];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < n; i++) {
        scaled[r * n + i] = w[i] > cut ? v[r * n + i] / Math.sqrt(w[i]) : 0.0;
      }
    }
    double[] out = new double[n * n];
    Dense.multiply(false, true, n, n, n, 1.0, scaled, scaled, 0.0, out);
    return out;
  }

  /**
   * B K^+ B^T for B (rows x n, row-major). For B = W X^T this is W P W^T, P = X^T K^+ X the
   * projection onto the span of the training inputs.
   */
  double[] project(double[] b, int rows) {
    double[] bk = new double[rows * n];
    Dense.multiply(false, false, rows, n, n, 1.0, b, kPlus(), 0.0, bk);
    double[] out = new double[rows * rows];
    Dense.multiply(false, true, rows, rows, n, 1.0, bk, b, 0.0, out);
    return out;
  }
}

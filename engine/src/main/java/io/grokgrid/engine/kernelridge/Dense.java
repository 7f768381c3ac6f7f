package io.grokgrid.engine.kernelridge;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The two dense float64 kernels kernel ridge regression needs, through OpenBLAS on copies of
 * row-major Java arrays: a matrix product (cblas_dgemm) and the symmetric eigendecomposition
 * (LAPACKE_dsyevd, divide and conquer: O(n^3) with a small constant, where ridge's Jacobi
 * {@code SymmetricEigen} would take minutes at n = 1000). The copies cost O(size), nothing next
 * to the O(n^3) arithmetic. Deterministic for a fixed OpenBLAS thread count (MathThreads).
 */
final class Dense {
  private Dense() {}

  /**
   * C = alpha op(A) op(B) + beta C, all row-major.
   *
   * @param m rows of C
   * @param n columns of C
   * @param k the inner dimension
   */
  static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      double[] b, double beta, double[] c) {
    if (a.length < (long) m * k || b.length < (long) k * n || c.length < (long) m * n) {
      throw new IllegalArgumentException("gemm: arrays too short for " + m + " x " + k + " x " + n);
    }
    try (DoublePointer pa = new DoublePointer(a); DoublePointer pb = new DoublePointer(b);
        DoublePointer pc = new DoublePointer(c)) {
      openblas.cblas_dgemm(openblas.CblasRowMajor,
          transA ? openblas.CblasTrans : openblas.CblasNoTrans,
          transB ? openblas.CblasTrans : openblas.CblasNoTrans,
          m, n, k, alpha, pa, transA ? m : k, pb, transB ? k : n, beta, pc, n);
      pc.get(c);
    }
  }

  /**
   * Eigendecomposition of the symmetric n x n row-major matrix {@code a} (its upper triangle is
   * read): returns the eigenvalues ascending and overwrites {@code a} with the eigenvectors,
   * column i (a[r * n + i]) the unit eigenvector of value i.
   */
  static double[] symmetricEigen(double[] a, int n) {
    if (a.length != (long) n * n) {
      throw new IllegalArgumentException("symmetricEigen: need " + n + " x " + n + " values, got " + a.length);
    }
    double[] w = new double[n];
    try (DoublePointer pa = new DoublePointer(a); DoublePointer pw = new DoublePointer(n)) {
      int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, pa, n, pw);
      if (info != 0) {
        throw new IllegalStateException("LAPACKE_dsyevd failed with info " + info + " at n = " + n);
      }
      pa.get(a);
      pw.get(w);
    }
    return w;
  }
}

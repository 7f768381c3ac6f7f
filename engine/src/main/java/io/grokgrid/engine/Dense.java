package io.grokgrid.engine;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Dense float64 kernels on row-major Java arrays (kernel ridge regression's solves, the two-layer
 * families' implicit-bias metrics), through OpenBLAS on copies of the arrays: a matrix product
 * (cblas_dgemm) and the symmetric eigendecomposition
 * (LAPACKE_dsyevd, divide and conquer: O(n^3) with a small constant, where ridge's Jacobi
 * {@code SymmetricEigen} would take minutes at n = 1000). The copies cost O(size), nothing next
 * to the O(n^3) arithmetic. Deterministic for a fixed OpenBLAS thread count (MathThreads).
 */
public final class Dense {
  private Dense() {}

  /**
   * C = alpha op(A) op(B) + beta C, all row-major.
   *
   * @param m rows of C
   * @param n columns of C
   * @param k the inner dimension
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
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
  public static double[] symmetricEigen(double[] a, int n) {
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

  /**
   * The eigenvalues, ascending, of the symmetric n x n row-major matrix {@code a} (its upper
   * triangle is read; {@code a} is not changed): LAPACKE_dsyevd without eigenvectors.
   */
  public static double[] symmetricEigenvalues(double[] a, int n) {
    if (a.length != (long) n * n) {
      throw new IllegalArgumentException("symmetricEigenvalues: need " + n + " x " + n + " values, got " + a.length);
    }
    double[] w = new double[n];
    try (DoublePointer pa = new DoublePointer(a); DoublePointer pw = new DoublePointer(n)) {
      int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', n, pa, n, pw);
      if (info != 0) {
        throw new IllegalStateException("LAPACKE_dsyevd failed with info " + info + " at n = " + n);
      }
      pw.get(w);
    }
    return w;
  }
}

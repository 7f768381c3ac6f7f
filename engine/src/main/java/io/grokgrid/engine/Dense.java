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
      // from n ~ 500 on, the two-stage reduction (dense to band by BLAS 3, then band to
      // tridiagonal) beats dsytrd's memory-bound BLAS 2: 90 vs 150 ms at n = 1000 on one core
      // (AVX-512, quiet), slower at n = 200 (3 vs 2 ms); the eigenvalues agree to ~1e-14 relative
      int info = n >= TWO_STAGE
          ? openblas.LAPACKE_dsyevd_2stage(openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', n, pa, n, pw)
          : openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'U', n, pa, n, pw);
      if (info != 0) {
        throw new IllegalStateException("LAPACKE_dsyevd failed with info " + info + " at n = " + n);
      }
      pw.get(w);
    }
    return w;
  }

  /** From this size on the eigenvalues come from the two-stage reduction. */
  static final int TWO_STAGE = 500;

  /** Below this many multiply-adds {@link #multiply} loops in Java: no copies, no native call. */
  static final long SMALL = 1 << 16;

  /**
   * C = alpha op(A) op(B) + beta C as {@link #gemm}, in plain Java loops when the product is
   * small (a native call and its copies cost more than the arithmetic there).
   */
  public static void multiply(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, double[] b, double beta, double[] c) {
    if ((long) m * n * k > SMALL) {
      gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
      return;
    }
    double[] row = new double[n];
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(row, 0.0);
      for (int l = 0; l < k; l++) {
        double ail = transA ? a[l * m + i] : a[i * k + l];
        if (ail == 0.0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          row[j] += ail * (transB ? b[j * k + l] : b[l * n + j]);
        }
      }
      for (int j = 0; j < n; j++) {
        c[i * n + j] = alpha * row[j] + (beta == 0.0 ? 0.0 : beta * c[i * n + j]);
      }
    }
  }

  /**
   * The eigenvalues, ascending, of the symmetric n x n row-major matrix {@code a} (lower
   * triangle read, {@code a} unchanged): up to n = 64 in Java by Householder reduction to
   * tridiagonal form and the implicit QL iteration without eigenvectors (tred2 and tqli of
   * Numerical Recipes, 3rd ed., section 11.4; backward stable, eigenvalues to ~eps |A|), else
   * LAPACKE_dsyevd without eigenvectors. The Java path saves the native call and its copies,
   * which cost more than the arithmetic on the small Grams of many small runs.
   */
  public static double[] eigenvaluesOf(double[] a, int n) {
    if (n > 64) {
      return symmetricEigenvalues(a, n);
    }
    double[][] z = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        z[i][j] = a[i * n + j];
        z[j][i] = a[i * n + j];
      }
    }
    double[] d = new double[n];
    double[] e = new double[n];
    for (int i = n - 1; i > 0; i--) {
      int l = i - 1;
      double h = 0.0;
      if (l > 0) {
        double scale = 0.0;
        for (int k = 0; k <= l; k++) {
          scale += Math.abs(z[i][k]);
        }
        if (scale == 0.0) {
          e[i] = z[i][l];
        } else {
          for (int k = 0; k <= l; k++) {
            z[i][k] /= scale;
            h += z[i][k] * z[i][k];
          }
          double f = z[i][l];
          double g = f >= 0.0 ? -Math.sqrt(h) : Math.sqrt(h);
          e[i] = scale * g;
          h -= f * g;
          z[i][l] = f - g;
          f = 0.0;
          for (int j = 0; j <= l; j++) {
            g = 0.0;
            for (int k = 0; k <= j; k++) {
              g += z[j][k] * z[i][k];
            }
            for (int k = j + 1; k <= l; k++) {
              g += z[k][j] * z[i][k];
            }
            e[j] = g / h;
            f += e[j] * z[i][j];
          }
          double hh = f / (h + h);
          for (int j = 0; j <= l; j++) {
            f = z[i][j];
            g = e[j] - hh * f;
            e[j] = g;
            for (int k = 0; k <= j; k++) {
              z[j][k] -= f * e[k] + g * z[i][k];
            }
          }
        }
      } else {
        e[i] = z[i][l];
      }
      d[i] = h;
    }
    for (int i = 0; i < n; i++) {
      d[i] = z[i][i];
    }
    // implicit QL on the tridiagonal (d, e)
    for (int i = 1; i < n; i++) {
      e[i - 1] = e[i];
    }
    if (n > 0) {
      e[n - 1] = 0.0;
    }
    for (int l = 0; l < n; l++) {
      int iter = 0;
      int m;
      do {
        for (m = l; m < n - 1; m++) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[m]) <= Math.ulp(1.0) * dd) {
            break;
          }
        }
        if (m != l) {
          if (iter++ == 60) {
            // not converging (never seen on finite input): the LAPACK route
            return symmetricEigenvalues(a, n);
          }
          double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
          double r = Math.hypot(g, 1.0);
          g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
          double s = 1.0;
          double c = 1.0;
          double p = 0.0;
          int i;
          for (i = m - 1; i >= l; i--) {
            double f = s * e[i];
            double b = c * e[i];
            r = Math.hypot(f, g);
            e[i + 1] = r;
            if (r == 0.0) {
              d[i + 1] -= p;
              e[m] = 0.0;
              break;
            }
            s = f / r;
            c = g / r;
            g = d[i + 1] - p;
            r = (d[i] - g) * s + 2.0 * c * b;
            p = s * r;
            d[i + 1] = g + p;
            g = c * r - b;
          }
          if (r == 0.0 && i >= l) {
            continue;
          }
          d[l] -= p;
          e[l] = g;
          e[m] = 0.0;
        }
      } while (m != l);
    }
    java.util.Arrays.sort(d);
    return d;
  }
}

package io.grokgrid.engine.ridge;

/**
 * Eigen-decomposition of a small real symmetric matrix by the cyclic Jacobi method (Golub and
 * Van Loan, Matrix Computations, section 8.5): plane rotations zero the off-diagonal entries one
 * at a time until they are negligible. O(n^3) per sweep, a handful of sweeps; meant for n up to a
 * few hundred (the Gram matrices of ridge's data sets). Plain Java, deterministic.
 *
 * @param values eigenvalues, ascending
 * @param vectors n x n, row-major; column i is the unit eigenvector of values[i]
 */
record SymmetricEigen(double[] values, double[][] vectors) {

  /** Decomposes the symmetric n x n matrix {@code a} (read only; its upper triangle is used). */
  public static SymmetricEigen of(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][n];
    double[][] v = new double[n][n];
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix must be square, got row " + i + " of length "
            + a[i].length + " in a " + n + "-row matrix");
      }
      for (int j = 0; j < n; j++) {
        m[i][j] = j >= i ? a[i][j] : a[j][i];
        total += m[i][j] * m[i][j];
      }
      v[i][i] = 1.0;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0.0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += m[p][q] * m[p][q];
        }
      }
      // off-diagonal mass below (machine epsilon)^2 of the whole: eigenvalues are accurate to
      // about eps |A|_F (Golub and Van Loan, Theorem 8.1.5 with Weyl's inequality)
      if (off <= 1e-32 * total) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = m[p][q];
          if (apq == 0.0) {
            continue;
          }
          double tau = (m[q][q] - m[p][p]) / (2.0 * apq);
          double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1.0 + tau * tau));
          if (tau == 0.0) {
            t = 1.0;
          }
          double c = 1.0 / Math.sqrt(1.0 + t * t);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < n; k++) {
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - s * vkq;
            v[k][q] = s * vkp + c * vkq;
          }
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(m[x][x], m[y][y]));
    double[] values = new double[n];
    double[][] vectors = new double[n][n];
    for (int i = 0; i < n; i++) {
      values[i] = m[order[i]][order[i]];
      for (int k = 0; k < n; k++) {
        vectors[k][i] = v[k][order[i]];
      }
    }
    return new SymmetricEigen(values, vectors);
  }
}

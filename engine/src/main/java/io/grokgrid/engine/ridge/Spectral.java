package io.grokgrid.engine.ridge;

import static io.grokgrid.engine.ridge.RidgeData.dot;

/** K = X X^T = U diag(k) U^T and the data's projections on the row space of X. */
final class Spectral {
  final double[] k;
  final double[][] u;
  final boolean[] nonzero;
  final double[] yt;
  final double[] bStar;
  final double starPerpSq;
  final double[] starPerp;
  final double lambdaMinPlus;

  Spectral(RidgeData d) {
    int n = d.n;
    int p = d.p;
    double[][] gram = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        gram[i][j] = dot(d.x, i * p, d.x, j * p, p);
        gram[j][i] = gram[i][j];
      }
    }
    SymmetricEigen e = SymmetricEigen.of(gram);
    k = e.values();
    u = e.vectors();
    // eigenvalues below n * eps * k_max are rounding noise of zero ones (rank-deficient X)
    double tol = Math.max(k[n - 1], 0.0) * n * 1e-13;
    nonzero = new boolean[n];
    double minPlus = Double.NaN;
    for (int i = 0; i < n; i++) {
      nonzero[i] = k[i] > tol;
      if (nonzero[i] && Double.isNaN(minPlus)) {
        minPlus = k[i];
      }
    }
    lambdaMinPlus = minPlus;
    yt = ut(d.y);
    bStar = rowCoefficients(d, d.thetaStar);
    starPerp = perp(d, d.thetaStar, bStar);
    starPerpSq = dot(starPerp, 0, starPerp, 0, p);
  }

  /** U^T v. */
  double[] ut(double[] v) {
    int n = v.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0.0;
      for (int r = 0; r < n; r++) {
        s += u[r][i] * v[r];
      }
      out[i] = s;
    }
    return out;
  }

  /** b with theta's row-space part X^T U b: b_i = (U^T X theta)_i / k_i (0 on zero k_i). */
  double[] rowCoefficients(RidgeData d, double[] theta) {
    double[] xt = new double[d.n];
    for (int i = 0; i < d.n; i++) {
      xt[i] = dot(d.x, i * d.p, theta, 0, d.p);
    }
    double[] b = ut(xt);
    for (int i = 0; i < d.n; i++) {
      b[i] = nonzero[i] ? b[i] / k[i] : 0.0;
    }
    return b;
  }

  /** theta - X^T U b, the part of theta orthogonal to the rows of X. */
  double[] perp(RidgeData d, double[] theta, double[] b) {
    double[] c = new double[d.n];
    for (int r = 0; r < d.n; r++) {
      double s = 0.0;
      for (int i = 0; i < d.n; i++) {
        s += u[r][i] * b[i];
      }
      c[r] = s;
    }
    double[] out = theta.clone();
    for (int r = 0; r < d.n; r++) {
      for (int j = 0; j < d.p; j++) {
        out[j] -= c[r] * d.x[r * d.p + j];
      }
    }
    return out;
  }
}

package io.grokgrid.engine.kernelridge;

/**
 * Double-double arithmetic (a value is an unevaluated sum hi + lo of two doubles, |lo| <= ulp(hi)
 * / 2, about 106 bits or 32 decimal digits; Dekker 1971, Hida, Li and Bailey's QD library 2001)
 * for the few kernels the exact Gaussian-kernel interpolant needs: kernel entries, a Cholesky
 * factorization, triangular solves and dot products. The Gaussian kernel matrix's eigenvalues
 * decay faster than exponentially, so at fixed bandwidth its condition number passes 1e16 from a
 * few hundred points on and float64 cannot solve K alpha = y at all; 32 digits can, up to a
 * condition number of about 1e26 (checked per solve by {@link GaussianExact}).
 *
 * <p>Matrices are two row-major double arrays (hi, lo). Every operation is the "accurate" QD
 * variant (two two-sums per addition), because the Cholesky pivots of a nearly singular matrix
 * are small differences of large numbers. Products use {@link Math#fma} for the exact error of
 * a double product. Scalar results go through a two-element array {@code out} = {hi, lo} to keep
 * the hot loops free of allocation.
 */
final class DoubleDouble {
  private DoubleDouble() {}

  /** ln 2 as a double-double (hi + lo, QD's constant). */
  private static final double LN2_HI = 6.931471805599452862e-01;
  private static final double LN2_LO = 2.319046813846299558e-17;
  /** exp's argument is reduced by k ln 2 and then halved this many times. */
  private static final int EXP_HALVINGS = 9;
  /** 1 / k! for the Taylor series of e^r - 1 with |r| <= ln 2 / 2^10: 9 terms reach 1e-33. */
  private static final int EXP_TERMS = 9;

  /** out = a + b, both double-doubles. */
  static void add(double ah, double al, double bh, double bl, double[] out) {
    double s = ah + bh;
    double v = s - ah;
    double e = (ah - (s - v)) + (bh - v);
    double t = al + bl;
    double w = t - al;
    double f = (al - (t - w)) + (bl - w);
    e += t;
    double h = s + e;
    e = e - (h - s);
    e += f;
    double hh = h + e;
    out[0] = hh;
    out[1] = e - (hh - h);
  }

  /** out = a * b, both double-doubles. */
  static void mul(double ah, double al, double bh, double bl, double[] out) {
    double p = ah * bh;
    double e = Math.fma(ah, bh, -p);
    e += ah * bl + al * bh;
    double h = p + e;
    out[0] = h;
    out[1] = e - (h - p);
  }

  /** out = a / b, both double-doubles (three quotient digits, QD's accurate division). */
  static void div(double ah, double al, double bh, double bl, double[] out) {
    double q1 = ah / bh;
    mul(q1, 0.0, bh, bl, out);
    add(ah, al, -out[0], -out[1], out);
    double q2 = out[0] / bh;
    double rh = out[0];
    double rl = out[1];
    mul(q2, 0.0, bh, bl, out);
    add(rh, rl, -out[0], -out[1], out);
    double q3 = out[0] / bh;
    double h = q1 + q2;
    double e = q2 - (h - q1);
    add(h, e, q3, 0.0, out);
  }

  /** out = sqrt(a) for a >= 0 (one Newton step on the double square root). */
  static void sqrt(double ah, double al, double[] out) {
    if (ah <= 0.0) {
      out[0] = 0.0;
      out[1] = 0.0;
      return;
    }
    double q = Math.sqrt(ah);
    double p = q * q;
    double pe = Math.fma(q, q, -p);
    add(ah, al, -p, -pe, out);
    double c = out[0] / (2.0 * q);
    double h = q + c;
    out[0] = h;
    out[1] = c - (h - q);
  }

  /**
   * out = e^a for a double-double a <= 0 (QD's algorithm): a = k ln 2 + r, e^r - 1 by a Taylor
   * series at r / 2^9 and nine doublings e^(2s) - 1 = 2 (e^s - 1) + (e^s - 1)^2, then 2^k.
   * Below -745 (e^a under the smallest double) the result is 0.
   */
  static void exp(double ah, double al, double[] out) {
    if (ah < -745.0) {
      out[0] = 0.0;
      out[1] = 0.0;
      return;
    }
    double k = Math.rint(ah / LN2_HI);
    mul(LN2_HI, LN2_LO, k, 0.0, out);
    add(ah, al, -out[0], -out[1], out);
    double scale = 1.0 / (1 << EXP_HALVINGS);
    double rh = out[0] * scale;
    double rl = out[1] * scale;
    // Horner: s = r (1 + r/2 (1 + r/3 (1 + ...)))
    double sh = 1.0;
    double sl = 0.0;
    for (int t = EXP_TERMS; t >= 2; t--) {
      mul(sh, sl, rh, rl, out);
      div(out[0], out[1], t, 0.0, out);
      add(out[0], out[1], 1.0, 0.0, out);
      sh = out[0];
      sl = out[1];
    }
    mul(sh, sl, rh, rl, out);
    sh = out[0];
    sl = out[1];
    for (int i = 0; i < EXP_HALVINGS; i++) {
      mul(sh, sl, sh, sl, out);
      add(out[0], out[1], 2.0 * sh, 2.0 * sl, out);
      sh = out[0];
      sl = out[1];
    }
    add(sh, sl, 1.0, 0.0, out);
    out[0] = Math.scalb(out[0], (int) k);
    out[1] = Math.scalb(out[1], (int) k);
  }

  /**
   * out = exp(-|a - b|^2 / h^2) for points a (row ia of {@code xa}) and b (row ib of {@code xb})
   * of dimension dim, the differences and squares taken exactly in double-double.
   */
  static void gaussian(double[] xa, int ia, double[] xb, int ib, int dim, double hh, double hl,
      double[] out) {
    double sh = 0.0;
    double sl = 0.0;
    for (int c = 0; c < dim; c++) {
      double a = xa[ia * dim + c];
      double b = -xb[ib * dim + c];
      double d = a + b;
      double v = d - a;
      double e = (a - (d - v)) + (b - v);
      mul(d, e, d, e, out);
      add(sh, sl, out[0], out[1], out);
      sh = out[0];
      sl = out[1];
    }
    div(sh, sl, hh, hl, out);
    exp(-out[0], -out[1], out);
  }

  /**
   * Lower Cholesky factor of the symmetric n x n double-double matrix (ah, al) plus shift I, row
   * by row (Cholesky-Crout, contiguous dot products), into (lh, ll).
   *
   * @return -1 on success, else the row whose pivot was not positive (the matrix is not
   *     numerically positive definite at this precision)
   */
  static int cholesky(double[] ah, double[] al, int n, double shift, double[] lh, double[] ll) {
    double[] out = new double[2];
    for (int i = 0; i < n; i++) {
      int ri = i * n;
      for (int j = 0; j <= i; j++) {
        int rj = j * n;
        double sh = ah[ri + j];
        double sl = al[ri + j];
        if (i == j) {
          add(sh, sl, shift, 0.0, out);
          sh = out[0];
          sl = out[1];
        }
        for (int m = 0; m < j; m++) {
          mul(lh[ri + m], ll[ri + m], lh[rj + m], ll[rj + m], out);
          add(sh, sl, -out[0], -out[1], out);
          sh = out[0];
          sl = out[1];
        }
        if (i == j) {
          if (!(sh > 0.0)) {
            return i;
          }
          sqrt(sh, sl, out);
        } else {
          div(sh, sl, lh[rj + j], ll[rj + j], out);
        }
        lh[ri + j] = out[0];
        ll[ri + j] = out[1];
      }
    }
    return -1;
  }

  /** Solves L L^T x = b in place (b = (bh, bl), length n) with the factor of {@link #cholesky}. */
  static void choleskySolve(double[] lh, double[] ll, int n, double[] bh, double[] bl) {
    double[] out = new double[2];
    for (int i = 0; i < n; i++) {
      double sh = bh[i];
      double sl = bl[i];
      for (int m = 0; m < i; m++) {
        mul(lh[i * n + m], ll[i * n + m], bh[m], bl[m], out);
        add(sh, sl, -out[0], -out[1], out);
        sh = out[0];
        sl = out[1];
      }
      div(sh, sl, lh[i * n + i], ll[i * n + i], out);
      bh[i] = out[0];
      bl[i] = out[1];
    }
    for (int i = n - 1; i >= 0; i--) {
      double sh = bh[i];
      double sl = bl[i];
      for (int m = i + 1; m < n; m++) {
        mul(lh[m * n + i], ll[m * n + i], bh[m], bl[m], out);
        add(sh, sl, -out[0], -out[1], out);
        sh = out[0];
        sl = out[1];
      }
      div(sh, sl, lh[i * n + i], ll[i * n + i], out);
      bh[i] = out[0];
      bl[i] = out[1];
    }
  }

  /**
   * out = row r of the row-major matrix (mh, ml) (rows of length n) dotted with (vh, vl), plus
   * shift times v_r when shift != 0 (the diagonal of M + shift I).
   */
  static void dotRow(double[] mh, double[] ml, int r, int n, double[] vh, double[] vl,
      double shift, double[] out) {
    double sh = 0.0;
    double sl = 0.0;
    int base = r * n;
    for (int m = 0; m < n; m++) {
      mul(mh[base + m], ml[base + m], vh[m], vl[m], out);
      add(sh, sl, out[0], out[1], out);
      sh = out[0];
      sl = out[1];
    }
    if (shift != 0.0) {
      mul(shift, 0.0, vh[r], vl[r], out);
      add(sh, sl, out[0], out[1], out);
      sh = out[0];
      sl = out[1];
    }
    out[0] = sh;
    out[1] = sl;
  }
}

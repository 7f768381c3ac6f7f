package io.grokgrid.engine.ridge;

import io.grokgrid.engine.Seeds;
import java.util.SplittableRandom;

/**
 * A drawn ridge data set (Xu, Vardi, Safran 2026, arXiv 2601.19791; README, "Task `ridge`"): inputs
 * x ~ N(0, I_p / p), a teacher theta* uniform on the unit sphere, targets y = <theta*, x> plus
 * Gaussian noise. Its spectral decomposition is formed on first use and kept.
 */
public final class RidgeData {
  final int n;
  final int p;
  final double[] x;
  final double[] y;
  final double[] thetaStar;
  final double noiseVar;
  private Spectral spectral;

  RidgeData(int n, int p, double[] x, double[] y, double[] thetaStar, double noiseVar) {
    this.n = n;
    this.p = p;
    this.x = x;
    this.y = y;
    this.thetaStar = thetaStar;
    this.noiseVar = noiseVar;
  }

  /** The training inputs, n x p row-major (a copy). */
  public double[] x() {
    return x.clone();
  }

  /** The teacher theta* (a copy). */
  public double[] thetaStar() {
    return thetaStar.clone();
  }

  /** The targets (a copy). */
  public double[] y() {
    return y.clone();
  }

  /** The smallest nonzero eigenvalue of X X^T, or NaN when X is zero. */
  public double lambdaMinPlus() {
    return spectral().lambdaMinPlus;
  }

  Spectral spectral() {
    if (spectral == null) {
      spectral = new Spectral(this);
    }
    return spectral;
  }

  /**
   * Draws a data set: X from {@code Seeds.derive(seed, "x")} (row by row), theta* from
   * {@code Seeds.derive(seed, "teacher")}, label noise from {@code Seeds.derive(seed, "noise")}.
   */
  static RidgeData draw(int nTrain, int dim, double labelNoiseStd, long seed) {
    int n = nTrain;
    int p = dim;
    double[] x = new double[n * p];
    SplittableRandom rx = new SplittableRandom(Seeds.derive(seed, "x"));
    double scale = 1.0 / Math.sqrt(p);
    for (int i = 0; i < n * p; i++) {
      x[i] = scale * rx.nextGaussian();
    }
    SplittableRandom rt = new SplittableRandom(Seeds.derive(seed, "teacher"));
    double[] star = new double[p];
    double sq = 0.0;
    while (sq == 0.0) {
      for (int j = 0; j < p; j++) {
        star[j] = rt.nextGaussian();
        sq += star[j] * star[j];
      }
    }
    double norm = Math.sqrt(sq);
    for (int j = 0; j < p; j++) {
      star[j] /= norm;
    }
    SplittableRandom rn = new SplittableRandom(Seeds.derive(seed, "noise"));
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = dot(x, i * p, star, 0, p) + labelNoiseStd * rn.nextGaussian();
    }
    return new RidgeData(n, p, x, y, star, labelNoiseStd * labelNoiseStd);
  }

  static double dot(double[] a, int ao, double[] b, int bo, int len) {
    double s = 0.0;
    for (int i = 0; i < len; i++) {
      s += a[ao + i] * b[bo + i];
    }
    return s;
  }
}

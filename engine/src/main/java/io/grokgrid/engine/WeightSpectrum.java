package io.grokgrid.engine;

/**
 * A state view that gives the spectrum of a run's first-layer weight matrix W (m x p) at a logged
 * step, for the spectral metrics ({@link StableRank}, {@link EffectiveRank}, {@link SigmaMax}).
 * Implementations compute it once per run and step and may do so from the m x m Gram W W^T
 * without forming W (the dual form).
 */
public interface WeightSpectrum {
  /**
   * The m eigenvalues of W W^T of run {@code run}, i.e. the squared singular values of W, in any
   * order; tiny negative values from rounding are allowed and read as 0.
   */
  double[] gramEigenvalues(int run);

  /** The singular values of W from the Gram eigenvalues (negatives from rounding read as 0). */
  static double[] singularValues(double[] gramEigenvalues) {
    double[] s = new double[gramEigenvalues.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.sqrt(Math.max(0.0, gramEigenvalues[i]));
    }
    return s;
  }

  /** The largest of {@code v} (NaN if any is NaN). */
  static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      if (Double.isNaN(x)) {
        return Double.NaN;
      }
      m = Math.max(m, x);
    }
    return m;
  }
}

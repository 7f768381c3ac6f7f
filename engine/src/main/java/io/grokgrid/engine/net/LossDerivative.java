package io.grokgrid.engine.net;

/**
 * The loss derivatives of a float32 pack's step: g[r n + i] = c_r y_i / (1 + exp(y_i f[r n + i]))
 * with c_r = -(step size of run r) / n, rounded to float32, the precision every float32 state
 * reads them in (it casts them to float).
 *
 * <p><b>Same numbers everywhere.</b> {@link #scalar()} computes each entry as written, with
 * {@code Math.exp}, in double, then rounds it to float. The vector version ({@link #best()} where
 * the JDK's Vector API is present) computes exp by its own polynomial, eight lanes at once, and
 * keeps a lane's result only where it provably rounds to the same float as the scalar one: its
 * error against the scalar double (both within a few double ulps of the true value, bounded below
 * by {@link #DELTA}) is smaller than the distance to the nearest rounding boundary of the float.
 * Every other lane (one in about 10^5 at random: near a boundary, a power of two, a tiny or huge
 * value, |y f| >= 700, NaN) is computed the scalar way. So a sweep's numbers do not depend on the
 * Vector API, the machine's vector width or the JIT, and are those the scalar loop gave before
 * this class existed. The exponentials were a tenth of a many-small step (10,000 per step at
 * ~3.8 ns each on the reference machine).
 */
abstract class LossDerivative {
  /**
   * A bound on |g_fast - g_scalar| / |g_fast| for the vector version: its exp is within ~3 double
   * ulps of e^z (Cody-Waite reduction by fused multiply-adds, |r| <= ln2 / 2, Taylor to degree 12:
   * truncation r^13 / 13! < 2^-52, Horner rounding ~2 ulps), Math.exp within 1 ulp (its
   * contract), and 1 + E and the division round once each on both sides: about 2^-49 in all,
   * taken 32 times larger.
   */
  static final double DELTA = 0x1p-44;

  private static final String VECTOR_CLASS = "io.grokgrid.engine.net.VectorLossDerivative";
  private static final LossDerivative BEST = load();

  /** The vector version where the JDK's Vector API is available, else the scalar one. */
  static LossDerivative best() {
    return BEST;
  }

  /** The plain-Java version. */
  static LossDerivative scalar() {
    return new Scalar();
  }

  private static LossDerivative load() {
    // without the Vector API, the plain-Java version gives the same numbers, only slower
    LossDerivative d = VectorApi.load(VECTOR_CLASS, LossDerivative.class);
    return d != null ? d : new Scalar();
  }

  /**
   * g[r n + i] = (float) (c[r] y[i] / (1 + exp(y[i] f[r n + i]))) for r < k, i < n, with
   * c[r] = -stepSize[r] / n as the caller computed it. Returns the number of entries computed the
   * scalar way (all of them for {@link #scalar()}; for tests; an entry of two overlapping vectors
   * may count twice).
   */
  abstract int float32(double[] f, double[] y, double[] c, int k, int n, double[] g);

  /** One entry, the scalar way: what every version gives. */
  static double entry(double c, double y, double f) {
    return (float) (c * y / (1.0 + Math.exp(y * f)));
  }

  /** Name for reports. */
  abstract String name();

  private static final class Scalar extends LossDerivative {
    @Override
    int float32(double[] f, double[] y, double[] c, int k, int n, double[] g) {
      for (int r = 0; r < k; r++) {
        for (int i = 0; i < n; i++) {
          g[r * n + i] = entry(c[r], y[i], f[r * n + i]);
        }
      }
      return k * n;
    }

    @Override
    String name() {
      return "scalar";
    }
  }
}

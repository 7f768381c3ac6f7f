package io.grokgrid.engine;

/**
 * log(1 + x), the same double as {@link StrictMath#log1p} (and so {@link Math#log1p}) bit for
 * bit, in Java: fdlibm's s_log1p.c (version 5.3), the C code Java 17's StrictMath calls through
 * JNI, transcribed operation for operation (Java's floating point is strict: no fused or wider
 * intermediate operations, as in the C build). Java 21 made the same move (JDK-8301202); on Java
 * 17 the native call costs more than the arithmetic, and the logistic-loss metrics call it for
 * every output at every logged step (a few percent of a many-small sweep). {@code Log1pTest}
 * compares it with StrictMath.log1p over every branch.
 *
 * <p>The algorithm and constants are fdlibm's: Copyright (C) 1993 by Sun Microsystems, Inc. All
 * rights reserved. Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use, copy,
 * modify, and distribute this software is freely granted, provided that this notice is preserved.
 */
public final class Log1p {
  private Log1p() {}

  private static final double LN2_HI = 6.93147180369123816490e-01; // 3fe62e42 fee00000
  private static final double LN2_LO = 1.90821492927058770002e-10; // 3dea39ef 35793c76
  private static final double TWO54 = 1.80143985094819840000e+16; // 43500000 00000000
  private static final double LP1 = 6.666666666666735130e-01; // 3FE55555 55555593
  private static final double LP2 = 3.999999999940941908e-01; // 3FD99999 9997FA04
  private static final double LP3 = 2.857142874366239149e-01; // 3FD24924 94229359
  private static final double LP4 = 2.222219843214978396e-01; // 3FCC71C5 1D8E78AF
  private static final double LP5 = 1.818357216161805012e-01; // 3FC74664 96CB03DE
  private static final double LP6 = 1.531383769920937332e-01; // 3FC39A09 D078C69F
  private static final double LP7 = 1.479819860511658591e-01; // 3FC2F112 DF3E5244

  private static int high(double x) {
    return (int) (Double.doubleToRawLongBits(x) >> 32);
  }

  private static double withHigh(double x, int high) {
    return Double.longBitsToDouble(((long) high << 32) | (Double.doubleToRawLongBits(x) & 0xffffffffL));
  }

  /** log(1 + x), equal to {@code StrictMath.log1p(x)} (any NaN for a NaN). */
  public static double of(double x) {
    int hx = high(x);
    int ax = hx & 0x7fffffff;
    int k = 1;
    int hu = 0;
    double f = 0.0;
    double c = 0.0;
    if (hx < 0x3FDA827A) { // x < 0.41422
      if (ax >= 0x3ff00000) { // x <= -1.0
        return x == -1.0 ? Double.NEGATIVE_INFINITY : Double.NaN;
      }
      if (ax < 0x3e200000) { // |x| < 2^-29
        if (TWO54 + x > 0.0 && ax < 0x3c900000) { // |x| < 2^-54
          return x;
        }
        return x - x * x * 0.5;
      }
      if (hx > 0 || hx <= 0xbfd2bec3) { // -0.2929 < x < 0.41422
        k = 0;
        f = x;
        hu = 1;
      }
    }
    if (hx >= 0x7ff00000) {
      return x + x;
    }
    if (k != 0) {
      double u;
      if (hx < 0x43400000) {
        u = 1.0 + x;
        hu = high(u);
        k = (hu >> 20) - 1023;
        c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // correction term
        c /= u;
      } else {
        u = x;
        hu = high(u);
        k = (hu >> 20) - 1023;
        c = 0.0;
      }
      hu &= 0x000fffff;
      if (hu < 0x6a09e) {
        u = withHigh(u, hu | 0x3ff00000); // normalize u
      } else {
        k += 1;
        u = withHigh(u, hu | 0x3fe00000); // normalize u / 2
        hu = (0x00100000 - hu) >> 2;
      }
      f = u - 1.0;
    }
    double hfsq = 0.5 * f * f;
    if (hu == 0) { // |f| < 2^-20
      if (f == 0.0) {
        if (k == 0) {
          return 0.0;
        }
        c += k * LN2_LO;
        return k * LN2_HI + c;
      }
      double r = hfsq * (1.0 - 0.66666666666666666 * f);
      if (k == 0) {
        return f - r;
      }
      return k * LN2_HI - ((r - (k * LN2_LO + c)) - f);
    }
    double s = f / (2.0 + f);
    double z = s * s;
    double r = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
    if (k == 0) {
      return f - (hfsq - s * (hfsq + r));
    }
    return k * LN2_HI - ((hfsq - (s * (hfsq + r) + (k * LN2_LO + c))) - f);
  }
}

package io.grokgrid.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Log1p against StrictMath.log1p (fdlibm in C, through JNI, on Java 17) bit for bit: special values,
 * every branch's range and its edges, and random doubles of every magnitude and sign.
 */
class Log1pTest {
  private static void same(double x) {
    // doubleToLongBits: every NaN is one NaN (the payload is the hardware's choice)
    assertThat(Double.doubleToLongBits(Log1p.of(x))).as("log1p(%s) [%s]", x, Double.toHexString(x))
        .isEqualTo(Double.doubleToLongBits(StrictMath.log1p(x)));
  }

  @Test
  void specialValuesAndBranchEdges() {
    double[] special = {0.0, -0.0, Double.NaN, -Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, -1.0, Math.nextUp(-1.0), Math.nextDown(-1.0), -2.0, Double.MIN_VALUE,
        -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 0x1p-29, 0x1p-54,
        0x1p-55, -0x1p-29, 0.41422, 0.414213562373095, -0.2929, -0.29289321881345, 1.0, 2.0, 0x1p53,
        0x1p54, 1e300, Math.E - 1.0, 0x1.6a09ep0 - 1.0, 0x1.6a09fp0 - 1.0};
    for (double x : special) {
      same(x);
      same(Math.nextUp(x));
      same(Math.nextDown(x));
    }
  }

  @Test
  void randomDoublesOfEveryMagnitudeAndSign() {
    SplittableRandom rnd = new SplittableRandom(29);
    for (int i = 0; i < 500_000; i++) {
      same(rnd.nextDouble(-1.0, 1.0));
      same(Math.scalb(rnd.nextDouble(1.0, 2.0), rnd.nextInt(-1075, 1024)) * (rnd.nextBoolean() ? 1 : -1));
      same(Double.longBitsToDouble(rnd.nextLong()));
      // the softplus arguments: exp(-|z|) in (0, 1]
      same(Math.exp(-rnd.nextDouble(0.0, 750.0)));
    }
  }
}

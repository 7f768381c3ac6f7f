package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The float32 loss derivatives: the vector version (its own exp, kept only where its rounding to
 * float provably agrees) against the scalar formula with {@code Math.exp}, bit for bit, over
 * ordinary and awkward inputs; and the vector path really taken on ordinary ones.
 */
class LossDerivativeTest {
  private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, 699.9, -699.9, 700.0, -700.0, 709.7, -709.7, 745.2, -745.2, 1e300,
      -1e300, 3.4e38, 1e-310, 36.7, -36.7, 88.7, -103.9};

  /** The formula as written in the loop before this class, rounded to float as the states read it. */
  private static double expected(double c, double y, double f) {
    double z = y * f;
    return (float) (c * y / (1.0 + Math.exp(z)));
  }

  private static void check(int k, int n, double[] f, double[] y, double[] c) {
    double[] fast = new double[k * n];
    double[] plain = new double[k * n];
    LossDerivative.best().float32(f, y, c, k, n, fast);
    LossDerivative.scalar().float32(f, y, c, k, n, plain);
    for (int r = 0; r < k; r++) {
      for (int i = 0; i < n; i++) {
        int q = r * n + i;
        long want = Double.doubleToLongBits(expected(c[r], y[i], f[q]));
        assertThat(Double.doubleToLongBits(plain[q])).as("scalar r=%d i=%d f=%s c=%s", r, i, f[q], c[r])
            .isEqualTo(want);
        assertThat(Double.doubleToLongBits(fast[q])).as("%s r=%d i=%d f=%s c=%s",
            LossDerivative.best().name(), r, i, f[q], c[r]).isEqualTo(want);
      }
    }
  }

  @Test
  void theVectorVersionIsTheOneTestedWhereTheModuleIsPresent() {
    // surefire starts the JVM with --add-modules jdk.incubator.vector (the POM's argLine)
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    assertThat(LossDerivative.best().name()).startsWith("vector-");
  }

  @Test
  void equalsTheScalarFormulaBitForBit() {
    SplittableRandom rnd = new SplittableRandom(17);
    for (int n : new int[] {1, 7, 8, 9, 100, 203}) {
      for (int k : new int[] {1, 3, 40}) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
          y[i] = rnd.nextBoolean() ? 1.0 : -1.0;
        }
        double[] c = new double[k];
        for (int r = 0; r < k; r++) {
          // a dead run's factor is -0.0; tiny and huge step sizes
          c[r] = r % 7 == 3 ? -0.0 : -Math.exp(rnd.nextDouble(-40, 40)) / n;
        }
        for (int trial = 0; trial < 20; trial++) {
          double[] f = new double[k * n];
          double scale = Math.pow(10, trial % 6 - 2);
          for (int q = 0; q < f.length; q++) {
            // outputs are float32 numbers widened to double
            f[q] = q % 11 == 5 ? SPECIAL[rnd.nextInt(SPECIAL.length)]
                : (float) (rnd.nextGaussian() * scale);
          }
          check(k, n, f, y, c);
        }
      }
    }
  }

  @Test
  void nearlyEveryEntryTakesTheVectorPath() {
    // outputs of order 1-10 and a many-small step size: the guard falls back where the result
    // lies within about 2^-44 (relative) of a rounding boundary of its float, i.e. for a share
    // of about 2 x 2^-44 / 2^-24 ~ 2e-6 of entries (and powers of two: 2^-23); with 8 lanes a
    // vector, ~2e-5 of entries go the scalar way. 1% leaves room for any vector width.
    SplittableRandom rnd = new SplittableRandom(3);
    int k = 100;
    int n = 100;
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = rnd.nextBoolean() ? 1.0 : -1.0;
    }
    double[] c = new double[k];
    for (int r = 0; r < k; r++) {
      c[r] = -(0.01 + 0.01 * r) / n;
    }
    double[] f = new double[k * n];
    for (int q = 0; q < f.length; q++) {
      f[q] = (float) (rnd.nextGaussian() * 4);
    }
    int scalar = LossDerivative.best().float32(f, y, c, k, n, new double[k * n]);
    assertThat(scalar).isLessThan(k * n / 100);
    check(k, n, f, y, c);
  }
}

package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  /**
   * The machine's version, and the vector loop with each of its two lane tests (only one of which
   * {@code best()} runs on a given machine: the minimum from 512-bit vectors up, masks below).
   */
  private static final List<LossDerivative> FAST = List.of(LossDerivative.best(),
      new VectorLossDerivative(true), new VectorLossDerivative(false));

  private static void check(int k, int n, double[] f, double[] y, double[] c) {
    double[] plain = new double[k * n];
    LossDerivative.scalar().float32(f, y, c, k, n, plain);
    for (int v = 0; v < FAST.size(); v++) {
      double[] fast = new double[k * n];
      FAST.get(v).float32(f, y, c, k, n, fast);
      for (int r = 0; r < k; r++) {
        for (int i = 0; i < n; i++) {
          int q = r * n + i;
          long want = Double.doubleToLongBits(expected(c[r], y[i], f[q]));
          assertThat(Double.doubleToLongBits(plain[q])).as("scalar r=%d i=%d f=%s c=%s", r, i, f[q], c[r])
              .isEqualTo(want);
          assertThat(Double.doubleToLongBits(fast[q])).as("%s (form %d) r=%d i=%d f=%s c=%s",
              FAST.get(v).name(), v, r, i, f[q], c[r]).isEqualTo(want);
        }
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

  @Test
  void bothLaneTestsPassTheSameLanes() {
    // the vector version tests its lanes by a minimum on 512-bit vectors and by masks on
    // narrower ones; both run here, on values around each condition's edge, NaN and infinities
    jdk.incubator.vector.VectorSpecies<Double> sp = VectorLossDerivative.species();
    int lanes = sp.length();
    double[] pool = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0x1p-120,
        Math.nextUp(0x1p-120), Math.nextDown(0x1p-120), 0x1p120, Math.nextDown(0x1p120), 700.0,
        Math.nextDown(700.0), -700.0, Math.nextUp(-700.0), 1.0, 0x1p-23, 0x1p-24, 0x1.8p-24, 3.0,
        0.75, 1e-300, 5e-324};
    SplittableRandom rnd = new SplittableRandom(11);
    double[] err = new double[lanes];
    double[] ulp = new double[lanes];
    double[] z = new double[lanes];
    double[] afl = new double[lanes];
    int kept = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      for (int l = 0; l < lanes; l++) {
        double fl = rnd.nextInt(3) == 0 ? pool[rnd.nextInt(pool.length)] : (float) rnd.nextGaussian();
        afl[l] = Math.abs(fl);
        ulp[l] = rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)] : Math.ulp((float) fl);
        // the power-of-two case: afl = ulp 2^23
        if (rnd.nextInt(8) == 0) {
          afl[l] = ulp[l] * 0x1p23;
        }
        err[l] = rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)]
            : ulp[l] * 0.5 * (rnd.nextBoolean() ? rnd.nextDouble() : Math.nextUp(1.0));
        z[l] = rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)] : rnd.nextDouble(-710, 710);
      }
      jdk.incubator.vector.DoubleVector ev = jdk.incubator.vector.DoubleVector.fromArray(sp, err, 0);
      jdk.incubator.vector.DoubleVector uv = jdk.incubator.vector.DoubleVector.fromArray(sp, ulp, 0);
      jdk.incubator.vector.DoubleVector zv = jdk.incubator.vector.DoubleVector.fromArray(sp, z, 0);
      jdk.incubator.vector.DoubleVector av = jdk.incubator.vector.DoubleVector.fromArray(sp, afl, 0);
      boolean[] byMinimum = VectorLossDerivative.keepByMinimum(ev, uv, zv, av).toArray();
      boolean[] byMasks = VectorLossDerivative.keepByMasks(ev, uv, zv, av).toArray();
      assertThat(byMasks).as("err %s ulp %s z %s afl %s", java.util.Arrays.toString(err),
          java.util.Arrays.toString(ulp), java.util.Arrays.toString(z), java.util.Arrays.toString(afl))
          .containsExactly(byMinimum);
      for (boolean b : byMasks) {
        kept += b ? 1 : 0;
      }
    }
    // both outcomes are common, so the comparison is not vacuous
    assertThat(kept).isBetween(lanes * 20_000 / 20, lanes * 20_000 * 19 / 20);
  }
}

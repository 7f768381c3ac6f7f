package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The backward pass's slopes: scalar and vector versions against the definition (slope exactly 1
 * for p > 0, exactly the leak for p <= 0, NaN for NaN; d = (a g) slope), bit for bit (any NaN
 * for a NaN), over
 * ordinary and awkward inputs, stretch lengths that are not a multiple of the vector length, and
 * in place (d the same array as p).
 */
class ReluSlopesTest {
  private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
      -Float.MAX_VALUE, 1e-30f, -1e-30f, 1f, -1f};

  private static float expected(float p, float a, float g, float leak) {
    float slope = Float.isNaN(p) ? Float.NaN : p > 0f ? 1f : leak;
    return a * g * slope;
  }

  @Test
  void theVectorVersionIsTheOneTestedWhereTheModuleIsPresent() {
    // surefire starts the JVM with --add-modules jdk.incubator.vector (the POM's argLine)
    assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    assertThat(ReluSlopes.best().name()).startsWith("vector-");
  }

  @Test
  void bothVersionsEqualTheDefinitionBitForBit() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int len : new int[] {1, 7, 8, 9, 16, 17, 100, 1003}) {
      for (float leak : new float[] {0f, 0.1f}) {
        float[] p = new float[len];
        float[] g = new float[len];
        for (int q = 0; q < len; q++) {
          p[q] = rnd.nextInt(4) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) rnd.nextGaussian();
          g[q] = rnd.nextInt(5) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) rnd.nextGaussian();
        }
        for (float a : new float[] {0.3f, -0.7f, 0f, -0f}) {
          for (ReluSlopes s : new ReluSlopes[] {ReluSlopes.scalar(), ReluSlopes.best()}) {
            float[] d = new float[len];
            s.scale(p, a, g, leak, d, len);
            float[] inPlace = p.clone();
            s.scale(inPlace, a, g, leak, inPlace, len);
            for (int q = 0; q < len; q++) {
              // bits compared through floatToIntBits: every NaN is one (its sign and payload
              // follow the operands' order in the hardware, and nothing reads them)
              int want = Float.floatToIntBits(expected(p[q], a, g[q], leak));
              assertThat(Float.floatToIntBits(d[q])).as("%s len %d leak %s a %s p %s g %s", s.name(), len,
                  leak, a, p[q], g[q]).isEqualTo(want);
              assertThat(Float.floatToIntBits(inPlace[q])).as("%s in place, len %d q %d", s.name(), len, q)
                  .isEqualTo(want);
            }
          }
        }
      }
    }
  }
}

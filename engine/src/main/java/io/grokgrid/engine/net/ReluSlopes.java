package io.grokgrid.engine.net;

/**
 * The float32 backward pass's inner loop: d[q] = (a g[q]) s(p[q]) for one hidden unit's stretch,
 * with s the activation's slope: exactly 1 for p > 0 and exactly {@code leak} for p <= 0 (leak = 0:
 * ReLU), NaN for a NaN p. {@code d} may be {@code p} (written in place).
 *
 * <p><b>Same numbers everywhere.</b> The slope is exact in both versions and the product is taken
 * in the same order, so {@link #scalar()} and the vector version agree bit for bit on every input,
 * infinities and signed zeros included, and give a NaN where the other does (the NaN's sign and
 * payload can differ; nothing reads them: such a run has been marked diverged). The scalar version builds the slope from min/max,
 * which the JIT vectorizes, but which on AVX2 cost five instructions each (Java's NaN and signed
 * zero rules); the vector version (where the JDK's Vector API is present) picks it with two
 * compares and two blends: the backward pass 78 -> 44 us a many-small step on one AVX2 core.
 */
abstract class ReluSlopes {
  private static final String VECTOR_CLASS = "io.grokgrid.engine.net.VectorReluSlopes";
  private static final ReluSlopes BEST = load();

  /** The vector version where the JDK's Vector API is available, else the scalar one. */
  static ReluSlopes best() {
    return BEST;
  }

  /** The plain-Java version. */
  static ReluSlopes scalar() {
    return new Scalar();
  }

  private static ReluSlopes load() {
    ReluSlopes s = VectorApi.load(VECTOR_CLASS, ReluSlopes.class);
    return s != null ? s : new Scalar();
  }

  /** d[q] = (a g[q]) s(p[q]) for q < len. */
  abstract void scale(float[] p, float a, float[] g, float leak, float[] d, int len);

  /** Name for reports. */
  abstract String name();

  private static final class Scalar extends ReluSlopes {
    @Override
    void scale(float[] p, float a, float[] g, float leak, float[] d, int len) {
      for (int q = 0; q < len; q++) {
        // 1 exactly for x > 0 (the smallest positive float times 2^200 exceeds 1), 0 for
        // x <= 0, NaN for NaN; min/max vectorize where bit tricks on the float do not
        float step = Math.min(Math.max(p[q], 0f) * 0x1p100f * 0x1p100f, 1f);
        // step + (1 - step) * leak is exactly 1 or exactly leak
        d[q] = a * g[q] * (step + (1f - step) * leak);
      }
    }

    @Override
    String name() {
      return "scalar";
    }
  }
}

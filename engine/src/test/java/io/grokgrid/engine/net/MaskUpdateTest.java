package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The primal form's backward update by the mask kernel ({@link MaskKernel#update}) against a
 * plain double-precision evaluation of its definition, W_j <- sh W_j - a_j (l g^T X + (1 - l)
 * sum_i S_ji g_i X_i), over shapes whose n and p are not multiples of 4, 16 or 64, random,
 * all-zero and all-one masks, plain and leaky ReLU, and one run's rows interleaved with other
 * runs' (the pack's unit-major layout); and the vector kernel against the scalar one, bit for bit.
 *
 * <p>Tolerance: as in {@link MaskKernelTest}, each entry sums n products in float32 (four per
 * table entry, n / 4 table rows in two partial sums) and rounds a few more times, so its error is
 * below (n + 8) eps (|sh W| + |a_j| (l |u| + sum_i |g_i X_ic|)), eps = 2^-24. A wrong bit,
 * group, row or scale moves an entry by a whole |g_i X_ic| term, far above that bound. Other
 * runs' rows and the padding must come out untouched.
 */
class MaskUpdateTest {
  private static final double EPS = 0x1p-24;
  /** m, n, p. */
  private static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 7}, {7, 17, 33}, {20, 64, 64}, {33, 100, 50},
      {5, 130, 200}, {50, 200, 100}, {4, 257, 3}};
  private static final int RUNS = 3;
  private static final int RUN = 1;

  private enum Signs { RANDOM, ALL_NEGATIVE, ALL_POSITIVE }

  /** W for RUNS runs (row j k + r, xs columns), X (n x xs), the mask of run RUN, g and a. */
  private record Case(int m, int n, int p, int xs, float[] w, float[] x, long[] bits, int words,
      float[] a, float[] g, float sh, float leak) {
    static Case of(int m, int n, int p, Signs signs, float leak, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      int xs = (p + MaskRun.PAD - 1) / MaskRun.PAD * MaskRun.PAD;
      int words = (n + 63) / 64;
      float[] w = new float[RUNS * m * xs];
      for (int row = 0; row < RUNS * m; row++) {
        for (int c = 0; c < p; c++) {
          w[row * xs + c] = (float) rng.nextGaussian();
        }
      }
      float[] x = new float[n * xs];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < p; c++) {
          x[i * xs + c] = (float) (rng.nextGaussian() * 3);
        }
      }
      long[] bits = new long[m * words];
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < n; i++) {
          boolean on = switch (signs) {
            case RANDOM -> rng.nextBoolean();
            case ALL_NEGATIVE -> false;
            case ALL_POSITIVE -> true;
          };
          if (on) {
            bits[j * words + i / 64] |= 1L << (i % 64);
          }
        }
      }
      float[] a = new float[m];
      for (int j = 0; j < m; j++) {
        a[j] = (float) ((rng.nextBoolean() ? 1 : -1) / Math.sqrt(m));
      }
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = (float) (rng.nextGaussian() * 0.01);
      }
      return new Case(m, n, p, xs, w, x, bits, words, a, g, 0.999f, leak);
    }

    float[] updatedBy(MaskKernel kernel) {
      float[] out = w.clone();
      kernel.update(bits, words, m, n, a, leak, x, xs, g, sh, out, RUN * xs, RUNS * xs,
          new float[MaskKernel.tableSize(n)], new float[xs]);
      return out;
    }

    boolean on(int j, int i) {
      return (bits[j * words + i / 64] >>> (i % 64) & 1L) != 0;
    }
  }

  @Test
  void anUpdateMatchesItsDefinitionInDouble() {
    long seed = 11;
    for (int[] sh : SHAPES) {
      for (Signs signs : Signs.values()) {
        for (float leak : new float[] {0f, 0.1f}) {
          Case cs = Case.of(sh[0], sh[1], sh[2], signs, leak, seed++);
          for (MaskKernel kernel : new MaskKernel[] {MaskKernel.best(), MaskKernel.scalar()}) {
            check(cs, cs.updatedBy(kernel), kernel.name() + " " + sh[0] + "x" + sh[1] + "x" + sh[2]
                + " " + signs + " leak " + leak);
          }
        }
      }
    }
  }

  @Test
  void vectorAndScalarKernelsAgreeBitForBit() {
    long seed = 500;
    for (int[] sh : SHAPES) {
      for (float leak : new float[] {0f, 0.1f}) {
        Case cs = Case.of(sh[0], sh[1], sh[2], Signs.RANDOM, leak, seed++);
        float[] v = cs.updatedBy(MaskKernel.best());
        float[] s = cs.updatedBy(MaskKernel.scalar());
        for (int i = 0; i < v.length; i++) {
          assertThat(v[i] + 0f).as(sh[0] + "x" + sh[1] + "x" + sh[2] + " leak " + leak + " entry " + i)
              .isEqualTo(s[i] + 0f);
        }
      }
    }
  }

  @Test
  void maskBitsAreOneExactlyForPositiveValues() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int n : new int[] {1, 15, 16, 17, 63, 64, 65, 130, 257}) {
      int off = 5;
      float[] x = new float[off + n];
      for (int i = 0; i < x.length; i++) {
        int kind = rng.nextInt(6);
        x[i] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? Float.MIN_VALUE : kind == 3 ? -Float.MIN_VALUE
            : (float) rng.nextGaussian();
      }
      int words = (n + 63) / 64;
      for (MaskKernel kernel : new MaskKernel[] {MaskKernel.best(), MaskKernel.scalar()}) {
        long[] out = new long[words + 2];
        java.util.Arrays.fill(out, -1L);
        kernel.maskBits(x, off, n, out, 1);
        for (int i = 0; i < words * 64; i++) {
          boolean on = (out[1 + i / 64] >>> (i % 64) & 1L) != 0;
          assertThat(on).as(kernel.name() + " n " + n + " bit " + i).isEqualTo(i < n && x[off + i] > 0f);
        }
        assertThat(out[0]).isEqualTo(-1L);
        assertThat(out[words + 1]).isEqualTo(-1L);
      }
    }
  }

  private static void check(Case cs, float[] got, String what) {
    int n = cs.n;
    int xs = cs.xs;
    double l = cs.leak;
    for (int row = 0; row < RUNS * cs.m; row++) {
      int j = row / RUNS;
      boolean mine = row % RUNS == RUN;
      for (int c = 0; c < xs; c++) {
        int at = row * xs + c;
        if (!mine || c >= cs.p) {
          assertThat(got[at]).as(what + ": untouched entry " + row + "," + c).isEqualTo(cs.w[at]);
          continue;
        }
        double u = 0;
        double uAbs = 0;
        double sm = 0;
        double smAbs = 0;
        for (int i = 0; i < n; i++) {
          double t = (double) cs.g[i] * cs.x[i * xs + c];
          u += t;
          uAbs += Math.abs(t);
          if (cs.on(j, i)) {
            sm += t;
            smAbs += Math.abs(t);
          }
        }
        double aj = cs.a[j];
        double shw = (double) cs.sh * cs.w[at];
        double ref = shw - aj * (l * u + (1 - l) * sm);
        double tol = (n + 8) * EPS * (Math.abs(shw) + Math.abs(aj) * (l * uAbs + smAbs)) + 1e-30;
        assertThat((double) got[at]).as(what + ": W[" + row + "," + c + "]").isCloseTo(ref, within(tol));
      }
    }
  }
}

package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The mask kernel's fused step against a plain double-precision evaluation of its definition
 * ({@link MaskKernel}), over shapes whose n is not a multiple of 4, 16 or 64, random, all-zero and
 * all-one masks, plain and leaky ReLU; and the vector kernel against the scalar one, bit for bit.
 *
 * <p>Tolerances. The kernel sums S M's n products in float32: four per table entry, then n / 4
 * table rows in two partial sums. Recursive float summation of N terms errs by at most
 * ~N eps sum |terms| (eps = 2^-24), so with N = n + 8 (the table, the two partial sums, the
 * scaling by a_j and the subtraction from sh P) the error of each new P is below
 * (n + 8) eps (|sh P| + |a_j| (l |u| + sum_i |g_i K_ic|)). C's update rounds three times
 * (4 eps of its terms), f's sum of m terms (m + 2) eps. A wrong mask bit, group, row or scale
 * moves a value by a whole |g_i K_ic| term: orders of magnitude above these bounds.
 */
class MaskKernelTest {
  private static final double EPS = 0x1p-24;
  private static final int[][] SHAPES = {{1, 1}, {3, 5}, {7, 17}, {20, 64}, {33, 100}, {5, 130}, {50, 200}, {4, 257}};

  enum Signs { RANDOM, ALL_NEGATIVE, ALL_POSITIVE }

  /** A run with random P and C, a Gram matrix K and loss derivatives g. */
  record Case(MaskRun run, float[] a, float[] k, float[] g, float sh, float leak) {
    static Case of(int m, int n, Signs signs, float leak, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      MaskRun run = new MaskRun(m, n);
      float[] a = new float[m];
      for (int j = 0; j < m; j++) {
        a[j] = (float) ((rng.nextBoolean() ? 1 : -1) / Math.sqrt(m));
        for (int i = 0; i < n; i++) {
          double x = rng.nextGaussian();
          x = switch (signs) {
            case RANDOM -> x;
            case ALL_NEGATIVE -> -Math.abs(x) - 0.1;
            case ALL_POSITIVE -> Math.abs(x) + 0.1;
          };
          run.p[j * run.stride + i] = (float) x;
          run.c[j * run.stride + i] = (float) rng.nextGaussian();
        }
      }
      float[] k = new float[n * run.stride];
      float[] g = new float[run.stride];
      for (int i = 0; i < n; i++) {
        g[i] = (float) (rng.nextGaussian() * 0.01);
        for (int c = 0; c < n; c++) {
          k[i * run.stride + c] = (float) (rng.nextGaussian() + (i == c ? n : 0));
        }
      }
      // the current mask, as the previous step would have left it
      for (int j = 0; j < m; j++) {
        for (int i = 0; i < n; i++) {
          if (run.p[j * run.stride + i] > 0f) {
            run.bits[j * run.words + i / 64] |= 1L << (i % 64);
          }
        }
      }
      return new Case(run, a, k, g, 0.999f, leak);
    }

    MaskRun stepWith(MaskKernel kernel) {
      MaskRun s = copy(run);
      kernel.step(s, a, leak, k, g, sh, new float[MaskKernel.tableSize(s.n)], new float[s.stride]);
      return s;
    }
  }

  static MaskRun copy(MaskRun r) {
    MaskRun s = new MaskRun(r.m, r.n);
    System.arraycopy(r.p, 0, s.p, 0, r.p.length);
    System.arraycopy(r.c, 0, s.c, 0, r.c.length);
    System.arraycopy(r.bits, 0, s.bits, 0, r.bits.length);
    return s;
  }

  @Test
  void theVectorKernelIsLoadedUnderTheBuildsFlags() {
    // surefire passes --add-modules jdk.incubator.vector, as bin/grokgrid and the cluster configs do
    assertThat(MaskKernel.best().lanes()).isGreaterThan(1);
    assertThat(MaskKernel.best().name()).startsWith("vector-");
    assertThat(MaskKernel.scalar().name()).isEqualTo("scalar");
  }

  @Test
  void aStepMatchesItsDefinitionInDouble() {
    long seed = 1;
    for (int[] shape : SHAPES) {
      for (Signs signs : Signs.values()) {
        for (float leak : new float[] {0f, 0.1f}) {
          Case cs = Case.of(shape[0], shape[1], signs, leak, seed++);
          for (MaskKernel kernel : new MaskKernel[] {MaskKernel.best(), MaskKernel.scalar()}) {
            check(cs, cs.stepWith(kernel), kernel.name() + " " + shape[0] + "x" + shape[1] + " " + signs + " leak " + leak);
          }
        }
      }
    }
  }

  @Test
  void vectorAndScalarKernelsAgreeBitForBitOverManySteps() {
    for (int[] shape : SHAPES) {
      for (float leak : new float[] {0f, 0.1f}) {
        Case cs = Case.of(shape[0], shape[1], Signs.RANDOM, leak, 77 + shape[1]);
        MaskRun v = copy(cs.run);
        MaskRun s = copy(cs.run);
        float[] tab = new float[MaskKernel.tableSize(v.n)];
        float[] u = new float[v.stride];
        int flips = 0;
        for (int t = 0; t < 15; t++) {
          MaskKernel.best().step(v, cs.a, leak, cs.k, cs.g, cs.sh, tab, u);
          MaskKernel.scalar().step(s, cs.a, leak, cs.k, cs.g, cs.sh, tab, u);
          flips += Long.bitCount(differing(v.bits, v.nextBits));
          v.swapBits();
          s.swapBits();
          assertSameRun(v, s, shape[0] + "x" + shape[1] + " leak " + leak + " step " + t);
        }
        if (shape[1] >= 17) {
          // the steps move P across 0, so the mask the next step reads is the new one
          assertThat(flips).as(shape[0] + "x" + shape[1]).isPositive();
        }
      }
    }
  }

  private static long differing(long[] x, long[] y) {
    long d = 0;
    for (int i = 0; i < x.length; i++) {
      d |= x[i] ^ y[i];
    }
    return d;
  }

  /** P, C, f and the mask of two runs equal bit for bit (zeros' signs aside). */
  static void assertSameRun(MaskRun v, MaskRun s, String what) {
    assertThat(normalized(v.p)).as(what + ": P").containsExactly(normalized(s.p));
    assertThat(normalized(v.c)).as(what + ": C").containsExactly(normalized(s.c));
    assertThat(normalized(v.f)).as(what + ": f").containsExactly(normalized(s.f));
    assertThat(v.bits).as(what + ": mask").containsExactly(s.bits);
  }

  /** Maps -0 to +0 (the sign of a zero sum is not part of the contract). */
  static float[] normalized(float[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] + 0f;
    }
    return out;
  }

  private static void check(Case cs, MaskRun got, String what) {
    MaskRun in = cs.run;
    int m = in.m;
    int n = in.n;
    int st = in.stride;
    double l = cs.leak;
    double[] u = new double[n];
    double[] uAbs = new double[n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < n; c++) {
        u[c] += (double) cs.g[i] * cs.k[i * st + c];
        uAbs[c] += Math.abs((double) cs.g[i] * cs.k[i * st + c]);
      }
    }
    for (int j = 0; j < m; j++) {
      double aj = cs.a[j];
      for (int c = 0; c < n; c++) {
        double sm = 0;
        double smAbs = 0;
        for (int i = 0; i < n; i++) {
          if (in.p[j * st + i] > 0f) {
            sm += (double) cs.g[i] * cs.k[i * st + c];
            smAbs += Math.abs((double) cs.g[i] * cs.k[i * st + c]);
          }
        }
        double shp = (double) cs.sh * in.p[j * st + c];
        double pRef = shp - aj * (l * u[c] + (1 - l) * sm);
        double pTol = (n + 8) * EPS * (Math.abs(shp) + Math.abs(aj) * (l * uAbs[c] + smAbs)) + 1e-30;
        assertThat((double) got.p[j * st + c]).as(what + ": P[" + j + "," + c + "]").isCloseTo(pRef,
            org.assertj.core.api.Assertions.within(pTol));
        double s = in.p[j * st + c] > 0f ? 1 : 0;
        double cRef = (double) cs.sh * in.c[j * st + c] - aj * cs.g[c] * (l + (1 - l) * s);
        double cTol = 4 * EPS * (Math.abs((double) cs.sh * in.c[j * st + c]) + Math.abs(aj * cs.g[c])) + 1e-30;
        assertThat((double) got.c[j * st + c]).as(what + ": C[" + j + "," + c + "]").isCloseTo(cRef,
            org.assertj.core.api.Assertions.within(cTol));
        boolean on = (got.nextBits[j * got.words + c / 64] >>> (c % 64) & 1L) != 0;
        assertThat(on).as(what + ": mask[" + j + "," + c + "]").isEqualTo(got.p[j * st + c] > 0f);
      }
      for (int c = n; c < st; c++) {
        assertThat(got.p[j * st + c]).as(what + ": P padding").isZero();
        assertThat(got.c[j * st + c]).as(what + ": C padding").isZero();
        assertThat(got.nextBits[j * got.words + c / 64] >>> (c % 64) & 1L).as(what + ": mask padding").isZero();
      }
    }
    for (int c = 0; c < n; c++) {
      double f = 0;
      double fAbs = 0;
      for (int j = 0; j < m; j++) {
        double x = got.p[j * st + c];
        double act = x > 0 ? x : l * x;
        f += cs.a[j] * act;
        fAbs += Math.abs(cs.a[j] * act);
      }
      assertThat((double) got.f[c]).as(what + ": f[" + c + "]").isCloseTo(f,
          org.assertj.core.api.Assertions.within((m + 2) * EPS * fAbs + 1e-30));
    }
  }
}

package io.grokgrid.engine.net;

import static io.grokgrid.engine.net.MaskKernelTest.assertSameRun;
import static io.grokgrid.engine.net.MaskKernelTest.copy;
import static io.grokgrid.engine.net.MaskKernelTest.normalized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The carried product of {@link MaskProduct}: made afresh it gives exactly the fused step of
 * {@link MaskKernel#step}; carried over flipped mask bits it stays within float32 rounding of the
 * fresh product; it is made afresh when g changes, when too many bits flip and every
 * {@link MaskProduct#REFRESH} steps; and the vector and scalar kernels carry it bit for bit.
 *
 * <p>Tolerance of the carried product: the fresh one sums a column's n terms g_i K_ic with error
 * below (n + 8) eps sum_i |g_i K_ic| ({@link MaskKernelTest}); each carried flip adds or removes
 * one term with one more rounding of at most eps times the running sum, itself below
 * sum_i |g_i K_ic|. So after F flips of a row the two differ by at most
 * (2 (n + 8) + F) eps sum_i |g_i K_ic|. A wrong row, column, sign or g moves an entry by a whole
 * term, far above that.
 */
class MaskProductTest {
  private static final double EPS = 0x1p-24;
  private static final int[][] SHAPES = {{1, 1}, {7, 17}, {33, 100}, {5, 130}, {50, 200}};

  /** MaskKernelTest's random case (P, C and the mask, K and g; the same draws), as this test reads it. */
  private record Setup(MaskRun run, float[] a, float[] k, float[] g) {
    static Setup of(int m, int n, long seed) {
      MaskKernelTest.Case c = MaskKernelTest.Case.of(m, n, MaskKernelTest.Signs.RANDOM, 0f, seed);
      return new Setup(c.run(), c.a(), c.k(), c.g());
    }

    MaskProduct product() {
      return new MaskProduct(run.m, run.n, run.stride, run.words);
    }
  }

  @Test
  void aStepFromTheFreshProductIsTheFusedStepBitForBit() {
    long seed = 3;
    for (int[] sh : SHAPES) {
      for (float leak : new float[] {0f, 0.1f}) {
        Setup st = Setup.of(sh[0], sh[1], seed++);
        for (MaskKernel kernel : new MaskKernel[] {MaskKernel.best(), MaskKernel.scalar()}) {
          MaskRun fused = copy(st.run);
          MaskRun split = copy(st.run);
          float[] tab = new float[MaskKernel.tableSize(st.run.n)];
          float[] u = new float[st.run.stride];
          kernel.step(fused, st.a, leak, st.k, st.g, 0.999f, tab, u);
          MaskProduct pr = st.product();
          pr.bring(kernel, split.bits, st.k, st.g, leak, tab, u);
          kernel.stepFrom(split, st.a, leak, pr.r, st.g, 0.999f, pr.u);
          String what = kernel.name() + " " + sh[0] + "x" + sh[1] + " leak " + leak;
          assertThat(normalized(split.p)).as(what + ": P").containsExactly(normalized(fused.p));
          assertThat(normalized(split.c)).as(what + ": C").containsExactly(normalized(fused.c));
          assertThat(normalized(split.f)).as(what + ": f").containsExactly(normalized(fused.f));
          assertThat(split.nextBits).as(what + ": mask").containsExactly(fused.nextBits);
        }
      }
    }
  }

  @Test
  void aCarriedProductStaysWithinRoundingOfTheFreshOne() {
    long seed = 40;
    for (int[] sh : SHAPES) {
      Setup st = Setup.of(sh[0], sh[1], seed++);
      int m = sh[0];
      int n = sh[1];
      int stride = st.run.stride;
      SplittableRandom rng = new SplittableRandom(seed);
      MaskKernel kernel = MaskKernel.best();
      float[] tab = new float[MaskKernel.tableSize(n)];
      float[] u = new float[stride];
      MaskProduct carried = st.product();
      long[] bits = st.run.bits.clone();
      carried.bring(kernel, bits, st.k, st.g, 0f, tab, u);
      int[] flipsOfRow = new int[m];
      for (int t = 1; t < MaskProduct.REFRESH; t++) {
        // a few flips a step: few enough to be carried
        int flips = m * MaskKernel.groups(n) / 16;
        for (int f = 0; f < flips; f++) {
          int j = rng.nextInt(m);
          int i = rng.nextInt(n);
          bits[j * st.run.words + i / 64] ^= 1L << (i % 64);
          flipsOfRow[j]++;
        }
        carried.bring(kernel, bits, st.k, st.g, 0f, tab, u);
        assertThat(carried.refreshes()).as("carried, not made afresh, at step " + t).isEqualTo(1);
        MaskProduct fresh = st.product();
        fresh.bring(kernel, bits, st.k, st.g, 0f, tab, u);
        for (int j = 0; j < m; j++) {
          for (int c = 0; c < stride; c++) {
            double abs = 0;
            for (int i = 0; i < n; i++) {
              abs += Math.abs((double) st.g[i] * st.k[i * stride + c]);
            }
            double tol = (2 * (n + 8) + flipsOfRow[j]) * EPS * abs + 1e-30;
            assertThat((double) carried.r[j * stride + c]).as(sh[0] + "x" + sh[1] + " step " + t
                + " R[" + j + "," + c + "]").isCloseTo(fresh.r[j * stride + c], within(tol));
          }
        }
      }
      assertThat(carried.carried()).isEqualTo(MaskProduct.REFRESH - 1);
    }
  }

  @Test
  void theProductIsMadeAfreshWhenGChangesTooManyBitsFlipOrItIsOld() {
    Setup st = Setup.of(50, 200, 9);
    MaskKernel kernel = MaskKernel.best();
    float[] tab = new float[MaskKernel.tableSize(200)];
    float[] u = new float[st.run.stride];
    long[] bits = st.run.bits.clone();
    MaskProduct pr = st.product();
    pr.bring(kernel, bits, st.k, st.g, 0f, tab, u);
    assertThat(pr.refreshes()).isEqualTo(1);
    // the same mask and g: carried (no flips)
    pr.bring(kernel, bits, st.k, st.g, 0f, tab, u);
    assertThat(pr.refreshes()).isEqualTo(1);
    // one g in one bit: afresh, and then equal to a fresh product bit for bit
    float[] g2 = st.g.clone();
    g2[7] = Math.nextUp(g2[7]);
    pr.bring(kernel, bits, st.k, g2, 0f, tab, u);
    assertThat(pr.refreshes()).isEqualTo(2);
    MaskProduct fresh = st.product();
    fresh.bring(kernel, bits, st.k, g2, 0f, tab, u);
    assertThat(pr.r).containsExactly(fresh.r);
    // more flips than an eighth of the lookups (50 x 50 / 8 = 312): afresh
    for (int f = 0; f < 400; f++) {
      int j = f / 8;
      int i = f % 8 * 25;
      bits[j * st.run.words + i / 64] ^= 1L << (i % 64);
    }
    pr.bring(kernel, bits, st.k, g2, 0f, tab, u);
    assertThat(pr.refreshes()).isEqualTo(3);
    // carried for REFRESH steps after it was made, then made afresh
    for (int t = 0; t < MaskProduct.REFRESH; t++) {
      pr.bring(kernel, bits, st.k, g2, 0f, tab, u);
    }
    assertThat(pr.refreshes()).isEqualTo(3);
    pr.bring(kernel, bits, st.k, g2, 0f, tab, u);
    assertThat(pr.refreshes()).isEqualTo(4);
    // a zeroed run forgets its product
    pr.reset();
    pr.bring(kernel, bits, st.k, g2, 0f, tab, u);
    assertThat(pr.refreshes()).isEqualTo(5);
  }

  @Test
  void vectorAndScalarKernelsCarryTheProductBitForBit() {
    for (int[] sh : SHAPES) {
      for (float leak : new float[] {0f, 0.1f}) {
        Setup st = Setup.of(sh[0], sh[1], 70 + sh[1]);
        MaskRun v = copy(st.run);
        MaskRun s = copy(st.run);
        MaskProduct pv = st.product();
        MaskProduct ps = st.product();
        float[] tab = new float[MaskKernel.tableSize(v.n)];
        float[] u = new float[v.stride];
        for (int t = 0; t < 3 * MaskProduct.REFRESH; t++) {
          pv.bring(MaskKernel.best(), v.bits, st.k, st.g, leak, tab, u);
          MaskKernel.best().stepFrom(v, st.a, leak, pv.r, st.g, 0.999f, pv.u);
          ps.bring(MaskKernel.scalar(), s.bits, st.k, st.g, leak, tab, u);
          MaskKernel.scalar().stepFrom(s, st.a, leak, ps.r, st.g, 0.999f, ps.u);
          v.swapBits();
          s.swapBits();
          assertSameRun(v, s, sh[0] + "x" + sh[1] + " leak " + leak + " step " + t);
        }
        assertThat(pv.carried()).isEqualTo(ps.carried());
        if (sh[0] * sh[1] >= 100) {
          // the run's steps flip bits and some of them are carried
          assertThat(pv.carried()).as(sh[0] + "x" + sh[1]).isPositive();
        }
      }
    }
  }
}

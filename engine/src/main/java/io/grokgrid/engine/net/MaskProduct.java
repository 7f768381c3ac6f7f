package io.grokgrid.engine.net;

import java.util.Arrays;

/**
 * One run's product R = S diag(g) K (m x stride) carried from step to step: the dual step
 * needs it anew each step, but in the linear-loss regime of small initializations (Xu et al.'s
 * Figure 1: the outputs stay ~1e-10, so the float32 loss derivatives g do not change at all) and
 * with a mask that changes in a few percent of its bits (Figure 1 right: ~3,750 of 200,000 a
 * step), R changes only in the rows and columns of the flipped bits: R_j += g_i K_i for a bit
 * (j, i) turned on, R_j -= g_i K_i for one turned off, n additions each instead of the m n^2 / 4
 * of the table lookups.
 *
 * <p>R is made afresh by the kernel's lookups ({@link MaskKernel#update} with a = -1, sh = 0,
 * so a step from it equals {@link MaskKernel#step} bit for bit) whenever g changed in any bit,
 * the mask changed in more bits than the lookups would cost, or {@link #REFRESH} steps have
 * passed: the flips' additions round once each, so the refresh bounds how far R drifts from the
 * fresh sum (at most {@link #REFRESH} x the flips of a row additions of relative error eps, against
 * the fresh sum's own (n + 8) eps). Every addition is elementwise in a fixed order, so the vector
 * and scalar kernels still agree bit for bit, and a run's numbers depend on nothing but its own
 * state.
 */
final class MaskProduct {
  /** Steps a product is carried before it is made afresh. */
  static final int REFRESH = 16;

  private final int m;
  private final int n;
  private final int stride;
  private final int words;
  /** R, m x stride. */
  final float[] r;
  /** diag(g) K of the last refresh, n x stride. */
  private final float[] gk;
  /** The leaky term's row g^T K of the last refresh. */
  final float[] u;
  private final long[] used;
  private final float[] gUsed;
  private final float[] minusOne;
  private int age = REFRESH;
  private long refreshes;
  private long carried;

  MaskProduct(int m, int n, int stride, int words) {
    this.m = m;
    this.n = n;
    this.stride = stride;
    this.words = words;
    r = new float[m * stride];
    gk = new float[n * stride];
    u = new float[stride];
    used = new long[m * words];
    gUsed = new float[stride];
    minusOne = new float[m];
    Arrays.fill(minusOne, -1f);
  }

  /** Bytes held for m units, n examples and rows of {@code stride} floats. */
  static double bytes(int m, int n, int stride) {
    return 4.0 * ((m + n + 2) * (double) stride + m) + 8.0 * m * ((stride + 63) / 64);
  }

  /**
   * Makes {@link #r} the product for the mask {@code bits} and derivatives g: by the flipped bits
   * when that is valid and cheaper, else afresh.
   */
  void bring(MaskKernel kernel, long[] bits, float[] k, float[] g, float leak, float[] tab,
      float[] scratch) {
    if (age < REFRESH && sameG(g)) {
      long flips = 0;
      for (int w = 0; w < used.length; w++) {
        flips += Long.bitCount(bits[w] ^ used[w]);
      }
      // a flip costs a row of additions, the lookups m n / 4 rows: carry while far cheaper
      if (flips * 8 <= (long) m * MaskKernel.groups(n)) {
        carry(kernel, bits);
        age++;
        carried++;
        return;
      }
    }
    refresh(kernel, bits, k, g, leak, tab, scratch);
  }

  private boolean sameG(float[] g) {
    for (int i = 0; i < n; i++) {
      if (Float.floatToRawIntBits(g[i]) != Float.floatToRawIntBits(gUsed[i])) {
        return false;
      }
    }
    return true;
  }

  /** R_j +-= (diag(g) K)_i for every bit (j, i) that differs from the mask R was made for. */
  private void carry(MaskKernel kernel, long[] bits) {
    for (int j = 0; j < m; j++) {
      int row = j * stride;
      for (int w = 0; w < words; w++) {
        int at = j * words + w;
        long diff = bits[at] ^ used[at];
        while (diff != 0L) {
          int b = Long.numberOfTrailingZeros(diff);
          diff &= diff - 1;
          int i = w * 64 + b;
          kernel.addRow(r, row, gk, i * stride, stride, (bits[at] >>> b & 1L) != 0L);
        }
        used[at] = bits[at];
      }
    }
  }

  private void refresh(MaskKernel kernel, long[] bits, float[] k, float[] g, float leak,
      float[] tab, float[] scratch) {
    Arrays.fill(r, 0f);
    // R <- 0 R - (-1) (S diag(g) K): the lookups' sums exactly
    kernel.update(bits, words, m, n, minusOne, 0f, k, stride, g, 0f, r, 0, stride, tab, scratch);
    System.arraycopy(bits, 0, used, 0, used.length);
    System.arraycopy(g, 0, gUsed, 0, n);
    for (int i = 0; i < n; i++) {
      float gi = g[i];
      for (int c = 0; c < stride; c++) {
        gk[i * stride + c] = k[i * stride + c] * gi;
      }
    }
    if (leak != 0f) {
      MaskKernel.leakRow(n, stride, k, g, u);
    }
    age = 0;
    refreshes++;
  }

  /** Forgets R (a zeroed run): the next {@link #bring} makes it afresh. */
  void reset() {
    age = REFRESH;
  }

  /** Steps whose R was made afresh, and carried by flips. */
  long refreshes() {
    return refreshes;
  }

  long carried() {
    return carried;
  }
}

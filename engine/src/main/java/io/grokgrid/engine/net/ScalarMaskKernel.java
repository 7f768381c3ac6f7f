package io.grokgrid.engine.net;

/**
 * The mask kernel in plain Java, column by column, with the operation order of the vector kernel
 * (see {@link MaskKernel}): the fallback where the Vector API is absent, and the reference the
 * vector kernel is tested against bit for bit.
 */
final class ScalarMaskKernel extends MaskKernel {
  private static final int BLOCK = 64;

  @Override
  String name() {
    return "scalar";
  }

  @Override
  int lanes() {
    return 1;
  }

  @Override
  void step(MaskRun s, float[] a, float leak, float[] k, float[] g, float sh, float[] tab, float[] u) {
    int n = s.n;
    int stride = s.stride;
    int groups = groups(n);
    if (leak != 0f) {
      leakRow(n, stride, k, g, u);
    }
    float[] even = new float[BLOCK];
    float[] odd = new float[BLOCK];
    float[] fAcc = new float[BLOCK];
    for (int c0 = 0; c0 < stride; c0 += BLOCK) {
      int w = Math.min(BLOCK, stride - c0);
      tables(n, stride, k, g, c0, w, tab);
      java.util.Arrays.fill(fAcc, 0f);
      for (int j = 0; j < s.m; j++) {
        int wb = j * s.words;
        sums(s.bits, wb, groups, tab, w, even, odd);
        float aj = a[j];
        float ajl = aj * (1f - leak);
        float ajk = aj * leak;
        long word = s.bits[wb + (c0 >> 6)];
        long next = 0L;
        int shift = c0 & 63;
        int o = j * stride + c0;
        for (int c = 0; c < w; c++) {
          float acc = even[c] + odd[c];
          float x = leak == 0f ? s.p[o + c] * sh - acc * ajl
              : s.p[o + c] * sh - (u[c0 + c] * ajk + acc * ajl);
          s.p[o + c] = x;
          float old = (float) ((word >>> (shift + c)) & 1L);
          float factor = leak == 0f ? old : old + (1f - old) * leak;
          s.c[o + c] = s.c[o + c] * sh - g[c0 + c] * aj * factor;
          float act = leak == 0f ? Math.max(x, 0f) : Math.max(x, 0f) + leak * Math.min(x, 0f);
          fAcc[c] = fAcc[c] + (act * aj + x * 0f);
          next |= (long) positive(Float.floatToRawIntBits(x)) << (shift + c);
        }
        int nw = wb + (c0 >> 6);
        s.nextBits[nw] = shift == 0 ? next : s.nextBits[nw] | next;
      }
      System.arraycopy(fAcc, 0, s.f, c0, w);
    }
  }

  @Override
  void addRow(float[] r, int ro, float[] x, int xo, int len, boolean add) {
    for (int c = 0; c < len; c++) {
      r[ro + c] = add ? r[ro + c] + x[xo + c] : r[ro + c] - x[xo + c];
    }
  }

  @Override
  void stepFrom(MaskRun s, float[] a, float leak, float[] r, float[] g, float sh, float[] u) {
    int stride = s.stride;
    float[] fAcc = new float[stride];
    for (int j = 0; j < s.m; j++) {
      float aj = a[j];
      float ajl = aj * (1f - leak);
      float ajk = aj * leak;
      int wb = j * s.words;
      for (int c0 = 0; c0 < stride; c0 += BLOCK) {
        int w = Math.min(BLOCK, stride - c0);
        long word = s.bits[wb + (c0 >> 6)];
        long next = 0L;
        for (int c = 0; c < w; c++) {
          int o = j * stride + c0 + c;
          float acc = r[o];
          float x = leak == 0f ? s.p[o] * sh - acc * ajl : s.p[o] * sh - (u[c0 + c] * ajk + acc * ajl);
          s.p[o] = x;
          float old = (float) ((word >>> c) & 1L);
          float factor = leak == 0f ? old : old + (1f - old) * leak;
          s.c[o] = s.c[o] * sh - g[c0 + c] * aj * factor;
          float act = leak == 0f ? Math.max(x, 0f) : Math.max(x, 0f) + leak * Math.min(x, 0f);
          fAcc[c0 + c] = fAcc[c0 + c] + (act * aj + x * 0f);
          next |= (long) positive(Float.floatToRawIntBits(x)) << c;
        }
        s.nextBits[wb + (c0 >> 6)] = next;
      }
    }
    System.arraycopy(fAcc, 0, s.f, 0, stride);
  }

  @Override
  void update(long[] bits, int words, int m, int n, float[] a, float leak, float[] x, int xs,
      float[] g, float sh, float[] w, int off, int rowStride, float[] tab, float[] u) {
    int groups = groups(n);
    if (leak != 0f) {
      leakRow(n, xs, x, g, u);
    }
    float[] even = new float[BLOCK];
    float[] odd = new float[BLOCK];
    for (int c0 = 0; c0 < xs; c0 += BLOCK) {
      int bw = Math.min(BLOCK, xs - c0);
      tables(n, xs, x, g, c0, bw, tab);
      for (int j = 0; j < m; j++) {
        sums(bits, j * words, groups, tab, bw, even, odd);
        float aj = a[j];
        float ajl = aj * (1f - leak);
        float ajk = aj * leak;
        int o = off + j * rowStride + c0;
        for (int c = 0; c < bw; c++) {
          float acc = even[c] + odd[c];
          w[o + c] = leak == 0f ? w[o + c] * sh - acc * ajl
              : w[o + c] * sh - (u[c0 + c] * ajk + acc * ajl);
        }
      }
    }
  }

  @Override
  void maskBits(float[] x, int off, int n, long[] out, int outOff) {
    maskBitsScalar(x, off, n, out, outOff);
  }

  /** The 16 subset sums of each group's four rows of diag(g) K, columns [c0, c0 + w). */
  private static void tables(int n, int stride, float[] k, float[] g, int c0, int w, float[] tab) {
    for (int gi = 0; gi < groups(n); gi++) {
      int base = gi * 16 * w;
      for (int c = 0; c < w; c++) {
        tab[base + c] = 0f;
      }
      for (int b = 0; b < 4; b++) {
        int i = 4 * gi + b;
        int dst = base + (1 << b) * w;
        for (int c = 0; c < w; c++) {
          tab[dst + c] = i < n ? k[i * stride + c0 + c] * g[i] : 0f;
        }
      }
      for (int pat = 3; pat < 16; pat++) {
        int low = pat & -pat;
        if (low == pat) {
          continue;
        }
        int dst = base + pat * w;
        int rest = base + (pat ^ low) * w;
        int row = base + low * w;
        for (int c = 0; c < w; c++) {
          tab[dst + c] = tab[rest + c] + tab[row + c];
        }
      }
    }
  }

  /** A row's looked-up table rows summed in group order, even and odd groups apart. */
  private static void sums(long[] bits, int wb, int groups, float[] tab, int w, float[] even,
      float[] odd) {
    java.util.Arrays.fill(even, 0f);
    java.util.Arrays.fill(odd, 0f);
    for (int gi = 0; gi < groups; gi++) {
      int nib = (int) (bits[wb + (gi >> 4)] >>> ((gi & 15) << 2)) & 15;
      int off = (gi * 16 + nib) * w;
      float[] acc = (gi & 1) == 0 ? even : odd;
      for (int c = 0; c < w; c++) {
        acc[c] += tab[off + c];
      }
    }
  }
}

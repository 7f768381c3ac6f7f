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
      leakRow(s, k, g, u);
    }
    float[] even = new float[BLOCK];
    float[] odd = new float[BLOCK];
    float[] fAcc = new float[BLOCK];
    for (int c0 = 0; c0 < stride; c0 += BLOCK) {
      int w = Math.min(BLOCK, stride - c0);
      for (int gi = 0; gi < groups; gi++) {
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
      java.util.Arrays.fill(fAcc, 0f);
      for (int j = 0; j < s.m; j++) {
        java.util.Arrays.fill(even, 0f);
        java.util.Arrays.fill(odd, 0f);
        int wb = j * s.words;
        for (int gi = 0; gi < groups; gi++) {
          int nib = (int) (s.bits[wb + (gi >> 4)] >>> ((gi & 15) << 2)) & 15;
          int off = (gi * 16 + nib) * w;
          float[] acc = (gi & 1) == 0 ? even : odd;
          for (int c = 0; c < w; c++) {
            acc[c] += tab[off + c];
          }
        }
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
}

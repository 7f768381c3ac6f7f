package io.grokgrid.engine.net;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mask kernel on the JDK's Vector API (incubating in Java 17: needs
 * {@code --add-modules jdk.incubator.vector}); loaded by {@link MaskKernel#best} only when that
 * module is present. A block of output columns is four vectors wide (one vector for the last
 * columns), and each row's sums live in named vector variables: held in an array, the JIT does
 * not keep them in registers and the loop runs many times slower. Two sets of sums (even and odd
 * groups) halve the chain of dependent additions a row waits on.
 *
 * <p>Masks: the bits of a vector of new pre-activations are made lane by lane (1 for x > 0, from
 * the float's bits), shifted by the lane index and OR-reduced: {@code VectorMask.toLong} is not
 * compiled to the mask instruction in Java 17 and costs several times more. The old mask's bits
 * are spread back over lanes the same way for the C update.
 *
 * <p>Inlining: the vector code is written out in the hot loops instead of in small helper
 * methods. With helpers, C2 reaches its node-count limit in these large loops, stops inlining and
 * passes every vector boxed on the heap: the step then ran 1.8x slower (measured at m = 1000,
 * n = 200). The C update, outputs and next mask make a second pass over P for the same reason.
 */
final class VectorMaskKernel extends MaskKernel {
  private static final VectorSpecies<Float> F = species();
  private static final VectorSpecies<Integer> I = F.withLanes(int.class);
  private static final int L = F.length();
  private static final int BW = 4 * L;
  private static final int LANE_MASK = (int) ((1L << L) - 1);
  private static final IntVector LANE = IntVector.zero(I).addIndex(1);
  private static final int ONE_BITS = Float.floatToRawIntBits(1f);

  private static VectorSpecies<Float> species() {
    int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
    if (bits >= 512) {
      return FloatVector.SPECIES_512;
    }
    return bits >= 256 ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
  }

  @Override
  String name() {
    return "vector-" + F.vectorBitSize();
  }

  @Override
  int lanes() {
    return L;
  }

  @Override
  void step(MaskRun s, float[] a, float leak, float[] k, float[] g, float sh, float[] tab, float[] u) {
    if (leak != 0f) {
      leakRow(s.n, s.stride, k, g, u);
    }
    int groups = groups(s.n);
    int c0 = 0;
    for (; c0 + BW <= s.stride; c0 += BW) {
      tables(s.n, s.stride, k, g, c0, BW, tab);
      wide(s.bits, s.words, s.m, groups, a, leak, sh, tab, u, s.p, 0, s.stride, c0);
    }
    for (; c0 < s.stride; c0 += L) {
      tables(s.n, s.stride, k, g, c0, L, tab);
      narrow(s.bits, s.words, s.m, groups, a, leak, sh, tab, u, s.p, 0, s.stride, c0);
    }
    finish(s, a, leak, g, sh);
  }

  @Override
  void addRow(float[] r, int ro, float[] x, int xo, int len, boolean add) {
    if (add) {
      for (int c = 0; c < len; c += L) {
        FloatVector.fromArray(F, r, ro + c).add(FloatVector.fromArray(F, x, xo + c)).intoArray(r, ro + c);
      }
    } else {
      for (int c = 0; c < len; c += L) {
        FloatVector.fromArray(F, r, ro + c).sub(FloatVector.fromArray(F, x, xo + c)).intoArray(r, ro + c);
      }
    }
  }

  @Override
  void stepFrom(MaskRun s, float[] a, float leak, float[] r, float[] g, float sh, float[] u) {
    int stride = s.stride;
    for (int j = 0; j < s.m; j++) {
      float aj = a[j];
      float ajk = aj * leak;
      float ajl = aj * (1f - leak);
      int o = j * stride;
      for (int c = 0; c < stride; c += L) {
        FloatVector x = FloatVector.fromArray(F, s.p, o + c).mul(sh);
        FloatVector acc = FloatVector.fromArray(F, r, o + c);
        // as wide(): P <- sh P - a_j (l u + (1 - l) acc)
        x = leak == 0f ? x.sub(acc.mul(aj))
            : x.sub(FloatVector.fromArray(F, u, c).mul(ajk).add(acc.mul(ajl)));
        x.intoArray(s.p, o + c);
      }
    }
    finish(s, a, leak, g, sh);
  }

  @Override
  void update(long[] bits, int words, int m, int n, float[] a, float leak, float[] x, int xs,
      float[] g, float sh, float[] w, int off, int rowStride, float[] tab, float[] u) {
    if (leak != 0f) {
      leakRow(n, xs, x, g, u);
    }
    int groups = groups(n);
    int c0 = 0;
    for (; c0 + BW <= xs; c0 += BW) {
      tables(n, xs, x, g, c0, BW, tab);
      wide(bits, words, m, groups, a, leak, sh, tab, u, w, off, rowStride, c0);
    }
    for (; c0 < xs; c0 += L) {
      tables(n, xs, x, g, c0, L, tab);
      narrow(bits, words, m, groups, a, leak, sh, tab, u, w, off, rowStride, c0);
    }
  }

  @Override
  void maskBits(float[] x, int off, int n, long[] out, int outOff) {
    for (int lo = 0; lo < n; lo += 64) {
      long word = 0L;
      int hi = Math.min(n, lo + 64);
      int v = lo;
      for (; v + L <= hi; v += L) {
        // 1 for x > 0 from the float's bits (-0 gives 0), lane i to bit i, as in finish()
        IntVector b = FloatVector.fromArray(F, x, off + v).reinterpretAsInts();
        int bits = b.sub(1).or(b).lanewise(VectorOperators.LSHR, 31)
            .lanewise(VectorOperators.XOR, 1).lanewise(VectorOperators.LSHL, LANE)
            .reduceLanes(VectorOperators.OR);
        word |= (long) (bits & LANE_MASK) << (v - lo);
      }
      for (; v < hi; v++) {
        word |= (long) positive(Float.floatToRawIntBits(x[off + v])) << (v - lo);
      }
      out[outOff + (lo >> 6)] = word;
    }
  }

  /** The 16 subset sums of each group's four rows of diag(g) K, columns [c0, c0 + w). */
  private static void tables(int n, int stride, float[] k, float[] g, int c0, int w, float[] tab) {
    int groups = groups(n);
    FloatVector zero = FloatVector.zero(F);
    for (int gi = 0; gi < groups; gi++) {
      int base = gi * 16 * w;
      for (int v = 0; v < w; v += L) {
        zero.intoArray(tab, base + v);
      }
      for (int b = 0; b < 4; b++) {
        int i = 4 * gi + b;
        int dst = base + (1 << b) * w;
        for (int v = 0; v < w; v += L) {
          FloatVector row = i < n ? FloatVector.fromArray(F, k, i * stride + c0 + v).mul(g[i]) : zero;
          row.intoArray(tab, dst + v);
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
        for (int v = 0; v < w; v += L) {
          FloatVector.fromArray(F, tab, rest + v).add(FloatVector.fromArray(F, tab, row + v))
              .intoArray(tab, dst + v);
        }
      }
    }
  }

  /** Rows j of {@code out} at {@code off + j rowStride}, columns [c0, c0 + 4 lanes). */
  private static void wide(long[] bits, int words, int m, int groups, float[] a, float leak,
      float sh, float[] tab, float[] u, float[] out, int off, int rowStride, int c0) {
    for (int j = 0; j < m; j++) {
      FloatVector e0 = FloatVector.zero(F);
      FloatVector e1 = e0;
      FloatVector e2 = e0;
      FloatVector e3 = e0;
      FloatVector o0 = e0;
      FloatVector o1 = e0;
      FloatVector o2 = e0;
      FloatVector o3 = e0;
      int wb = j * words;
      int gi = 0;
      for (; gi + 1 < groups; gi += 2) {
        long word = bits[wb + (gi >> 4)];
        int offE = (gi * 16 + ((int) (word >>> ((gi & 15) << 2)) & 15)) * BW;
        int offO = ((gi + 1) * 16 + ((int) (word >>> (((gi + 1) & 15) << 2)) & 15)) * BW;
        e0 = e0.add(FloatVector.fromArray(F, tab, offE));
        e1 = e1.add(FloatVector.fromArray(F, tab, offE + L));
        e2 = e2.add(FloatVector.fromArray(F, tab, offE + 2 * L));
        e3 = e3.add(FloatVector.fromArray(F, tab, offE + 3 * L));
        o0 = o0.add(FloatVector.fromArray(F, tab, offO));
        o1 = o1.add(FloatVector.fromArray(F, tab, offO + L));
        o2 = o2.add(FloatVector.fromArray(F, tab, offO + 2 * L));
        o3 = o3.add(FloatVector.fromArray(F, tab, offO + 3 * L));
      }
      if (gi < groups) {
        long word = bits[wb + (gi >> 4)];
        int offE = (gi * 16 + ((int) (word >>> ((gi & 15) << 2)) & 15)) * BW;
        e0 = e0.add(FloatVector.fromArray(F, tab, offE));
        e1 = e1.add(FloatVector.fromArray(F, tab, offE + L));
        e2 = e2.add(FloatVector.fromArray(F, tab, offE + 2 * L));
        e3 = e3.add(FloatVector.fromArray(F, tab, offE + 3 * L));
      }
      // P <- sh P - a_j (l u + (1 - l) acc), written out: see the class comment on inlining
      int o = off + j * rowStride + c0;
      float aj = a[j];
      FloatVector x0 = FloatVector.fromArray(F, out, o).mul(sh);
      FloatVector x1 = FloatVector.fromArray(F, out, o + L).mul(sh);
      FloatVector x2 = FloatVector.fromArray(F, out, o + 2 * L).mul(sh);
      FloatVector x3 = FloatVector.fromArray(F, out, o + 3 * L).mul(sh);
      if (leak == 0f) {
        x0 = x0.sub(e0.add(o0).mul(aj));
        x1 = x1.sub(e1.add(o1).mul(aj));
        x2 = x2.sub(e2.add(o2).mul(aj));
        x3 = x3.sub(e3.add(o3).mul(aj));
      } else {
        float ajk = aj * leak;
        float ajl = aj * (1f - leak);
        x0 = x0.sub(FloatVector.fromArray(F, u, c0).mul(ajk).add(e0.add(o0).mul(ajl)));
        x1 = x1.sub(FloatVector.fromArray(F, u, c0 + L).mul(ajk).add(e1.add(o1).mul(ajl)));
        x2 = x2.sub(FloatVector.fromArray(F, u, c0 + 2 * L).mul(ajk).add(e2.add(o2).mul(ajl)));
        x3 = x3.sub(FloatVector.fromArray(F, u, c0 + 3 * L).mul(ajk).add(e3.add(o3).mul(ajl)));
      }
      x0.intoArray(out, o);
      x1.intoArray(out, o + L);
      x2.intoArray(out, o + 2 * L);
      x3.intoArray(out, o + 3 * L);
    }
  }

  private static void narrow(long[] bits, int words, int m, int groups, float[] a, float leak,
      float sh, float[] tab, float[] u, float[] out, int off, int rowStride, int c0) {
    for (int j = 0; j < m; j++) {
      FloatVector e0 = FloatVector.zero(F);
      FloatVector o0 = e0;
      int wb = j * words;
      int gi = 0;
      for (; gi + 1 < groups; gi += 2) {
        long word = bits[wb + (gi >> 4)];
        int offE = (gi * 16 + ((int) (word >>> ((gi & 15) << 2)) & 15)) * L;
        int offO = ((gi + 1) * 16 + ((int) (word >>> (((gi + 1) & 15) << 2)) & 15)) * L;
        e0 = e0.add(FloatVector.fromArray(F, tab, offE));
        o0 = o0.add(FloatVector.fromArray(F, tab, offO));
      }
      if (gi < groups) {
        long word = bits[wb + (gi >> 4)];
        e0 = e0.add(FloatVector.fromArray(F, tab, (gi * 16 + ((int) (word >>> ((gi & 15) << 2)) & 15)) * L));
      }
      int o = off + j * rowStride + c0;
      float aj = a[j];
      FloatVector x0 = FloatVector.fromArray(F, out, o).mul(sh);
      x0 = leak == 0f ? x0.sub(e0.add(o0).mul(aj))
          : x0.sub(FloatVector.fromArray(F, u, c0).mul(aj * leak).add(e0.add(o0).mul(aj * (1f - leak))));
      x0.intoArray(out, o);
    }
  }

  /**
   * After P: C <- sh C - (g a_j) (l + (1 - l) S) with the current mask S, the outputs f at the
   * new P and its mask. A pass of its own: folded into the lookup loop, the JIT no longer inlines
   * the vector code and boxes every vector.
   */
  private static void finish(MaskRun s, float[] a, float leak, float[] g, float sh) {
    int stride = s.stride;
    java.util.Arrays.fill(s.f, 0f);
    for (int j = 0; j < s.m; j++) {
      float aj = a[j];
      int row = j * stride;
      int wb = j * s.words;
      for (int c0 = 0; c0 < stride; c0 += 64) {
        long word = s.bits[wb + (c0 >> 6)];
        long next = 0L;
        int end = Math.min(64, stride - c0);
        for (int v = 0; v < end; v += L) {
          int c = c0 + v;
          FloatVector x = FloatVector.fromArray(F, s.p, row + c);
          FloatVector old = IntVector.broadcast(I, (int) (word >>> v) & LANE_MASK)
              .lanewise(VectorOperators.LSHR, LANE).lanewise(VectorOperators.AND, 1)
              .lanewise(VectorOperators.NEG).lanewise(VectorOperators.AND, ONE_BITS)
              .reinterpretAsFloats();
          FloatVector factor = leak == 0f ? old
              : old.add(FloatVector.broadcast(F, 1f).sub(old).mul(leak));
          FloatVector.fromArray(F, s.c, row + c).mul(sh)
              .sub(FloatVector.fromArray(F, g, c).mul(aj).mul(factor)).intoArray(s.c, row + c);
          // f += a_j act(x) + 0 x (NaN where x is NaN or infinite)
          FloatVector act = leak == 0f ? x.max(0f) : x.max(0f).add(x.min(0f).mul(leak));
          FloatVector.fromArray(F, s.f, c).add(act.mul(aj).add(x.mul(0f))).intoArray(s.f, c);
          // the new mask: 1 for x > 0 from the float's bits (-0 gives 0), lane i to bit i
          IntVector b = x.reinterpretAsInts();
          int bits = b.sub(1).or(b).lanewise(VectorOperators.LSHR, 31)
              .lanewise(VectorOperators.XOR, 1).lanewise(VectorOperators.LSHL, LANE)
              .reduceLanes(VectorOperators.OR);
          next |= (long) bits << v;
        }
        s.nextBits[wb + (c0 >> 6)] = next;
      }
    }
  }
}

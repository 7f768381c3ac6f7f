package io.grokgrid.engine.net;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LossDerivative} on the JDK's Vector API (incubating in Java 17: needs
 * {@code --add-modules jdk.incubator.vector}); loaded by {@link LossDerivative#best} only when
 * that module is present. exp(z) = 2^k p(r), k = round(z / ln2), r = z - k ln2 by two fused
 * multiply-adds, p the Taylor polynomial of degree 12 by Horner's rule; 2^k is made from k's bits.
 * The result is rounded to 24 significant bits in double arithmetic (Veltkamp's split), and a
 * lane is kept only where the guard of {@link LossDerivative} holds (see {@link #minChain} for
 * how the lanes are tested).
 */
final class VectorLossDerivative extends LossDerivative {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();
  /**
   * The lane test as one positive minimum (512-bit vectors: there a chain of masks measured slower
   * than the arithmetic) or as compares joined by masks (narrower vectors: on AVX2 Java's
   * NaN-respecting min is five instructions, and the minimum chain took two thirds of the time;
   * 53 -> 40 us a many-small step with masks, one AVX2 core). The same lanes pass either way: each minimum term
   * is positive exactly where its compare holds, and NaN fails both. An instance's choice, so
   * that tests run both forms through this loop on any machine.
   */
  private final boolean minChain;
  private static final double INV_LN2 = 1.4426950408889634;
  private static final double LN2_HI = 0.6931471805599453;
  private static final double LN2_LO = 2.3190468138462996e-17;
  /** 1.5 x 2^52: z / ln2 + SHIFT rounds to an integer, held in the low bits. */
  private static final double SHIFT = 0x1.8p52;
  private static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
  /** Veltkamp's constant for rounding a double to 53 - 29 = 24 significant bits. */
  private static final double SPLIT = 0x1p29 + 1.0;
  private static final long EXP_BITS = 0x7FF0000000000000L;
  private static final double[] TAYLOR = new double[13];

  static {
    double fact = 1.0;
    for (int i = 0; i < TAYLOR.length; i++) {
      fact *= Math.max(i, 1);
      TAYLOR[i] = 1.0 / fact;
    }
  }

  /** The lane test this machine's vectors favour: {@link #minChain} from 512 bits up. */
  VectorLossDerivative() {
    this(D.vectorBitSize() >= 512);
  }

  /** @param minChain the lane test as one minimum (true) or as compares joined by masks */
  VectorLossDerivative(boolean minChain) {
    this.minChain = minChain;
  }

  @Override
  int float32(double[] f, double[] y, double[] c, int k, int n, double[] g) {
    if (n < L) {
      return LossDerivative.scalar().float32(f, y, c, k, n, g);
    }
    int scalar = 0;
    DoubleVector lnHi = DoubleVector.broadcast(D, -LN2_HI);
    DoubleVector lnLo = DoubleVector.broadcast(D, -LN2_LO);
    DoubleVector c12 = DoubleVector.broadcast(D, TAYLOR[12]);
    DoubleVector c11 = DoubleVector.broadcast(D, TAYLOR[11]);
    DoubleVector c10 = DoubleVector.broadcast(D, TAYLOR[10]);
    DoubleVector c9 = DoubleVector.broadcast(D, TAYLOR[9]);
    DoubleVector c8 = DoubleVector.broadcast(D, TAYLOR[8]);
    DoubleVector c7 = DoubleVector.broadcast(D, TAYLOR[7]);
    DoubleVector c6 = DoubleVector.broadcast(D, TAYLOR[6]);
    DoubleVector c5 = DoubleVector.broadcast(D, TAYLOR[5]);
    DoubleVector c4 = DoubleVector.broadcast(D, TAYLOR[4]);
    DoubleVector c3 = DoubleVector.broadcast(D, TAYLOR[3]);
    DoubleVector c2 = DoubleVector.broadcast(D, TAYLOR[2]);
    DoubleVector one = DoubleVector.broadcast(D, 1.0);
    for (int r = 0; r < k; r++) {
      double cr = c[r];
      int o = r * n;
      for (int start = 0; start < n; start += L) {
        // the last vector ends at n, overlapping the one before where L does not divide n: its
        // lanes there are computed again to the same values
        int i = Math.min(start, n - L);
        DoubleVector yv = DoubleVector.fromArray(D, y, i);
        DoubleVector z = yv.mul(DoubleVector.fromArray(D, f, o + i));
        DoubleVector t = z.fma(INV_LN2, SHIFT);
        DoubleVector kf = t.sub(SHIFT);
        DoubleVector red = kf.fma(lnHi, z);
        red = kf.fma(lnLo, red);
        DoubleVector p = c12.fma(red, c11);
        p = p.fma(red, c10);
        p = p.fma(red, c9);
        p = p.fma(red, c8);
        p = p.fma(red, c7);
        p = p.fma(red, c6);
        p = p.fma(red, c5);
        p = p.fma(red, c4);
        p = p.fma(red, c3);
        p = p.fma(red, c2);
        p = p.fma(red, one);
        p = p.fma(red, one);
        DoubleVector two = t.reinterpretAsLongs().sub(SHIFT_BITS - 1023L)
            .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector gv = yv.mul(cr).div(p.mul(two).add(1.0));
        DoubleVector sp = gv.mul(SPLIT);
        DoubleVector fl = sp.add(gv.sub(sp));
        // the float's ulp, 2^(exponent - 23), from its exponent bits (normal floats only)
        DoubleVector ulp = fl.reinterpretAsLongs().and(EXP_BITS).sub(23L << 52).reinterpretAsDoubles();
        DoubleVector afl = fl.abs();
        // kept iff: the rounding boundary is farther than the error bound, |z| < 700 (2^k
        // normal), fl a normal float away from the range's ends, and not a power of two (whose
        // lower neighbour is closer); NaN fails
        DoubleVector err = gv.sub(fl).abs().add(gv.abs().mul(DELTA));
        // the two forms of the lane test below are keepByMinimum and keepByMasks, written out:
        // called, they were not inlined into this long method, and the vectors were boxed
        VectorMask<Double> keep;
        if (minChain) {
          keep = ulp.mul(0.5).sub(err)
              .min(z.abs().neg().add(700.0))
              .min(afl.sub(0x1p-120))
              .min(afl.neg().add(0x1p120))
              .min(afl.sub(ulp.mul(0x1p23)).abs())
              .compare(VectorOperators.GT, 0.0);
        } else {
          keep = err.compare(VectorOperators.LT, ulp.mul(0.5))
              .and(z.abs().compare(VectorOperators.LT, 700.0))
              .and(afl.compare(VectorOperators.GT, 0x1p-120))
              .and(afl.compare(VectorOperators.LT, 0x1p120))
              .and(afl.compare(VectorOperators.NE, ulp.mul(0x1p23)));
        }
        fl.intoArray(g, o + i);
        if (!keep.allTrue()) {
          scalar += L;
          for (int q = i; q < i + L; q++) {
            g[o + q] = entry(cr, y[q], f[o + q]);
          }
        }
      }
    }
    return scalar;
  }

  /** The lane test as one minimum that must be positive (as float32 writes it out; for tests). */
  static VectorMask<Double> keepByMinimum(DoubleVector err, DoubleVector ulp, DoubleVector z,
      DoubleVector afl) {
    return ulp.mul(0.5).sub(err)
        .min(z.abs().neg().add(700.0))
        .min(afl.sub(0x1p-120))
        .min(afl.neg().add(0x1p120))
        .min(afl.sub(ulp.mul(0x1p23)).abs())
        .compare(VectorOperators.GT, 0.0);
  }

  /**
   * The lane test as compares joined by masks (as float32 writes it out; for tests): the same lanes
   * as {@link #keepByMinimum}.
   */
  static VectorMask<Double> keepByMasks(DoubleVector err, DoubleVector ulp, DoubleVector z,
      DoubleVector afl) {
    return err.compare(VectorOperators.LT, ulp.mul(0.5))
        .and(z.abs().compare(VectorOperators.LT, 700.0))
        .and(afl.compare(VectorOperators.GT, 0x1p-120))
        .and(afl.compare(VectorOperators.LT, 0x1p120))
        .and(afl.compare(VectorOperators.NE, ulp.mul(0x1p23)));
  }

  /** The species of the vectors the lane tests take. */
  static VectorSpecies<Double> species() {
    return D;
  }

  @Override
  String name() {
    return "vector-" + L;
  }
}

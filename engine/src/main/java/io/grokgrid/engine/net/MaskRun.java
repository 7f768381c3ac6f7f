package io.grokgrid.engine.net;

import java.util.Arrays;

/**
 * One run's dual state as the mask kernel holds it (float32): the training pre-activations P and
 * the dual coefficients C (m x n each, rows padded to {@link #stride} columns, the padding kept
 * zero), the ReLU mask S = 1[P > 0] as bits (row j, column i: bit i % 64 of word j * words + i / 64),
 * and the network outputs f at the current P. {@link MaskKernel#step} reads the mask of the
 * current P and writes that of the next, so two bit arrays take turns.
 */
final class MaskRun {
  /** Columns are padded to a multiple of this (a 512-bit vector of floats). */
  static final int PAD = 16;

  final int m;
  final int n;
  final int stride;
  final int words;
  final float[] p;
  final float[] c;
  final float[] f;
  long[] bits;
  long[] nextBits;

  MaskRun(int m, int n) {
    this.m = m;
    this.n = n;
    this.stride = (n + PAD - 1) / PAD * PAD;
    this.words = (stride + 63) / 64;
    this.p = new float[m * stride];
    this.c = new float[m * stride];
    this.f = new float[stride];
    this.bits = new long[m * words];
    this.nextBits = new long[m * words];
  }

  /** Bytes held by a run of m hidden units on n training examples. */
  static double bytes(int m, int n) {
    int stride = (n + PAD - 1) / PAD * PAD;
    return 4.0 * (2.0 * m * stride + stride) + 16.0 * m * ((stride + 63) / 64);
  }

  /** Makes the bits written by the last step the current mask. */
  void swapBits() {
    long[] t = bits;
    bits = nextBits;
    nextBits = t;
  }

  /** Sets P, C, f and the mask to zero (a diverged run). */
  void zero() {
    Arrays.fill(p, 0f);
    Arrays.fill(c, 0f);
    Arrays.fill(f, 0f);
    Arrays.fill(bits, 0L);
    Arrays.fill(nextBits, 0L);
  }
}

package io.grokgrid.engine.net;

/**
 * One dual GD step of one run with the ReLU mask multiplied by table lookups (the method of the
 * Four Russians), fused with the C update, the next mask and the network outputs. With
 * S = 1[P > 0] (the current mask), M = diag(g) K and a leak l:
 *
 * <pre>
 *   P  <- sh P - diag(a) (l 1 g^T K + (1 - l) S M)
 *   C  <- sh C - diag(a) (l + (1 - l) S) o (1 g^T)
 *   f_i = sum_j a_j act(P_ji)            (at the new P; NaN if any P_ji is NaN or infinite)
 *   S' = 1[P > 0]                        (at the new P)
 * </pre>
 *
 * <p><b>The product S M.</b> The n columns of S are cut into groups of four; for each group the
 * 16 subset sums of its four rows of M are tabulated (row by row: the sum for a bit pattern is
 * that of the pattern less its lowest bit plus the row of that bit), and each row of S M is the
 * sum of n / 4 looked-up table rows: m n^2 / 4 additions and 4 n^2 for the tables, instead of the
 * 2 m n^2 flops of the dense product. Output columns are taken in blocks (four vectors wide, then
 * one) so a block's tables stay in the L2 cache and a row's sums in registers.
 *
 * <p><b>Same numbers everywhere.</b> Every output column is computed by the same sequence of
 * float32 operations whatever the block width, the vector length or the implementation: the
 * table rows as above, the lookups summed in group order into two partial sums (even and odd
 * groups) added at the end, then the updates as written above, left to right. {@link #scalar()}
 * (plain Java, used where the JDK's incubating Vector API is not on the module path) and the
 * vector kernel therefore agree bit for bit, and a sweep's numbers do not depend on the machine's
 * vector width or on whether {@code --add-modules jdk.incubator.vector} was given.
 */
abstract class MaskKernel {
  private static final String VECTOR_CLASS = "io.grokgrid.engine.net.VectorMaskKernel";
  private static final MaskKernel BEST = load();

  /** The vector kernel where the JDK's Vector API is available, else the scalar one. */
  static MaskKernel best() {
    return BEST;
  }

  /** The plain-Java kernel. */
  static MaskKernel scalar() {
    return new ScalarMaskKernel();
  }

  private static MaskKernel load() {
    // without the Vector API, the plain-Java kernel gives the same numbers, only slower
    MaskKernel k = VectorApi.load(VECTOR_CLASS, MaskKernel.class);
    return k != null && k.lanes() > 1 ? k : new ScalarMaskKernel();
  }

  /** Floats of the scratch table array {@link #step} needs for n training examples. */
  static int tableSize(int n) {
    return groups(n) * 16 * 4 * MaskRun.PAD;
  }

  static int groups(int n) {
    return (n + 3) / 4;
  }

  /** A short name: {@code vector-512} (the vector width in bits) or {@code scalar}. */
  abstract String name();

  /** Float lanes per vector (1 for the scalar kernel). */
  abstract int lanes();

  /**
   * One fused step on {@code s}; afterwards {@code s.nextBits} holds the new mask (call
   * {@link MaskRun#swapBits}).
   *
   * @param a the output weights a_j (m)
   * @param leak the leak l in [0, 1)
   * @param k the Gram matrix K, n rows padded to {@code s.stride} columns (padding zero)
   * @param g the scaled loss derivatives g_i (n, then zeros up to {@code s.stride})
   * @param sh the shrink 1 - step size x weight decay
   * @param tab scratch of {@link #tableSize}(n) floats
   * @param u scratch of {@code s.stride} floats
   */
  abstract void step(MaskRun s, float[] a, float leak, float[] k, float[] g, float sh, float[] tab,
      float[] u);

  /**
   * The step's second half from a given product R = S diag(g) K (m x stride, as {@link #step}'s
   * lookups sum it): P <- sh P - a_j (l u + (1 - l) R_j), then C, the outputs and the next mask
   * exactly as {@link #step} does. With R from {@link #update} (a = -1, sh = 0, R zeroed) the
   * result equals {@link #step}'s bit for bit.
   *
   * @param u the leaky term's row g^T K ({@link #leakRow}); read only when leak != 0
   */
  abstract void stepFrom(MaskRun s, float[] a, float leak, float[] r, float[] g, float sh, float[] u);

  /**
   * r[ro, ro + len) += x[xo, xo + len) ({@code add}) or -= it, entry by entry ({@code len} a
   * multiple of {@link MaskRun#PAD}): the same numbers in every kernel.
   */
  abstract void addRow(float[] r, int ro, float[] x, int xo, int len, boolean add);

  /**
   * The primal form's update of one run's first layer by the same table lookups: with S the
   * run's mask (m x n, the bits of its training pre-activations), M = diag(g) X and a leak l,
   * W_j <- sh W_j - a_j (l g^T X + (1 - l) (S M)_j) for the m rows j of {@code w} at
   * {@code off + j rowStride} (each {@code xs} columns). Every entry follows the operation order
   * of {@link #step}'s P update with X in place of K, so the vector and scalar kernels agree bit
   * for bit here too.
   *
   * @param bits the mask, row j in words [j words, (j + 1) words): bit i % 64 of word i / 64
   * @param x the inputs X, n rows of {@code xs} columns (a multiple of {@link MaskRun#PAD};
   *     padding zero)
   * @param g the run's scaled loss derivatives (n)
   * @param tab scratch of {@link #tableSize}(n) floats
   * @param u scratch of {@code xs} floats
   */
  abstract void update(long[] bits, int words, int m, int n, float[] a, float leak, float[] x,
      int xs, float[] g, float sh, float[] w, int off, int rowStride, float[] tab, float[] u);

  /**
   * The mask bits of {@code x[off, off + n)}: bit i % 64 of {@code out[outOff + i / 64]} is 1 for
   * x > 0 (as {@link #positive}), the words' bits beyond n zero.
   */
  abstract void maskBits(float[] x, int off, int n, long[] out, int outOff);

  /** {@link #maskBits} in plain Java: each word made in a register and stored once. */
  static void maskBitsScalar(float[] x, int off, int n, long[] out, int outOff) {
    for (int lo = 0; lo < n; lo += 64) {
      long word = 0L;
      int hi = Math.min(n, lo + 64);
      for (int i = lo; i < hi; i++) {
        word |= (long) positive(Float.floatToRawIntBits(x[off + i])) << (i - lo);
      }
      out[outOff + (lo >> 6)] = word;
    }
  }

  /** u = g^T K (the leaky term's row; K has n rows of {@code stride} columns), in row order. */
  static void leakRow(int n, int stride, float[] k, float[] g, float[] u) {
    java.util.Arrays.fill(u, 0, stride, 0f);
    for (int i = 0; i < n; i++) {
      float gi = g[i];
      int o = i * stride;
      for (int c = 0; c < stride; c++) {
        u[c] += gi * k[o + c];
      }
    }
  }

  /** 1 if the float with these bits is > 0 (or a positive NaN), else 0; -0 gives 0. */
  static int positive(int bits) {
    return (((bits - 1) | bits) >>> 31) ^ 1;
  }
}

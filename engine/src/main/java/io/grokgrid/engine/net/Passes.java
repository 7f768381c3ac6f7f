package io.grokgrid.engine.net;

import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise parts of a GD step, as fused plain-Java loops over primitive arrays: the
 * network outputs from pre-activations (forward) and the scaled loss derivative D with the dual
 * coefficient update (backward). One such loop costs less than the dozen ND4J calls it replaces,
 * whose per-call overhead dominates at these sizes; the arrays are bulk-copied to and from ND4J's
 * native memory. The ReLU derivative is taken branch-free (from the float's bits) so the JIT can
 * vectorize the loop: the signs of pre-activations are random and a branch would mispredict.
 *
 * <p>Layout: state rows are (unit j, run r) -> j*k + r ("unit-major"), c-ordered with {@code cols}
 * columns, so the k runs' values of one hidden unit are one contiguous stretch of k*cols numbers.
 * Every loop below runs over such a stretch: long, unit-stride inner loops are what the JIT
 * vectorizes well (a run-major layout gives inner loops of only n elements, where the vector
 * loop's set-up and scalar tail cost as much as the work).
 *
 * <p>Leaky ReLU: with {@code leak} = 0 the activation is ReLU; otherwise x for x > 0 and
 * leak*x else (Frei et al. 2023), and its derivative 1 or leak.
 *
 * <p>Not thread-safe; one instance per training call.
 */
abstract class Passes {
  final int k;
  final int m;
  final int n;
  final double[] a;
  final double leak;

  private Passes(int k, int m, int n, double[] a, double leak) {
    this.k = k;
    this.m = m;
    this.n = n;
    this.a = a;
    this.leak = leak;
  }

  static Passes of(DataType type, int k, int m, int n, double[] a) {
    return of(type, k, m, n, a, 0.0);
  }

  static Passes of(DataType type, int k, int m, int n, double[] a, double leak) {
    if (!(leak >= 0.0 && leak < 1.0)) {
      throw new IllegalArgumentException("leak must be in [0, 1), got " + leak);
    }
    if (type == DataType.FLOAT) {
      return new F32(k, m, n, a, leak);
    }
    if (type == DataType.DOUBLE) {
      return new F64(k, m, n, a, leak);
    }
    throw new IllegalArgumentException("precision must be FLOAT or DOUBLE, got " + type);
  }

  /**
   * Reads {@code pre} (m k x cols, unit-major); out[r cols + i] = sum_j a_j act(pre[j k + r, i])
   * and sums[r] is finite iff every one of run r's entries and outputs is. With {@code keep},
   * {@code pre} is the array {@link #backward} and {@link #loadedRow} read: it must not change
   * until then.
   */
  abstract void forward(INDArray pre, int cols, double[] out, double[] sums, boolean keep);

  /**
   * From the loaded training pre-activations P and g (k x n, step size already folded in):
   * D[j k + r, i] = a_j act'(P[j k + r, i]) g[r, i], written to {@code d}; with {@code dual},
   * also C <- shrink_r C - D on the Java-held dual coefficients.
   */
  abstract void backward(double[] g, double[] shrink, boolean dual, INDArray d);

  /**
   * {@link #backward} without the dual update, zeroing the loaded pre-activations as it reads them
   * (they are not read again before the next forward pass). The primal form's next product
   * P = W X^T then adds into zeros (beta = 1, the same numbers as beta = 0), which skips OpenBLAS's
   * separate beta = 0 pass over P: that pass ran at ~12 GB/s, a sixth of a many-small step, where
   * zeroing each stretch just read, still in the L1 cache, costs a memset. Returns whether it
   * zeroed them (the float64 passes copy them whole in forward and leave them).
   */
  abstract boolean backwardClearing(double[] g, INDArray d);

  /** Copies the dual coefficients C (m k x n, unit-major) into {@code c}. */
  abstract void storeCoefficients(INDArray c);

  /**
   * Hidden unit j's loaded training pre-activations, the k runs' n values one after the other
   * (run r at [r n, (r + 1) n)); read-only. Float32 only (the mask kernel's precision).
   */
  abstract float[] loadedRow(int j);

  /** Zeroes run r's dual coefficients. */
  abstract void zeroCoefficients(int r);

  static void check(INDArray x, long len) {
    if (x.isView() || x.ordering() != 'c' || x.length() != len) {
      throw new IllegalStateException("expected a dense c-ordered array of " + len + " elements, got "
          + x.shapeInfoToString());
    }
  }

  /**
   * Run r's sum of per-column finiteness markers (each 0 when finite, NaN otherwise): 0 or NaN.
   * Four partial sums, so the additions do not wait on each other (the order cannot matter:
   * every term is +-0 or NaN).
   */
  static double runSum(float[] chk, int r, int cols) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int i = r * cols;
    int end = (r + 1) * cols;
    for (; i + 3 < end; i += 4) {
      s0 += chk[i];
      s1 += chk[i + 1];
      s2 += chk[i + 2];
      s3 += chk[i + 3];
    }
    for (; i < end; i++) {
      s0 += chk[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static final class F32 extends Passes {
    // Training pre-activations are not copied whole into Java: forward and backward read them
    // from ND4J's buffer one hidden unit (forward: two) at a time into stretches that stay in cache
    // (kept whole, a pack's P, D and their copies outgrew the L2 cache, and the passes ran at
    // memory speed). The whole rows are copied only for a caller of loadedRow (the mask forms).
    private float[][] p = new float[0][];
    private boolean rowsLoaded;
    private INDArray loaded;
    private float[][] c;
    private float[] row = new float[0];
    private float[] row2 = new float[0];
    private float[] acc = new float[0];
    private float[] chk = new float[0];
    private final float[] gf;
    private final ReluSlopes slopes = ReluSlopes.best();
    // the dual update's per-entry shrink, shq[r n + i] = shrink[r], and the shrinks it was built
    // from: rebuilt only when they change (on divergence)
    private float[] shq;
    private double[] shqOf;

    F32(int k, int m, int n, double[] a, double leak) {
      super(k, m, n, a, leak);
      gf = new float[k * n];
    }

    @Override
    void forward(INDArray pre, int cols, double[] out, double[] sums, boolean keep) {
      int kc = k * cols;
      check(pre, (long) m * kc);
      if (keep) {
        loaded = pre;
        rowsLoaded = false;
      }
      if (acc.length < kc) {
        acc = new float[kc];
        chk = new float[kc];
        row = new float[kc];
        row2 = new float[kc];
      }
      Arrays.fill(acc, 0, kc, 0f);
      Arrays.fill(chk, 0, kc, 0f);
      float lk = (float) leak;
      java.nio.FloatBuffer buf = pre.data().asNioFloat();
      // two hidden units a pass, so the accumulators are read and written once for both; each
      // output still adds its units' terms one at a time, in order j = 0 .. m - 1
      int j = 0;
      for (; j + 1 < m; j += 2) {
        float[] u = row;
        float[] v = row2;
        buf.get(j * kc, u, 0, kc);
        buf.get((j + 1) * kc, v, 0, kc);
        float a0 = (float) a[j];
        float a1 = (float) a[j + 1];
        if (lk == 0f) {
          for (int q = 0; q < kc; q++) {
            float x = u[q];
            float y = v[q];
            // x * 0 is 0 for finite x and NaN for NaN or +-Inf, even where ReLU hides the value
            chk[q] = chk[q] + x * 0f + y * 0f;
            acc[q] = acc[q] + a0 * Math.max(x, 0f) + a1 * Math.max(y, 0f);
          }
        } else {
          for (int q = 0; q < kc; q++) {
            float x = u[q];
            float y = v[q];
            chk[q] = chk[q] + x * 0f + y * 0f;
            acc[q] = acc[q] + a0 * (Math.max(x, 0f) + lk * Math.min(x, 0f))
                + a1 * (Math.max(y, 0f) + lk * Math.min(y, 0f));
          }
        }
      }
      if (j < m) {
        float[] u = row;
        buf.get(j * kc, u, 0, kc);
        float aj = (float) a[j];
        for (int q = 0; q < kc; q++) {
          float x = u[q];
          chk[q] += x * 0f;
          acc[q] += aj * (lk == 0f ? Math.max(x, 0f) : Math.max(x, 0f) + lk * Math.min(x, 0f));
        }
      }
      for (int q = 0; q < kc; q++) {
        // an output can overflow where every pre-activation is finite
        chk[q] += acc[q] * 0f;
        out[q] = acc[q];
      }
      for (int r = 0; r < k; r++) {
        sums[r] = runSum(chk, r, cols);
      }
    }

    @Override
    void backward(double[] g, double[] shrink, boolean dual, INDArray dOut) {
      backward(g, shrink, dual, dOut, false);
    }

    @Override
    boolean backwardClearing(double[] g, INDArray dOut) {
      backward(g, null, false, dOut, true);
      return true;
    }

    private void backward(double[] g, double[] shrink, boolean dual, INDArray dOut, boolean clear) {
      int kn = k * n;
      check(dOut, (long) m * kn);
      if (loaded == null) {
        throw new IllegalStateException("backward before a forward pass that kept its pre-activations");
      }
      if (dual && c == null) {
        c = new float[m][kn];
      }
      if (dual && !Arrays.equals(shrink, shqOf)) {
        shq = new float[kn];
        for (int q = 0; q < kn; q++) {
          shq[q] = (float) shrink[q / n];
        }
        shqOf = shrink.clone();
      }
      for (int q = 0; q < kn; q++) {
        gf[q] = (float) g[q];
      }
      if (row.length < kn) {
        row = new float[kn];
      }
      float lk = (float) leak;
      // D overwrites P's stretch in place: a second array written beside the one read can sit a
      // multiple of 4 KB away, and the stores then stall the loads (measured: twice as slow)
      float[] pj = row;
      float[] dj = row;
      java.nio.FloatBuffer src = loaded.data().asNioFloat();
      java.nio.FloatBuffer buf = dOut.data().asNioFloat();
      // JavaCPP's memset counts a pointer's position in bytes, whatever the pointer's type
      BytePointer zero = clear ? new BytePointer(loaded.data().addressPointer()) : null;
      for (int j = 0; j < m; j++) {
        src.get(j * kn, pj, 0, kn);
        if (clear) {
          Pointer.memset(zero.position((long) j * kn * Float.BYTES), 0, (long) kn * Float.BYTES);
        }
        slopes.scale(pj, (float) a[j], gf, lk, dj, kn);
        if (dual) {
          float[] cj = c[j];
          for (int q = 0; q < kn; q++) {
            cj[q] = shq[q] * cj[q] - dj[q];
          }
        }
        buf.put(j * kn, dj, 0, kn);
      }
      if (clear) {
        // zeroed: nothing may read them as this step's pre-activations any more
        loaded = null;
        rowsLoaded = false;
      }
    }

    @Override
    float[] loadedRow(int j) {
      if (!rowsLoaded) {
        if (loaded == null) {
          throw new IllegalStateException("no pre-activations loaded: call forward with keep first");
        }
        int kn = k * n;
        if (p.length != m) {
          p = new float[m][kn];
        }
        java.nio.FloatBuffer buf = loaded.data().asNioFloat();
        for (int u = 0; u < m; u++) {
          buf.get(u * kn, p[u], 0, kn);
        }
        rowsLoaded = true;
      }
      return p[j];
    }

    @Override
    void storeCoefficients(INDArray cOut) {
      int kn = k * n;
      check(cOut, (long) m * kn);
      if (c == null) {
        c = new float[m][kn];
      }
      java.nio.FloatBuffer buf = cOut.data().asNioFloat();
      for (int j = 0; j < m; j++) {
        buf.put(j * kn, c[j], 0, kn);
      }
    }

    @Override
    void zeroCoefficients(int r) {
      if (c != null) {
        for (int j = 0; j < m; j++) {
          Arrays.fill(c[j], r * n, (r + 1) * n, 0f);
        }
      }
    }
  }

  private static final class F64 extends Passes {
    private final double[][] p;
    private final double[][] d;
    private double[][] c;
    private double[][] scratch = new double[0][];
    private float[] chk = new float[0];
    private double[] shq;
    private double[] shqOf;

    F64(int k, int m, int n, double[] a, double leak) {
      super(k, m, n, a, leak);
      p = new double[m][k * n];
      d = new double[m][k * n];
    }

    @Override
    void forward(INDArray pre, int cols, double[] out, double[] sums, boolean keep) {
      int kc = k * cols;
      check(pre, (long) m * kc);
      double[][] v;
      if (keep) {
        v = p;
      } else {
        if (scratch.length != m || scratch[0].length < kc) {
          scratch = new double[m][kc];
        }
        v = scratch;
      }
      java.nio.DoubleBuffer buf = pre.data().asNioDouble();
      for (int j = 0; j < m; j++) {
        buf.get(j * kc, v[j], 0, kc);
      }
      if (chk.length < kc) {
        chk = new float[kc];
      }
      Arrays.fill(out, 0, kc, 0.0);
      Arrays.fill(chk, 0, kc, 0f);
      for (int j = 0; j < m; j++) {
        double aj = a[j];
        double[] vj = v[j];
        if (leak == 0.0) {
          for (int q = 0; q < kc; q++) {
            double x = vj[q];
            chk[q] += (float) (x * 0.0);
            out[q] += aj * Math.max(x, 0.0);
          }
        } else {
          for (int q = 0; q < kc; q++) {
            double x = vj[q];
            chk[q] += (float) (x * 0.0);
            out[q] += aj * (Math.max(x, 0.0) + leak * Math.min(x, 0.0));
          }
        }
      }
      for (int q = 0; q < kc; q++) {
        // an output can overflow where every pre-activation is finite
        chk[q] += (float) (out[q] * 0.0);
      }
      for (int r = 0; r < k; r++) {
        sums[r] = runSum(chk, r, cols);
      }
    }

    @Override
    void backward(double[] g, double[] shrink, boolean dual, INDArray dOut) {
      int kn = k * n;
      check(dOut, (long) m * kn);
      if (dual && c == null) {
        c = new double[m][kn];
      }
      if (dual && !Arrays.equals(shrink, shqOf)) {
        shq = new double[kn];
        for (int q = 0; q < kn; q++) {
          shq[q] = shrink[q / n];
        }
        shqOf = shrink.clone();
      }
      java.nio.DoubleBuffer buf = dOut.data().asNioDouble();
      for (int j = 0; j < m; j++) {
        double aj = a[j];
        double[] pj = p[j];
        double[] dj = d[j];
        for (int q = 0; q < kn; q++) {
          dj[q] = pj[q] > 0 ? aj * g[q] : leak * aj * g[q];
        }
        if (dual) {
          double[] cj = c[j];
          for (int q = 0; q < kn; q++) {
            cj[q] = shq[q] * cj[q] - dj[q];
          }
        }
        buf.put(j * kn, dj, 0, kn);
      }
    }

    @Override
    boolean backwardClearing(double[] g, INDArray dOut) {
      backward(g, null, false, dOut);
      return false;
    }

    @Override
    float[] loadedRow(int j) {
      throw new UnsupportedOperationException("the mask kernel is float32 only");
    }

    @Override
    void storeCoefficients(INDArray cOut) {
      int kn = k * n;
      check(cOut, (long) m * kn);
      if (c == null) {
        c = new double[m][kn];
      }
      java.nio.DoubleBuffer buf = cOut.data().asNioDouble();
      for (int j = 0; j < m; j++) {
        buf.put(j * kn, c[j], 0, kn);
      }
    }

    @Override
    void zeroCoefficients(int r) {
      if (c != null) {
        for (int j = 0; j < m; j++) {
          Arrays.fill(c[j], r * n, (r + 1) * n, 0.0);
        }
      }
    }
  }
}

package io.grokgrid.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The elementwise parts of a GD step, as fused plain-Java loops over primitive arrays: the
 * network outputs from pre-activations (forward) and the scaled loss derivative D with the dual
 * coefficient update (backward). One such loop costs less than the dozen ND4J calls it replaces,
 * whose per-call overhead dominates at these sizes; the arrays are bulk-copied to and from ND4J's
 * native memory. The ReLU derivative is taken branch-free (from the float's bits) so the JIT can
 * vectorize the loop: the signs of pre-activations are random and a branch would mispredict.
 * With a leak (leaky ReLU max(z, leak z), derivative 1 for z > 0 and leak otherwise) separate
 * loops run, so the plain-ReLU loops (leak 0) are exactly those of the plain network.
 *
 * <p>Layout: state rows are (run r, unit j) -> r*m + j, c-ordered with {@code cols} columns.
 * Not thread-safe; one instance per training call.
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

  /** With the leaky ReLU of slope {@code leak} in [0, 1) for negative inputs. */
  static Passes of(DataType type, int k, int m, int n, double[] a, double leak) {
    if (type == DataType.FLOAT) {
      return new F32(k, m, n, a, leak);
    }
    if (type == DataType.DOUBLE) {
      return new F64(k, m, n, a, leak);
    }
    throw new IllegalArgumentException("precision must be FLOAT or DOUBLE, got " + type);
  }

  /**
   * Reads {@code pre} (k m x cols); out[r cols + i] = sum_j a_j ReLU(pre[r m + j, i]) and
   * sums[r] = the sum of run r's entries (non-finite iff any entry is). With {@code keep}, the
   * pre-activations stay loaded for {@link #backward}.
   */
  abstract void forward(INDArray pre, int cols, double[] out, double[] sums, boolean keep);

  /**
   * From the loaded training pre-activations P and g (k x n, step size already folded in):
   * D[r m + j, i] = a_j 1[P > 0] g[r, i], written to {@code d}; with {@code dual}, also
   * C <- shrink_r C - D on the Java-held dual coefficients.
   */
  abstract void backward(double[] g, double[] shrink, boolean dual, INDArray d);

  /** Copies the dual coefficients C (k m x n) into {@code c}. */
  abstract void storeCoefficients(INDArray c);

  /** Zeroes run r's dual coefficients. */
  abstract void zeroCoefficients(int r);

  static void check(INDArray x, long len) {
    if (x.isView() || x.ordering() != 'c' || x.length() != len) {
      throw new IllegalStateException("expected a dense c-ordered array of " + len + " elements, got "
          + x.shapeInfoToString());
    }
  }

  private static final class F32 extends Passes {
    private final float[] p;
    private final float[] d;
    private float[] c;
    private float[] scratch = new float[0];
    private final float[] gf;

    F32(int k, int m, int n, double[] a, double leak) {
      super(k, m, n, a, leak);
      p = new float[k * m * n];
      d = new float[k * m * n];
      gf = new float[k * n];
    }

    @Override
    void forward(INDArray pre, int cols, double[] out, double[] sums, boolean keep) {
      int len = k * m * cols;
      check(pre, len);
      float[] v;
      if (keep) {
        v = p;
      } else {
        if (scratch.length < len) {
          scratch = new float[len];
        }
        v = scratch;
      }
      pre.data().asNioFloat().get(0, v, 0, len);
      Arrays.fill(out, 0, k * cols, 0.0);
      float[] acc = new float[cols];
      float lk = (float) leak;
      for (int r = 0; r < k; r++) {
        double s = 0.0;
        Arrays.fill(acc, 0f);
        for (int j = 0; j < m; j++) {
          float aj = (float) a[j];
          int off = (r * m + j) * cols;
          float rowSum = 0f;
          if (lk == 0f) {
            for (int i = 0; i < cols; i++) {
              float x = v[off + i];
              rowSum += x;
              acc[i] += aj * Math.max(x, 0f);
            }
          } else {
            for (int i = 0; i < cols; i++) {
              float x = v[off + i];
              rowSum += x;
              acc[i] += aj * Math.max(x, lk * x);
            }
          }
          s += rowSum;
        }
        for (int i = 0; i < cols; i++) {
          out[r * cols + i] = acc[i];
        }
        sums[r] = s;
      }
    }

    @Override
    void backward(double[] g, double[] shrink, boolean dual, INDArray dOut) {
      check(dOut, (long) k * m * n);
      if (dual && c == null) {
        c = new float[k * m * n];
      }
      for (int i = 0; i < k * n; i++) {
        gf[i] = (float) g[i];
      }
      float lk = (float) leak;
      for (int r = 0; r < k; r++) {
        int go = r * n;
        float sh = (float) shrink[r];
        for (int j = 0; j < m; j++) {
          float aj = (float) a[j];
          int off = (r * m + j) * n;
          if (lk == 0f) {
            for (int i = 0; i < n; i++) {
              int bits = Float.floatToRawIntBits(p[off + i]);
              // 1 exactly when bits > 0, i.e. the float is > +0 (not +-0, not negative)
              float step = (float) (((-bits) & ~bits) >>> 31);
              d[off + i] = aj * gf[go + i] * step;
            }
          } else {
            for (int i = 0; i < n; i++) {
              int bits = Float.floatToRawIntBits(p[off + i]);
              float step = (float) (((-bits) & ~bits) >>> 31);
              // slope 1 for z > 0, leak otherwise
              d[off + i] = aj * gf[go + i] * (step + lk * (1f - step));
            }
          }
          if (dual) {
            for (int i = 0; i < n; i++) {
              c[off + i] = sh * c[off + i] - d[off + i];
            }
          }
        }
      }
      dOut.data().asNioFloat().put(0, d, 0, d.length);
    }

    @Override
    void storeCoefficients(INDArray cOut) {
      check(cOut, (long) k * m * n);
      if (c == null) {
        c = new float[k * m * n];
      }
      cOut.data().asNioFloat().put(0, c, 0, c.length);
    }

    @Override
    void zeroCoefficients(int r) {
      if (c != null) {
        Arrays.fill(c, r * m * n, (r + 1) * m * n, 0f);
      }
    }
  }

  private static final class F64 extends Passes {
    private final double[] p;
    private final double[] d;
    private double[] c;
    private double[] scratch = new double[0];

    F64(int k, int m, int n, double[] a, double leak) {
      super(k, m, n, a, leak);
      p = new double[k * m * n];
      d = new double[k * m * n];
    }

    @Override
    void forward(INDArray pre, int cols, double[] out, double[] sums, boolean keep) {
      int len = k * m * cols;
      check(pre, len);
      double[] v;
      if (keep) {
        v = p;
      } else {
        if (scratch.length < len) {
          scratch = new double[len];
        }
        v = scratch;
      }
      pre.data().asNioDouble().get(0, v, 0, len);
      Arrays.fill(out, 0, k * cols, 0.0);
      for (int r = 0; r < k; r++) {
        double s = 0.0;
        for (int j = 0; j < m; j++) {
          double aj = a[j];
          int off = (r * m + j) * cols;
          if (leak == 0.0) {
            for (int i = 0; i < cols; i++) {
              double x = v[off + i];
              s += x;
              out[r * cols + i] += aj * Math.max(x, 0.0);
            }
          } else {
            for (int i = 0; i < cols; i++) {
              double x = v[off + i];
              s += x;
              out[r * cols + i] += aj * Math.max(x, leak * x);
            }
          }
        }
        sums[r] = s;
      }
    }

    @Override
    void backward(double[] g, double[] shrink, boolean dual, INDArray dOut) {
      check(dOut, (long) k * m * n);
      if (dual && c == null) {
        c = new double[k * m * n];
      }
      for (int r = 0; r < k; r++) {
        int go = r * n;
        double sh = shrink[r];
        for (int j = 0; j < m; j++) {
          double aj = a[j];
          int off = (r * m + j) * n;
          for (int i = 0; i < n; i++) {
            double dv = p[off + i] > 0 ? aj * g[go + i] : leak == 0.0 ? 0.0 : leak * aj * g[go + i];
            d[off + i] = dv;
            if (dual) {
              c[off + i] = sh * c[off + i] - dv;
            }
          }
        }
      }
      dOut.data().asNioDouble().put(0, d, 0, d.length);
    }

    @Override
    void storeCoefficients(INDArray cOut) {
      check(cOut, (long) k * m * n);
      if (c == null) {
        c = new double[k * m * n];
      }
      cOut.data().asNioDouble().put(0, c, 0, c.length);
    }

    @Override
    void zeroCoefficients(int r) {
      if (c != null) {
        Arrays.fill(c, r * m * n, (r + 1) * m * n, 0.0);
      }
    }
  }
}

package io.grokgrid.engine.net;

import io.grokgrid.engine.Hyper;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The shape of a pack being trained and the row bookkeeping its states share: k runs of m hidden
 * units on n training and n_test test examples, stacked unit-major (state row j k + r holds
 * hidden unit j of run r, see {@link Passes}).
 */
final class Pack {
  final Dataset d;
  final Net net;
  final int k;
  final int m;
  final int n;
  final int nt;
  final DataType type;
  final Passes passes;
  // scaleRows' stretch of one hidden unit's k rows, and its factors per entry (for scaleOf)
  private float[] rowsF = new float[0];
  private double[] rowsD = new double[0];
  private float[] scaleF = new float[0];
  private double[] scaleD = new double[0];
  private double[] scaleOf;
  private int scaleCols;
  // rowNorms' copy of the matrix
  private float[] normF = new float[0];
  private double[] normD = new double[0];

  Pack(Dataset d, Net net, List<Hyper> hypers) {
    this.d = d;
    this.net = net;
    this.k = hypers.size();
    this.m = net.width();
    this.n = d.nTrain();
    this.nt = d.nTest();
    long rows = (long) k * m;
    if (rows * Math.max(n, nt) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("pack too large: " + k + " runs x width " + m + " x " + n + " examples");
    }
    this.type = d.xTrain().dataType();
    this.passes = Passes.of(type, k, m, n, net.outputWeights(), net.leak());
  }

  /** Per run r: sum over its rows (j k + r, unit-major) of x . y, accumulated in double. */
  double[] blockDots(INDArray x, INDArray y) {
    double[] xs = Nd4j.toFlattened('c', x).toDoubleVector();
    double[] ys = Nd4j.toFlattened('c', y).toDoubleVector();
    int cols = (int) x.columns();
    double[] out = new double[k];
    for (int row = 0; row < k * m; row++) {
      double acc = 0.0;
      for (int i = row * cols; i < (row + 1) * cols; i++) {
        acc += xs[i] * ys[i];
      }
      out[row % k] += acc;
    }
    return out;
  }

  /** The (m k x cols) unit-major stack of k copies of each row of {@code x} (m x cols). */
  INDArray stack(INDArray x) {
    return k == 1 ? x.dup('c') : Nd4j.tile(x, 1, k).reshape('c', (long) m * k, x.columns()).dup('c');
  }

  static boolean uniform(double[] v) {
    for (double x : v) {
      if (x != v[0]) {
        return false;
      }
    }
    return true;
  }

  /**
   * a[j k + r, :] *= perRun[r] in a's precision, in place (a dense c-ordered k m x cols array):
   * the products ND4J's {@code muliColumnVector} of {@link #perRowColumn} gives, bit for bit (one
   * IEEE multiply per entry), without its per-call cost, which at many-small's packs (2000 x 50)
   * was a seventh of a training step. One hidden unit's k rows at a time (one contiguous stretch)
   * through the native buffer, times a factor per entry built once per change of the factors.
   */
  void scaleRows(INDArray a, double[] perRun) {
    int len = Math.toIntExact(a.length());
    Passes.check(a, len);
    int kc = len / m;
    int cols = kc / k;
    boolean fresh = !java.util.Arrays.equals(perRun, scaleOf) || scaleCols != cols;
    if (fresh) {
      scaleOf = perRun.clone();
      scaleCols = cols;
    }
    if (a.dataType() == DataType.FLOAT) {
      if (fresh || scaleF.length != kc) {
        scaleF = new float[kc];
        for (int q = 0; q < kc; q++) {
          scaleF[q] = (float) perRun[q / cols];
        }
        rowsF = new float[kc];
      }
      java.nio.FloatBuffer buf = a.data().asNioFloat();
      for (int j = 0; j < m; j++) {
        buf.get(j * kc, rowsF, 0, kc);
        for (int q = 0; q < kc; q++) {
          rowsF[q] *= scaleF[q];
        }
        buf.put(j * kc, rowsF, 0, kc);
      }
    } else {
      if (fresh || scaleD.length != kc) {
        scaleD = new double[kc];
        for (int q = 0; q < kc; q++) {
          scaleD[q] = perRun[q / cols];
        }
        rowsD = new double[kc];
      }
      java.nio.DoubleBuffer buf = a.data().asNioDouble();
      for (int j = 0; j < m; j++) {
        buf.get(j * kc, rowsD, 0, kc);
        for (int q = 0; q < kc; q++) {
          rowsD[q] *= scaleD[q];
        }
        buf.put(j * kc, rowsD, 0, kc);
      }
    }
  }

  /**
   * The 2-norm of each row of {@code a} (a dense c-ordered matrix) as ND4J's {@code a.norm2(1)}
   * gives it, bit for bit: the squares summed in order in a's precision, then the square root
   * (PackTest compares the two). ND4J's reduction took ~0.45 ms on many-small's 2000 x 50 W, a
   * third of a logged step; here four rows are summed at a time, so their additions overlap.
   */
  double[] rowNorms(INDArray a) {
    int rows = Math.toIntExact(a.rows());
    int cols = Math.toIntExact(a.columns());
    int len = rows * cols;
    Passes.check(a, len);
    double[] out = new double[rows];
    if (a.dataType() == DataType.FLOAT) {
      if (normF.length < len) {
        normF = new float[len];
      }
      float[] v = normF;
      a.data().asNioFloat().get(0, v, 0, len);
      int row = 0;
      for (; row + 3 < rows; row += 4) {
        int o = row * cols;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int i = 0; i < cols; i++) {
          float x0 = v[o + i];
          float x1 = v[o + cols + i];
          float x2 = v[o + 2 * cols + i];
          float x3 = v[o + 3 * cols + i];
          s0 += x0 * x0;
          s1 += x1 * x1;
          s2 += x2 * x2;
          s3 += x3 * x3;
        }
        out[row] = (float) Math.sqrt(s0);
        out[row + 1] = (float) Math.sqrt(s1);
        out[row + 2] = (float) Math.sqrt(s2);
        out[row + 3] = (float) Math.sqrt(s3);
      }
      for (; row < rows; row++) {
        float s0 = 0f;
        for (int i = row * cols; i < (row + 1) * cols; i++) {
          s0 += v[i] * v[i];
        }
        out[row] = (float) Math.sqrt(s0);
      }
    } else {
      if (normD.length < len) {
        normD = new double[len];
      }
      double[] v = normD;
      a.data().asNioDouble().get(0, v, 0, len);
      int row = 0;
      for (; row + 3 < rows; row += 4) {
        int o = row * cols;
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        for (int i = 0; i < cols; i++) {
          double x0 = v[o + i];
          double x1 = v[o + cols + i];
          double x2 = v[o + 2 * cols + i];
          double x3 = v[o + 3 * cols + i];
          s0 += x0 * x0;
          s1 += x1 * x1;
          s2 += x2 * x2;
          s3 += x3 * x3;
        }
        out[row] = Math.sqrt(s0);
        out[row + 1] = Math.sqrt(s1);
        out[row + 2] = Math.sqrt(s2);
        out[row + 3] = Math.sqrt(s3);
      }
      for (; row < rows; row++) {
        double s0 = 0.0;
        for (int i = row * cols; i < (row + 1) * cols; i++) {
          s0 += v[i] * v[i];
        }
        out[row] = Math.sqrt(s0);
      }
    }
    return out;
  }

  /** The (m k x 1) column holding perRun[r] at rows j k + r. */
  INDArray perRowColumn(double[] perRun) {
    double[] col = new double[k * m];
    for (int row = 0; row < k * m; row++) {
      col[row] = perRun[row % k];
    }
    return Nd4j.create(col, new long[] {(long) k * m, 1}, 'c').castTo(type);
  }

  /** Run r's rows of {@code x} (k m x cols) as an m x cols row-major float64 array. */
  double[] runRows(INDArray x, int r) {
    return rows(x, r).dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  /** Run r's rows of {@code all} (k m x cols, row-major, unit-major rows) as m x cols. */
  double[] runRows(double[] all, int r, int cols) {
    double[] out = new double[m * cols];
    for (int j = 0; j < m; j++) {
      System.arraycopy(all, (j * k + r) * cols, out, j * cols, cols);
    }
    return out;
  }

  /** {@code x} whole as a row-major float64 array. */
  static double[] doubles(INDArray x) {
    return x.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  /** Run r's rows j k + r, j = 0..m-1 (a strided view). */
  INDArray rows(INDArray x, int r) {
    return x.get(NDArrayIndex.interval((long) r, (long) k, (long) k * m), NDArrayIndex.all());
  }
}

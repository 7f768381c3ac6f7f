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
  private float[] rowsF = new float[0];
  private double[] rowsD = new double[0];

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
   * was a seventh of a training step. One bulk copy each way through the native buffer.
   */
  void scaleRows(INDArray a, double[] perRun) {
    int len = Math.toIntExact(a.length());
    Passes.check(a, len);
    int cols = len / (k * m);
    if (a.dataType() == DataType.FLOAT) {
      if (rowsF.length < len) {
        rowsF = new float[len];
      }
      java.nio.FloatBuffer buf = a.data().asNioFloat();
      buf.get(0, rowsF, 0, len);
      for (int row = 0; row < k * m; row++) {
        float f = (float) perRun[row % k];
        for (int i = row * cols; i < (row + 1) * cols; i++) {
          rowsF[i] *= f;
        }
      }
      buf.put(0, rowsF, 0, len);
    } else {
      if (rowsD.length < len) {
        rowsD = new double[len];
      }
      java.nio.DoubleBuffer buf = a.data().asNioDouble();
      buf.get(0, rowsD, 0, len);
      for (int row = 0; row < k * m; row++) {
        double f = perRun[row % k];
        for (int i = row * cols; i < (row + 1) * cols; i++) {
          rowsD[i] *= f;
        }
      }
      buf.put(0, rowsD, 0, len);
    }
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

package io.grokgrid.engine.net;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An independent, slow, plain-double implementation of the xor-clusters recipe (README, "Task `xor-clusters`"
 * section 1) for tests: forward pass, mean logistic loss, its gradient, W(0) from the seed
 * semantics documented on {@link Net}, and the whole GD loop W <- (1 - alpha*lambda) W - alpha grad
 * with the metrics of {@link Curve}. Nothing here calls the trainer; only plain loops over
 * {@code double[]}, so a shared mistake would have to be made twice.
 */
final class Reference {
  private Reference() {}

  /** A data set copied out of ND4J into plain doubles. */
  record Data(double[][] x, double[] y, double[][] xTest, double[] yTestClean, double[] yTestNoisy) {
    static Data of(Dataset d) {
      return new Data(matrix(d.xTrain()), vector(d.yTrain()), matrix(d.xTest()),
          vector(d.yTestClean()), vector(d.yTestNoisy()));
    }
  }

  /** For AssertJ's element predicates, which primitive-array assertions lack. */
  static List<Double> boxed(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  static List<Integer> boxed(int[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  static double[][] matrix(INDArray a) {
    return a.castTo(DataType.DOUBLE).toDoubleMatrix();
  }

  static double[] vector(INDArray a) {
    return a.castTo(DataType.DOUBLE).toDoubleVector();
  }

  /** W(0) as documented on {@link Net}: chunk c of {@link Net#CHUNK} columns, row-major, own seed. */
  static double[][] initialWeights(Net net, int dim) {
    int m = net.width();
    double[][] w = new double[m][dim];
    for (int c = 0; c * Net.CHUNK < dim; c++) {
      int from = c * Net.CHUNK;
      int cols = Math.min(dim, from + Net.CHUNK) - from;
      SplittableRandom rng = new SplittableRandom(Seeds.derive(net.initSeed(), "w0", c));
      for (int j = 0; j < m; j++) {
        for (int l = 0; l < cols; l++) {
          w[j][from + l] = net.initScale() * rng.nextGaussian();
        }
      }
    }
    return w;
  }

  /** The output weights as documented on {@link Net}: +-1/sqrt(m) from derive(initSeed, "a"). */
  static double[] outputWeights(Net net) {
    SplittableRandom rng = new SplittableRandom(Seeds.derive(net.initSeed(), "a"));
    double[] a = new double[net.width()];
    for (int j = 0; j < a.length; j++) {
      a[j] = (rng.nextBoolean() ? 1.0 : -1.0) / Math.sqrt(net.width());
    }
    return a;
  }

  static double dot(double[] u, double[] v) {
    double s = 0.0;
    for (int l = 0; l < u.length; l++) {
      s += u[l] * v[l];
    }
    return s;
  }

  /** f(x) = sum_j a_j ReLU(<w_j, x>). */
  static double output(double[][] w, double[] a, double[] x) {
    return output(w, a, x, 0.0);
  }

  /** f(x) = sum_j a_j act(<w_j, x>) with the leaky ReLU act(z) = z for z > 0, leak z otherwise. */
  static double output(double[][] w, double[] a, double[] x, double leak) {
    double f = 0.0;
    for (int j = 0; j < w.length; j++) {
      double z = dot(w[j], x);
      f += a[j] * (z > 0 ? z : leak * z);
    }
    return f;
  }

  /** log(1 + e^z), stable for large |z|. */
  static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  /** Mean over examples of log(1 + exp(-y_i f(x_i))). */
  static double loss(double[][] w, double[] a, double[][] x, double[] y) {
    return loss(w, a, x, y, 0.0);
  }

  /** The same with the leaky ReLU of slope {@code leak}. */
  static double loss(double[][] w, double[] a, double[][] x, double[] y, double leak) {
    double s = 0.0;
    for (int i = 0; i < x.length; i++) {
      s += softplus(-y[i] * output(w, a, x[i], leak));
    }
    return s / x.length;
  }

  /** Fraction of examples with y_i f(x_i) > 0 (a margin of exactly 0 counts as wrong). */
  static double accuracy(double[][] w, double[] a, double[][] x, double[] y) {
    return accuracy(w, a, x, y, 0.0);
  }

  static double accuracy(double[][] w, double[] a, double[][] x, double[] y, double leak) {
    int hits = 0;
    for (int i = 0; i < x.length; i++) {
      hits += y[i] * output(w, a, x[i], leak) > 0 ? 1 : 0;
    }
    return (double) hits / x.length;
  }

  /**
   * dL/dw_j = (1/n) sum_i -y_i sigma(-y_i f_i) a_j 1[<w_j, x_i> > 0] x_i (ReLU'(0) taken as 0).
   */
  static double[][] gradient(double[][] w, double[] a, double[][] x, double[] y) {
    return gradient(w, a, x, y, 0.0);
  }

  /** The same with the leaky ReLU: the mask 1[z > 0] becomes the slope (1 for z > 0, else leak). */
  static double[][] gradient(double[][] w, double[] a, double[][] x, double[] y, double leak) {
    int n = x.length;
    int p = x[0].length;
    double[][] g = new double[w.length][p];
    for (int i = 0; i < n; i++) {
      double f = output(w, a, x[i], leak);
      double dLdf = -y[i] / (1.0 + Math.exp(y[i] * f)) / n;
      for (int j = 0; j < w.length; j++) {
        double slope = dot(w[j], x[i]) > 0 ? 1.0 : leak;
        if (slope != 0.0) {
          for (int l = 0; l < p; l++) {
            g[j][l] += dLdf * a[j] * slope * x[i][l];
          }
        }
      }
    }
    return g;
  }

  static double frobenius(double[][] w) {
    double s = 0.0;
    for (double[] row : w) {
      s += dot(row, row);
    }
    return Math.sqrt(s);
  }

  static double[][] copy(double[][] w) {
    double[][] c = new double[w.length][];
    for (int j = 0; j < w.length; j++) {
      c[j] = w[j].clone();
    }
    return c;
  }

  /** One GD step in place: W <- (1 - alpha*lambda) W - alpha grad(W). */
  static void step(double[][] w, double[] a, Data d, Hyper h) {
    step(w, a, d, h, 0.0);
  }

  /** The same with the leaky ReLU of slope {@code leak}. */
  static void step(double[][] w, double[] a, Data d, Hyper h, double leak) {
    double[][] g = gradient(w, a, d.x(), d.y(), leak);
    double shrink = 1.0 - h.stepSize() * h.weightDecay();
    for (int j = 0; j < w.length; j++) {
      for (int l = 0; l < w[j].length; l++) {
        w[j][l] = shrink * w[j][l] - h.stepSize() * g[j][l];
      }
    }
  }

  /**
   * Trains from W(0) of {@code net} (with its leak) and records the metrics of {@link Curve} at
   * {@code logSteps}.
   */
  static Curve train(Data d, Net net, Hyper h, int steps, int[] logSteps) {
    double[][] w = initialWeights(net, d.x()[0].length);
    double[] a = outputWeights(net);
    double lk = net.leak();
    int len = logSteps.length;
    double[][] cols = new double[6][len];
    int li = 0;
    for (int t = 0; t <= steps; t++) {
      if (li < len && logSteps[li] == t) {
        cols[0][li] = loss(w, a, d.x(), d.y(), lk);
        cols[1][li] = accuracy(w, a, d.x(), d.y(), lk);
        cols[2][li] = loss(w, a, d.xTest(), d.yTestNoisy(), lk);
        cols[3][li] = accuracy(w, a, d.xTest(), d.yTestClean(), lk);
        cols[4][li] = accuracy(w, a, d.xTest(), d.yTestNoisy(), lk);
        cols[5][li] = frobenius(w);
        li++;
      }
      if (t < steps) {
        step(w, a, d, h, lk);
      }
    }
    return new Curve(logSteps.clone(), Columns.STANDARD_METRICS, cols);
  }

  /** max over units j and examples i of |<w_j, x_i>|, and of sum_l |w_jl x_il| (a bound on partial sums). */
  static double[] preActivationScale(double[][] w, double[][] x) {
    double maxAbs = 0.0;
    double maxPartial = 0.0;
    for (double[] wj : w) {
      for (double[] xi : x) {
        double s = 0.0;
        double abs = 0.0;
        for (int l = 0; l < xi.length; l++) {
          s += wj[l] * xi[l];
          abs += Math.abs(wj[l] * xi[l]);
        }
        maxAbs = Math.max(maxAbs, Math.abs(s));
        maxPartial = Math.max(maxPartial, abs);
      }
    }
    return new double[] {maxAbs, maxPartial};
  }
}

package io.grokgrid.engine.univariate;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.Metric;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.univariate.UnivariateNet.Params;
import io.grokgrid.vocab.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Full-batch gradient descent for {@link UnivariateNet} on {@link RegressionData}, after Joshi,
 * Vardi and Srebro 2023 (arXiv 2307.15396): the objective is
 * (1/2n) sum_i (f(x_i) - y_i)^2 + (lambda/2)(|w|^2 + |v|^2), and one step is
 * w <- (1 - alpha*lambda) w - alpha dw, v likewise, b, c, d <- . - alpha d(.) (biases and the
 * skip connection are not decayed). With a tiny lambda and enough steps the net nearly
 * interpolates the noisy targets, approximating the minimum-norm interpolant; lambda = 0 is
 * plain GD.
 *
 * <p><b>Packs.</b> Runs of a pack share the data and the initialization and differ in step size
 * and weight decay; they are trained one after the other in plain float64 loops (O(n m) a step).
 *
 * <p><b>Curves.</b> At each logged step: training MSE on the noisy targets, test MSE and test mean
 * absolute error on the noisy test targets, and sqrt(|w|^2 + |v|^2) ({@link UnivariateFamily#METRICS});
 * {@link #WITH_CLEAN} adds the test errors against f* (for tests and diagnostics, not tables).
 *
 * <p><b>Divergence.</b> A NaN or infinite training loss or weight norm at step t stops the run
 * with status {@code diverged}, steps_done = t, its curve ending at the last logged step before t.
 */
final class RegressionTrainer {
  private RegressionTrainer() {}

  /** Curve name of the test MSE against f* (noise-free): a diagnostic, not a table column. */
  static final String TEST_CLEAN_L2 = "test_clean_l2";
  /** Curve name of the test mean absolute error against f*: a diagnostic, not a table column. */
  static final String TEST_CLEAN_L1 = "test_clean_l1";

  /** The family's metrics and the test errors against f*. */
  static final Metrics<UnivariateStep> WITH_CLEAN = new Metrics<>(
      Metric.scalar(Columns.TRAIN_LOSS, (s, r) -> s.trainLoss()),
      Metric.scalar(Columns.TEST_LOSS, (s, r) -> s.testError(s.yTest(), 2)),
      Metric.scalar(Columns.TEST_LOSS_L1, (s, r) -> s.testError(s.yTest(), 1)),
      Metric.scalar(TEST_CLEAN_L2, (s, r) -> s.testError(s.fTest(), 2)),
      Metric.scalar(TEST_CLEAN_L1, (s, r) -> s.testError(s.fTest(), 1)),
      Metric.scalar(Columns.WEIGHT_NORM, (s, r) -> Math.sqrt(s.normSq())));

  /**
   * Trains a pack of runs.
   *
   * @param d the data
   * @param net width, init scale and init seed, shared by the pack
   * @param hypers one entry per run (at least one)
   * @param steps number of GD steps T >= 0
   * @param logSteps strictly increasing steps in [0, T], ending at T
   * @param metrics what to record at the logged steps
   * @return one result per hyper, in order
   */
  public static List<RunResult> train(RegressionData d, UnivariateNet net, List<Hyper> hypers,
      int steps, int[] logSteps, Metrics<UnivariateStep> metrics) {
    if (hypers.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one run");
    }
    LogSchedule.check(steps, logSteps);
    Params init = net.initial(d.xTrain());
    List<RunResult> out = new ArrayList<>(hypers.size());
    for (Hyper h : hypers) {
      out.add(run(d, init.copy(), h, steps, logSteps, metrics));
    }
    return out;
  }

  /** Estimated flops of one run: ~12 m per training example per step, ~4 m per test point per log. */
  public static double cost(int width, int nTrain, int nTest, int steps, int logs) {
    return 12.0 * width * nTrain * steps + 4.0 * width * ((double) nTrain + nTest) * logs;
  }

  /** The data term (1/2n) sum (f - y)^2 at {@code p} (no decay), by the fast evaluation. */
  static double objective(RegressionData d, Params p) {
    Sorted s = new Sorted(d.xTrain(), d.yTrain(), d.fTrain());
    double[] f = new double[s.x.length];
    outputs(p, s.x, f, new Scratch(p.w.length, s.x.length));
    double sum = 0.0;
    for (int i = 0; i < f.length; i++) {
      double r = f[i] - s.y[i];
      sum += r * r;
    }
    return sum / (2.0 * f.length);
  }

  /** The gradient of {@link #objective} at {@code p}, by the code a training step uses. */
  static Params gradient(RegressionData d, Params p) {
    Sorted s = new Sorted(d.xTrain(), d.yTrain(), d.fTrain());
    Scratch sc = new Scratch(p.w.length, s.x.length);
    double[] f = new double[s.x.length];
    outputs(p, s.x, f, sc);
    Params g = new Params(p.w.length);
    gradient(p, s, f, g, sc);
    return g;
  }


  private static RunResult run(RegressionData d, Params p, Hyper h, int steps, int[] logSteps,
      Metrics<UnivariateStep> metrics) {
    int len = logSteps.length;
    Sorted train = new Sorted(d.xTrain(), d.yTrain(), d.fTrain());
    Sorted test = new Sorted(d.xTest(), d.yTest(), d.fTest());
    int n = train.x.length;
    Curve.Builder curve = metrics.builder(len);
    int logged = 0;
    Params g = new Params(p.w.length);
    double[] f = new double[n];
    double[] ft = new double[test.x.length];
    // separate scratch for the test set: the gradient reads the training edges of outputs()
    Scratch sc = new Scratch(p.w.length, n);
    Scratch scTest = new Scratch(p.w.length, test.x.length);
    double alpha = h.stepSize();
    double shrink = h.shrink();
    String detail = null;
    int done = steps;
    for (int t = 0; t <= steps; t++) {
      outputs(p, train.x, f, sc);
      double sse = 0.0;
      for (int i = 0; i < n; i++) {
        double r = f[i] - train.y[i];
        sse += r * r;
      }
      double normSq = p.normSq();
      if (!Double.isFinite(sse) || !Double.isFinite(normSq) || !Double.isFinite(p.c)
          || !Double.isFinite(p.d)) {
        done = t;
        detail = "non-finite training loss or weights at step " + t;
        break;
      }
      if (logged < len && logSteps[logged] == t) {
        outputs(p, test.x, ft, scTest);
        metrics.record(new UnivariateStep(sse / n, ft, test.y, test.f, normSq), 0, t, curve);
        logged++;
      }
      if (t == steps) {
        break;
      }
      gradient(p, train, f, g, sc);
      for (int j = 0; j < p.w.length; j++) {
        p.w[j] = shrink * p.w[j] - alpha * g.w[j];
        p.v[j] = shrink * p.v[j] - alpha * g.v[j];
        p.b[j] -= alpha * g.b[j];
      }
      p.c -= alpha * g.c;
      p.d -= alpha * g.d;
    }
    Curve c = curve.build();
    return detail == null ? RunResult.ok(h, c, steps) : RunResult.diverged(h, c, done, detail);
  }

  /** A set of points sorted by x (ties keep their order), with its targets. */
  static final class Sorted {
    final double[] x;
    final double[] y;
    final double[] f;

    Sorted(double[] x0, double[] y0, double[] f0) {
      int n = x0.length;
      Integer[] idx = new Integer[n];
      for (int i = 0; i < n; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, (a, b) -> Double.compare(x0[a], x0[b]));
      x = new double[n];
      y = new double[n];
      f = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = x0[idx[i]];
        y[i] = y0[idx[i]];
        f[i] = f0[idx[i]];
      }
    }
  }

  /** Per-call working arrays. */
  static final class Scratch {
    final int[] edge;
    final double[] bucketA;
    final double[] bucketB;
    final double[] r0;
    final double[] r1;

    Scratch(int m, int n) {
      edge = new int[m];
      bucketA = new double[n + 1];
      bucketB = new double[n + 1];
      r0 = new double[n + 1];
      r1 = new double[n + 1];
    }
  }

  /**
   * edge[j] for unit j over the sorted inputs xs: with w_j > 0 the unit is active (w_j x + b_j > 0)
   * exactly at indices >= edge[j]; with w_j < 0 exactly at indices < edge[j]; with w_j = 0 at all
   * indices (edge = 0) when b_j > 0, at none (edge = n) otherwise. Found by binary search on the
   * same predicate a direct evaluation uses, so the active sets agree exactly with it.
   */
  private static void edges(Params p, double[] xs, int[] edge) {
    int n = xs.length;
    for (int j = 0; j < p.w.length; j++) {
      double w = p.w[j];
      double b = p.b[j];
      if (w == 0.0) {
        edge[j] = b > 0.0 ? 0 : n;
        continue;
      }
      int lo = 0;
      int hi = n;
      if (w > 0.0) {
        // first index where active
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (w * xs[mid] + b > 0.0) {
            hi = mid;
          } else {
            lo = mid + 1;
          }
        }
      } else {
        // first index where inactive
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (w * xs[mid] + b > 0.0) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
      }
      edge[j] = lo;
    }
  }

  /**
   * out[i] = f(xs[i]) for sorted xs, in O(m log n + n): on the active set f is
   * x * sum v_j w_j + sum v_j b_j over the active units, and the active units of a sorted input
   * are a prefix (w > 0, by edge) plus a suffix (w < 0) of the units bucketed by edge.
   */
  private static void outputs(Params p, double[] xs, double[] out, Scratch sc) {
    int n = xs.length;
    int m = p.w.length;
    edges(p, xs, sc.edge);
    double[] pa = sc.bucketA;
    double[] pb = sc.bucketB;
    Arrays.fill(pa, 0, n + 1, 0.0);
    Arrays.fill(pb, 0, n + 1, 0.0);
    // slopes and offsets of units switching on at an index (w >= 0) go in with +, units
    // switching off (w < 0) are active from index 0 and leave at their edge
    double a0 = 0.0;
    double b0 = 0.0;
    for (int j = 0; j < m; j++) {
      double vw = p.v[j] * p.w[j];
      double vb = p.v[j] * p.b[j];
      int e = sc.edge[j];
      if (p.w[j] >= 0.0) {
        pa[e] += vw;
        pb[e] += vb;
      } else {
        a0 += vw;
        b0 += vb;
        pa[e] -= vw;
        pb[e] -= vb;
      }
    }
    double sa = a0;
    double sb = b0;
    for (int i = 0; i < n; i++) {
      sa += pa[i];
      sb += pb[i];
      out[i] = (sa + p.c) * xs[i] + sb + p.d;
    }
  }

  /** g = gradient of (1/2n) sum (f - y)^2 over the sorted set, given its outputs f. */
  private static void gradient(Params p, Sorted s, double[] f, Params g, Scratch sc) {
    int n = s.x.length;
    int m = p.w.length;
    // prefix sums of r and r x, r = (f - y) / n; the edges are those of the last outputs() call
    double[] r0 = sc.r0;
    double[] r1 = sc.r1;
    r0[0] = 0.0;
    r1[0] = 0.0;
    for (int i = 0; i < n; i++) {
      double r = (f[i] - s.y[i]) / n;
      r0[i + 1] = r0[i] + r;
      r1[i + 1] = r1[i] + r * s.x[i];
    }
    for (int j = 0; j < m; j++) {
      int e = sc.edge[j];
      double s0;
      double s1;
      if (p.w[j] >= 0.0) {
        s0 = r0[n] - r0[e];
        s1 = r1[n] - r1[e];
      } else {
        s0 = r0[e];
        s1 = r1[e];
      }
      g.v[j] = p.w[j] * s1 + p.b[j] * s0;
      g.w[j] = p.v[j] * s1;
      g.b[j] = p.v[j] * s0;
    }
    g.c = r1[n];
    g.d = r0[n];
  }
}

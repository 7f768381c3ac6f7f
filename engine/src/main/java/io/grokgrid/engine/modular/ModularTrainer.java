package io.grokgrid.engine.modular;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.modular.ModularNet.Params;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Full-batch training of {@link ModularNet} on {@link ModularAddition} data with the mean
 * q-way cross-entropy on the observed labels, L = mean_i [logsumexp(f(x_i)) - f(x_i)_{y_i}],
 * optimizer {@link Optimizer#GD} or {@link Optimizer#ADAMW}, decoupled weight decay on both layers.
 *
 * <p><b>Packs.</b> A pack is a list of runs sharing one data set, one initialization and one
 * optimizer, differing only in step size and weight decay ({@link Hyper}); each run starts from
 * the same W(0) (common random numbers). Runs are trained one after the other, in float64. The
 * one-hot input is exploited: W1 x is a gather of two columns of W1 and the first-layer gradient
 * a scatter-add of two columns, in Java loops; no product with x is formed. The three products
 * with W2 per step are ND4J gemm calls (see {@link Pass}); pin ND4J's threads with
 * {@link io.grokgrid.engine.MathThreads#pin} inside Spark tasks. A step costs about 6 q m n flops
 * (q = 23, m = 256, n = 370: ~1.2 ms on one core, 2000 steps ~2.3 s).
 *
 * <p><b>Curves.</b> At each logged step t (the state after t updates) the run records
 * {@link Curve} columns: train_loss and train_acc on the observed training labels, test_loss on
 * the noisy test labels, test_acc on the clean test labels, test_acc_noisy on the noisy ones, and
 * weight_norm = sqrt(|W1|_F^2 + |W2|_F^2), the Frobenius norm of all trained weights. Accuracy is
 * argmax agreement (ties go to the lowest class index).
 *
 * <p><b>Divergence.</b> If at step t the training loss or the weight norm is NaN or infinite, the
 * run stops with status {@code diverged}, steps_done = t, and its curve ends at the last logged
 * step before t. The other runs of the pack are unaffected.
 *
 * <p>{@link #train} is a pure, deterministic function of its arguments (no random draws).
 */
final class ModularTrainer {
  private ModularTrainer() {}

  /**
   * Trains a pack of runs.
   *
   * @param d the data
   * @param net width, init scale and init seed, shared by the pack
   * @param optimizer shared by the pack
   * @param hypers step size and weight decay of each run (at least one)
   * @param steps number of updates T >= 0
   * @param logSteps strictly increasing steps in [0, T], ending at T (e.g. from
   *     {@link io.grokgrid.engine.LogSchedule#of})
   * @return one result per hyper, in order (status ok or diverged)
   */
  public static List<RunResult> train(ModularData d, ModularNet net, Optimizer optimizer,
      List<Hyper> hypers, int steps, int[] logSteps) {
    return train(d, net, optimizer, hypers, steps, logSteps, ModularFamily.METRICS.select(List.of()));
  }

  /** As above, recording {@code metrics} (the standard ones and a choice of the optional ones). */
  public static List<RunResult> train(ModularData d, ModularNet net, Optimizer optimizer,
      List<Hyper> hypers, int steps, int[] logSteps, Metrics<ModularStep> metrics) {
    if (hypers.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one run");
    }
    LogSchedule.check(steps, logSteps);
    Params init = net.initial(d.modulus());
    Pass trainPass = new Pass(d.modulus(), net.width(), d.nTrain());
    Pass testPass = new Pass(d.modulus(), net.width(), d.nTest());
    List<RunResult> out = new ArrayList<>(hypers.size());
    for (Hyper h : hypers) {
      out.add(run(d, init.copy(), optimizer, h, steps, logSteps, trainPass, testPass, metrics));
    }
    return out;
  }

  /**
   * Estimated floating-point operations (multiply and add counted apart) of one run: about
   * 6 q m flops per training example per step (forward 2 q m, backward 4 q m) and 2 q m per
   * test example per logged step. For batching work, not for billing.
   */
  public static double cost(int modulus, int width, int nTrain, int nTest, int steps, int logs) {
    double qm = (double) modulus * width;
    return 6.0 * qm * nTrain * steps + 2.0 * qm * (nTrain + nTest) * logs;
  }

  /** Mean cross-entropy of {@code p} on the observed training labels (no decay term). */
  static double loss(ModularData d, Params p) {
    double[] stats = new double[4];
    new Pass(p.q, p.m, d.nTrain()).run(p, d.trainA(), d.trainB(), d.trainLabel(), d.trainLabel(), null, stats);
    return stats[0];
  }

  /** The gradient of {@link #loss} at {@code p}, computed by the code a training step uses. */
  static Params gradient(ModularData d, Params p) {
    Params g = new Params(p.q, p.m);
    new Pass(p.q, p.m, d.nTrain()).run(p, d.trainA(), d.trainB(), d.trainLabel(), d.trainLabel(), g, new double[4]);
    return g;
  }


  private static RunResult run(ModularData d, Params p, Optimizer opt, Hyper h, int steps,
      int[] logSteps, Pass trainPass, Pass testPass, Metrics<ModularStep> metrics) {
    int len = logSteps.length;
    Curve.Builder curve = metrics.builder(len);
    int logged = 0;
    Params g = new Params(p.q, p.m);
    Params mom = opt == Optimizer.ADAMW ? new Params(p.q, p.m) : null;
    Params vel = opt == Optimizer.ADAMW ? new Params(p.q, p.m) : null;
    double[] train = new double[4];
    double[] test = new double[4];
    double alpha = h.stepSize();
    double shrink = h.shrink();
    String detail = null;
    int done = steps;
    for (int t = 0; t <= steps; t++) {
      boolean update = t < steps;
      trainPass.run(p, d.trainA(), d.trainB(), d.trainLabel(), d.trainLabel(), update ? g : null, train);
      double normSq = p.normSq();
      if (!Double.isFinite(train[0]) || !Double.isFinite(normSq)) {
        done = t;
        detail = "non-finite training loss or weights at step " + t;
        break;
      }
      if (logged < len && logSteps[logged] == t) {
        // test_loss and test_acc_noisy on the noisy labels, test_acc on the clean ones
        testPass.run(p, d.testA(), d.testB(), d.testNoisy(), d.testClean(), null, test);
        metrics.record(new ModularStep(train, test, normSq, p), 0, t, curve);
        logged++;
      }
      if (!update) {
        break;
      }
      if (opt == Optimizer.GD) {
        gdStep(p.w1, g.w1, alpha, shrink);
        gdStep(p.w2, g.w2, alpha, shrink);
      } else {
        int tt = t + 1;
        double bc1 = 1.0 - Math.pow(Optimizer.BETA1, tt);
        double bc2 = 1.0 - Math.pow(Optimizer.BETA2, tt);
        adamwStep(p.w1, g.w1, mom.w1, vel.w1, alpha, shrink, bc1, bc2);
        adamwStep(p.w2, g.w2, mom.w2, vel.w2, alpha, shrink, bc1, bc2);
      }
    }
    Curve c = curve.build();
    return detail == null ? RunResult.ok(h, c, steps) : RunResult.diverged(h, c, done, detail);
  }

  private static void gdStep(double[] w, double[] g, double alpha, double shrink) {
    for (int i = 0; i < w.length; i++) {
      w[i] = shrink * w[i] - alpha * g[i];
    }
  }

  private static void adamwStep(double[] w, double[] g, double[] m, double[] v, double alpha,
      double shrink, double bc1, double bc2) {
    double b1 = Optimizer.BETA1;
    double b2 = Optimizer.BETA2;
    double eps = Optimizer.EPS;
    double sv = 1.0 / bc2;
    double sm = alpha / bc1;
    for (int i = 0; i < w.length; i++) {
      double gi = g[i];
      double mi = b1 * m[i] + (1.0 - b1) * gi;
      double vi = b2 * v[i] + (1.0 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = shrink * w[i] - sm * mi / (Math.sqrt(vi * sv) + eps);
    }
  }

  /**
   * Passes over one set of pairs (fixed size n): losses, accuracies, optionally the gradient.
   * The gather, the softmax and the scatter run in Java loops; the three products with W2
   * (logits = A W2^T, dW2 = G^T A, dA = G W2, A the n x m ReLU activations, G the n x q logit
   * gradients) are ND4J float64 gemm calls, about 3x faster than Java loops at these sizes.
   * Scratch holder; one per set and call of {@link #train}, not thread-safe.
   */
  static final class Pass {
    /** Index in {@code stats} of the mean loss on the first labels. */
    static final int LOSS = 0;
    /** Index in {@code stats} of the accuracy on the first labels. */
    static final int ACC = 1;
    /** Index in {@code stats} of the accuracy on the second (test: clean) labels. */
    static final int ACC_CLEAN = 3;
    private final int q;
    private final int m;
    private final int n;
    private final double[] act;
    private final double[] logits;
    private final double[] dl;
    private final double[] dAct;
    private final INDArray actNd;
    private final INDArray w2Nd;
    private final INDArray logitsNd;
    private final INDArray dlNd;
    private final INDArray g2Nd;
    private final INDArray dActNd;

    Pass(int q, int m, int n) {
      this.q = q;
      this.m = m;
      this.n = n;
      if ((long) n * m > Integer.MAX_VALUE || (long) n * q > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("pack too large: width " + m + " x " + n + " examples");
      }
      this.act = new double[n * m];
      this.logits = new double[n * q];
      this.dl = new double[n * q];
      this.dAct = new double[n * m];
      this.actNd = Nd4j.create(DataType.DOUBLE, n, m);
      this.w2Nd = Nd4j.create(DataType.DOUBLE, q, m);
      this.logitsNd = Nd4j.create(DataType.DOUBLE, n, q);
      this.dlNd = Nd4j.create(DataType.DOUBLE, n, q);
      this.g2Nd = Nd4j.create(DataType.DOUBLE, q, m);
      this.dActNd = Nd4j.create(DataType.DOUBLE, n, m);
    }

    /**
     * stats[0] = mean loss on {@code y}, stats[1] = accuracy on {@code y}, stats[2] = mean loss
     * on {@code y2}, stats[3] = accuracy on {@code y2}. If {@code grad} is not null, it is
     * overwritten with the gradient of the mean loss on {@code y}.
     */
    void run(Params p, int[] as, int[] bs, int[] y, int[] y2, Params grad, double[] stats) {
      if (as.length != n) {
        throw new IllegalStateException("pass sized for " + n + " pairs, got " + as.length);
      }
      double[] w1 = p.w1;
      for (int i = 0; i < n; i++) {
        int ka = as[i] * m;
        int kb = (q + bs[i]) * m;
        int off = i * m;
        for (int j = 0; j < m; j++) {
          act[off + j] = Math.max(w1[ka + j] + w1[kb + j], 0.0);
        }
      }
      actNd.data().asNioDouble().put(0, act, 0, act.length);
      w2Nd.data().asNioDouble().put(0, p.w2, 0, p.w2.length);
      Nd4j.gemm(actNd, w2Nd, logitsNd, false, true, 1.0, 0.0);
      logitsNd.data().asNioDouble().get(0, logits, 0, logits.length);

      double inv = 1.0 / n;
      double loss = 0.0;
      double loss2 = 0.0;
      int hits = 0;
      int hits2 = 0;
      for (int i = 0; i < n; i++) {
        int off = i * q;
        double max = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int c = 0; c < q; c++) {
          double v = logits[off + c];
          if (v > max) {
            max = v;
            arg = c;
          }
        }
        double sum = 0.0;
        for (int c = 0; c < q; c++) {
          sum += Math.exp(logits[off + c] - max);
        }
        double lse = max + Math.log(sum);
        loss += lse - logits[off + y[i]];
        loss2 += lse - logits[off + y2[i]];
        hits += arg == y[i] ? 1 : 0;
        hits2 += arg == y2[i] ? 1 : 0;
        if (grad != null) {
          for (int c = 0; c < q; c++) {
            dl[off + c] = Math.exp(logits[off + c] - lse) * inv;
          }
          dl[off + y[i]] -= inv;
        }
      }
      stats[0] = loss * inv;
      stats[1] = (double) hits / n;
      stats[2] = loss2 * inv;
      stats[3] = (double) hits2 / n;
      if (grad == null) {
        return;
      }
      dlNd.data().asNioDouble().put(0, dl, 0, dl.length);
      Nd4j.gemm(dlNd, actNd, g2Nd, true, false, 1.0, 0.0);
      g2Nd.data().asNioDouble().get(0, grad.w2, 0, grad.w2.length);
      Nd4j.gemm(dlNd, w2Nd, dActNd, false, false, 1.0, 0.0);
      dActNd.data().asNioDouble().get(0, dAct, 0, dAct.length);
      double[] g1 = grad.w1;
      Arrays.fill(g1, 0.0);
      // the ReLU derivative is read off the activation: act > 0 iff h > 0
      for (int i = 0; i < n; i++) {
        int ka = as[i] * m;
        int kb = (q + bs[i]) * m;
        int off = i * m;
        for (int j = 0; j < m; j++) {
          double dh = act[off + j] > 0.0 ? dAct[off + j] : 0.0;
          g1[ka + j] += dh;
          g1[kb + j] += dh;
        }
      }
    }
  }
}

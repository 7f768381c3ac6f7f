package io.grokgrid.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Full-batch gradient descent on the mean logistic loss for the network of {@link Net}, as in
 * Xu et al. (arXiv 2310.02541): only W is trained, W <- (1 - alpha*lambda) W - alpha grad. With
 * a leaky ReLU ({@link Net#leak()} > 0, Frei et al. 2023) the same holds, and so does the dual form.
 *
 * <p><b>Packing.</b> A pack is a list of runs that share a data set and W(0) (common random
 * numbers) and differ only in step size and weight decay. The runs are stacked into one
 * (k*m)-row state so each step is one large matrix product; per-run step sizes and decays become
 * per-row scalings. Packing changes no row's arithmetic, but BLAS may block rows differently
 * by position and count, so a packed run can differ from the same run alone in the last bits
 * (float rounding); accuracies agree.
 *
 * <p><b>Primal and dual forms.</b> The primal form keeps W (k*m x p) and pays 4 k m n p flops a
 * step. Because every row of W stays in span{its initial row, the training inputs},
 * W_t = s_t W_0 + C_t X with s_t = (1 - alpha*lambda)^t, the dual form keeps the training
 * pre-activations P_t = W_t X^T and C_t instead:
 * P_{t+1} = (1 - alpha*lambda) P_t - alpha D_t K with K = X X^T, at 2 k m n^2 flops a step. Test
 * pre-activations are s_t W_0 X_test^T + C_t X X_test^T, needed only at logged steps; W_0 X^T is
 * formed chunk by chunk from the seed and W_0 is never held whole. {@link #chooseForm} picks the
 * cheaper one. Both give the same numbers up to floating-point rounding.
 *
 * <p><b>Divergence.</b> A run whose training outputs or pre-activations become NaN or infinite
 * at step t stops there with status {@code diverged} and steps_done = t; its rows are zeroed so
 * the other runs of its pack go on unaffected.
 *
 * <p>Instances are not kept: {@link #train} is a pure function of its arguments. Not thread-safe
 * only in the sense that ND4J arrays of one call must not be shared with another thread.
 */
public final class GdTrainer {
  private GdTrainer() {}

  /** How the state of a pack is represented. */
  public enum Form {
    PRIMAL,
    DUAL;

    /** The lower-case name used in specs and tables. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code primal}, {@code dual}; {@code auto} is handled by the caller. */
    public static Form parse(String s) {
      return switch (s) {
        case "primal" -> PRIMAL;
        case "dual" -> DUAL;
        default -> throw new IllegalArgumentException("form must be one of [auto, primal, dual], got " + s);
      };
    }
  }

  /** Status values of a finished run. */
  public static final String OK = "ok";
  /** A run stopped by NaN/Inf. */
  public static final String DIVERGED = "diverged";

  /**
   * One run's outcome.
   *
   * @param hyper its step size and weight decay
   * @param curve metrics at every logged step reached
   * @param status {@link #OK} or {@link #DIVERGED}
   * @param stepsDone number of GD steps completed (the divergence step for diverged runs)
   * @param detail empty, or why the run stopped early
   */
  public record RunResult(Hyper hyper, Curve curve, String status, int stepsDone, String detail) {}

  /**
   * The outcome of a pack.
   *
   * @param form the form used
   * @param runs one result per hyper, in the given order
   * @param flops floating-point operations spent (multiply and add counted apart)
   */
  public record PackResult(Form form, List<RunResult> runs, double flops) {}

  /** Flops per state row (one hidden unit of one run) of a whole run in the given form. */
  public static double cost(Form form, int n, int nTest, int dim, int steps, int logs) {
    return form == Form.PRIMAL ? primalCost(n, nTest, dim, steps, logs) : dualCost(n, nTest, dim, steps, logs);
  }

  /** Flops per state row of a whole run in the primal form. */
  static double primalCost(int n, int nTest, int dim, int steps, int logs) {
    return (double) steps * 4.0 * n * dim + (double) logs * 2.0 * nTest * dim;
  }

  /** Flops per state row of a whole run in the dual form, set-up included. */
  static double dualCost(int n, int nTest, int dim, int steps, int logs) {
    return 2.0 * (n + nTest) * dim + (double) steps * 2.0 * n * n
        + (double) logs * (2.0 * n * nTest + 2.0 * n * n);
  }

  /** The cheaper form by the flop counts above; ties go to the primal form (no set-up). */
  public static Form chooseForm(int n, int nTest, int dim, int steps, int logs) {
    return dualCost(n, nTest, dim, steps, logs) < primalCost(n, nTest, dim, steps, logs)
        ? Form.DUAL : Form.PRIMAL;
  }

  /**
   * Trains a pack of runs.
   *
   * @param d the data set (its arrays' type sets the precision)
   * @param gram d's Gram matrices for the dual form, or null to compute them here
   * @param net width, initialization scale and seed, shared by the pack
   * @param hypers one entry per run
   * @param steps number of GD steps T
   * @param logSteps increasing steps in [0, T] at which metrics are recorded, ending at T
   * @param form primal or dual
   */
  public static PackResult train(Dataset d, Gram gram, Net net, List<Hyper> hypers, int steps,
      int[] logSteps, Form form) {
    if (hypers.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one run");
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    LogSchedule.check(steps, logSteps);
    return new Loop(d, gram, net, hypers, steps, logSteps, form).run();
  }

  /**
   * The gradient of the mean logistic loss with respect to W at {@code w} (m x p), computed by
   * the same code a training step uses (for gradient checks).
   */
  static INDArray gradient(Dataset d, Net net, INDArray w) {
    return new Loop(d, null, net, List.of(new Hyper(1.0, 0.0)), 0, new int[] {0}, Form.PRIMAL)
        .gradientAt(w);
  }

  private interface State {
    /** Training pre-activations P (k m x n), current. */
    INDArray trainPre();

    /** Test pre-activations (k m x n_test). */
    INDArray testPre();

    /** |W_r|_F^2 per run. */
    double[] weightNormSq();

    /** Applies one step given D already scaled by step size (k m x n). */
    void step(INDArray d, double[] shrink);

    /** Zeroes run r's rows (after divergence). */
    void zero(int r);

    double flops();
  }

  private static final class Loop {
    private final Dataset d;
    private final Net net;
    private final List<Hyper> hypers;
    private final int steps;
    private final int[] logSteps;
    private final int k;
    private final int m;
    private final int n;
    private final int nt;
    private final double[] a;
    private final double[] y;
    private final double[] yTestClean;
    private final double[] yTestNoisy;
    private final State state;
    private final Form form;
    private final double[] coef;
    private final double[] shrink;
    private final INDArray dMat;
    private final Passes passes;

    Loop(Dataset d, Gram gram, Net net, List<Hyper> hypers, int steps, int[] logSteps, Form form) {
      this.d = d;
      this.net = net;
      this.hypers = List.copyOf(hypers);
      this.steps = steps;
      this.logSteps = logSteps.clone();
      this.form = form;
      this.k = hypers.size();
      this.m = net.width();
      this.n = d.nTrain();
      this.nt = d.nTest();
      this.a = net.outputWeights();
      this.y = d.yTrain().toDoubleVector();
      this.yTestClean = d.yTestClean().toDoubleVector();
      this.yTestNoisy = d.yTestNoisy().toDoubleVector();
      long rows = (long) k * m;
      if (rows * Math.max(n, nt) > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("pack too large: " + k + " runs x width " + m + " x " + n + " examples");
      }
      this.coef = new double[k];
      this.shrink = new double[k];
      for (int r = 0; r < k; r++) {
        coef[r] = hypers.get(r).stepSize();
        shrink[r] = hypers.get(r).shrink();
      }
      DataType type = d.xTrain().dataType();
      this.dMat = Nd4j.create(type, rows, n);
      this.passes = Passes.of(type, k, m, n, a, net.leak());
      this.state = form == Form.PRIMAL ? new Primal() : new Dual(gram == null ? Gram.of(d) : gram);
    }

    PackResult run() {
      CurveBuilder[] curves = new CurveBuilder[k];
      for (int r = 0; r < k; r++) {
        curves[r] = new CurveBuilder(logSteps.length);
      }
      boolean[] alive = new boolean[k];
      Arrays.fill(alive, true);
      int[] stepsDone = new int[k];
      String[] detail = new String[k];
      int liveCount = k;
      double[] f = new double[k * n];
      double[] g = new double[k * n];
      double[] blockSum = new double[k];
      int li = 0;
      for (int t = 0; t <= steps && liveCount > 0; t++) {
        passes.forward(state.trainPre(), n, f, blockSum, true);
        for (int r = 0; r < k; r++) {
          if (alive[r] && !finiteRun(f, r, n, blockSum[r])) {
            alive[r] = false;
            liveCount--;
            stepsDone[r] = t;
            detail[r] = "non-finite training outputs or weights at step " + t;
            state.zero(r);
            coef[r] = 0.0;
            shrink[r] = 1.0;
            Arrays.fill(f, r * n, (r + 1) * n, 0.0);
          }
        }
        if (li < logSteps.length && t == logSteps[li]) {
          log(t, f, alive, curves);
          li++;
        }
        if (t == steps || liveCount == 0) {
          break;
        }
        outputGradient(f, g);
        passes.backward(g, shrink, form == Form.DUAL, dMat);
        state.step(dMat, shrink);
      }
      for (int r = 0; r < k; r++) {
        if (alive[r]) {
          stepsDone[r] = steps;
        }
      }
      List<RunResult> out = new ArrayList<>(k);
      for (int r = 0; r < k; r++) {
        out.add(new RunResult(hypers.get(r), curves[r].build(), alive[r] ? OK : DIVERGED,
            stepsDone[r], alive[r] ? "" : detail[r]));
      }
      return new PackResult(form, out, state.flops());
    }

    /** g[r, i] = step size of run r times dL/df_i = -(1/n) y_i sigmoid(-y_i f_i). */
    private void outputGradient(double[] f, double[] g) {
      for (int r = 0; r < k; r++) {
        // one division per example, not two: they, not exp, dominate this loop
        double c = -coef[r] / n;
        for (int i = 0; i < n; i++) {
          double z = y[i] * f[r * n + i];
          g[r * n + i] = c * y[i] / (1.0 + Math.exp(z));
        }
      }
    }

    /** The loss gradient at W = w (m x p), through the same passes as a training step. */
    INDArray gradientAt(INDArray w) {
      Primal primal = (Primal) state;
      primal.w.assign(w);
      double[] f = new double[n];
      double[] g = new double[n];
      passes.forward(primal.trainPre(), n, f, new double[1], true);
      outputGradient(f, g);
      passes.backward(g, shrink, false, dMat);
      return Nd4j.gemm(dMat, d.xTrain(), false, false);
    }

    private static boolean finiteRun(double[] f, int r, int cols, double sum) {
      if (!Double.isFinite(sum)) {
        return false;
      }
      for (int i = r * cols; i < (r + 1) * cols; i++) {
        if (!Double.isFinite(f[i])) {
          return false;
        }
      }
      return true;
    }

    private void log(int t, double[] f, boolean[] alive, CurveBuilder[] curves) {
      double[] ft = new double[k * nt];
      passes.forward(state.testPre(), nt, ft, new double[k], false);
      double[] wsq = state.weightNormSq();
      for (int r = 0; r < k; r++) {
        if (!alive[r]) {
          continue;
        }
        double trainLoss = 0;
        int trainHits = 0;
        for (int i = 0; i < n; i++) {
          double z = y[i] * f[r * n + i];
          trainLoss += softplus(-z);
          trainHits += z > 0 ? 1 : 0;
        }
        double testLoss = 0;
        int clean = 0;
        int noisy = 0;
        for (int i = 0; i < nt; i++) {
          double fi = ft[r * nt + i];
          testLoss += softplus(-yTestNoisy[i] * fi);
          clean += yTestClean[i] * fi > 0 ? 1 : 0;
          noisy += yTestNoisy[i] * fi > 0 ? 1 : 0;
        }
        curves[r].add(t, trainLoss / n, (double) trainHits / n, testLoss / nt, (double) clean / nt,
            (double) noisy / nt, Math.sqrt(Math.max(0.0, wsq[r])));
      }
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
      return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** Per run r: sum over its rows (j k + r, unit-major) of x . y, accumulated in double. */
    private double[] blockDots(INDArray x, INDArray y) {
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
    private INDArray stack(INDArray x) {
      return k == 1 ? x.dup('c') : Nd4j.tile(x, 1, k).reshape('c', (long) m * k, x.columns()).dup('c');
    }

    private static boolean uniform(double[] v) {
      for (double x : v) {
        if (x != v[0]) {
          return false;
        }
      }
      return true;
    }

    private INDArray shrinkColumn;
    private double[] shrinkColumnOf;

    /** The per-row column of per-run values; cached, since shrinks change only on divergence. */
    private INDArray column(double[] perRun) {
      if (shrinkColumn == null || !Arrays.equals(perRun, shrinkColumnOf)) {
        shrinkColumn = perRowColumn(perRun);
        shrinkColumnOf = perRun.clone();
      }
      return shrinkColumn;
    }

    /** The (m k x 1) column holding perRun[r] at rows j k + r. */
    private INDArray perRowColumn(double[] perRun) {
      double[] col = new double[k * m];
      for (int row = 0; row < k * m; row++) {
        col[row] = perRun[row % k];
      }
      return Nd4j.create(col, new long[] {(long) k * m, 1}, 'c').castTo(dMat.dataType());
    }

    /** Run r's rows j k + r, j = 0..m-1 (a strided view). */
    private INDArray rows(INDArray x, int r) {
      return x.get(NDArrayIndex.interval((long) r, (long) k, (long) k * m), NDArrayIndex.all());
    }

    /** W is held whole: k m x p. */
    private final class Primal implements State {
      private final INDArray w;
      private final INDArray p;
      private final INDArray q;
      private final INDArray x;
      private final INDArray xt;
      private double flops;

      Primal() {
        DataType type = d.xTrain().dataType();
        int dim = d.dim();
        INDArray w0 = net.initialWeights(dim, type);
        w = k == 1 ? w0 : stack(w0);
        p = Nd4j.create(type, (long) k * m, n);
        q = Nd4j.create(type, (long) k * m, nt);
        x = d.xTrain();
        xt = d.xTest();
      }

      @Override
      public INDArray trainPre() {
        Blas.gemm(w, x, p, false, true, 1.0, 0.0);
        flops += 2.0 * k * m * n * d.dim();
        return p;
      }

      @Override
      public INDArray testPre() {
        Blas.gemm(w, xt, q, false, true, 1.0, 0.0);
        flops += 2.0 * k * m * nt * d.dim();
        return q;
      }

      @Override
      public double[] weightNormSq() {
        // per-row norms squared in double: squares of finite float32 weights can overflow float32
        double[] rowNorms = w.norm2(1).toDoubleVector();
        for (int row = 0; row < rowNorms.length; row++) {
          if (!Double.isFinite(rowNorms[row])) {
            // float32 accumulation overflowed on a finite row: redo that row (only) in double
            rowNorms[row] = w.getRow(row).castTo(DataType.DOUBLE).norm2Number().doubleValue();
          }
        }
        double[] out = new double[k];
        for (int row = 0; row < k * m; row++) {
          out[row % k] += rowNorms[row] * rowNorms[row];
        }
        return out;
      }

      @Override
      public void step(INDArray dm, double[] sh) {
        if (uniform(sh)) {
          Blas.gemm(dm, x, w, false, false, -1.0, sh[0]);
        } else {
          w.muliColumnVector(column(sh));
          Blas.gemm(dm, x, w, false, false, -1.0, 1.0);
        }
        flops += 2.0 * k * m * n * d.dim();
      }

      @Override
      public void zero(int r) {
        rows(w, r).assign(0.0);
      }

      @Override
      public double flops() {
        return flops;
      }
    }

    /** P = W X^T and C with W = s W_0 + C X; W_0 only through W_0 X^T and W_0 X_test^T. */
    private final class Dual implements State {
      private final INDArray kTrain;
      private final INDArray kTrainTest;
      private final INDArray p0;
      private final INDArray q0;
      private final INDArray q0s;
      /** W_0 X^T stacked per run (m k x n), formed once: the cross term of every weight norm. */
      private final INDArray p0s;
      private final double w0sq;
      private final INDArray p;
      private final INDArray c;
      private final INDArray q;
      private final double[] s;
      private double flops;

      Dual(Gram gram) {
        DataType type = d.xTrain().dataType();
        int dim = d.dim();
        kTrain = gram.train();
        kTrainTest = gram.trainTest();
        p0 = Nd4j.create(type, m, n);
        q0 = Nd4j.create(type, m, nt);
        double sq = 0.0;
        for (int ch = 0; ch < Net.chunks(dim); ch++) {
          INDArray w0c = net.initialChunk(dim, ch, type);
          long from = (long) ch * Net.CHUNK;
          INDArray xc = d.xTrain().get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + w0c.columns()));
          INDArray xtc = d.xTest().get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + w0c.columns()));
          INDArray xcd = xc.dup('c');
          INDArray xtcd = xtc.dup('c');
          Blas.gemm(w0c, xcd, p0, false, true, 1.0, 1.0);
          Blas.gemm(w0c, xtcd, q0, false, true, 1.0, 1.0);
          double nrm = w0c.norm2Number().doubleValue();
          sq += nrm * nrm;
          // native memory is freed when the Java wrappers are collected, which can be long after
          // when little else allocates on the heap: release these (up to 4 MB a chunk) now
          Dataset.release(w0c, xcd, xtcd);
        }
        w0sq = sq;
        flops += 2.0 * m * (n + nt) * dim;
        p0s = stack(p0);
        p = p0s.dup('c');
        q0s = stack(q0);
        c = Nd4j.create(type, (long) k * m, n);
        q = Nd4j.create(type, (long) k * m, nt);
        s = new double[k];
        Arrays.fill(s, 1.0);
      }

      @Override
      public INDArray trainPre() {
        return p;
      }

      @Override
      public INDArray testPre() {
        passes.storeCoefficients(c);
        Blas.gemm(c, kTrainTest, q, false, false, 1.0, 0.0);
        q.addi(q0s.mulColumnVector(perRowColumn(s)));
        flops += 2.0 * k * m * n * nt;
        return q;
      }

      @Override
      public double[] weightNormSq() {
        // |s W0 + C X|^2 = s^2 |W0|^2 + 2 s <W0 X^T, C> + <C K, C>, per run, summed in double
        // (squares of finite float32 weights can overflow float32)
        passes.storeCoefficients(c);
        INDArray ck = Nd4j.gemm(c, kTrain, false, false);
        double[] quad = blockDots(ck, c);
        double[] cross = blockDots(c, p0s);
        flops += 2.0 * k * m * n * n;
        double[] out = new double[k];
        for (int r = 0; r < k; r++) {
          out[r] = s[r] * s[r] * w0sq + 2.0 * s[r] * cross[r] + quad[r];
        }
        return out;
      }

      @Override
      public void step(INDArray dm, double[] sh) {
        if (uniform(sh)) {
          Blas.gemm(dm, kTrain, p, false, false, -1.0, sh[0]);
        } else {
          p.muliColumnVector(column(sh));
          Blas.gemm(dm, kTrain, p, false, false, -1.0, 1.0);
        }
        for (int r = 0; r < k; r++) {
          s[r] *= sh[r];
        }
        flops += 2.0 * k * m * n * n;
      }

      @Override
      public void zero(int r) {
        rows(p, r).assign(0.0);
        passes.zeroCoefficients(r);
        s[r] = 0.0;
      }

      @Override
      public double flops() {
        return flops;
      }
    }
  }

  /** Accumulates one run's logged metrics. */
  private static final class CurveBuilder {
    private final int[] steps;
    private final double[][] cols;
    private int len;

    CurveBuilder(int capacity) {
      steps = new int[capacity];
      cols = new double[6][capacity];
    }

    void add(int step, double... values) {
      steps[len] = step;
      for (int c = 0; c < 6; c++) {
        cols[c][len] = values[c];
      }
      len++;
    }

    Curve build() {
      return new Curve(Arrays.copyOf(steps, len), Arrays.copyOf(cols[0], len),
          Arrays.copyOf(cols[1], len), Arrays.copyOf(cols[2], len), Arrays.copyOf(cols[3], len),
          Arrays.copyOf(cols[4], len), Arrays.copyOf(cols[5], len));
    }
  }
}

package io.grokgrid.engine.net;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.Metric;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.EffectiveRank;
import io.grokgrid.engine.SigmaMax;
import io.grokgrid.engine.StableRank;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
import java.util.List;

/**
 * The two-layer network families: {@code xor-clusters} (Xu et al., arXiv 2310.02541; plain ReLU)
 * and {@code gaussian-mixture} (Frei et al., COLT 2023; leaky ReLU), both trained by
 * {@link GdTrainer} on the mean logistic loss. The data set carries its Gram matrices, formed once
 * on first use by a dual-form pack and shared by the others.
 *
 * @param task the data recipe
 * @param width m, hidden units
 * @param initScale omega, initial weight std
 * @param leak leaky-ReLU slope for negative inputs, in [0, 1) (0: ReLU)
 * @param formChoice {@code auto} (the cheapest by the cost model), {@code primal}, {@code dual} or
 *     {@code dual-mask} or {@code primal-mask} (float32 only)
 * @param precision float32 or float64
 * @param metrics the optional metrics recorded (columns of {@link #METRICS})
 */
record NetFamily(BinaryTask task, int width, double initScale, double leak, String formChoice,
    Precision precision, List<String> metrics) implements Family<NetFamily.Data> {

  /** Validates width, scale, leak and form (the task validated itself). */
  public NetFamily {
    new Net(width, initScale, 0L, leak);
    metrics = List.copyOf(metrics);
    Metrics.check(metrics, METRICS.optionalNames());
    Form.checkChoice(formChoice);
    if (Values.MASK_FORMS.contains(formChoice) && !Form.parse(formChoice).allows(precision)) {
      throw new IllegalArgumentException("form " + formChoice + " needs precision "
          + Precision.FLOAT32.label() + ", got " + precision.label());
    }
  }

  /**
   * The metrics both families record at every logged step: the mean logistic loss and the
   * accuracy on the observed training labels, the mean logistic loss on the noisy test labels,
   * the accuracies on the clean and the noisy test labels, and |W|_F.
   */
  static final Metrics<NetStep> METRICS = new Metrics<>(List.of(
      Metric.scalar(Columns.TRAIN_LOSS, (s, r) -> NetStep.logisticLoss(s.f(), r, s.n(), s.y())),
      Metric.scalar(Columns.TRAIN_ACC, (s, r) -> NetStep.accuracy(s.f(), r, s.n(), s.y())),
      Metric.scalar(Columns.TEST_LOSS, (s, r) -> NetStep.logisticLoss(s.ft(), r, s.nt(), s.yTestNoisy())),
      Metric.scalar(Columns.TEST_ACC, (s, r) -> NetStep.accuracy(s.ft(), r, s.nt(), s.yTestClean())),
      Metric.scalar(Columns.TEST_ACC_NOISY, (s, r) -> NetStep.accuracy(s.ft(), r, s.nt(), s.yTestNoisy())),
      Metric.scalar(Columns.WEIGHT_NORM, (s, r) -> Math.sqrt(Math.max(0.0, s.weightNormSq()[r])))),
      List.of(new StableRank<>(), new EffectiveRank<>(), new SigmaMax<>(), new FlipRadius(),
          new GradOrthShare(), new WOrthNorm(), new KktResidual()),
      List.of(Columns.STABLE_RANK, Columns.EFFECTIVE_RANK, Columns.SIGMA_MAX));

  /** The optional metrics that read W W^T or W P_perp W^T (in the dual forms: W0 W0^T). */
  private static final List<String> WEIGHT_GRAM = List.of(Columns.STABLE_RANK,
      Columns.EFFECTIVE_RANK, Columns.SIGMA_MAX, Columns.FLIP_RADIUS, Columns.GRAD_ORTH_SHARE,
      Columns.W_ORTH_NORM);

  /** Whether {@code m} records a metric that needs W W^T or W P_perp W^T. */
  static boolean needsWeightGram(Metrics<NetStep> m) {
    return WEIGHT_GRAM.stream().anyMatch(m::records);
  }

  /** Whether {@code m} records any metric of {@link NetGeometry}. */
  static boolean needsSpan(Metrics<NetStep> m) {
    return needsWeightGram(m) || m.records(Columns.KKT_RESIDUAL);
  }

  /** A drawn data set and, once a dual pack needed them, its Gram matrices. */
  public static final class Data implements AutoCloseable {
    private final Dataset dataset;
    private Gram gram;
    private Span span;

    /** Frees the data set's and the Gram matrices' native memory; see {@link Dataset#close}. */
    @Override
    public void close() {
      dataset.close();
      if (gram != null) {
        Dataset.release(gram.train(), gram.trainTest());
      }
    }

    Data(Dataset dataset) {
      this.dataset = dataset;
    }

    /** The data set. */
    public Dataset dataset() {
      return dataset;
    }

    Gram gram() {
      if (gram == null) {
        gram = Gram.of(dataset);
      }
      return gram;
    }

    /** K and K^+ in float64 for the implicit-bias metrics: once per data set, shared by its packs. */
    Span span() {
      if (span == null) {
        span = Span.of(dataset.xTrain());
      }
      return span;
    }
  }

  @Override
  public Data generate(long seed) {
    return new Data(task.generate(seed, precision));
  }

  @Override
  public PackResult train(Data data, long initSeed, List<Hyper> hypers, int steps,
      int[] logSteps) {
    Form form = form(steps, logSteps.length);
    Net net = new Net(width, initScale, initSeed, leak);
    Metrics<NetStep> ms = METRICS.select(metrics);
    return GdTrainer.train(data.dataset(), form.primal() ? null : data.gram(), net,
        hypers, steps, logSteps, form, ms, task.signal(), needsSpan(ms) ? data.span() : null);
  }

  @Override
  public Form form(int steps, int logs) {
    BinaryTask s = task;
    return formChoice.equals(Values.AUTO)
        ? GdTrainer.chooseForm(width, s.nTrain(), s.nTest(), s.dim(), steps, logs, precision)
        : Form.parse(formChoice);
  }

  @Override
  public double setupCost() {
    BinaryTask s = task;
    return 2.0 * (s.nTrain() + s.nTest()) * s.dim();
  }

  @Override
  public double runCost(int steps, int logs) {
    BinaryTask s = task;
    Form form = form(steps, logs);
    return (double) width * GdTrainer.cost(form, width, s.nTrain(), s.nTest(), s.dim(), steps, logs)
        + metricCost(form, logs);
  }

  /**
   * Flop-equivalents of one run's optional metrics (set-up charged to each run, as packs of
   * these metrics' users are mostly one run): the span K, K^+ (2 n^2 p + ~10 n^3); in the dual
   * forms W0 W0^T (2 m^2 p); per logged step the Gram W W^T (dual 4 m^2 n, primal 2 m^2 p), its
   * eigenvalues (LAPACK dsyevd without vectors: ~10 m^3 flop-equivalents, its tridiagonal
   * reduction being memory-bound), ~6 DeepFool products G V (2 m^2 n_t each), G V and H V for
   * the gradient shares, and the NNLS of the KKT residual (2 m n^2 + a few n^3 / 3 Cholesky
   * solves warm-started from the previous logged step; ~n^4 / 12 for the first).
   */
  double metricCost(Form form, int logs) {
    Metrics<NetStep> ms = METRICS.select(metrics);
    if (!needsSpan(ms)) {
      return 0.0;
    }
    double m = width;
    double n = task.nTrain();
    double nt = task.nTest();
    double p = task.dim();
    boolean primal = form.primal();
    double setup = 2 * n * n * p + 10 * n * n * n;
    double perLog = 0.0;
    boolean spectral = ms.records(Columns.STABLE_RANK) || ms.records(Columns.EFFECTIVE_RANK)
        || ms.records(Columns.SIGMA_MAX);
    if (spectral || ms.records(Columns.FLIP_RADIUS) || ms.records(Columns.GRAD_ORTH_SHARE)) {
      perLog += primal ? 2 * m * m * p : 4 * m * m * n;
    }
    if (needsWeightGram(ms) && !primal) {
      setup += 2 * m * m * p;
    }
    if (spectral) {
      perLog += 10 * m * m * m;
    }
    if (ms.records(Columns.FLIP_RADIUS)) {
      perLog += 12 * m * m * nt;
    }
    if (ms.records(Columns.GRAD_ORTH_SHARE)) {
      perLog += 4 * m * m * nt;
    }
    if (ms.records(Columns.W_ORTH_NORM)) {
      perLog += primal ? 2 * m * p * (2 * n + m) : m * m;
    }
    if (ms.records(Columns.KKT_RESIDUAL)) {
      // the first NNLS from zero (~n Cholesky solves, n^4 / 12), the others warm-started (a few)
      setup += n * n * n * n / 12;
      perLog += 2 * m * n * n + n * n * n;
    }
    return setup + logs * perLog;
  }

  /**
   * Counted from the trainer's code, e = 4 or 8 bytes by precision, k runs, m = width, n, n_t,
   * p = dim. Data: each part's inputs are drawn into a Java array (n x p) and copied to ND4J
   * (train and test, (n + n_t) x p). Both forms: the loss derivative matrix k m x n and the
   * {@link Passes}' Java copies (outputs k m x n twice, a k m x n_t scratch at logged steps).
   * Primal: W0 m x p (built from m x {@link Net#CHUNK} chunks), its k-fold stack (a tile and its
   * copy: 2 k m x p) and the pre-activations k m x (n + n_t). Dual: W0 chunk by chunk (Java and
   * ND4J), the Gram matrices n x (n + n_t), the pre-activations P0, P, C and Q (3 k m x n,
   * 2 k m x n_t), the passes' coefficients k m x n, and at logged steps C K plus two flattened
   * copies in double (weight norm).
   */
  @Override
  public MemoryUse memory(int packRuns, int steps, int logs) {
    double k = packRuns;
    double m = width;
    double n = task.nTrain();
    double nt = task.nTest();
    double p = task.dim();
    int e = precision == Precision.FLOAT32 ? 4 : 8;
    MemoryUse.Builder b = new MemoryUse.Builder()
        .index("n_train x dim", n * p)
        .index("n_test x dim", nt * p)
        .index("width x " + Net.CHUNK + " (a W0 chunk)", m * Math.min(p, Net.CHUNK))
        .index("runs x width x n_train", k * m * n)
        .index("runs x width x n_test", k * m * nt)
        .add("X", Math.max(n, nt) * p + p, (n + nt) * p, e)
        .add("loss derivatives", 0, k * m * n, e)
        .add("passes", k * m * (2 * n + nt) + 3 * k * (n + nt), 0, e);
    Form form = form(steps, logs);
    if (form == Form.DUAL_MASK) {
      double stride = Math.ceil(n / MaskRun.PAD) * MaskRun.PAD;
      b.add("W0 chunks", m * Math.min(p, Net.CHUNK),
              m * Math.min(p, Net.CHUNK) + (n + nt) * Math.min(p, Net.CHUNK) + m * (n + nt), e)
          .add("Gram", n * stride, n * (n + nt), e)
          // P and C per run, two mask bit arrays (m x stride bits each), the kernel's tables; the
          // carried product per run (MaskProduct: R, diag(g) K, two rows, a third bit array)
          .add("mask state", k * (2 * m * stride + m * stride / (4.0 * e))
              + k * ((m + n + 2) * stride + m + m * stride / (8.0 * e)) + MaskKernel.tableSize(task.nTrain()),
              k * m * (n + 2 * nt) + m * n, e);
    } else if (form.primal()) {
      double xs = Math.ceil(p / MaskRun.PAD) * MaskRun.PAD;
      b.add("W0 chunks", m * Math.min(p, Net.CHUNK), m * p, e)
          .add("primal state", 0, (packRuns == 1 ? 0 : 2 * k * m * p) + k * m * (n + nt), e);
      if (form == Form.PRIMAL_MASK) {
        // W and X in Java with padded rows (and their one-off copies from ND4J), the tables
        b.add("mask state", 2 * (k * m + n) * xs + MaskKernel.tableSize(task.nTrain()) + xs, 0, e);
      }
    } else {
      b.add("W0 chunks", m * Math.min(p, Net.CHUNK),
              m * Math.min(p, Net.CHUNK) + (n + nt) * Math.min(p, Net.CHUNK) + m * (n + nt), e)
          .add("Gram", 0, n * (n + nt), e)
          .add("dual state", k * m * n, k * m * (6 * n + 2 * nt), e)
          .add("weight norm", 2 * k * m * n * 8.0 / e, 0, e);
    }
    Metrics<NetStep> ms = METRICS.select(metrics);
    if (needsSpan(ms)) {
      // float64: K, K^+ (with dsyevd's copy); W0 W0^T in the pack's type and both it and
      // W0 P_perp W0^T in double; at a logged step one run's G, H, V, G V and the routes' m x n
      // copies, each also copied for OpenBLAS; the primal form's projections copy X and W
      boolean primalOrth = form.primal()
          && (ms.records(Columns.W_ORTH_NORM) || ms.records(Columns.GRAD_ORTH_SHARE));
      b.index("width x width", m * m)
          .add("implicit-bias metrics", 4 * n * n + 9 * m * m + 4 * m * nt + 6 * m * n
              + (primalOrth ? n * p + 2 * m * p : 0), 0, 8)
          .add("W0 W0^T", 0, needsWeightGram(ms) ? m * m : 0, e);
    }
    return b.build();
  }

  @Override
  public int rowsPerRun() {
    return width;
  }
}

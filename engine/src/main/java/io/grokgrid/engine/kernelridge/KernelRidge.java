package io.grokgrid.engine.kernelridge;

import static io.grokgrid.engine.Recipe.param;
import static io.grokgrid.vocab.Columns.BANDWIDTH;
import static io.grokgrid.vocab.Columns.BANDWIDTH_EXPONENT;
import static io.grokgrid.vocab.Columns.DECAY;
import static io.grokgrid.vocab.Columns.DESIGN;
import static io.grokgrid.vocab.Columns.DIM;
import static io.grokgrid.vocab.Columns.EXP_RATE;
import static io.grokgrid.vocab.Columns.FEATURES;
import static io.grokgrid.vocab.Columns.LABEL_NOISE_STD;
import static io.grokgrid.vocab.Columns.N_TEST;
import static io.grokgrid.vocab.Columns.N_TRAIN;
import static io.grokgrid.vocab.Columns.SPECTRUM;
import static io.grokgrid.vocab.Columns.STEP_SIZE;
import static io.grokgrid.vocab.Columns.TARGET;
import static io.grokgrid.vocab.Columns.TARGET_DECAY;
import static io.grokgrid.vocab.Columns.WEIGHT_DECAY;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.Metric;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.ParamDef.Role;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Recipe;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of overfitting in kernel ridge regression (KRR): Zhou, Simon, Vardi, Srebro (2023),
 * "An Agnostic View on the Cost of Overfitting in (Kernel) Ridge Regression", and Medvedev, Vardi,
 * Srebro (2024), "Overfitting Behaviour of Gaussian Kernel Ridgeless Regression: Varying Bandwidth
 * or Dimensionality", after Mallinar et al. (2022); README, "Task `kernel-ridge`".
 *
 * <p>Data ({@code design}): {@code spectrum}, a Gaussian design in the kernel's eigenbasis
 * (P = {@code features} eigenfunctions with eigenvalues from {@link Spectrum}, target
 * coefficients v_i = i^(-target_decay / 2) or a pure-noise target) with the exact population
 * risk; or {@code gaussian-kernel}, x uniform on S^(dim-1) with the Gaussian kernel of bandwidth
 * h = bandwidth * n^-bandwidth_exponent, target sin(x_1) or noise, risk by Monte Carlo on
 * {@code n_test} points. See {@link KrrData}.
 *
 * <p>Ridge: the {@code weight_decay} axis is delta in min sum_i (f(x_i) - y_i)^2 + delta
 * |f|_H^2, alpha = (K + delta I)^-1 y with the unnormalized kernel matrix, the convention of the
 * eigenframework's equation sum_i lambda_i / (lambda_i + kappa) + delta / kappa = n
 * ({@link Eigenframework}); delta = 0 is the minimum-norm interpolant. Nothing is trained: one
 * eigendecomposition of K per data set (float64) serves every delta it resolves (delta at least
 * 1e4 n eps k_max, {@link KrrData#eigenAccurate}); in the Gaussian-kernel design the smaller
 * deltas and delta = 0 are solved in double-double ({@link GaussianExact}), because that K's
 * eigenvalues fall below float64's resolution and its pseudo-inverse is not the interpolant.
 * Each run's curve is one point at step 0 (as {@code solver: min-norm} of
 * univariate-regression); {@code step_size} and {@code steps} are unused.
 *
 * <p>Metrics: {@code train_loss} the training MSE, {@code test_loss} the test risk (MSE on noisy
 * targets, the cost of overfitting's risk), {@code weight_norm} the RKHS norm, {@code kernel_rank}
 * the eigenvalues the solve kept. Theory columns (spectrum design; null for the Gaussian kernel):
 * {@code ef_kappa}, {@code ef_risk} at the run's delta and {@code ef_cost}, the eigenframework's
 * risk at delta 0 over its least risk over delta in [0, infinity].
 *
 * <p>Seed semantics: every draw from the data set seed (see {@link KrrData}); there is no
 * initialization.
 *
 * @param nTrain n
 * @param nTest test points (gaussian-kernel)
 * @param gaussianKernel the design: false for spectrum, true for gaussian-kernel
 * @param spectrum the eigenvalue family (spectrum design)
 * @param decay a of the power spectrum i^-a (read only by spectrum power)
 * @param expRate b of the exp spectrum e^(-b i) (read only by spectrum exp)
 * @param noiseTarget f* = 0
 * @param targetDecay v_i^2 = i^-targetDecay (spectrum design, signal target)
 * @param labelNoiseStd sigma
 * @param features P, the eigenfunctions kept (spectrum design), resolved (never 0)
 * @param dim d, the sphere S^(d-1) (gaussian-kernel)
 * @param bandwidth the bandwidth before the schedule
 * @param bandwidthExponent b in bandwidth * n^-b
 */
public record KernelRidge(int nTrain, int nTest, boolean gaussianKernel, Spectrum spectrum,
    double decay, double expRate, boolean noiseTarget, double targetDecay, double labelNoiseStd,
    int features, int dim, double bandwidth, double bandwidthExponent) implements Family<KrrData> {

  /** The design choices. */
  static final String DESIGN_SPECTRUM = "spectrum";
  static final String DESIGN_GAUSSIAN = "gaussian-kernel";
  static final List<String> DESIGNS = List.of(DESIGN_SPECTRUM, DESIGN_GAUSSIAN);
  /** The target choices: the design's signal (power-law coefficients or sin x_1) or pure noise. */
  static final String TARGET_SIGNAL = "signal";
  static final String TARGET_NOISE = "noise";
  static final List<String> TARGETS = List.of(TARGET_SIGNAL, TARGET_NOISE);
  /** features = 0 (the default) means this many per training point. */
  static final int FEATURES_PER_POINT = 50;

  /** The metrics of a run, one point at step 0. */
  static final Metrics<KrrFit> METRICS = new Metrics<>(
      Metric.scalar(Columns.TRAIN_LOSS, (s, r) -> s.trainLoss()),
      Metric.scalar(Columns.TEST_LOSS, (s, r) -> s.testRisk()),
      Metric.scalar(Columns.WEIGHT_NORM, (s, r) -> s.norm()),
      Metric.scalar(Columns.KERNEL_RANK, (s, r) -> s.rank()));

  /** The kernel-ridge family's parameters and builder. */
  public static final Recipe RECIPE = new Recipe(Tasks.KERNEL_RIDGE, List.of(
      param(N_TRAIN, true, 100.0, Role.DATA, "training points n"),
      ParamDef.choice(DESIGN, DESIGN_SPECTRUM, Role.DATA,
          "spectrum (Gaussian design in the eigenbasis, exact risk) or gaussian-kernel (sphere)",
          DESIGNS.toArray(new String[0])),
      ParamDef.choice(SPECTRUM, Spectrum.POWER.label(), Role.DATA,
          "eigenvalues: power i^-a, exp e^(-b i) or log 1/(i ln^2(i+1))",
          Spectrum.LABELS.toArray(new String[0])),
      param(DECAY, false, 2.0, Role.DATA, "a of spectrum power i^-a (> 1)")
          .onlyWhen(SPECTRUM, Spectrum.POWER.label()),
      param(EXP_RATE, false, 0.1, Role.DATA, "b of spectrum exp e^(-b i) (> 0; float64: b n <~ 25)")
          .onlyWhen(SPECTRUM, Spectrum.EXP.label()),
      ParamDef.choice(TARGET, TARGET_SIGNAL, Role.DATA,
          "signal (v_i^2 = i^-target_decay, or sin x_1 on the sphere) or noise (f* = 0)",
          TARGETS.toArray(new String[0])),
      param(TARGET_DECAY, false, 2.0, Role.DATA, "v_i^2 = i^-target_decay (> 1)"),
      param(LABEL_NOISE_STD, false, 1.0, Role.DATA, "sigma: y = f*(x) + N(0, sigma^2)"),
      param(FEATURES, true, 0.0, Role.DATA,
          "eigenfunctions P of the spectrum design; 0: " + FEATURES_PER_POINT + " n_train"),
      param(N_TEST, true, 2000.0, Role.DATA, "Monte Carlo test points (gaussian-kernel)"),
      param(DIM, true, 3.0, Role.DATA, "d: x uniform on S^(d-1) (gaussian-kernel)"),
      param(BANDWIDTH, false, 1.0, Role.DATA, "h0: kernel exp(-|x-x'|^2 / h^2), h = h0 n^-b"),
      param(BANDWIDTH_EXPONENT, false, 0.0, Role.DATA, "b in h = bandwidth * n_train^-b"),
      param(STEP_SIZE, false, 1.0, Role.OPTIMIZER, "unused (nothing is trained)"),
      param(WEIGHT_DECAY, false, 0.0, Role.OPTIMIZER,
          "ridge delta: (K + delta I)^-1 y; 0 = the minimum-norm interpolant")),
      true, METRICS.names(), List.of(Columns.EF_KAPPA, Columns.EF_RISK, Columns.EF_COST),
      (m, precision, form, metrics) -> of(m));

  /** The family of resolved parameters; features = 0 resolves to 50 n_train here. */
  static KernelRidge of(Map<String, Double> m) {
    int n = m.get(N_TRAIN).intValue();
    int features = m.get(FEATURES).intValue();
    if (features == 0) {
      features = (int) Math.min((long) FEATURES_PER_POINT * n, Integer.MAX_VALUE);
    }
    return new KernelRidge(n, m.get(N_TEST).intValue(),
        Recipe.pick(m, DESIGN, DESIGNS).equals(DESIGN_GAUSSIAN),
        Check.oneOf(SPECTRUM, Recipe.pick(m, SPECTRUM, Spectrum.LABELS), Spectrum.values(), Spectrum::label),
        m.get(DECAY), m.get(EXP_RATE), Recipe.pick(m, TARGET, TARGETS).equals(TARGET_NOISE),
        m.get(TARGET_DECAY), m.get(LABEL_NOISE_STD), features, m.get(DIM).intValue(), m.get(BANDWIDTH),
        m.get(BANDWIDTH_EXPONENT));
  }

  /** Validates every parameter; messages name the spec key. */
  public KernelRidge {
    Check.intIn(N_TRAIN, nTrain, 1, 10_000);
    Check.intIn(N_TEST, nTest, 1, 1_000_000);
    spectrum.check(decay, expRate);
    Check.above(TARGET_DECAY, targetDecay, 1.0);
    Check.atLeast(LABEL_NOISE_STD, labelNoiseStd, 0.0);
    Check.intIn(FEATURES, features, 1, 100_000_000);
    Check.intIn(DIM, dim, 2, 10_000);
    Check.above(BANDWIDTH, bandwidth, 0.0);
    Check.closed(BANDWIDTH_EXPONENT, bandwidthExponent, -10.0, 10.0);
    if ((long) nTest * nTrain > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(N_TEST + " x " + N_TRAIN + " must be at most "
          + Integer.MAX_VALUE + ", got " + nTest + " x " + nTrain);
    }
  }

  /** The bandwidth used, h = bandwidth * n^-bandwidth_exponent. */
  public double effectiveBandwidth() {
    return bandwidth * Math.pow(nTrain, -bandwidthExponent);
  }

  /** lambda_1..lambda_P of the spectrum design. */
  double[] eigenvalues() {
    return spectrum.eigenvalues(features, spectrum.rate(decay, expRate));
  }

  /** v_1..v_P of the spectrum design (all 0 for a pure-noise target). */
  double[] coefficients() {
    double[] v = new double[features];
    if (!noiseTarget) {
      for (int i = 0; i < features; i++) {
        v[i] = Math.pow(i + 1.0, -targetDecay / 2.0);
      }
    }
    return v;
  }

  /** The eigenframework of the spectrum design. */
  Eigenframework eigenframework() {
    double[] v = coefficients();
    double[] v2 = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      v2[i] = v[i] * v[i];
    }
    return new Eigenframework(eigenvalues(), v2, labelNoiseStd * labelNoiseStd, nTrain);
  }

  @Override
  public KrrData generate(long seed) {
    if (gaussianKernel) {
      return KrrData.gaussian(nTrain, nTest, dim, effectiveBandwidth(), !noiseTarget,
          labelNoiseStd, seed);
    }
    return KrrData.spectrum(nTrain, eigenvalues(), coefficients(), labelNoiseStd, seed);
  }

  /** Every run's fit from the data set's one eigendecomposition. */
  @Override
  public PackResult train(KrrData data, long initSeed, List<Hyper> hypers, int steps, int[] logSteps) {
    if (hypers.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one run");
    }
    int d = hypers.size();
    double[] deltas = new double[d];
    for (int k = 0; k < d; k++) {
      deltas[k] = hypers.get(k).weightDecay();
    }
    List<KrrFit> fits = fit(data, deltas);
    List<RunResult> out = new ArrayList<>(d);
    for (int k = 0; k < d; k++) {
      Curve.Builder c = METRICS.builder(1);
      METRICS.record(fits.get(k), k, 0, c);
      out.add(RunResult.ok(hypers.get(k), c.build(), 0));
    }
    return new PackResult(Form.DUAL, out, d * runCost(steps, logSteps.length));
  }

  /**
   * The fits of ridge deltas on one data set, in order: from the float64 eigendecomposition
   * where it is accurate ({@link KrrData#eigenAccurate}); in the Gaussian-kernel design the
   * smaller deltas, delta = 0 included, are solved in double-double ({@link GaussianExact}),
   * which refuses (IllegalStateException, failing the pack) a system beyond its precision. The
   * spectrum design keeps the float64 pseudo-inverse at delta = 0 (its kernel is a sum over P
   * features, too costly in double-double; its sweeps keep K at full float64 rank).
   */
  static List<KrrFit> fit(KrrData data, double[] deltas) {
    int d = deltas.length;
    int n = data.n;
    double[] alphas = data.alphas(deltas);
    double[] fitted = data.fitted(alphas, d);
    double[] risks = data.test.risks(alphas, d);
    List<KrrFit> fits = new ArrayList<>(d);
    for (int k = 0; k < d; k++) {
      double sq = 0.0;
      double norm2 = 0.0;
      for (int i = 0; i < n; i++) {
        double e = fitted[i * d + k] - data.y[i];
        sq += e * e;
        norm2 += alphas[i * d + k] * fitted[i * d + k];
      }
      fits.add(new KrrFit(sq / n, risks[k], Math.sqrt(Math.max(norm2, 0.0)), data.rank));
    }
    if (data.exact != null) {
      for (int k = 0; k < d; k++) {
        if (!data.eigenAccurate(deltas[k])) {
          fits.set(k, data.exact.solve(deltas[k]).fit());
        }
      }
    }
    return fits;
  }

  /** The eigenframework's kappa, risk at the run's delta and cost (spectrum design; else null). */
  @Override
  public Map<String, Double> theory(KrrData data, Hyper hyper, Thresholds thresholds) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (gaussianKernel) {
      out.put(Columns.EF_KAPPA, null);
      out.put(Columns.EF_RISK, null);
      out.put(Columns.EF_COST, null);
      return out;
    }
    Eigenframework ef = eigenframework();
    double kappa = ef.kappa(hyper.weightDecay());
    out.put(Columns.EF_KAPPA, kappa);
    out.put(Columns.EF_RISK, finite(ef.riskAtKappa(kappa)));
    out.put(Columns.EF_COST, finite(cost(ef)));
    return out;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** The eigenframework cost depends only on the family: computed once per family value. */
  private static final Map<KernelRidge, Double> COSTS = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<KernelRidge, Double> e) {
          return size() > 256;
        }
      });

  private double cost(Eigenframework ef) {
    Double c = COSTS.get(this);
    if (c == null) {
      c = ef.cost();
      COSTS.put(this, c);
    }
    return c;
  }

  @Override
  public Form form(int steps, int logs) {
    return Form.DUAL;
  }

  /**
   * The design pass (2 n^2 P for K, ~30 per Gaussian draw) or the kernel, and dsyevd's ~9 n^3;
   * the Gaussian kernel adds its double-double route (about 1000 flops per kernel entry for
   * n^2 / 2 + n n_test entries, and ~5 n^3 per Cholesky solve, a few deltas per data set).
   */
  @Override
  public double setupCost() {
    double n = nTrain;
    double eigen = 9.0 * n * n * n;
    if (gaussianKernel) {
      return eigen + 3.0 * dim * n * (n + nTest) + 1000.0 * n * (n / 2.0 + nTest)
          + 15.0 * n * n * n;
    }
    return eigen + 2.0 * n * n * features + 30.0 * n * features;
  }

  /** Per delta: alpha and the fit (4 n^2), the risk (2 n P, or 2 n n_test). */
  @Override
  public double runCost(int steps, int logs) {
    double n = nTrain;
    return 4.0 * n * n + 2.0 * n * (gaussianKernel ? nTest : features);
  }

  @Override
  public int rowsPerRun() {
    return 1;
  }

  /**
   * All in doubles: K, its eigenvectors and the copies OpenBLAS works on (4 n^2), the test kernel
   * (n_test x n) or the design chunks and the P eigenvalues and coefficients, and per run alpha,
   * fit and the risk pass's buffers; the Gaussian kernel's double-double route holds K and a
   * Cholesky factor (4 n^2) and the test kernel (2 n_test n).
   */
  @Override
  public MemoryUse memory(int packRuns, int steps, int logs) {
    double n = nTrain;
    MemoryUse.Builder b = new MemoryUse.Builder()
        .index("n_train x n_train", n * n)
        .add("kernel and eigenvectors", 4.0 * n * n, 0, Double.BYTES)
        .add("per-run solutions", 4.0 * n * packRuns, 0, Double.BYTES);
    if (gaussianKernel) {
      b.index("n_test x n_train", (double) nTest * n)
          .add("test kernel", 2.0 * nTest * n + (double) nTest * packRuns, 0, Double.BYTES)
          .add("double-double kernels and factor", 4.0 * n * n + 2.0 * nTest * n, 0, Double.BYTES);
    } else {
      b.add("design chunks and spectrum", 4.0 * n * KrrData.CHUNK + 3.0 * features
          + (double) KrrData.CHUNK * packRuns, 0, Double.BYTES);
    }
    return b.build();
  }

  @Override
  public Precision precision() {
    return Precision.FLOAT64;
  }
}

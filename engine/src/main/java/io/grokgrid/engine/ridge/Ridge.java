package io.grokgrid.engine.ridge;

import static io.grokgrid.engine.Recipe.param;
import static io.grokgrid.vocab.Columns.DIM;
import static io.grokgrid.vocab.Columns.INIT_SCALE;
import static io.grokgrid.vocab.Columns.LABEL_NOISE_STD;
import static io.grokgrid.vocab.Columns.N_TRAIN;
import static io.grokgrid.vocab.Columns.STEP_SIZE;
import static io.grokgrid.vocab.Columns.WEIGHT_DECAY;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.Metric;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.ParamDef.Role;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Recipe;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import io.grokgrid.vocab.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Provable grokking in ridge regression: Xu, Vardi and Safran (2026, arXiv 2601.19791;
 * README, "Task `ridge`"). Data x ~ N(0, I_p / p), teacher theta* uniform on the unit sphere,
 * y = <theta*, x> + N(0, sigma^2); a linear model theta in R^p from theta(0) ~ N(0, nu^2 I),
 * trained by full-batch GD on (1/2n)|X theta - y|^2 + (lambda/2)|theta|^2:
 * theta <- (1 - alpha lambda) theta - (alpha/n) X^T (X theta - y).
 *
 * <p>Metrics: {@code train_loss} = (1/2n)|X theta - y|^2; {@code test_loss} = the population loss
 * E (1/2)(<theta, x> - y)^2 = |theta - theta*|^2 / (2p) + sigma^2 / 2 in closed form (so the
 * family has no test set and no {@code n_test}); the L1 test loss, the population mean absolute
 * error E|<theta, x> - y| = sqrt(2 v / pi) with v = |theta - theta*|^2 / p + sigma^2 (the error is
 * Gaussian with variance v); {@code weight_norm} = |theta|; no accuracies.
 * Everything is computed in float64, whatever the sweep's precision.
 *
 * <p><b>Forms.</b> The primal form ({@link PrimalTrainer}) keeps theta (4 n p flops a step). The dual (spectral) form ({@link DualTrainer}) uses
 * K = X X^T = U diag(k_i) U^T: theta_t = s^t theta0_perp + X^T U b_t with s = 1 - alpha lambda,
 * theta0_perp the part of theta(0) orthogonal to the rows of X, and each coordinate of b following
 * b_i <- (s - alpha k_i / n) b_i + (alpha / n) (U^T y)_i, so a step costs O(n); train loss,
 * population loss and norm are exact quadratic forms in b and s^t. Both are GD; they agree up to
 * float64 rounding (tested).
 *
 * <p>Seed semantics: X from {@code Seeds.derive(seed, "x")} (row by row), theta* from
 * {@code Seeds.derive(seed, "teacher")}, label noise from {@code Seeds.derive(seed, "noise")};
 * theta(0) from {@code Seeds.derive(initSeed, "theta0")}.
 *
 * <p>Theory (Eq. (8), for alpha lambda <= 0.01): t2 >= ln((p - n) nu^2 / (8 p c)) / (2.02 alpha
 * lambda) and t1 <= n ln(14 p nu^2 / eps) / (2 alpha lambda_min+(X X^T)); see {@link Bounds}.
 *
 * @param nTrain n, >= 1
 * @param dim p, >= 1
 * @param labelNoiseStd sigma, >= 0
 * @param initScale nu, >= 0
 * @param formChoice {@code auto}, {@code primal} or {@code dual}
 */
public record Ridge(int nTrain, int dim, double labelNoiseStd, double initScale, String formChoice)
    implements Family<RidgeData> {
  /** The forms ridge trains in (the mask kernel is the two-layer networks'). */
  private static final List<String> FORMS = List.of(Values.AUTO, Values.PRIMAL, Values.DUAL);

  /** The metrics a ridge run records; the population losses are exact (see {@link RidgeStep}). */
  static final Metrics<RidgeStep> METRICS = new Metrics<>(
      Metric.scalar(Columns.TRAIN_LOSS, (s, r) -> s.trainLoss()),
      Metric.scalar(Columns.TEST_LOSS, (s, r) -> s.populationLoss()),
      Metric.scalar(Columns.WEIGHT_NORM, (s, r) -> s.norm()),
      Metric.scalar(Columns.TEST_LOSS_L1, (s, r) -> s.populationL1()));

  /** The ridge family's parameters and builder. */
  public static final Recipe RECIPE = new Recipe(Tasks.RIDGE, List.of(
      param(N_TRAIN, true, 100.0, Role.DATA, "training examples n (the paper's default 100)"),
      param(DIM, true, 1000.0, Role.DATA, "input dimension p (the paper's default 1000)"),
      param(LABEL_NOISE_STD, false, 0.0, Role.DATA, "std of the Gaussian label noise"),
      param(INIT_SCALE, false, 1.0, Role.NET, "initial weight std nu (theta(0) ~ N(0, nu^2 I))"),
      param(STEP_SIZE, false, 1.0, Role.OPTIMIZER, "GD step size alpha"),
      param(WEIGHT_DECAY, false, 1e-4, Role.OPTIMIZER, "lambda in (lambda/2)|theta|^2")),
      true, METRICS.names(), List.of(Columns.T_FIT_BOUND, Columns.T_GEN_BOUND),
      (m, precision, form, metrics) -> new Ridge(m.get(N_TRAIN).intValue(), m.get(DIM).intValue(),
          m.get(LABEL_NOISE_STD), m.get(INIT_SCALE), form));

  /** Validates every parameter; messages name the spec key. */
  public Ridge {
    Check.intIn(N_TRAIN, nTrain, 1, 100_000);
    Check.intIn(DIM, dim, 1, 100_000_000);
    Check.atLeast(LABEL_NOISE_STD, labelNoiseStd, 0.0);
    Check.atLeast(INIT_SCALE, initScale, 0.0);
    if (Values.MASK_FORMS.contains(formChoice)) {
      throw new IllegalArgumentException("form " + formChoice
          + " is the two-layer networks' mask kernel; task ridge takes auto, primal or dual");
    }
    if (!FORMS.contains(formChoice)) {
      throw new IllegalArgumentException("form must be one of " + FORMS + ", got " + formChoice);
    }
    if ((long) nTrain * dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(N_TRAIN + " x " + DIM + " must be at most " + Integer.MAX_VALUE
          + ", got " + nTrain + " x " + dim);
    }
  }

  @Override
  public RidgeData generate(long seed) {
    return RidgeData.draw(nTrain, dim, labelNoiseStd, seed);
  }

  /** theta(0) ~ N(0, nu^2 I_p) from {@code Seeds.derive(initSeed, "theta0")}. */
  public double[] initialTheta(long initSeed) {
    SplittableRandom r = new SplittableRandom(Seeds.derive(initSeed, "theta0"));
    double[] t = new double[dim];
    for (int j = 0; j < dim; j++) {
      t[j] = initScale * r.nextGaussian();
    }
    return t;
  }

  @Override
  public Form form(int steps, int logs) {
    if (!formChoice.equals(Values.AUTO)) {
      return Form.parse(formChoice);
    }
    return dualCost(steps, logs) < primalCost(steps, logs) ? Form.DUAL : Form.PRIMAL;
  }

  private double primalCost(int steps, int logs) {
    return (double) steps * 4.0 * nTrain * dim + (double) logs * 2.0 * dim;
  }

  private double dualCost(int steps, int logs) {
    double n = nTrain;
    // Gram, ~10 Jacobi sweeps of 6 n^3 (counted once per run: an upper bound), projections
    return n * n * dim + 60.0 * n * n * n + 6.0 * n * dim + (double) steps * 6.0 * n + (double) logs * 8.0 * n;
  }

  @Override
  public double setupCost() {
    return 2.0 * nTrain * dim;
  }

  @Override
  public double runCost(int steps, int logs) {
    return Math.min(primalCost(steps, logs), dualCost(steps, logs));
  }

  /**
   * All in the Java heap, in doubles (runs of a pack train one after the other): X n x p and a
   * few p-vectors (theta*, theta0, theta, the gradient); the dual form adds the Gram matrix and
   * its Jacobi eigendecomposition (four n x n arrays at once).
   */
  @Override
  public MemoryUse memory(int packRuns, int steps, int logs) {
    double n = nTrain;
    double p = dim;
    MemoryUse.Builder b = new MemoryUse.Builder()
        .index("n_train x dim", n * p)
        .add("X", n * p + 4 * n, 0, Double.BYTES)
        .add("parameter vectors", 5 * p, 0, Double.BYTES);
    if (form(steps, logs) == Form.DUAL) {
      b.index("n_train x n_train", n * n).add("eigendecomposition", 4 * n * n + 8 * n, 0, Double.BYTES);
    }
    return b.build();
  }

  @Override
  public int rowsPerRun() {
    return 1;
  }

  @Override
  public Precision precision() {
    return Precision.FLOAT64;
  }

  /** Eq. (8)'s bounds on t1 and t2 for this run (see {@link Bounds}). */
  @Override
  public Map<String, Double> theory(RidgeData data, Hyper h, Thresholds th) {
    return Bounds.of(this, data, h, th);
  }

  @Override
  public PackResult train(RidgeData d, long initSeed, List<Hyper> hypers, int steps, int[] logSteps) {
    if (hypers.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one run");
    }
    LogSchedule.check(steps, logSteps);
    Form form = form(steps, logSteps.length);
    double[] theta0 = initialTheta(initSeed);
    List<RunResult> out = new ArrayList<>();
    double flops = 0.0;
    for (Hyper h : hypers) {
      Track t = form == Form.PRIMAL ? PrimalTrainer.train(d, theta0, h, steps, logSteps)
          : DualTrainer.train(d, theta0, h, steps, logSteps);
      flops += t.flops;
      out.add(t.result(h, steps));
    }
    return new PackResult(form, out, flops);
  }
}

package io.grokgrid.engine.univariate;

import static io.grokgrid.engine.Recipe.param;
import static io.grokgrid.vocab.Columns.INIT_SCALE;
import static io.grokgrid.vocab.Columns.LABEL_NOISE_STD;
import static io.grokgrid.vocab.Columns.N_TEST;
import static io.grokgrid.vocab.Columns.N_TRAIN;
import static io.grokgrid.vocab.Columns.STEP_SIZE;
import static io.grokgrid.vocab.Columns.WEIGHT_DECAY;
import static io.grokgrid.vocab.Columns.WIDTH;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.Metric;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.ParamDef.Role;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Recipe;
import io.grokgrid.engine.RunResult;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code univariate-regression} family (Joshi, Vardi, Srebro 2023, arXiv 2307.15396;
 * README, "Task `univariate-regression`") as a sweep sees it: data from {@link UnivariateRegression}, a pack trained
 * by {@link RegressionTrainer} from the initialization {@link UnivariateNet} draws from the pack's
 * seed, in float64.
 *
 * <p>Curves: accuracies are null (regression); {@code train_loss} is the training MSE,
 * {@code test_loss} the test MSE on noisy targets (so the cost of overfitting's L2 risk) and
 * {@code test_loss_l1} the mean absolute test error on noisy targets (the L1 risk). These are
 * mean squared errors, not halved: the grokking thresholds eps and c compare with them.
 *
 * <p>Solvers: {@code gd} trains the network ({@link RegressionTrainer}); {@code min-norm} skips
 * training and evaluates the closed-form minimum-norm interpolant ({@link MinNormInterpolant}),
 * the limit of vanishing weight decay that Joshi et al. analyse: its curve is one point at step
 * 0 with train loss 0 (it interpolates), and test losses are its population losses over
 * x ~ U[0, 1] with the noise integrated out (exact up to quadrature, so the heavy-tailed L2 risk
 * is not at the mercy of a finite test set's sampling of narrow spikes). Its weight norm is
 * reported as the total curvature, the integral of |f''| (the representation cost it minimizes).
 *
 * @param task the data recipe
 * @param width m, hidden units
 * @param initScale omega
 * @param knots initial knot placement
 */
public record UnivariateFamily(UnivariateRegression task, int width, double initScale, Knots knots,
    boolean minNorm) implements Family<RegressionData> {

  /** Spec keys of the choice parameters. */
  static final String TARGET = "target";
  static final String KNOTS = "knots";
  static final String SOLVER = "solver";
  /** The solver choices: train by GD, or the closed-form minimum-norm interpolant. */
  static final String SOLVER_GD = "gd";
  static final String SOLVER_MIN_NORM = "min-norm";
  private static final List<String> SOLVERS = List.of(SOLVER_GD, SOLVER_MIN_NORM);
  private static final List<String> TARGETS = List.of(Target.SIN.label(), Target.ZERO.label());
  private static final List<String> KNOT_CHOICES = List.of(Knots.DATA.label(), Knots.UNIFORM.label());

  /** The metrics a run records: training MSE, test MSE and mean absolute error, sqrt(|w|^2 + |v|^2). */
  public static final Metrics<UnivariateStep> METRICS = new Metrics<>(
      Metric.scalar(Columns.TRAIN_LOSS, (s, r) -> s.trainLoss()),
      Metric.scalar(Columns.TEST_LOSS, (s, r) -> s.testError(s.yTest(), 2)),
      Metric.scalar(Columns.TEST_LOSS_L1, (s, r) -> s.testError(s.yTest(), 1)),
      Metric.scalar(Columns.WEIGHT_NORM, (s, r) -> Math.sqrt(s.normSq())));

  /** The univariate-regression family's parameters and builder. */
  public static final Recipe RECIPE = new Recipe(Tasks.UNIVARIATE_REGRESSION, List.of(
      param(N_TRAIN, true, 64.0, Role.DATA, "training points n, x ~ U[0, 1]"),
      param(N_TEST, true, 2000.0, Role.DATA, "test points"),
      param(LABEL_NOISE_STD, false, 0.5, Role.DATA, "sigma: y = f*(x) + N(0, sigma^2)"),
      ParamDef.choice(TARGET, Target.SIN.label(), Role.DATA, "f*: sin (sin 2 pi x) or zero",
          TARGETS.toArray(new String[0])),
      param(WIDTH, true, null, Role.NET, "hidden units m (about 4 n interpolates)"),
      param(INIT_SCALE, false, 16.0, Role.NET,
          "omega: |w_j| = |v_j| = omega at init (large: lazy, near the linear spline)"),
      ParamDef.choice(KNOTS, Knots.DATA.label(), Role.NET,
          "initial kinks: data (one pair per gap between training inputs) or uniform",
          KNOT_CHOICES.toArray(new String[0])),
      ParamDef.choice(SOLVER, SOLVER_GD, Role.MODEL,
          "gd (train the net) or min-norm (the closed-form minimum-norm interpolant, the"
              + " vanishing-weight-decay limit; needs weight_decay 0)",
          SOLVERS.toArray(new String[0])),
      param(STEP_SIZE, false, null, Role.OPTIMIZER, "GD step size alpha (about 2/(m omega^2))"),
      param(WEIGHT_DECAY, false, 0.0, Role.OPTIMIZER,
          "lambda on w and v (biases and skip connection not decayed)")),
      true, METRICS.names(), List.of(), (m, precision, form, metrics) -> of(m));

  private static UnivariateFamily of(Map<String, Double> m) {
    boolean minNorm = Recipe.pick(m, SOLVER, SOLVERS).equals(SOLVER_MIN_NORM);
    if (minNorm && m.get(WEIGHT_DECAY) != 0.0) {
      throw new IllegalArgumentException(WEIGHT_DECAY + " must be 0 with " + SOLVER + " "
          + SOLVER_MIN_NORM + " (the interpolant is the limit of vanishing weight decay), got "
          + m.get(WEIGHT_DECAY));
    }
    return new UnivariateFamily(new UnivariateRegression(
        m.get(N_TRAIN).intValue(), m.get(N_TEST).intValue(), m.get(LABEL_NOISE_STD),
        Target.parse(Recipe.pick(m, TARGET, TARGETS))),
        m.get(WIDTH).intValue(), m.get(INIT_SCALE), Knots.parse(Recipe.pick(m, KNOTS, KNOT_CHOICES)),
        minNorm);
  }

  /** Validates width, scale and knots through {@link UnivariateNet}. */
  public UnivariateFamily {
    new UnivariateNet(width, initScale, knots, 0L);
    if (task == null) {
      throw new IllegalArgumentException("univariate-regression needs a task");
    }
  }

  /** The closed-form minimum-norm interpolant's pack: one single-point curve per run. */
  private PackResult minNormPack(RegressionData data, List<Hyper> hypers) {
    MinNormInterpolant f = MinNormInterpolant.fit(data);
    MinNormInterpolant.Losses pop = f.populationLosses(task.target(), task.noiseStd());
    // one point at step 0: it interpolates (train loss 0), population losses, total curvature
    Map<String, Double> point = Map.of(Columns.TRAIN_LOSS, 0.0, Columns.TEST_LOSS, pop.l2(),
        Columns.TEST_LOSS_L1, pop.l1(), Columns.WEIGHT_NORM, f.totalCurvature());
    double[] values = METRICS.names().stream().mapToDouble(point::get).toArray();
    List<RunResult> out = new ArrayList<>(hypers.size());
    for (Hyper h : hypers) {
      if (h.weightDecay() != 0.0) {
        throw new IllegalArgumentException(WEIGHT_DECAY + " must be 0 with " + SOLVER + " "
            + SOLVER_MIN_NORM + " (the interpolant is the limit of vanishing weight decay), got "
            + h.weightDecay());
      }
      Curve.Builder c = METRICS.builder(1);
      c.add(0, values);
      out.add(RunResult.ok(h, c.build(), 0));
    }
    return new PackResult(Form.PRIMAL, out, 0.0);
  }

  @Override
  public RegressionData generate(long seed) {
    return task.generate(seed);
  }

  @Override
  public PackResult train(RegressionData data, long initSeed, List<Hyper> hypers,
      int steps, int[] logSteps) {
    if (minNorm) {
      return minNormPack(data, hypers);
    }
    List<RunResult> out = RegressionTrainer.train(data,
        new UnivariateNet(width, initScale, knots, initSeed), hypers, steps, logSteps, METRICS);
    return new PackResult(Form.PRIMAL, out,
        hypers.size() * runCost(steps, logSteps.length));
  }

  @Override
  public Form form(int steps, int logs) {
    return Form.PRIMAL;
  }

  @Override
  public double setupCost() {
    return 10.0 * (task.nTrain() + task.nTest());
  }

  @Override
  public double runCost(int steps, int logs) {
    if (minNorm) {
      return 200.0 * task.nTrain();
    }
    return RegressionTrainer.cost(width, task.nTrain(), task.nTest(), steps, logs);
  }

  /**
   * Small, all in the Java heap in doubles: a few arrays per training and test point (data,
   * sorted copies, outputs, the trainer's buckets and residuals, the interpolant's knots) and a
   * few per hidden unit (weights, biases, output weights and their gradients), per run.
   */
  @Override
  public MemoryUse memory(int packRuns, int steps, int logs) {
    double n = task.nTrain();
    double nt = task.nTest();
    return new MemoryUse.Builder()
        .add("data", 16 * n + 4 * nt, 0, Double.BYTES)
        .add("network", 8.0 * width, 0, Double.BYTES)
        .build();
  }

  @Override
  public int rowsPerRun() {
    return width;
  }

  @Override
  public Precision precision() {
    return Precision.FLOAT64;
  }
}

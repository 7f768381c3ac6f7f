package io.grokgrid.jobs.spec;

import io.grokgrid.vocab.Tasks;
import io.grokgrid.vocab.Columns;
import io.grokgrid.engine.Family;
import io.grokgrid.engine.GaussianMixture;
import io.grokgrid.engine.NetFamily;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Ridge;
import io.grokgrid.engine.XorClusters;
import io.grokgrid.engine.modular.ModularAddition;
import io.grokgrid.engine.modular.ModularFamily;
import io.grokgrid.engine.modular.Optimizer;
import io.grokgrid.engine.univariate.Knots;
import io.grokgrid.engine.univariate.Target;
import io.grokgrid.engine.univariate.UnivariateFamily;
import io.grokgrid.engine.univariate.UnivariateRegression;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment families a spec may name: per family its parameters (names, defaults, roles),
 * whether its criteria are losses (regression) or accuracies, the extra grokking columns its
 * theory fills, and how to build its engine {@link Family} from a run's resolved parameters.
 * Adding a family is one engine class plus one entry here.
 */
public final class TaskCatalog {
  private TaskCatalog() {}

  public static final String XOR_CLUSTERS = Tasks.XOR_CLUSTERS;
  public static final String GAUSSIAN_MIXTURE = Tasks.GAUSSIAN_MIXTURE;
  public static final String RIDGE = Tasks.RIDGE;
  public static final String MODULAR_ADDITION = Tasks.MODULAR_ADDITION;
  public static final String UNIVARIATE_REGRESSION = Tasks.UNIVARIATE_REGRESSION;

  private static final List<String> OPTIMIZERS = List.of("adamw", "gd");
  private static final List<String> TARGETS = List.of("sin", "zero");
  private static final List<String> KNOTS = List.of("data", "uniform");
  private static final List<String> SOLVERS = List.of("gd", "min-norm");

  /** Every family of SCIENCE.md, in its order; only those with an entry run today. */
  public static final List<String> KNOWN = Tasks.ALL;

  /** Builds a family from a run's resolved parameters, the spec's precision and form. */
  @FunctionalInterface
  public interface Builder extends Serializable {
    Family<?> build(Map<String, Double> p, Precision precision, String form);
  }

  /**
   * A runnable family.
   *
   * @param name the spec's {@code task}
   * @param params its parameters, in the order they appear as columns
   * @param regression true when t_fit / t_gen use losses (eps, c) instead of accuracies
   * @param theoryColumns extra double columns of the grokking table, filled from
   *     {@link Family#theory} (keys equal to these names)
   * @param extraMetrics curve metrics beyond the six every family has, as {@code runs} and
   *     {@code curves} columns; so far only {@link Columns#TEST_LOSS_L1} (from
   *     {@link io.grokgrid.engine.Curve#testLossL1()}), which also adds the L1 cost of overfitting
   * @param builder makes the engine family
   */
  public record Entry(String name, List<ParamDef> params, boolean regression,
      List<String> theoryColumns, List<String> extraMetrics, Builder builder) implements Serializable {}

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  private static ParamDef p(String name, boolean integer, Double dflt, ParamDef.Role role, String doc) {
    return new ParamDef(name, integer, dflt, role, doc);
  }

  static {
    ENTRIES.put(XOR_CLUSTERS, new Entry(XOR_CLUSTERS, List.of(
        p("n_train", true, 200.0, ParamDef.Role.DATA, "training examples n"),
        p("n_test", true, 200.0, ParamDef.Role.DATA, "test examples"),
        p("dim", true, null, ParamDef.Role.DATA, "input dimension p"),
        p("signal", false, null, ParamDef.Role.DATA,
            "cluster mean norm r; default 2.5*sqrt(dim/n_train), the paper's choice"),
        p("noise_rate", false, 0.0, ParamDef.Role.DATA, "label flip probability eta"),
        p("width", true, null, ParamDef.Role.NET, "hidden units m"),
        p("init_scale", false, 1e-15, ParamDef.Role.NET, "initial weight std omega"),
        p("step_size", false, null, ParamDef.Role.OPTIMIZER, "GD step size alpha"),
        p("weight_decay", false, 0.0, ParamDef.Role.OPTIMIZER, "lambda in (lambda/2)|W|_F^2")),
        false, List.of(), List.of(),
        (m, precision, form) -> new NetFamily(new XorClusters(m.get("n_train").intValue(),
            m.get("n_test").intValue(), m.get("dim").intValue(), m.get("signal"), m.get("noise_rate")),
            m.get("width").intValue(), m.get("init_scale"), 0.0, form, precision)));

    ENTRIES.put(GAUSSIAN_MIXTURE, new Entry(GAUSSIAN_MIXTURE, List.of(
        p("n_train", true, 200.0, ParamDef.Role.DATA, "training examples n"),
        p("n_test", true, 200.0, ParamDef.Role.DATA, "test examples"),
        p("dim", true, null, ParamDef.Role.DATA, "input dimension p"),
        p("signal", false, null, ParamDef.Role.DATA, "mean norm r (mu = r e1)"),
        p("noise_rate", false, 0.0, ParamDef.Role.DATA, "label flip probability eta"),
        p("width", true, null, ParamDef.Role.NET, "hidden units m"),
        p("init_scale", false, 1e-15, ParamDef.Role.NET, "initial weight std omega"),
        p("leak", false, 0.1, ParamDef.Role.MODEL, "leaky-ReLU slope for negative inputs, in [0, 1)"),
        p("step_size", false, null, ParamDef.Role.OPTIMIZER, "GD step size alpha"),
        p("weight_decay", false, 0.0, ParamDef.Role.OPTIMIZER, "lambda in (lambda/2)|W|_F^2")),
        false, List.of(), List.of(),
        (m, precision, form) -> new NetFamily(new GaussianMixture(m.get("n_train").intValue(),
            m.get("n_test").intValue(), m.get("dim").intValue(), m.get("signal"), m.get("noise_rate")),
            m.get("width").intValue(), m.get("init_scale"), m.get("leak"), form, precision)));

    ENTRIES.put(RIDGE, new Entry(RIDGE, List.of(
        p("n_train", true, 100.0, ParamDef.Role.DATA, "training examples n (the paper's default 100)"),
        p("dim", true, 1000.0, ParamDef.Role.DATA, "input dimension p (the paper's default 1000)"),
        p("label_noise_std", false, 0.0, ParamDef.Role.DATA, "std of the Gaussian label noise"),
        p("init_scale", false, 1.0, ParamDef.Role.NET, "initial weight std nu (theta(0) ~ N(0, nu^2 I))"),
        p("step_size", false, 1.0, ParamDef.Role.OPTIMIZER, "GD step size alpha"),
        p("weight_decay", false, 1e-4, ParamDef.Role.OPTIMIZER, "lambda in (lambda/2)|theta|^2")),
        true, List.of(Columns.T_FIT_BOUND, Columns.T_GEN_BOUND), List.of(Columns.TEST_LOSS_L1),
        (m, precision, form) -> new Ridge(m.get("n_train").intValue(), m.get("dim").intValue(),
            m.get("label_noise_std"), m.get("init_scale"), form)));

    ENTRIES.put(MODULAR_ADDITION, new Entry(MODULAR_ADDITION, List.of(
        p("modulus", true, null, ParamDef.Role.DATA, "q: classes, pairs (a, b) in Z_q x Z_q"),
        p("train_fraction", false, 0.5, ParamDef.Role.DATA, "fraction of the q^2 pairs trained on"),
        p("noise_rate", false, 0.0, ParamDef.Role.DATA,
            "probability a label is replaced by a random other class"),
        p("width", true, 256.0, ParamDef.Role.NET, "hidden units m"),
        p("init_scale", false, 1.0, ParamDef.Role.NET,
            "omega: W1 ~ N(0, omega^2/(2q)), W2 ~ N(0, omega^2/m)"),
        ParamDef.choice("optimizer", "adamw", ParamDef.Role.MODEL,
            "adamw (Power et al.; betas 0.9, 0.98) or gd (Gromov), both layers trained",
            OPTIMIZERS.toArray(new String[0])),
        p("step_size", false, null, ParamDef.Role.OPTIMIZER, "step size alpha (learning rate)"),
        p("weight_decay", false, 0.0, ParamDef.Role.OPTIMIZER,
            "lambda: W <- (1 - alpha lambda) W - alpha update (decoupled for adamw)")),
        false, List.of(), List.of(),
        (m, precision, form) -> new ModularFamily(new ModularAddition(m.get("modulus").intValue(),
            m.get("train_fraction"), m.get("noise_rate")), m.get("width").intValue(),
            m.get("init_scale"), Optimizer.parse(pick(m, "optimizer", OPTIMIZERS)))));

    ENTRIES.put(UNIVARIATE_REGRESSION, new Entry(UNIVARIATE_REGRESSION, List.of(
        p("n_train", true, 64.0, ParamDef.Role.DATA, "training points n, x ~ U[0, 1]"),
        p("n_test", true, 2000.0, ParamDef.Role.DATA, "test points"),
        p("label_noise_std", false, 0.5, ParamDef.Role.DATA, "sigma: y = f*(x) + N(0, sigma^2)"),
        ParamDef.choice("target", "sin", ParamDef.Role.DATA, "f*: sin (sin 2 pi x) or zero",
            TARGETS.toArray(new String[0])),
        p("width", true, null, ParamDef.Role.NET, "hidden units m (about 4 n interpolates)"),
        p("init_scale", false, 16.0, ParamDef.Role.NET,
            "omega: |w_j| = |v_j| = omega at init (large: lazy, near the linear spline)"),
        ParamDef.choice("knots", "data", ParamDef.Role.NET,
            "initial kinks: data (one pair per gap between training inputs) or uniform",
            KNOTS.toArray(new String[0])),
        ParamDef.choice("solver", "gd", ParamDef.Role.MODEL,
            "gd (train the net) or min-norm (the closed-form minimum-norm interpolant, the"
                + " vanishing-weight-decay limit; needs weight_decay 0)",
            SOLVERS.toArray(new String[0])),
        p("step_size", false, null, ParamDef.Role.OPTIMIZER, "GD step size alpha (about 2/(m omega^2))"),
        p("weight_decay", false, 0.0, ParamDef.Role.OPTIMIZER,
            "lambda on w and v (biases and skip connection not decayed)")),
        true, List.of(), List.of(Columns.TEST_LOSS_L1),
        (m, precision, form) -> univariate(m)));
  }

  private static Family<?> univariate(Map<String, Double> m) {
    boolean minNorm = pick(m, "solver", SOLVERS).equals("min-norm");
    if (minNorm && m.get("weight_decay") != 0.0) {
      throw new IllegalArgumentException("weight_decay must be 0 with solver min-norm (the"
          + " interpolant is the limit of vanishing weight decay), got " + m.get("weight_decay"));
    }
    return new UnivariateFamily(new UnivariateRegression(
            m.get("n_train").intValue(), m.get("n_test").intValue(), m.get("label_noise_std"),
            Target.parse(pick(m, "target", TARGETS))), m.get("width").intValue(), m.get("init_scale"),
            Knots.parse(pick(m, "knots", KNOTS)), minNorm);
  }

  /** The text of a choice parameter's value (held as the index into {@code choices}). */
  private static String pick(Map<String, Double> m, String key, List<String> choices) {
    return choices.get(m.get(key).intValue());
  }

  /** The entry of a runnable task; a one-line error naming the task otherwise. */
  public static Entry entry(String task) {
    Entry e = ENTRIES.get(task);
    if (e == null) {
      if (KNOWN.contains(task)) {
        throw new IllegalArgumentException("task '" + task
            + "' is not available in this version yet; available: " + ENTRIES.keySet());
      }
      throw new IllegalArgumentException("task must be one of " + KNOWN + ", got '" + task + "'"
          + Suggest.didYouMean(task, KNOWN));
    }
    return e;
  }

  /** The parameters of a runnable task, in the order they appear as columns. */
  public static List<ParamDef> params(String task) {
    return entry(task).params();
  }

  /** The engine family of one run's (or pack's) resolved parameters. */
  public static Family<?> family(SweepSpec spec, Map<String, Double> params) {
    return entry(spec.task()).builder().build(params, spec.precision(), spec.form());
  }
}

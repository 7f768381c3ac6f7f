package io.grokgrid.engine.modular;

import static io.grokgrid.engine.Recipe.param;
import static io.grokgrid.vocab.Columns.INIT_SCALE;
import static io.grokgrid.vocab.Columns.MODULUS;
import static io.grokgrid.vocab.Columns.NOISE_RATE;
import static io.grokgrid.vocab.Columns.STEP_SIZE;
import static io.grokgrid.vocab.Columns.WEIGHT_DECAY;
import static io.grokgrid.vocab.Columns.WIDTH;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.Metric;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.EffectiveRank;
import io.grokgrid.engine.SigmaMax;
import io.grokgrid.engine.StableRank;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.ParamDef.Role;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Recipe;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import java.util.List;

/**
 * The {@code modular-addition} family (Power et al. 2022; Gromov 2023; Liu et al. 2022;
 * README, "Task `modular-addition`") as a sweep sees it: data from {@link ModularAddition}, a pack trained by
 * {@link ModularTrainer} from the initialization {@link ModularNet} draws from the pack's seed.
 * Both layers are trained, in float64; runs of a pack share data, init and optimizer and differ in
 * step size and weight decay. Recorded form: {@code primal} (the weights are held explicitly).
 *
 * @param task the data recipe (modulus, train fraction, label noise)
 * @param width m, hidden units
 * @param initScale omega, Liu et al.'s initialization multiplier
 * @param optimizer {@code gd} or {@code adamw}
 * @param metrics the optional metrics recorded (the first layer's spectral ones)
 */
public record ModularFamily(ModularAddition task, int width, double initScale, Optimizer optimizer,
    List<String> metrics) implements Family<ModularData> {

  /** Spec key of the optimizer choice. */
  static final String OPTIMIZER = "optimizer";
  /** Spec key of the fraction of the q^2 pairs trained on. */
  static final String TRAIN_FRACTION = "train_fraction";
  /** The optimizer choices in the order their index is stored (adamw the default). */
  private static final List<String> OPTIMIZERS = List.of(Optimizer.ADAMW.label(), Optimizer.GD.label());

  /**
   * The metrics a run records: cross-entropy and accuracy on the observed training labels,
   * cross-entropy on the noisy test labels, accuracies on the clean and the noisy test labels,
   * and sqrt(|W1|_F^2 + |W2|_F^2); optionally the first layer's spectral metrics (Yunis et al.
   * 2024, arXiv 2408.11804: its effective rank falls as the net groks, more with weight decay).
   */
  static final Metrics<ModularStep> METRICS = new Metrics<>(List.of(
      Metric.scalar(Columns.TRAIN_LOSS, (s, r) -> s.train()[ModularTrainer.Pass.LOSS]),
      Metric.scalar(Columns.TRAIN_ACC, (s, r) -> s.train()[ModularTrainer.Pass.ACC]),
      Metric.scalar(Columns.TEST_LOSS, (s, r) -> s.test()[ModularTrainer.Pass.LOSS]),
      Metric.scalar(Columns.TEST_ACC, (s, r) -> s.test()[ModularTrainer.Pass.ACC_CLEAN]),
      Metric.scalar(Columns.TEST_ACC_NOISY, (s, r) -> s.test()[ModularTrainer.Pass.ACC]),
      Metric.scalar(Columns.WEIGHT_NORM, (s, r) -> Math.sqrt(s.normSq()))),
      List.of(new StableRank<>(), new EffectiveRank<>(), new SigmaMax<>()),
      List.of(Columns.STABLE_RANK, Columns.EFFECTIVE_RANK, Columns.SIGMA_MAX));

  /** The modular-addition family's parameters and builder. */
  public static final Recipe RECIPE = new Recipe(Tasks.MODULAR_ADDITION, List.of(
      param(MODULUS, true, null, Role.DATA, "q: classes, pairs (a, b) in Z_q x Z_q"),
      param(TRAIN_FRACTION, false, 0.5, Role.DATA, "fraction of the q^2 pairs trained on"),
      param(NOISE_RATE, false, 0.0, Role.DATA,
          "probability a label is replaced by a random other class"),
      param(WIDTH, true, 256.0, Role.NET, "hidden units m"),
      param(INIT_SCALE, false, 1.0, Role.NET,
          "omega: W1 ~ N(0, omega^2/(2q)), W2 ~ N(0, omega^2/m)"),
      ParamDef.choice(OPTIMIZER, Optimizer.ADAMW.label(), Role.MODEL,
          "adamw (Power et al.; betas 0.9, 0.98) or gd (Gromov), both layers trained",
          OPTIMIZERS.toArray(new String[0])),
      param(STEP_SIZE, false, null, Role.OPTIMIZER, "step size alpha (learning rate)"),
      param(WEIGHT_DECAY, false, 0.0, Role.OPTIMIZER,
          "lambda: W <- (1 - alpha lambda) W - alpha update (decoupled for adamw)")),
      false, METRICS, List.of(),
      (m, precision, form, metrics) -> new ModularFamily(new ModularAddition(m.get(MODULUS).intValue(),
          m.get(TRAIN_FRACTION), m.get(NOISE_RATE)), m.get(WIDTH).intValue(),
          m.get(INIT_SCALE), Optimizer.parse(Recipe.pick(m, OPTIMIZER, OPTIMIZERS)), metrics));

  /** Validates width and scale through {@link ModularNet}. */
  public ModularFamily {
    new ModularNet(width, initScale, 0L);
    metrics = List.copyOf(metrics);
    Metrics.check(metrics, METRICS.optionalNames());
    if (task == null || optimizer == null) {
      throw new IllegalArgumentException("modular-addition needs a task and an optimizer");
    }
  }

  @Override
  public ModularData generate(long seed) {
    return task.generate(seed);
  }

  @Override
  public PackResult train(ModularData data, long initSeed, List<Hyper> hypers, int steps,
      int[] logSteps) {
    var runs = ModularTrainer.train(data, new ModularNet(width, initScale,
        initSeed), optimizer, hypers, steps, logSteps, METRICS.select(metrics));
    return new PackResult(Form.PRIMAL, runs,
        hypers.size() * runCost(steps, logSteps.length));
  }

  @Override
  public Form form(int steps, int logs) {
    return Form.PRIMAL;
  }

  @Override
  public double setupCost() {
    return 2.0 * task.modulus() * task.modulus();
  }

  @Override
  public double runCost(int steps, int logs) {
    double side = Math.min(width, 2.0 * task.modulus());
    // the spectral metrics: the smaller Gram of W1 (2 m (2q) side) and its eigenvalues (~10 side^3)
    double spectral = metrics.isEmpty() ? 0.0
        : logs * (2.0 * width * 2.0 * task.modulus() * side + 10.0 * side * side * side);
    return ModularTrainer.cost(task.modulus(), width, task.nTrain(), task.nTest(), steps, logs) + spectral;
  }

  /**
   * Runs of a pack train one after the other. Java heap: the q^2 shuffled pairs and the split's
   * index arrays (ints), the parameters (W1 m x 2q, W2 q x m: 3 q m doubles) for the
   * initialization, the run, its gradient and, for AdamW, both moments; each pass (train n,
   * test n_t examples) holds activations and their derivatives (2 n m) and logits and their
   * derivatives (2 n q) in Java and the same plus W2 and its gradient (2 q m) in ND4J.
   */
  @Override
  public MemoryUse memory(int packRuns, int steps, int logs) {
    double q = task.modulus();
    double m = width;
    double n = task.nTrain();
    double nt = task.nTest();
    int copies = optimizer == Optimizer.ADAMW ? 5 : 3;
    return new MemoryUse.Builder()
        .index("modulus^2", q * q)
        .index("2 x modulus x width", 2 * q * m)
        .index("n_train x width", n * m)
        .index("n_train x modulus", n * q)
        .add("pairs", q * q + 3 * (n + nt), 0, Integer.BYTES)
        .add("parameters and moments", copies * 3 * q * m, 0, Double.BYTES)
        .add("passes", 2 * (n + nt) * (m + q), 2 * (n + nt) * (m + q) + 4 * q * m, Double.BYTES)
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

package io.grokgrid.engine.modular;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.GdTrainer;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.Precision;
import java.util.List;

/**
 * The {@code modular-addition} family (Power et al. 2022; Gromov 2023; Liu et al. 2022;
 * SCIENCE.md section 4) as a sweep sees it: data from {@link ModularAddition}, a pack trained by
 * {@link ModularTrainer} from the initialization {@link ModularNet} draws from the pack's seed.
 * Both layers are trained, in float64; runs of a pack share data, init and optimizer and differ in
 * step size and weight decay. Recorded form: {@code primal} (the weights are held explicitly).
 *
 * @param task the data recipe (modulus, train fraction, label noise)
 * @param width m, hidden units
 * @param initScale omega, Liu et al.'s initialization multiplier
 * @param optimizer {@code gd} or {@code adamw}
 */
public record ModularFamily(ModularAddition task, int width, double initScale, Optimizer optimizer)
    implements Family<ModularData> {

  /** Validates width and scale through {@link ModularNet}. */
  public ModularFamily {
    new ModularNet(width, initScale, 0L);
    if (task == null || optimizer == null) {
      throw new IllegalArgumentException("modular-addition needs a task and an optimizer");
    }
  }

  @Override
  public ModularData generate(long seed) {
    return task.generate(seed);
  }

  @Override
  public GdTrainer.PackResult train(ModularData data, long initSeed, List<Hyper> hypers, int steps,
      int[] logSteps) {
    List<GdTrainer.RunResult> runs = ModularTrainer.train(data, new ModularNet(width, initScale,
        initSeed), optimizer, hypers, steps, logSteps);
    return new GdTrainer.PackResult(GdTrainer.Form.PRIMAL, runs,
        hypers.size() * runCost(steps, logSteps.length));
  }

  @Override
  public GdTrainer.Form form(int steps, int logs) {
    return GdTrainer.Form.PRIMAL;
  }

  @Override
  public double setupCost() {
    return 2.0 * task.modulus() * task.modulus();
  }

  @Override
  public double runCost(int steps, int logs) {
    return ModularTrainer.cost(task.modulus(), width, task.nTrain(), task.nTest(), steps, logs);
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

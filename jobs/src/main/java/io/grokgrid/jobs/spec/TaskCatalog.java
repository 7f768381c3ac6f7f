package io.grokgrid.jobs.spec;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.Recipe;
import io.grokgrid.engine.Recipes;
import io.grokgrid.vocab.Tasks;
import java.util.List;
import java.util.Map;

/**
 * The experiment families a spec may name, as the sweep driver sees them: each family package's
 * {@link Recipe} (parameters, criteria kind, metric and theory columns, builder), looked up by the
 * spec's {@code task}. Adding a family touches only the engine (docs/extending.md).
 */
public final class TaskCatalog {
  private TaskCatalog() {}

  /** Every family of the README, in its order; only those with a recipe run. */
  public static final List<String> KNOWN = Tasks.ALL;

  /** The recipe of a runnable task; a one-line error naming the task otherwise. */
  public static Recipe entry(String task) {
    Recipe e = Recipes.of(task);
    if (e == null) {
      if (KNOWN.contains(task)) {
        throw new IllegalArgumentException("task '" + task
            + "' is not available in this version yet; available: " + Recipes.tasks());
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
    return entry(spec.task()).family(params, spec.precision(), spec.form(), spec.metrics());
  }
}

package io.grokgrid.engine;

import io.grokgrid.engine.kernelridge.KernelRidge;
import io.grokgrid.engine.modular.ModularFamily;
import io.grokgrid.engine.net.NetRecipes;
import io.grokgrid.engine.ridge.Ridge;
import io.grokgrid.engine.univariate.UnivariateFamily;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every family a spec may name, by its {@code task}: one line per family package (adding a family
 * adds its line here; docs/extending.md).
 */
public final class Recipes {
  private Recipes() {}

  /** In the README's order. */
  public static final List<Recipe> ALL = List.of(NetRecipes.XOR_CLUSTERS,
      NetRecipes.GAUSSIAN_MIXTURE, NetRecipes.CLUSTERS, NetRecipes.SUBSPACE, Ridge.RECIPE,
      ModularFamily.RECIPE, UnivariateFamily.RECIPE, KernelRidge.RECIPE);

  private static final Map<String, Recipe> BY_TASK = new LinkedHashMap<>();

  static {
    for (Recipe r : ALL) {
      if (BY_TASK.put(r.task(), r) != null) {
        throw new IllegalStateException("two families named " + r.task());
      }
    }
  }

  /** The recipe of {@code task}, or null when no family has that name. */
  public static Recipe of(String task) {
    return BY_TASK.get(task);
  }

  /** Every task name, in order. */
  public static List<String> tasks() {
    return List.copyOf(BY_TASK.keySet());
  }
}

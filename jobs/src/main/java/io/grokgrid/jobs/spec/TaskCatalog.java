package io.grokgrid.jobs.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The experiment families a spec may name, with their parameters. */
public final class TaskCatalog {
  private TaskCatalog() {}

  /** Xu et al. 2023 (arXiv 2310.02541), SCIENCE.md section 1. */
  public static final String XOR_CLUSTERS = "xor-clusters";

  /** Every family of SCIENCE.md, in its order; only those in {@link #PARAMS} run today. */
  public static final List<String> KNOWN = List.of(XOR_CLUSTERS, "gaussian-mixture", "ridge",
      "modular-addition", "univariate-regression");

  private static final Map<String, List<ParamDef>> PARAMS = new LinkedHashMap<>();

  static {
    PARAMS.put(XOR_CLUSTERS, List.of(
        new ParamDef("n_train", true, 200.0, ParamDef.Role.DATA, "training examples n"),
        new ParamDef("n_test", true, 200.0, ParamDef.Role.DATA, "test examples"),
        new ParamDef("dim", true, null, ParamDef.Role.DATA, "input dimension p"),
        new ParamDef("signal", false, null, ParamDef.Role.DATA,
            "cluster mean norm r; default 2.5*sqrt(dim/n_train), the paper's choice"),
        new ParamDef("noise_rate", false, 0.0, ParamDef.Role.DATA, "label flip probability eta"),
        new ParamDef("width", true, null, ParamDef.Role.NET, "hidden units m"),
        new ParamDef("init_scale", false, 1e-15, ParamDef.Role.NET, "initial weight std omega"),
        new ParamDef("step_size", false, null, ParamDef.Role.OPTIMIZER, "GD step size alpha"),
        new ParamDef("weight_decay", false, 0.0, ParamDef.Role.OPTIMIZER,
            "lambda in (lambda/2)|W|_F^2")));
  }

  /** The parameters of a runnable task, in the order they appear as columns. */
  public static List<ParamDef> params(String task) {
    List<ParamDef> defs = PARAMS.get(task);
    if (defs == null) {
      if (KNOWN.contains(task)) {
        throw new IllegalArgumentException("task '" + task
            + "' is not available in this version yet; available: " + PARAMS.keySet());
      }
      throw new IllegalArgumentException("task must be one of " + KNOWN + ", got '" + task + "'"
          + Suggest.didYouMean(task, KNOWN));
    }
    return defs;
  }
}

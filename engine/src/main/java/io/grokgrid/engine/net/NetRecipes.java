package io.grokgrid.engine.net;

import static io.grokgrid.engine.Recipe.param;
import static io.grokgrid.vocab.Columns.DIM;
import static io.grokgrid.vocab.Columns.INIT_SCALE;
import static io.grokgrid.vocab.Columns.LEAK;
import static io.grokgrid.vocab.Columns.NOISE_RATE;
import static io.grokgrid.vocab.Columns.N_TEST;
import static io.grokgrid.vocab.Columns.N_TRAIN;
import static io.grokgrid.vocab.Columns.SIGNAL;
import static io.grokgrid.vocab.Columns.STEP_SIZE;
import static io.grokgrid.vocab.Columns.SUBSPACE_DIM;
import static io.grokgrid.vocab.Columns.WEIGHT_DECAY;
import static io.grokgrid.vocab.Columns.WIDTH;

import io.grokgrid.engine.ParamDef.Role;
import io.grokgrid.engine.Recipe;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import java.util.List;

/** The two-layer network families' parameters and builders (README, "Sweep spec", one section a task). */
public final class NetRecipes {
  private NetRecipes() {}

  /** Xu, Wang, Frei, Vardi, Hu 2023 (arXiv 2310.02541): plain ReLU on XOR clusters. */
  public static final Recipe XOR_CLUSTERS = new Recipe(Tasks.XOR_CLUSTERS, List.of(
      param(N_TRAIN, true, 200.0, Role.DATA, "training examples n"),
      param(N_TEST, true, 200.0, Role.DATA, "test examples"),
      param(DIM, true, null, Role.DATA, "input dimension p"),
      param(SIGNAL, false, null, Role.DATA,
          "cluster mean norm r; default 2.5*sqrt(dim/n_train), the paper's choice"),
      param(NOISE_RATE, false, 0.0, Role.DATA, "label flip probability eta"),
      param(WIDTH, true, null, Role.NET, "hidden units m"),
      param(INIT_SCALE, false, 1e-15, Role.NET, "initial weight std omega"),
      param(STEP_SIZE, false, null, Role.OPTIMIZER, "GD step size alpha"),
      param(WEIGHT_DECAY, false, 0.0, Role.OPTIMIZER, "lambda in (lambda/2)|W|_F^2")),
      false, NetFamily.METRICS, List.of(),
      (m, precision, form, metrics) -> new NetFamily(new XorClusters(m.get(N_TRAIN).intValue(),
          m.get(N_TEST).intValue(), m.get(DIM).intValue(), m.get(SIGNAL), m.get(NOISE_RATE)),
          m.get(WIDTH).intValue(), m.get(INIT_SCALE), 0.0, form, precision, metrics));

  /** Frei, Vardi, Bartlett, Srebro 2023 (arXiv 2303.01462): leaky ReLU on a Gaussian mixture. */
  public static final Recipe GAUSSIAN_MIXTURE = new Recipe(Tasks.GAUSSIAN_MIXTURE, List.of(
      param(N_TRAIN, true, 200.0, Role.DATA, "training examples n"),
      param(N_TEST, true, 200.0, Role.DATA, "test examples"),
      param(DIM, true, null, Role.DATA, "input dimension p"),
      param(SIGNAL, false, null, Role.DATA, "mean norm r (mu = r e1)"),
      param(NOISE_RATE, false, 0.0, Role.DATA, "label flip probability eta"),
      param(WIDTH, true, null, Role.NET, "hidden units m"),
      param(INIT_SCALE, false, 1e-15, Role.NET, "initial weight std omega"),
      param(LEAK, false, 0.1, Role.MODEL, "leaky-ReLU slope for negative inputs, in [0, 1)"),
      param(STEP_SIZE, false, null, Role.OPTIMIZER, "GD step size alpha"),
      param(WEIGHT_DECAY, false, 0.0, Role.OPTIMIZER, "lambda in (lambda/2)|W|_F^2")),
      false, NetFamily.METRICS, List.of(),
      (m, precision, form, metrics) -> new NetFamily(new GaussianMixture(m.get(N_TRAIN).intValue(),
          m.get(N_TEST).intValue(), m.get(DIM).intValue(), m.get(SIGNAL), m.get(NOISE_RATE)),
          m.get(WIDTH).intValue(), m.get(INIT_SCALE), m.get(LEAK), form, precision, metrics));

  /**
   * Frei, Vardi, Bartlett, Srebro, NeurIPS 2023 (arXiv 2303.01456): ReLU on k nearly orthogonal
   * clusters, generalizing yet non-robust.
   */
  public static final Recipe CLUSTERS = new Recipe(Tasks.CLUSTERS, List.of(
      param(N_TRAIN, true, 200.0, Role.DATA, "training examples n"),
      param(N_TEST, true, 200.0, Role.DATA, "test examples"),
      param(DIM, true, null, Role.DATA, "input dimension p"),
      param(Columns.CLUSTERS, true, null, Role.DATA, "number k of cluster means, >= 2"),
      param(SIGNAL, false, null, Role.DATA, "cluster mean norm r (each mean r times a uniform direction)"),
      param(NOISE_RATE, false, 0.0, Role.DATA, "label flip probability eta"),
      param(WIDTH, true, null, Role.NET, "hidden units m"),
      param(INIT_SCALE, false, 1e-15, Role.NET, "initial weight std omega"),
      param(LEAK, false, 0.0, Role.MODEL, "leaky-ReLU slope for negative inputs, in [0, 1)"),
      param(STEP_SIZE, false, null, Role.OPTIMIZER, "GD step size alpha"),
      param(WEIGHT_DECAY, false, 0.0, Role.OPTIMIZER, "lambda in (lambda/2)|W|_F^2")),
      false, NetFamily.METRICS, List.of(),
      (m, precision, form, metrics) -> new NetFamily(new Clusters(m.get(N_TRAIN).intValue(),
          m.get(N_TEST).intValue(), m.get(DIM).intValue(), m.get(Columns.CLUSTERS).intValue(),
          m.get(SIGNAL), m.get(NOISE_RATE)),
          m.get(WIDTH).intValue(), m.get(INIT_SCALE), m.get(LEAK), form, precision, metrics));

  /**
   * Melamed, Yehudai, Vardi, NeurIPS 2023 (arXiv 2303.00783): ReLU on inputs in a d-dimensional
   * subspace of R^p, labelled by a halfspace inside it.
   */
  public static final Recipe SUBSPACE = new Recipe(Tasks.SUBSPACE, List.of(
      param(N_TRAIN, true, 200.0, Role.DATA, "training examples n"),
      param(N_TEST, true, 200.0, Role.DATA, "test examples"),
      param(DIM, true, null, Role.DATA, "input dimension p"),
      param(SUBSPACE_DIM, true, null, Role.DATA, "dimension d of the inputs' subspace, in [1, dim]"),
      param(SIGNAL, false, null, Role.DATA, "root mean square input norm r (x = r U z / sqrt(d))"),
      param(NOISE_RATE, false, 0.0, Role.DATA, "label flip probability eta"),
      param(WIDTH, true, null, Role.NET, "hidden units m"),
      param(INIT_SCALE, false, 1e-15, Role.NET, "initial weight std omega"),
      param(LEAK, false, 0.0, Role.MODEL, "leaky-ReLU slope for negative inputs, in [0, 1)"),
      param(STEP_SIZE, false, null, Role.OPTIMIZER, "GD step size alpha"),
      param(WEIGHT_DECAY, false, 0.0, Role.OPTIMIZER, "lambda in (lambda/2)|W|_F^2")),
      false, NetFamily.METRICS, List.of(),
      (m, precision, form, metrics) -> new NetFamily(new Subspace(m.get(N_TRAIN).intValue(),
          m.get(N_TEST).intValue(), m.get(DIM).intValue(), m.get(SUBSPACE_DIM).intValue(),
          m.get(SIGNAL), m.get(NOISE_RATE)),
          m.get(WIDTH).intValue(), m.get(INIT_SCALE), m.get(LEAK), form, precision, metrics));
}

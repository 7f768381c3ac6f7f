package io.grokgrid.vocab;

import java.util.List;

/**
 * The experiment families' names, as a spec's {@code task} and the tables' {@code task} column
 * spell them (README, "Experiment families"). Each family's recipe is in its own engine package.
 */
public final class Tasks {
  private Tasks() {}

  /** Benign overfitting and grokking on XOR clusters: Xu, Wang, Frei, Vardi, Hu 2023, arXiv 2310.02541. */
  public static final String XOR_CLUSTERS = "xor-clusters";
  /** Benign overfitting of leaky-ReLU nets: Frei, Vardi, Bartlett, Srebro 2023, arXiv 2303.01462. */
  public static final String GAUSSIAN_MIXTURE = "gaussian-mixture";
  /**
   * Nearly orthogonal clusters, non-robust yet generalizing ReLU nets: Frei, Vardi, Bartlett,
   * Srebro 2023, "The Double-Edged Sword of Implicit Bias", arXiv 2303.01456.
   */
  public static final String CLUSTERS = "clusters";
  /**
   * Inputs on a low-dimensional linear subspace: Melamed, Yehudai, Vardi 2023, "Adversarial
   * Examples Exist in Two-Layer ReLU Networks for Low Dimensional Linear Subspaces", arXiv 2303.00783.
   */
  public static final String SUBSPACE = "subspace";
  /** Provable grokking in ridge regression: Xu, Vardi, Safran 2026, arXiv 2601.19791. */
  public static final String RIDGE = "ridge";
  /** Grokking modular addition: Power et al. 2022 (arXiv 2201.02177); Gromov 2023; Liu et al. 2022. */
  public static final String MODULAR_ADDITION = "modular-addition";
  /** Tempered vs catastrophic overfitting: Joshi, Vardi, Srebro 2023, arXiv 2307.15396. */
  public static final String UNIVARIATE_REGRESSION = "univariate-regression";
  /** Cost of overfitting in kernel ridge regression: Zhou, Simon, Vardi, Srebro 2023; Medvedev, Vardi, Srebro 2024. */
  public static final String KERNEL_RIDGE = "kernel-ridge";

  /** Every family, in the order of the README. */
  public static final List<String> ALL = List.of(XOR_CLUSTERS, GAUSSIAN_MIXTURE, CLUSTERS,
      SUBSPACE, RIDGE, MODULAR_ADDITION, UNIVARIATE_REGRESSION, KERNEL_RIDGE);
}

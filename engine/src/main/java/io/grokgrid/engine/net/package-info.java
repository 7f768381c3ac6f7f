/**
 * The two-layer ReLU network families: {@code xor-clusters} (Xu, Wang, Frei, Vardi, Hu 2023,
 * "Benign Overfitting and Grokking in ReLU Networks for XOR Cluster Data", arXiv 2310.02541),
 * {@code gaussian-mixture} (Frei, Vardi, Bartlett, Srebro 2023, "Benign Overfitting in Linear
 * Classifiers and Leaky ReLU Networks from KKT Conditions for Margin Maximization", arXiv
 * 2303.01462), {@code clusters} (Frei, Vardi, Bartlett, Srebro 2023, "The Double-Edged Sword of
 * Implicit Bias: Generalization vs. Robustness in ReLU Networks", arXiv 2303.01456) and
 * {@code subspace} (Melamed, Yehudai, Vardi 2023, "Adversarial Examples Exist in Two-Layer ReLU
 * Networks for Low Dimensional Linear Subspaces", arXiv 2303.00783); README, "Task `xor-clusters`",
 * "Task `gaussian-mixture`", "Task `clusters`" and "Task `subspace`".
 *
 * <p>{@link io.grokgrid.engine.net.NetRecipes} declares the four families; {@link
 * io.grokgrid.engine.net.NetFamily} binds a pack's parameters and declares the metrics
 * ({@code NetFamily.METRICS}, read off {@code NetStep}); {@link io.grokgrid.engine.net.GdTrainer}
 * trains a pack by full-batch GD, its loop ({@code Loop}) advancing a primal ({@code PrimalState})
 * or dual ({@code DualState}) state through fused passes ({@code Passes}) and direct BLAS calls
 * ({@code Blas}); the dual form reads the data set's Gram matrices ({@code Gram}).
 */
package io.grokgrid.engine.net;

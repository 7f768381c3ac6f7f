/**
 * The two-layer ReLU network families: {@code xor-clusters} (Xu, Wang, Frei, Vardi, Hu 2023,
 * "Benign Overfitting and Grokking in ReLU Networks for XOR Cluster Data", arXiv 2310.02541) and
 * {@code gaussian-mixture} (Frei, Vardi, Bartlett, Srebro 2023, "Benign Overfitting in Linear
 * Classifiers and Leaky ReLU Networks from KKT Conditions for Margin Maximization", arXiv
 * 2303.01462); README, "Task `xor-clusters`" and "Task `gaussian-mixture`".
 *
 * <p>{@link io.grokgrid.engine.net.NetRecipes} declares both families; {@link
 * io.grokgrid.engine.net.NetFamily} binds a pack's parameters and declares the metrics
 * ({@code NetFamily.METRICS}, read off {@code NetStep}); {@link io.grokgrid.engine.net.GdTrainer}
 * trains a pack by full-batch GD, its loop ({@code Loop}) advancing a primal ({@code PrimalState})
 * or dual ({@code DualState}) state through fused passes ({@code Passes}) and direct BLAS calls
 * ({@code Blas}); the dual form reads the data set's Gram matrices ({@code Gram}).
 */
package io.grokgrid.engine.net;

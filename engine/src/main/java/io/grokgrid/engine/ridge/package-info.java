/**
 * The {@code ridge} family: provable grokking in ridge regression (Xu, Vardi, Safran 2026, arXiv
 * 2601.19791); README, "Task `ridge`".
 *
 * <p>{@link io.grokgrid.engine.ridge.Ridge} binds the parameters, declares the metrics and the
 * recipe; {@link io.grokgrid.engine.ridge.RidgeData} draws the data and keeps its spectral
 * decomposition ({@code Spectral}, from {@code SymmetricEigen}); {@code PrimalTrainer} and
 * {@code DualTrainer} are the two forms of GD; {@code Bounds} holds the paper's Eq. (8).
 */
package io.grokgrid.engine.ridge;

package io.grokgrid.engine.kernelridge;

/**
 * What a kernel-ridge run's metrics read: one fitted predictor f = sum_i alpha_i k(x_i, .).
 *
 * @param trainLoss training MSE, mean_i (f(x_i) - y_i)^2 (0 for the interpolant)
 * @param testRisk test risk E (f(x) - y)^2, label noise included (exact in the spectrum design,
 *     Monte Carlo over the test points in the Gaussian-kernel design)
 * @param norm the RKHS norm |f|_H = sqrt(alpha^T K alpha)
 * @param rank kernel eigenvalues the solve kept (n for a double-double solve, which drops none)
 */
record KrrFit(double trainLoss, double testRisk, double norm, int rank) {}

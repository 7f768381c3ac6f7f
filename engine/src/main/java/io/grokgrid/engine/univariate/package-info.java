/**
 * The {@code univariate-regression} family (SCIENCE.md section 5; Joshi, Vardi, Srebro 2023): x ~
 * U[0, 1], y = f*(x) + N(0, sigma^2), a two-layer ReLU net with biases and a linear skip
 * connection trained by full-batch GD on the squared loss with weight decay on the weights only.
 *
 * <p>Use: {@code RegressionData d = new UnivariateRegression(n, nTest, sigma, Target.SIN)
 * .generate(dataSeed);} then {@code List<RegressionTrainer.RunResult> runs = RegressionTrainer
 * .train(d, new UnivariateNet(width, initScale, Knots.DATA, initSeed), hypers, steps, logSteps);}.
 * Each result carries a {@link io.grokgrid.engine.univariate.RegressionCurve} (train MSE, test L2
 * and L1 on noisy and on clean targets, weight norm). A step costs O((n + m) log) thanks to sorted
 * inputs and prefix sums, so 1e5-1e6 steps take seconds. Near interpolation in seconds needs
 * {@link io.grokgrid.engine.univariate.Knots#DATA} and a large init scale (lazy regime, e.g. omega
 * = 16, step size 2 / (m omega^2), m = 4n, 5e4 steps for n <= 64).
 */
package io.grokgrid.engine.univariate;

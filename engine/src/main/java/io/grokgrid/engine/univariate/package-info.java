/**
 * The {@code univariate-regression} family (README, "Task `univariate-regression`"; Joshi, Vardi, Srebro 2023): x ~
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
 *
 * <p>Closed form: {@link io.grokgrid.engine.univariate.MinNormInterpolant} is the minimum-norm
 * interpolant itself (the limit GD with vanishing weight decay aims at, and the object of Joshi
 * et al.): {@code MinNormInterpolant f = MinNormInterpolant.fit(d);} then {@code f.at(x)},
 * {@code f.testLosses(d)} (the same four test losses as a trained net's curve) or {@code
 * f.populationLosses(target, sigma)} (their expectations, by quadrature). It costs O(n log n),
 * so n in the thousands and hundreds of seeds take seconds. Lazy GD lands near the linear spline
 * (tempered in L1 and L2, CostOfOverfittingTest); the min-norm interpolant spikes between a long
 * gap and short neighbouring gaps, and its typical L2 cost grows with n while its L1 cost stays
 * flat (MinNormCostTest).
 */
package io.grokgrid.engine.univariate;

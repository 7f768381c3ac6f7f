/**
 * The {@code kernel-ridge} family: the cost of overfitting in kernel ridge regression (Zhou,
 * Simon, Vardi, Srebro 2023; Medvedev, Vardi, Srebro 2024; Mallinar et al. 2022); README, "Task
 * `kernel-ridge`".
 *
 * <p>{@link io.grokgrid.engine.kernelridge.KernelRidge} binds the parameters, declares the metrics
 * and the recipe; {@code KrrData} draws a data set, builds its kernel matrix and eigendecomposition
 * and evaluates predictors; {@code Eigenframework} holds the closed-form prediction;
 * {@code Spectrum} the eigenvalue families; {@code Dense} the OpenBLAS / LAPACK calls;
 * {@code GaussianExact} the Gaussian kernel's interpolant (and the deltas float64 cannot resolve)
 * in {@code DoubleDouble} arithmetic.
 */
package io.grokgrid.engine.kernelridge;

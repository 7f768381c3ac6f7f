package io.grokgrid.engine.modular;

/**
 * A modular-addition run's state at a logged step, as the metrics read it.
 *
 * @param train the training pass's statistics (see {@link ModularTrainer.Pass#run}): loss and
 *     accuracy on the observed labels
 * @param test the test pass's statistics: loss and accuracy on the noisy labels, accuracy on the
 *     clean ones
 * @param normSq |W1|_F^2 + |W2|_F^2
 */
record ModularStep(double[] train, double[] test, double normSq) {}

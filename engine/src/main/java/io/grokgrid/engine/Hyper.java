package io.grokgrid.engine;

import io.grokgrid.vocab.Columns;

/**
 * The optimizer settings of one run: full-batch GD with step size alpha and weight decay lambda,
 * W <- (1 - alpha*lambda) W - alpha * grad (the objective's decay term is (lambda/2)|W|_F^2).
 *
 * @param stepSize alpha > 0
 * @param weightDecay lambda >= 0
 */
public record Hyper(double stepSize, double weightDecay) {
  /** Validates both values. */
  public Hyper {
    Check.above(Columns.STEP_SIZE, stepSize, 0.0);
    Check.atLeast(Columns.WEIGHT_DECAY, weightDecay, 0.0);
  }

  /** The per-step shrink factor 1 - alpha*lambda. */
  public double shrink() {
    return 1.0 - stepSize * weightDecay;
  }
}

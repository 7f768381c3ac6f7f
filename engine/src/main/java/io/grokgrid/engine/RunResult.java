package io.grokgrid.engine;

import io.grokgrid.vocab.Values;

/**
 * One run's outcome.
 *
 * @param hyper its step size and weight decay
 * @param curve metrics at every logged step reached
 * @param status {@link Values#OK} or {@link Values#DIVERGED}
 * @param stepsDone number of GD steps completed (the divergence step for diverged runs)
 * @param detail empty, or why the run stopped early
 */
public record RunResult(Hyper hyper, Curve curve, String status, int stepsDone, String detail) {

  /** A run that completed its {@code steps}. */
  public static RunResult ok(Hyper hyper, Curve curve, int steps) {
    return new RunResult(hyper, curve, Values.OK, steps, "");
  }

  /** A run stopped by NaN/Inf at step {@code step}, with the reason. */
  public static RunResult diverged(Hyper hyper, Curve curve, int step, String detail) {
    return new RunResult(hyper, curve, Values.DIVERGED, step, detail);
  }

  /** Whether the run completed (status ok). */
  public boolean ok() {
    return Values.OK.equals(status);
  }
}

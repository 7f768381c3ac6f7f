package io.grokgrid.engine.ridge;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.RunResult;

/** One ridge run's curve as it is built, where it stopped, and its flops. */
final class Track {
  private final Curve.Builder curve;
  boolean diverged;
  int stepsDone;
  double flops;

  Track(int capacity) {
    curve = Ridge.METRICS.builder(capacity);
  }

  /** Records the metrics at {@code step}. */
  void add(int step, RidgeStep state) {
    Ridge.METRICS.record(state, 0, step, curve);
  }

  RunResult result(Hyper h, int total) {
    Curve c = curve.build();
    return diverged
        ? RunResult.diverged(h, c, stepsDone, "non-finite training loss or weights at step " + stepsDone)
        : RunResult.ok(h, c, total);
  }
}

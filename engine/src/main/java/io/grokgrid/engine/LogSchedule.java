package io.grokgrid.engine;

import io.grokgrid.vocab.SpecKeys;
import java.util.TreeSet;

/**
 * The steps at which a run's metrics are recorded: every step 0..10, then log-spaced steps up to
 * the last, which is always included. Step t means the state after t gradient steps (step 0 is
 * the initialization).
 */
public final class LogSchedule {
  private LogSchedule() {}

  /**
   * @param steps total number of GD steps T >= 0
   * @param logPoints wanted number of points; at least 12 are used when T > 10 (0..10 and T)
   * @return strictly increasing steps, starting at 0 and ending at T, at most
   *     {@code max(logPoints, min(T, 10) + 2)} long and never longer than T + 1
   */
  public static int[] of(int steps, int logPoints) {
    Check.intIn(SpecKeys.STEPS, steps, 0, Integer.MAX_VALUE - 1);
    Check.intIn(SpecKeys.LOG_POINTS, logPoints, 2, 1_000_000);
    TreeSet<Integer> out = new TreeSet<>();
    for (int t = 0; t <= Math.min(10, steps); t++) {
      out.add(t);
    }
    out.add(steps);
    int target = Math.min(Math.max(logPoints, out.size()), steps + 1);
    if (steps > 10) {
      // grow the number of geometric points until rounding leaves the wanted count
      TreeSet<Integer> base = new TreeSet<>(out);
      for (int r = 1; out.size() < target && r <= 4 * target; r++) {
        // each trial is one geometric grid over the base, so spacing stays logarithmic
        TreeSet<Integer> trial = new TreeSet<>(base);
        for (int i = 1; i < r; i++) {
          trial.add((int) Math.round(10.0 * Math.pow(steps / 10.0, (double) i / r)));
        }
        if (trial.size() > target) {
          break;
        }
        out = trial;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Checks a trainer's schedule: {@code logSteps} strictly increasing within [0, steps] and
   * ending at {@code steps}; a one-line error naming both otherwise.
   */
  public static void check(int steps, int[] logSteps) {
    boolean ok = steps >= 0 && logSteps.length > 0 && logSteps[0] >= 0
        && logSteps[logSteps.length - 1] == steps;
    for (int i = 1; ok && i < logSteps.length; i++) {
      ok = logSteps[i] > logSteps[i - 1];
    }
    if (!ok) {
      throw new IllegalArgumentException("log steps must be increasing within [0, " + steps
          + "] and end at " + steps + ", got " + java.util.Arrays.toString(logSteps));
    }
  }
}

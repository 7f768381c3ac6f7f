package io.grokgrid.engine;

/**
 * Criteria for grokking detection (README, "Output tables").
 *
 * @param fit classification: train accuracy (on the observed, possibly flipped labels) that
 *     counts as fitted, in (0, 1]; default 1.0 (every training label fitted). Regression: the
 *     train loss eps at or below which the run counts as fitted, > 0; default 0.01
 * @param gen classification: clean test accuracy that counts as generalizing, in (0, 1]; default
 *     0.95. Regression: the population/test loss c at or below which it generalizes, > 0;
 *     default 0.01 (Xu, Vardi, Safran 2026 use eps = c = 0.01)
 * @param grokRatio a run with both criteria met groks when t_gen >= grokRatio * max(t_fit, 1);
 *     default 10 (Liu et al.'s "gap" as a ratio), >= 1
 * @param loss true for regression criteria (losses), false for classification (accuracies)
 */
public record Thresholds(double fit, double gen, double grokRatio, boolean loss)
    implements java.io.Serializable {
  /** The classification defaults: fit 1.0, gen 0.95, ratio 10. */
  public static final Thresholds DEFAULT = new Thresholds(1.0, 0.95, 10.0);
  /** The regression defaults: eps = c = 0.01, ratio 10. */
  public static final Thresholds REGRESSION_DEFAULT = new Thresholds(0.01, 0.01, 10.0, true);

  /** Validates each threshold. */
  public Thresholds {
    if (loss) {
      Check.above("thresholds.fit", fit, 0.0);
      Check.above("thresholds.gen", gen, 0.0);
    } else {
      Check.leftOpen("thresholds.fit", fit, 0.0, 1.0);
      Check.leftOpen("thresholds.gen", gen, 0.0, 1.0);
    }
    Check.atLeast("thresholds.grok_ratio", grokRatio, 1.0);
  }

  /** Classification criteria (accuracies). */
  public Thresholds(double fit, double gen, double grokRatio) {
    this(fit, gen, grokRatio, false);
  }
}

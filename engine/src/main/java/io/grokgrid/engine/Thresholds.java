package io.grokgrid.engine;

/**
 * Criteria for grokking detection (SCIENCE.md, "Tables every sweep produces").
 *
 * @param fit classification: train accuracy (on the observed, possibly flipped labels) that
 *     counts as fitted, in (0, 1]; default 1.0 (every training label fitted)
 * @param gen classification: clean test accuracy that counts as generalizing, in (0, 1]; default 0.95
 * @param grokRatio a run with both criteria met groks when t_gen >= grokRatio * max(t_fit, 1);
 *     default 10 (Liu et al.'s "gap" as a ratio), >= 1
 */
public record Thresholds(double fit, double gen, double grokRatio) implements java.io.Serializable {
  /** The defaults: fit 1.0, gen 0.95, ratio 10. */
  public static final Thresholds DEFAULT = new Thresholds(1.0, 0.95, 10.0);

  /** Validates each threshold. */
  public Thresholds {
    Check.leftOpen("thresholds.fit", fit, 0.0, 1.0);
    Check.leftOpen("thresholds.gen", gen, 0.0, 1.0);
    Check.atLeast("thresholds.grok_ratio", grokRatio, 1.0);
  }
}

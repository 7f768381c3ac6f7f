package io.grokgrid.engine;

import io.grokgrid.vocab.Values;

/**
 * Grokking times and phase of one run, read off its logged curve (README, "Output tables";
 * phases after Liu et al. 2022, "Towards Understanding Grokking", arXiv 2205.10343).
 *
 * <ul>
 *   <li>t_fit: first logged step from which the fit criterion holds at every later logged step.
 *   <li>t_gen: first logged step at which the generalization criterion holds.
 *   <li>t_gen_sustained: first logged step from which it holds at every later logged step.
 *   <li>delay = t_gen - t_fit (negative when the run generalizes before it fits).
 *   <li>phase: {@code confusion} when the run never fits; {@code memorization} when it fits but
 *       never generalizes; {@code grokking} when both and t_gen >= ratio * max(t_fit, 1);
 *       {@code comprehension} otherwise.
 * </ul>
 * Absent times are null.
 */
public record Grokking(Integer tFit, Integer tGen, Integer tGenSustained, Integer delay, String phase) {

  /** True when the phase is {@code grokking}. */
  public boolean grokked() {
    return Values.GROKKING.equals(phase);
  }

  /**
   * @param steps logged steps, increasing
   * @param fit whether the fit criterion holds at each logged step
   * @param gen whether the generalization criterion holds at each logged step
   * @param grokRatio see {@link Thresholds#grokRatio()}
   */
  public static Grokking detect(int[] steps, boolean[] fit, boolean[] gen, double grokRatio) {
    Integer tFit = sustainedFrom(steps, fit);
    Integer tGen = null;
    for (int i = 0; i < steps.length; i++) {
      if (gen[i]) {
        tGen = steps[i];
        break;
      }
    }
    Integer tGenSustained = sustainedFrom(steps, gen);
    Integer delay = tFit != null && tGen != null ? tGen - tFit : null;
    String phase;
    if (tFit == null) {
      phase = Values.CONFUSION;
    } else if (tGen == null) {
      phase = Values.MEMORIZATION;
    } else if (tGen >= grokRatio * Math.max(tFit, 1)) {
      phase = Values.GROKKING;
    } else {
      phase = Values.COMPREHENSION;
    }
    return new Grokking(tFit, tGen, tGenSustained, delay, phase);
  }

  /** Classification criteria: train accuracy >= fit, clean test accuracy >= gen. */
  public static Grokking ofClassification(Curve c, Thresholds th) {
    int len = c.length();
    boolean[] fit = new boolean[len];
    boolean[] gen = new boolean[len];
    double[] trainAcc = c.trainAcc();
    double[] testAcc = c.testAcc();
    for (int i = 0; i < len; i++) {
      fit[i] = trainAcc[i] >= th.fit();
      gen[i] = testAcc[i] >= th.gen();
    }
    return detect(c.steps(), fit, gen, th.grokRatio());
  }

  /**
   * Regression criteria (Xu, Vardi, Safran 2026): fitted when the train loss is <= eps = th.fit(),
   * generalizing when the test (population) loss is <= c = th.gen(). t_fit, being sustained, is the
   * first logged step after the paper's t1 (the last step with train loss still >= eps) when
   * every step is logged.
   */
  public static Grokking ofRegression(Curve c, Thresholds th) {
    int len = c.length();
    boolean[] fit = new boolean[len];
    boolean[] gen = new boolean[len];
    double[] trainLoss = c.trainLoss();
    double[] testLoss = c.testLoss();
    for (int i = 0; i < len; i++) {
      fit[i] = trainLoss[i] <= th.fit();
      gen[i] = testLoss[i] <= th.gen();
    }
    return detect(c.steps(), fit, gen, th.grokRatio());
  }

  private static Integer sustainedFrom(int[] steps, boolean[] holds) {
    Integer from = null;
    for (int i = steps.length - 1; i >= 0 && holds[i]; i--) {
      from = steps[i];
    }
    return from;
  }
}

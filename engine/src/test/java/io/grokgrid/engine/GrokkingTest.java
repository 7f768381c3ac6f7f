package io.grokgrid.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.vocab.Columns;
import org.junit.jupiter.api.Test;

/** Grokking times and phases on hand-made sequences (README, "Output tables"). */
class GrokkingTest {
  private static final int[] STEPS = {0, 1, 2, 5, 10, 20, 50, 100};
  private static final boolean T = true;
  private static final boolean F = false;

  @Test
  void confusionWhenTheFitDoesNotHoldAtTheEnd() {
    // fitted in the middle but lost again: no t_fit; the first generalization still reported
    Grokking g = Grokking.detect(STEPS, new boolean[] {F, F, T, T, T, T, T, F}, new boolean[] {F, F, F, T, F, F, F, F}, 10);
    assertThat(g).isEqualTo(new Grokking(null, 5, null, null, "confusion"));
    assertThat(g.grokked()).isFalse();
    Grokking never = Grokking.detect(STEPS, new boolean[8], new boolean[8], 10);
    assertThat(never).isEqualTo(new Grokking(null, null, null, null, "confusion"));
  }

  @Test
  void memorizationWhenItFitsButNeverGeneralizes() {
    Grokking g = Grokking.detect(STEPS, new boolean[] {F, F, T, T, T, T, T, T}, new boolean[8], 10);
    assertThat(g).isEqualTo(new Grokking(2, null, null, null, "memorization"));
  }

  @Test
  void grokkingWhenGeneralizationComesMuchLater() {
    Grokking g = Grokking.detect(STEPS, new boolean[] {F, T, T, T, T, T, T, T}, new boolean[] {F, F, F, F, F, F, T, T}, 10);
    assertThat(g).isEqualTo(new Grokking(1, 50, 50, 49, "grokking"));
    assertThat(g.grokked()).isTrue();
  }

  @Test
  void comprehensionWhenGeneralizationFollowsSoon() {
    Grokking g = Grokking.detect(STEPS, new boolean[] {F, T, T, T, T, T, T, T}, new boolean[] {F, F, F, T, T, T, T, T}, 10);
    assertThat(g).isEqualTo(new Grokking(1, 5, 5, 4, "comprehension"));
    assertThat(g.grokked()).isFalse();
  }

  @Test
  void generalizingBeforeFittingGivesANegativeDelay() {
    Grokking g = Grokking.detect(STEPS, new boolean[] {F, F, F, F, T, T, T, T}, new boolean[] {F, T, T, T, T, T, T, T}, 10);
    assertThat(g).isEqualTo(new Grokking(10, 1, 1, -9, "comprehension"));
  }

  @Test
  void sustainedTimesIgnoreEarlyBlips() {
    // fit flickers on at 1, off at 2, on for good from 5; gen first at 2, for good from 20
    Grokking g = Grokking.detect(STEPS, new boolean[] {F, T, F, T, T, T, T, T}, new boolean[] {F, F, T, F, F, T, T, T}, 10);
    assertThat(g.tFit()).isEqualTo(5);
    assertThat(g.tGen()).isEqualTo(2);
    assertThat(g.tGenSustained()).isEqualTo(20);
    assertThat(g.delay()).isEqualTo(2 - 5);
    // generalization holding at the end only: sustained from the last step
    Grokking late = Grokking.detect(STEPS, new boolean[] {T, T, T, T, T, T, T, T}, new boolean[] {F, F, T, F, F, F, F, T}, 10);
    assertThat(late.tGen()).isEqualTo(2);
    assertThat(late.tGenSustained()).isEqualTo(100);
    // generalization lost again by the end: no sustained time
    Grokking lost = Grokking.detect(STEPS, new boolean[] {T, T, T, T, T, T, T, T}, new boolean[] {F, F, T, T, T, T, T, F}, 10);
    assertThat(lost.tGen()).isEqualTo(2);
    assertThat(lost.tGenSustained()).isNull();
  }

  @Test
  void ratioBoundaryIsInclusive() {
    int[] steps = {0, 5, 49, 50};
    boolean[] fitFrom5 = {F, T, T, T};
    // t_gen = 50 = 10 * t_fit: grokking
    assertThat(Grokking.detect(steps, fitFrom5, new boolean[] {F, F, F, T}, 10).phase()).isEqualTo("grokking");
    // t_gen = 49 < 50: comprehension
    assertThat(Grokking.detect(steps, fitFrom5, new boolean[] {F, F, T, T}, 10).phase()).isEqualTo("comprehension");
    // the ratio is a parameter
    assertThat(Grokking.detect(steps, fitFrom5, new boolean[] {F, F, T, T}, 9.8).phase()).isEqualTo("grokking");
  }

  @Test
  void fitAtStepZeroCountsAsStepOne() {
    // max(t_fit, 1): with t_fit = 0, t_gen >= ratio * 1 groks, so t_gen = 0 does not
    int[] steps = {0, 1, 9, 10};
    boolean[] fitFrom0 = {T, T, T, T};
    assertThat(Grokking.detect(steps, fitFrom0, new boolean[] {F, F, F, T}, 10).phase()).isEqualTo("grokking");
    assertThat(Grokking.detect(steps, fitFrom0, new boolean[] {F, F, T, T}, 10).phase()).isEqualTo("comprehension");
    assertThat(Grokking.detect(steps, fitFrom0, new boolean[] {T, T, T, T}, 10))
        .isEqualTo(new Grokking(0, 0, 0, 0, "comprehension"));
  }

  @Test
  void classificationCriteriaUseTrainAccuracyAndCleanTestAccuracy() {
    int[] steps = {0, 1, 2, 10, 30};
    double[] zeros = new double[5];
    double[] trainAcc = {0.5, 0.99, 1.0, 1.0, 1.0};
    double[] testAcc = {0.5, 0.5, 0.6, 0.949, 0.95};
    // the noisy test accuracy must not be what is read: make it look generalized from the start
    double[] testAccNoisy = {1.0, 1.0, 1.0, 1.0, 1.0};
    Curve c = new Curve(steps, Columns.STANDARD_METRICS,
        new double[][] {zeros, trainAcc, zeros, testAcc, testAccNoisy, zeros});
    // fit = 1.0 needs every label: from step 2; gen 0.95 reached exactly at 30 (>=)
    assertThat(Grokking.ofClassification(c, Thresholds.DEFAULT)).isEqualTo(new Grokking(2, 30, 30, 28, "grokking"));
    // a looser fit criterion fits at step 1; a looser gen criterion generalizes at 10
    assertThat(Grokking.ofClassification(c, new Thresholds(0.99, 0.9, 10.0)))
        .isEqualTo(new Grokking(1, 10, 10, 9, "grokking"));
    assertThat(Grokking.ofClassification(c, new Thresholds(0.99, 0.9, 20.0)).phase()).isEqualTo("comprehension");
  }
}

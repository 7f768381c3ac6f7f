package io.grokgrid.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.vocab.Columns;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Grokking#ofRegression} and the loss thresholds, on hand-made curves. */
class RegressionGrokkingTest {

  private static Curve curve(int[] steps, double[] train, double[] test) {
    return new Curve(steps, List.of(Columns.TRAIN_LOSS, Columns.TEST_LOSS, Columns.WEIGHT_NORM),
        new double[][] {train, test, new double[steps.length]});
  }

  @Test
  void fitIsSustainedTrainLossAtMostEpsAndGenTheFirstTestLossAtMostC() {
    int[] steps = {0, 1, 2, 5, 10, 50, 100};
    // the train loss dips below eps at step 1, comes back, and stays below from step 5 on
    double[] train = {1.0, 0.005, 0.02, 0.01, 0.004, 0.003, 0.003};
    double[] test = {1.0, 0.9, 0.8, 0.5, 0.2, 0.01, 0.001};
    Grokking g = Grokking.ofRegression(curve(steps, train, test), Thresholds.REGRESSION_DEFAULT);
    assertThat(g.tFit()).isEqualTo(5);
    assertThat(g.tGen()).isEqualTo(50);
    assertThat(g.tGenSustained()).isEqualTo(50);
    assertThat(g.delay()).isEqualTo(45);
    assertThat(g.phase()).isEqualTo("grokking"); // 50 >= 10 * 5
    // with a looser c, generalization comes first: comprehension
    Grokking loose = Grokking.ofRegression(curve(steps, train, test), new Thresholds(0.01, 0.6, 10, true));
    assertThat(loose.tGen()).isEqualTo(5);
    assertThat(loose.phase()).isEqualTo("comprehension");
    // never fits: confusion
    Grokking never = Grokking.ofRegression(curve(steps, test, test), new Thresholds(1e-4, 0.01, 10, true));
    assertThat(never.tFit()).isNull();
    assertThat(never.phase()).isEqualTo("confusion");
  }

  @Test
  void lossThresholdsMayExceedOneButMustBePositive() {
    assertThat(new Thresholds(5.0, 2.0, 10, true).fit()).isEqualTo(5.0);
    assertThatThrownBy(() -> new Thresholds(0.0, 0.01, 10, true))
        .hasMessage("thresholds.fit must be a finite number > 0, got 0");
    assertThatThrownBy(() -> new Thresholds(2.0, 0.9, 10))
        .hasMessage("thresholds.fit must be in (0, 1], got 2");
    assertThat(Thresholds.REGRESSION_DEFAULT).isEqualTo(new Thresholds(0.01, 0.01, 10, true));
  }
}

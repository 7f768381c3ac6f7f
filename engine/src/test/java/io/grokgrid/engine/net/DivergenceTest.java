package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Values;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs that overflow stop with status {@code diverged} at the step their training outputs became
 * non-finite, and leave the other runs of their pack alone.
 *
 * <p>Why the exploding run uses weight decay: without it a huge step does not overflow. The
 * logistic loss has a bounded gradient (|dL/df| <= 1/n), so each step moves W by at most
 * alpha * max|x| and the outputs grow only linearly in alpha * t; with alpha = 1e30 and p = 50
 * they stay of order 1e30, far below float32's 3.4e38 (checked in
 * {@link #hugeStepWithoutDecayStaysFinite}), and overflow needs alpha of order 1e38.
 * With alpha = 1001 and lambda = 1 the shrink factor 1 - alpha*lambda = -1000 multiplies W by
 * -1000 every step, so the pre-activations (about 10 at step 0) overflow float32 after 13 steps;
 * the test finds the step from the plain-double reference, not from the trainer.
 */
class DivergenceTest {
  private static final XorClusters TASK = new XorClusters(20, 30, 50, 3.0, 0.1);
  private static final Hyper EXPLODING = new Hyper(1001.0, 1.0);
  private static final Hyper SANE = new Hyper(0.02, 0.5);
  private static final int STEPS = 30;
  private static final int[] EVERY_STEP = LogSchedule.of(STEPS, STEPS + 1);

  private static Dataset data(long seed) {
    return TASK.generate(Seeds.derive(seed, "div-data"), Precision.FLOAT32);
  }

  private static Net net(long seed) {
    return new Net(10, 1.0, Seeds.derive(seed, "div-init"));
  }

  /**
   * The first step t at which a run in the given precision must overflow: the double reference's
   * largest pre-activation exceeds the type's largest value at t (or is itself non-finite, for
   * float64), while at t - 1 even the sum of absolute terms of every inner product (a bound on
   * every partial sum BLAS forms) is below half of it. With growth 1000x per step both margins
   * are wide, far beyond rounding differences between the reference and the trainer.
   */
  private static int overflowStep(Dataset d, Net net, Hyper h, int steps, double limit) {
    Reference.Data data = Reference.Data.of(d);
    double[][] w = Reference.initialWeights(net, d.dim());
    double[] a = Reference.outputWeights(net);
    double previousPartial = 0.0;
    for (int t = 0; t <= steps; t++) {
      double[] scale = Reference.preActivationScale(w, data.x());
      if (!(scale[0] <= limit)) {
        assertThat(previousPartial).as("no overflow possible at step %d", t - 1).isLessThan(limit / 2);
        if (limit < Double.MAX_VALUE) {
          assertThat(scale[0]).isGreaterThan(2.0 * limit);
        }
        return t;
      }
      previousPartial = scale[1];
      Reference.step(w, a, data, h);
    }
    throw new AssertionError("the reference run did not overflow within " + steps + " steps");
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void explodingRunStopsAtTheStepItWentNonFinite(Form form) {
    for (long seed = 1; seed <= 3; seed++) {
      Dataset d = data(seed);
      Net net = net(seed);
      int expected = overflowStep(d, net, EXPLODING, STEPS, Float.MAX_VALUE);
      assertThat(expected).isBetween(2, STEPS - 1);

      RunResult run = GdTrainer.train(d, null, net, List.of(EXPLODING), STEPS, EVERY_STEP, form).runs().get(0);
      assertThat(run.status()).isEqualTo(Values.DIVERGED);
      assertThat(run.stepsDone()).isEqualTo(expected);
      assertThat(run.detail()).isEqualTo("non-finite training outputs or weights at step " + expected);
      // logged every step: exactly the steps before the divergence, all finite
      Curve c = run.curve();
      assertThat(c.length()).isEqualTo(expected).isLessThan(EVERY_STEP.length);
      assertThat(c.steps()).containsExactly(Arrays.copyOf(EVERY_STEP, expected));
      assertThat(Reference.boxed(c.trainLoss())).allMatch(Double::isFinite);
      assertThat(Reference.boxed(c.testLoss())).allMatch(Double::isFinite);

      // one step fewer is a normal run whose curve is the same prefix
      int[] shorter = LogSchedule.of(expected - 1, expected);
      RunResult before = GdTrainer.train(d, null, net, List.of(EXPLODING), expected - 1, shorter, form).runs().get(0);
      assertThat(before.status()).isEqualTo(Values.OK);
      assertThat(before.stepsDone()).isEqualTo(expected - 1);
      assertThat(before.curve()).isEqualTo(c);
    }
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void hugeStepDivergesAtStepOne(Form form) {
    // alpha = 1e39 > Float.MAX_VALUE: the first update alone overflows float32 (W ~ 1e38, P ~ 1e39)
    Dataset d = data(1);
    RunResult run = GdTrainer.train(d, null, net(1), List.of(new Hyper(1e39, 0.0)), STEPS, EVERY_STEP, form)
        .runs().get(0);
    assertThat(run.status()).isEqualTo(Values.DIVERGED);
    assertThat(run.stepsDone()).isEqualTo(1);
    assertThat(run.curve().steps()).containsExactly(0);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void hugeStepWithoutDecayStaysFinite(Form form) {
    Dataset d = data(1);
    RunResult run = GdTrainer.train(d, null, net(1), List.of(new Hyper(1e30, 0.0)), STEPS, EVERY_STEP, form)
        .runs().get(0);
    assertThat(run.status()).isEqualTo(Values.OK);
    assertThat(run.stepsDone()).isEqualTo(STEPS);
    assertThat(run.curve().length()).isEqualTo(EVERY_STEP.length);
    assertThat(Reference.boxed(run.curve().trainLoss())).allMatch(Double::isFinite);
  }

  /**
   * Regression: the weight norm must not overflow while W is finite (squares of float32 row
   * norms above ~1.8e19 overflow float32; the engine accumulates them in double).
   */
  @ParameterizedTest
  @EnumSource(Form.class)
  void weightNormOfAFiniteStateIsFinite(Form form) {
    Dataset d = data(1);
    RunResult run = GdTrainer.train(d, null, net(1), List.of(new Hyper(1e30, 0.0)), 3, new int[] {0, 1, 2, 3},
        form).runs().get(0);
    assertThat(run.status()).isEqualTo(Values.OK);
    // |W_1| <= |W_0| + alpha |grad| <= ~23 + 1e30 * |grad|, |grad| <= max|x| |a| <= 20: finite, < 1e32
    assertThat(Reference.boxed(run.curve().weightNorm())).allMatch(v -> Double.isFinite(v) && v < 1e32);
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void aDivergedRunLeavesTheOtherRunsOfItsPackUntouched(Form form) {
    for (long seed = 1; seed <= 2; seed++) {
      Dataset d = data(seed);
      Net net = net(seed);
      PackResult mixed = GdTrainer.train(d, null, net, List.of(EXPLODING, SANE), STEPS, EVERY_STEP, form);
      // the same pack shape with a harmless neighbour (non-uniform shrink as well): the sane row
      // goes through exactly the same BLAS calls, so any leak of Inf/NaN would show as a difference
      PackResult calm = GdTrainer.train(d, null, net, List.of(new Hyper(0.02, 0.0), SANE), STEPS, EVERY_STEP, form);
      RunResult alone = GdTrainer.train(d, null, net, List.of(SANE), STEPS, EVERY_STEP, form).runs().get(0);

      assertThat(mixed.runs().get(0).status()).isEqualTo(Values.DIVERGED);
      RunResult sane = mixed.runs().get(1);
      assertThat(sane.status()).isEqualTo(Values.OK);
      assertThat(sane.stepsDone()).isEqualTo(STEPS);
      assertThat(sane.detail()).isEmpty();
      assertThat(sane.curve()).isEqualTo(calm.runs().get(1).curve());
      // against the run trained alone: a one-row pack takes other BLAS kernels, so float32
      // rounding may differ (~1e-7 relative, see ReferenceImplementationTest); accuracies equal
      assertThat(sane.curve().trainAcc()).containsExactly(alone.curve().trainAcc());
      assertThat(sane.curve().testAcc()).containsExactly(alone.curve().testAcc());
      ReferenceImplementationTest.assertCurvesAgree(sane.curve(), alone.curve(), 1e-5, "sane run, " + form);
    }
  }

  @ParameterizedTest
  @EnumSource(value = Form.class, names = {"PRIMAL", "DUAL"})
  void float64PackWithADivergedRunMatchesTheSaneRunAlone(Form form) {
    // float64 overflows at 1.8e308: with growth 1000x per step that takes ~100 steps
    Dataset d = TASK.generate(Seeds.derive(3, "div-data"), Precision.FLOAT64);
    Net net = net(3);
    int steps = 120;
    int[] logs = LogSchedule.of(steps, 40);
    PackResult mixed = GdTrainer.train(d, null, net, List.of(SANE, EXPLODING), steps, logs, form);
    RunResult alone = GdTrainer.train(d, null, net, List.of(SANE), steps, logs, form).runs().get(0);
    RunResult exploded = mixed.runs().get(1);
    assertThat(exploded.status()).isEqualTo(Values.DIVERGED);
    assertThat(exploded.stepsDone()).isEqualTo(overflowStep(d, net, EXPLODING, steps, Double.MAX_VALUE));
    assertThat(exploded.curve().length()).isLessThan(logs.length);
    assertThat(Reference.boxed(exploded.curve().steps())).allMatch(t -> t < exploded.stepsDone());
    assertThat(mixed.runs().get(0).status()).isEqualTo(Values.OK);
    assertThat(mixed.runs().get(0).curve().trainAcc()).containsExactly(alone.curve().trainAcc());
    ReferenceImplementationTest.assertCurvesAgree(mixed.runs().get(0).curve(), alone.curve(), 1e-12, "float64 " + form);
  }
}

package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The implicit-bias metrics (README, "Implicit-bias metrics") through the trainer's routes (the
 * primal form's W, the dual forms' Grams) against {@link MetricsReference} on the materialized W
 * of {@link Reference}'s plain-double GD, at every logged step, and the facts of GD and of the
 * papers they hold to.
 */
class ImplicitBiasMetricsTest {
  static final Metrics<NetStep> ALL = NetFamily.METRICS.select(NetFamily.METRICS.optionalNames());

  /**
   * float64, both activations, weight decay on (s != 1): 1e-8 relative. The routes differ in
   * summation order only (O(m n eps) ~ 1e-13 relative on these sizes) except where a Gram squares
   * the condition number: the smallest singular values (effective rank) and the projected Gram
   * lose up to eps cond(W)^2 ~ 1e-16 * 1e4 here, still far below 1e-8. The DeepFool iterates are
   * the same in exact arithmetic, so a sign test could only differ on a point within rounding of
   * the boundary, where both radii are equal to that rounding.
   */
  @ParameterizedTest
  @EnumSource(value = Form.class, names = {"PRIMAL", "DUAL"})
  void everyMetricEqualsItsValueOnTheMaterializedWeights(Form form) {
    for (double leak : new double[] {0.0, 0.1}) {
      GaussianMixture task = new GaussianMixture(24, 30, 260, 6.0, 0.1);
      Dataset d = task.generate(Seeds.derive(3, "ib-data", (long) (leak * 10)), Precision.FLOAT64);
      Net net = new Net(10, 0.05, Seeds.derive(3, "ib-init"), leak);
      Hyper h = new Hyper(0.05, 0.5);
      int steps = 40;
      int[] logs = LogSchedule.of(steps, 8);
      Curve c = GdTrainer.train(d, null, net, List.of(h), steps, logs, form, ALL, task.signal())
          .runs().get(0).curve();
      Reference.Data rd = Reference.Data.of(d);
      double[][] w = Reference.initialWeights(net, task.dim());
      double[] a = Reference.outputWeights(net);
      List<double[]> q = MetricsReference.basis(rd.x());
      int li = 0;
      for (int t = 0; t <= steps; t++) {
        if (li < logs.length && logs[li] == t) {
          String at = form + " leak " + leak + " step " + t;
          double[] sv = MetricsReference.singularValues(w);
          close(c, Columns.SIGMA_MAX, li, java.util.Arrays.stream(sv).max().orElseThrow(), at);
          close(c, Columns.STABLE_RANK, li, MetricsReference.stableRank(sv), at);
          close(c, Columns.EFFECTIVE_RANK, li, MetricsReference.effectiveRank(sv), at);
          close(c, Columns.W_ORTH_NORM, li, MetricsReference.wOrthNorm(w, q), at);
          close(c, Columns.GRAD_ORTH_SHARE, li,
              MetricsReference.gradOrthShare(w, a, rd.xTest(), q, leak), at);
          close(c, Columns.FLIP_RADIUS, li,
              MetricsReference.flipRadius(w, a, rd.xTest(), rd.yTestClean(), leak, task.signal()), at);
          close(c, Columns.KKT_RESIDUAL, li, MetricsReference.kktResidual(w, a, rd.x(), rd.y(), leak), at);
          li++;
        }
        if (t < steps) {
          Reference.step(w, a, rd, h, leak);
        }
      }
    }
  }

  private static void close(Curve c, String name, int li, double expected, String at) {
    double got = c.values(name)[li];
    assertThat(got).as(name + " at " + at).isCloseTo(expected, within(1e-8 * Math.abs(expected) + 1e-300));
  }

  /** The mask form (float32) reads the same routes: its metrics agree with float32 primal to 1e-3. */
  @Test
  void theMaskFormRecordsTheSameMetrics() {
    GaussianMixture task = new GaussianMixture(24, 30, 260, 6.0, 0.1);
    Dataset d = task.generate(Seeds.derive(5, "ib-mask"), Precision.FLOAT32);
    Net net = new Net(10, 0.05, Seeds.derive(5, "ib-mask-init"), 0.1);
    int steps = 30;
    int[] logs = LogSchedule.of(steps, 6);
    List<Hyper> hs = List.of(new Hyper(0.05, 0.0), new Hyper(0.05, 0.5));
    PackResult primal = GdTrainer.train(d, null, net, hs, steps, logs, Form.PRIMAL, ALL, task.signal());
    PackResult mask = GdTrainer.train(d, null, net, hs, steps, logs, Form.DUAL_MASK, ALL, task.signal());
    for (int r = 0; r < hs.size(); r++) {
      for (String name : ALL.optionalNames()) {
        double[] p = primal.runs().get(r).curve().values(name);
        double[] m = mask.runs().get(r).curve().values(name);
        for (int i = 0; i < p.length; i++) {
          assertThat(m[i]).as(name + " run " + r + " log " + i).isCloseTo(p[i], within(1e-3 * Math.abs(p[i]) + 1e-6));
        }
      }
    }
  }
}

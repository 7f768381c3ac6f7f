package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Values;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link GdTrainer#train} against the slow plain-double loop in {@link Reference}, at every logged
 * step, in both forms.
 *
 * <p>Tolerance, float64. Each step rounds inner products of length p (<= 1100) and the n-term
 * gradient sums: relative error per step <= ~p * eps ~ 1e-13. A perturbation of W grows by at most
 * a factor 1 + alpha*L per step, L <= max_i |x_i|^2 |a|^2 / 4 (|a| = 1) the smoothness of the mean
 * logistic loss between ReLU kinks. For SMALL max |x|^2 <= 56 (seeds used), alpha <= 0.02 and
 * T = 25 give alpha*L*T <= 7, an amplification <= e^7 ~ 1100; for p = 1100, |x|^2 <= 1243,
 * alpha = 1e-3, T = 12: e^3.7 ~ 40. Accumulated relative error <= ~1e-10 (seen: < 1e-12).
 * {@link #REL64} = 1e-8 leaves a factor 100 above that, while any real defect (a missed shrink, a
 * wrong sign or scale, an off-by-one step, a different W(0)) moves losses and norms by far more
 * than 1e-6. Accuracies must be exactly equal: a margin would have to lie within ~1e-10 of 0 for
 * rounding to flip it.
 */
class ReferenceImplementationTest {
  private static final double REL64 = 1e-8;

  /**
   * float32 primal vs dual: both round to eps32 = 6e-8 per operation, summed in different orders
   * (W X^T vs the Gram recursion): per step ~p * eps32 = 3e-6 relative at p = 50, amplified by at
   * most e^(alpha L T) with |x|^2 <= 121 (L <= 30.3), alpha = 5e-3, T = 20: e^3 ~ 20, so <= ~6e-5
   * (seen: 1e-8 for losses, 3e-7 for weight norms). {@link #REL32} = 1e-3 leaves a factor > 10.
   */
  private static final double REL32 = 1e-3;

  private static final XorClusters SMALL = new XorClusters(8, 10, 20, 3.0, 0.2);
  private static final int STEPS = 25;
  private static final int[] EVERY_STEP = LogSchedule.of(STEPS, STEPS + 1);

  @ParameterizedTest
  @EnumSource(value = Form.class, names = {"PRIMAL", "DUAL"})
  void float64CurveMatchesTheReferenceAtEveryLoggedStep(Form form) {
    for (long seed = 1; seed <= 3; seed++) {
      Dataset d = SMALL.generate(Seeds.derive(seed, "ref-data"), Precision.FLOAT64);
      Net net = new Net(6, 0.5, Seeds.derive(seed, "ref-init"));
      for (Hyper h : List.of(new Hyper(0.02, 0.0), new Hyper(0.02, 0.5))) {
        RunResult run = single(d, net, h, STEPS, EVERY_STEP, form);
        assertThat(run.status()).isEqualTo(Values.OK);
        assertThat(run.stepsDone()).isEqualTo(STEPS);
        assertThat(run.detail()).isEmpty();
        Curve expected = Reference.train(Reference.Data.of(d), net, h, STEPS, EVERY_STEP);
        assertCurvesAgree(run.curve(), expected, REL64, "seed " + seed + " " + h + " " + form);
        // the dynamics must actually move, or the comparison proves little
        assertThat(expected.trainLoss()[STEPS]).isLessThan(0.9 * expected.trainLoss()[0]);
      }
    }
  }

  /**
   * The leaky-ReLU network (leak 0.1, Frei et al. 2023) on gaussian-mixture data against the
   * reference, both forms and float64; the tolerance argument above holds (slopes <= 1).
   */
  @ParameterizedTest
  @EnumSource(value = Form.class, names = {"PRIMAL", "DUAL"})
  void leakyCurveMatchesTheReference(Form form) {
    GaussianMixture gm = new GaussianMixture(8, 10, 20, 2.0, 0.2);
    for (long seed = 1; seed <= 3; seed++) {
      Dataset d = gm.generate(Seeds.derive(seed, "ref-gm"), Precision.FLOAT64);
      Net net = new Net(6, 0.5, Seeds.derive(seed, "ref-init"), 0.1);
      for (Hyper h : List.of(new Hyper(0.02, 0.0), new Hyper(0.02, 0.5))) {
        RunResult run = single(d, net, h, STEPS, EVERY_STEP, form);
        Curve expected = Reference.train(Reference.Data.of(d), net, h, STEPS, EVERY_STEP);
        assertCurvesAgree(run.curve(), expected, REL64, "leaky seed " + seed + " " + h + " " + form);
        // the dynamics move (weight decay 0.5 may raise the loss), or the comparison proves little
        assertThat(Math.abs(expected.trainLoss()[STEPS] - expected.trainLoss()[0]))
            .isGreaterThan(0.05 * expected.trainLoss()[0]);
        // and it is not the plain-ReLU run
        Curve plain = Reference.train(Reference.Data.of(d), new Net(6, 0.5, net.initSeed()), h, STEPS, EVERY_STEP);
        assertThat(Math.abs(plain.trainLoss()[STEPS] - expected.trainLoss()[STEPS])).isGreaterThan(1e-6);
      }
    }
  }

  /** float32 leaky primal vs dual, as {@link #float32PrimalAndDualAgree} for the plain ReLU. */
  @Test
  void float32LeakyPrimalAndDualAgree() {
    GaussianMixture task = new GaussianMixture(30, 60, 50, 3.0, 0.1);
    int steps = 20;
    int[] logs = LogSchedule.of(steps, steps + 1);
    List<Hyper> hypers = List.of(new Hyper(5e-3, 0.0), new Hyper(5e-3, 1.0));
    for (long seed = 1; seed <= 3; seed++) {
      Dataset d = task.generate(Seeds.derive(seed, "f32-gm"), Precision.FLOAT32);
      Net net = new Net(12, 0.01, Seeds.derive(seed, "f32-init"), 0.1);
      PackResult primal = GdTrainer.train(d, null, net, hypers, steps, logs, Form.PRIMAL);
      PackResult dual = GdTrainer.train(d, null, net, hypers, steps, logs, Form.DUAL);
      PackResult mask = GdTrainer.train(d, null, net, hypers, steps, logs, Form.DUAL_MASK);
      PackResult primalMask = GdTrainer.train(d, null, net, hypers, steps, logs, Form.PRIMAL_MASK);
      for (int r = 0; r < hypers.size(); r++) {
        assertCurvesAgree(primalMask.runs().get(r).curve(), primal.runs().get(r).curve(), REL32,
            "leaky primal mask seed " + seed + " run " + r);
        assertCurvesAgree(dual.runs().get(r).curve(), primal.runs().get(r).curve(), REL32,
            "leaky seed " + seed + " run " + r);
        assertCurvesAgree(mask.runs().get(r).curve(), primal.runs().get(r).curve(), REL32,
            "leaky mask seed " + seed + " run " + r);
      }
    }
  }

  @Test
  void weightDecayShrinksTheNormAsTheReferenceDoes() {
    Dataset d = SMALL.generate(Seeds.derive(9, "ref-data"), Precision.FLOAT64);
    Net net = new Net(6, 0.5, Seeds.derive(9, "ref-init"));
    Curve free = single(d, net, new Hyper(0.02, 0.0), STEPS, EVERY_STEP, Form.PRIMAL).curve();
    Curve decayed = single(d, net, new Hyper(0.02, 2.0), STEPS, EVERY_STEP, Form.DUAL).curve();
    assertCurvesAgree(decayed, Reference.train(Reference.Data.of(d), net, new Hyper(0.02, 2.0), STEPS,
        EVERY_STEP), REL64, "decay 2");
    assertThat(decayed.weightNorm()[STEPS]).isLessThan(free.weightNorm()[STEPS]);
  }

  /** p = 1100 > {@link Net#CHUNK}: W(0) spans two seeded chunks, which the dual form forms apart. */
  @ParameterizedTest
  @EnumSource(value = Form.class, names = {"PRIMAL", "DUAL"})
  void twoChunkInputDimensionMatchesTheReference(Form form) {
    XorClusters wide = new XorClusters(8, 10, 1100, 10.0, 0.2);
    Dataset d = wide.generate(Seeds.derive(4, "ref-wide"), Precision.FLOAT64);
    Net net = new Net(5, 0.05, Seeds.derive(4, "ref-wide-init"));
    // |x|^2 ~ 1200, so L ~ 300 and alpha = 1e-3 keeps alpha*L ~ 0.3
    Hyper h = new Hyper(1e-3, 1.0);
    int steps = 12;
    int[] logs = LogSchedule.of(steps, steps + 1);
    Curve got = single(d, net, h, steps, logs, form).curve();
    Curve expected = Reference.train(Reference.Data.of(d), net, h, steps, logs);
    assertCurvesAgree(got, expected, REL64, "p=1100 " + form);
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void aPackEqualsEachRunTrainedAlone(Precision precision) {
    Dataset d = SMALL.generate(Seeds.derive(5, "ref-data"), precision);
    Net net = new Net(6, 0.5, Seeds.derive(5, "ref-init"));
    List<Hyper> hypers = List.of(new Hyper(0.02, 0.0), new Hyper(0.01, 0.5), new Hyper(0.015, 2.0),
        new Hyper(0.02, 0.0));
    for (Form form : Form.values()) {
      if (!form.allows(precision)) {
        continue;
      }
      PackResult pack = GdTrainer.train(d, null, net, hypers, STEPS, EVERY_STEP, form);
      assertThat(pack.form()).isEqualTo(form);
      assertThat(pack.runs()).hasSize(hypers.size());
      for (int r = 0; r < hypers.size(); r++) {
        RunResult packed = pack.runs().get(r);
        RunResult alone = single(d, net, hypers.get(r), STEPS, EVERY_STEP, form);
        assertThat(packed.hyper()).isEqualTo(hypers.get(r));
        assertThat(packed.status()).isEqualTo(Values.OK);
        assertThat(packed.curve().trainAcc()).containsExactly(alone.curve().trainAcc());
        assertThat(packed.curve().testAcc()).containsExactly(alone.curve().testAcc());
        assertThat(packed.curve().testAccNoisy()).containsExactly(alone.curve().testAccNoisy());
        // same arithmetic per row up to the BLAS blocking (see below): a few ulps, amplified
        // by at most e^(alpha L T) <= e^6 over the run
        double rel = precision == Precision.FLOAT64 ? 1e-12 : 1e-5;
        assertCurvesAgree(packed.curve(), alone.curve(), rel, "run " + r + " " + form + " " + precision);
        if (precision == Precision.FLOAT64) {
          assertCurvesAgree(packed.curve(), Reference.train(Reference.Data.of(d), net, hypers.get(r), STEPS,
              EVERY_STEP), REL64, "run " + r + " vs reference, " + form);
        }
      }
      // runs 0 and 3 have the same hyper-parameters: the same numbers up to rounding. Not
      // bit-identical: BLAS handles rows in different micro-kernel blocks depending on their
      // position and on the row count, which changes float32 rounding (seen: 1e-7 relative).
      assertThat(pack.runs().get(3).curve().trainAcc()).containsExactly(pack.runs().get(0).curve().trainAcc());
      assertCurvesAgree(pack.runs().get(3).curve(), pack.runs().get(0).curve(),
          precision == Precision.FLOAT64 ? 1e-12 : 1e-5, "runs 0 and 3, " + form);
      // and different hyper-parameters really give different curves
      assertThat(pack.runs().get(1).curve()).isNotEqualTo(pack.runs().get(0).curve());
    }
  }

  @Test
  void gramPassedInGivesTheSameNumbersAsGramComputedInside() {
    Dataset d = SMALL.generate(Seeds.derive(6, "ref-data"), Precision.FLOAT32);
    Net net = new Net(6, 0.5, Seeds.derive(6, "ref-init"));
    List<Hyper> hypers = List.of(new Hyper(0.02, 0.1));
    Curve inside = GdTrainer.train(d, null, net, hypers, STEPS, EVERY_STEP, Form.DUAL).runs().get(0).curve();
    Curve given = GdTrainer.train(d, Gram.of(d), net, hypers, STEPS, EVERY_STEP, Form.DUAL).runs().get(0).curve();
    assertThat(given).isEqualTo(inside);
  }

  @Test
  void float32PrimalAndDualAgree() {
    // Larger than SMALL so that accuracies take many values; seeds where no margin sits within
    // float32 rounding (~1e-5 relative) of 0, which the exact accuracy comparison would otherwise
    // turn into a one-example flip. The comparison covers every logged step.
    XorClusters task = new XorClusters(30, 60, 50, 6.0, 0.1);
    int steps = 20;
    int[] logs = LogSchedule.of(steps, steps + 1);
    List<Hyper> hypers = List.of(new Hyper(5e-3, 0.0), new Hyper(5e-3, 1.0));
    for (long seed = 1; seed <= 3; seed++) {
      Dataset d = task.generate(Seeds.derive(seed, "f32-data"), Precision.FLOAT32);
      Net net = new Net(12, 0.01, Seeds.derive(seed, "f32-init"));
      PackResult primal = GdTrainer.train(d, null, net, hypers, steps, logs, Form.PRIMAL);
      for (Form form : List.of(Form.DUAL, Form.DUAL_MASK, Form.PRIMAL_MASK)) {
        PackResult dual = GdTrainer.train(d, null, net, hypers, steps, logs, form);
        assertThat(dual.form()).isEqualTo(form);
        for (int r = 0; r < hypers.size(); r++) {
          Curve p = primal.runs().get(r).curve();
          Curve q = dual.runs().get(r).curve();
          String what = form + " seed " + seed + " run " + r;
          assertThat(q.steps()).containsExactly(logs);
          assertThat(q.trainAcc()).as(what).containsExactly(p.trainAcc());
          assertThat(q.testAcc()).as(what).containsExactly(p.testAcc());
          assertThat(q.testAccNoisy()).as(what).containsExactly(p.testAccNoisy());
          assertCurvesAgree(q, p, REL32, what);
        }
      }
      // the run learns, so the accuracies compared above take several values
      Curve c = primal.runs().get(0).curve();
      assertThat(c.trainAcc()[c.last()]).isGreaterThan(c.trainAcc()[0] + 0.1);
      assertThat(c.trainLoss()[c.last()]).isLessThan(c.trainLoss()[0] - 0.02);
    }
  }

  private static RunResult single(Dataset d, Net net, Hyper h, int steps, int[] logs, Form form) {
    PackResult res = GdTrainer.train(d, null, net, List.of(h), steps, logs, form);
    assertThat(res.runs()).hasSize(1);
    return res.runs().get(0);
  }

  static void assertCurvesAgree(Curve got, Curve expected, double rel, String what) {
    assertThat(got.steps()).as(what + ": steps").containsExactly(expected.steps());
    for (int i = 0; i < expected.length(); i++) {
      String at = what + " at step " + expected.steps()[i];
      assertThat(got.trainAcc()[i]).as(at + ": train_acc").isEqualTo(expected.trainAcc()[i]);
      assertThat(got.testAcc()[i]).as(at + ": test_acc").isEqualTo(expected.testAcc()[i]);
      assertThat(got.testAccNoisy()[i]).as(at + ": test_acc_noisy").isEqualTo(expected.testAccNoisy()[i]);
      assertRel(got.trainLoss()[i], expected.trainLoss()[i], rel, at + ": train_loss");
      assertRel(got.testLoss()[i], expected.testLoss()[i], rel, at + ": test_loss");
      assertRel(got.weightNorm()[i], expected.weightNorm()[i], rel, at + ": weight_norm");
    }
  }

  static void assertRel(double got, double expected, double rel, String what) {
    assertThat(got).as(what).isFinite().isCloseTo(expected, within(rel * Math.abs(expected)));
  }
}

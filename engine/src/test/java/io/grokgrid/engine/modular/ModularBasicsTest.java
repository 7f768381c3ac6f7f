package io.grokgrid.engine.modular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.modular.ModularNet.Params;
import io.grokgrid.engine.net.GdTrainer;
import io.grokgrid.vocab.Values;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Data, initialization, optimizer steps, metrics, divergence and messages of modular addition. */
class ModularBasicsTest {

  @Test
  void splitCoversEveryPairOnceWithTheRightLabels() {
    ModularAddition task = new ModularAddition(11, 0.4, 0.0);
    ModularData d = task.generate(7);
    assertThat(d.nTrain()).isEqualTo(48); // round(0.4 * 121)
    assertThat(d.nTest()).isEqualTo(73);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < d.nTrain(); i++) {
      assertThat(seen.add(d.trainA()[i] * 11 + d.trainB()[i])).isTrue();
      assertThat(d.trainClean()[i]).isEqualTo((d.trainA()[i] + d.trainB()[i]) % 11);
      assertThat(d.trainLabel()[i]).isEqualTo(d.trainClean()[i]);
    }
    for (int i = 0; i < d.nTest(); i++) {
      assertThat(seen.add(d.testA()[i] * 11 + d.testB()[i])).isTrue();
      assertThat(d.testClean()[i]).isEqualTo((d.testA()[i] + d.testB()[i]) % 11);
      assertThat(d.testNoisy()[i]).isEqualTo(d.testClean()[i]);
    }
    assertThat(seen).hasSize(121);
    // deterministic in the seed, different across seeds
    assertThat(task.generate(7).trainA()).containsExactly(d.trainA());
    assertThat(task.generate(8).trainA()).isNotEqualTo(d.trainA());
  }

  @Test
  void labelNoiseReplacesWithAnotherClassAtTheGivenRateAndKeepsTheSplit() {
    int q = 97;
    double eta = 0.3;
    ModularData clean = new ModularAddition(q, 0.5, 0.0).generate(11);
    ModularData d = new ModularAddition(q, 0.5, eta).generate(11);
    assertThat(d.trainA()).containsExactly(clean.trainA());
    assertThat(d.testB()).containsExactly(clean.testB());
    int flipped = 0;
    int total = 0;
    for (int[] labels : new int[][] {d.trainLabel(), d.testNoisy()}) {
      int[] cl = labels == d.trainLabel() ? d.trainClean() : d.testClean();
      for (int i = 0; i < labels.length; i++) {
        assertThat(labels[i]).isBetween(0, q - 1);
        if (labels[i] != cl[i]) {
          flipped++;
        }
        total++;
      }
    }
    // 9409 labels, flips ~ Binomial(9409, 0.3): sd = sqrt(9409 * 0.21) = 44.5, i.e. 0.0047 in
    // rate; 0.02 is over 4 sd (a replacement never equals the clean class, so flips = draws)
    assertThat((double) flipped / total).isCloseTo(eta, offset(0.02));
  }

  @Test
  void initializationHasTheDocumentedScales() {
    int q = 50;
    int m = 400;
    double omega = 2.0;
    Params p = new ModularNet(m, omega, 3).initial(q);
    // mean of N(0, s^2)^2 over N entries: relative sd sqrt(2/N) (< 0.01 here), 5% is > 5 sd
    assertThat(meanSq(p.w1) / (omega * omega / (2.0 * q))).isCloseTo(1.0, offset(0.05));
    assertThat(meanSq(p.w2) / (omega * omega / m)).isCloseTo(1.0, offset(0.05));
    assertThat(new ModularNet(m, omega, 3).initial(q).w1).containsExactly(p.w1);
  }

  @Test
  void oneGdStepAndOneAdamwStepMatchTheirFormulas() {
    ModularData d = new ModularAddition(7, 0.5, 0.2).generate(5);
    ModularNet net = new ModularNet(6, 1.0, 9);
    Params p0 = net.initial(7);
    Params g = ModularTrainer.gradient(d, p0);
    double alpha = 0.05;
    double lambda = 0.7;
    int[] logs = {0, 1};
    RunResult gd = ModularTrainer.train(d, net, Optimizer.GD, List.of(new Hyper(alpha, lambda)), 1, logs).get(0);
    RunResult adam = ModularTrainer.train(d, net, Optimizer.ADAMW, List.of(new Hyper(alpha, lambda)), 1, logs).get(0);
    Params pg = p0.copy();
    Params pa = p0.copy();
    for (int k = 0; k < 2; k++) {
      double[] w = k == 0 ? pg.w1 : pg.w2;
      double[] wa = k == 0 ? pa.w1 : pa.w2;
      double[] gr = k == 0 ? g.w1 : g.w2;
      for (int i = 0; i < w.length; i++) {
        w[i] = (1 - alpha * lambda) * w[i] - alpha * gr[i];
        // first AdamW step: m_hat = g, v_hat = g^2, so the update is alpha g / (|g| + eps)
        double mh = (1 - Optimizer.BETA1) * gr[i] / (1 - Optimizer.BETA1);
        double vh = (1 - Optimizer.BETA2) * gr[i] * gr[i] / (1 - Optimizer.BETA2);
        wa[i] = (1 - alpha * lambda) * wa[i] - alpha * mh / (Math.sqrt(vh) + Optimizer.EPS);
      }
    }
    // the curve's step-1 train loss is the loss at the hand-updated parameters (same code
    // path for the loss; the updates agree to rounding, 1e-12 is ~1e4 ulps of losses ~ 2)
    assertThat(gd.curve().trainLoss()[1]).isCloseTo(ModularTrainer.loss(d, pg), offset(1e-12));
    assertThat(adam.curve().trainLoss()[1]).isCloseTo(ModularTrainer.loss(d, pa), offset(1e-12));
    assertThat(gd.curve().weightNorm()[1]).isCloseTo(Math.sqrt(pg.normSq()), offset(1e-12));
    assertThat(adam.curve().weightNorm()[0]).isCloseTo(Math.sqrt(p0.normSq()), offset(1e-12));
  }

  @Test
  void metricsAtInitializationMatchADirectEvaluation() {
    ModularData d = new ModularAddition(13, 0.5, 0.3).generate(21);
    ModularNet net = new ModularNet(16, 1.5, 4);
    Curve c = ModularTrainer.train(d, net, Optimizer.GD, List.of(new Hyper(0.1, 0.0)), 0, new int[] {0})
        .get(0).curve();
    Params p = net.initial(13);
    double[][] w1 = p.w1();
    double[][] w2 = p.w2();
    assertThat(c.trainLoss()[0]).isCloseTo(ModularGradientTest.denseLoss(w1, w2, d), offset(1e-12));
    assertThat(c.trainAcc()[0]).isEqualTo(accuracy(w1, w2, d.modulus(), d.trainA(), d.trainB(), d.trainLabel()));
    assertThat(c.testAcc()[0]).isEqualTo(accuracy(w1, w2, d.modulus(), d.testA(), d.testB(), d.testClean()));
    assertThat(c.testAccNoisy()[0]).isEqualTo(accuracy(w1, w2, d.modulus(), d.testA(), d.testB(), d.testNoisy()));
    assertThat(c.weightNorm()[0]).isCloseTo(Math.sqrt(p.normSq()), offset(1e-12));
  }

  @Test
  void divergenceStopsOnlyTheRunThatBlowsUp() {
    ModularData d = new ModularAddition(7, 0.5, 0.0).generate(1);
    ModularNet net = new ModularNet(8, 1.0, 2);
    int[] logs = {0, 1, 2, 5, 10, 50};
    // GD with step size 1e200: the first update overflows the weights
    List<RunResult> rs = ModularTrainer.train(d, net, Optimizer.GD,
        List.of(new Hyper(1e200, 0.0), new Hyper(0.1, 0.0)), 50, logs);
    RunResult bad = rs.get(0);
    assertThat(bad.status()).isEqualTo(Values.DIVERGED);
    assertThat(bad.stepsDone()).isEqualTo(1);
    assertThat(bad.detail()).isEqualTo("non-finite training loss or weights at step 1");
    assertThat(bad.curve().steps()).containsExactly(0);
    RunResult good = rs.get(1);
    assertThat(good.status()).isEqualTo(Values.OK);
    assertThat(good.stepsDone()).isEqualTo(50);
    assertThat(good.curve().steps()).containsExactly(logs);
    assertThat(good.curve().trainLoss()[5]).isLessThan(good.curve().trainLoss()[0]);
  }

  @Test
  void runsOfAPackAreIndependentOfTheirCompany() {
    ModularData d = new ModularAddition(7, 0.6, 0.1).generate(3);
    ModularNet net = new ModularNet(8, 1.0, 4);
    int[] logs = {0, 3, 20};
    Hyper a = new Hyper(0.01, 0.5);
    Hyper b = new Hyper(0.02, 0.0);
    RunResult alone = ModularTrainer.train(d, net, Optimizer.ADAMW, List.of(b), 20, logs).get(0);
    RunResult packed = ModularTrainer.train(d, net, Optimizer.ADAMW, List.of(a, b), 20, logs).get(1);
    assertThat(packed.curve()).isEqualTo(alone.curve());
  }

  @Test
  void badParametersNameTheKeyTheRuleAndTheValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularAddition(1, 0.5, 0.0))
        .withMessage("modulus must be an integer in [2, 4096], got 1");
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularAddition(23, 0.0, 0.0))
        .withMessage("train_fraction must be in (0, 1], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularAddition(23, 1.0, 0.0))
        .withMessage("train_fraction must leave at least one pair in the train and the test set,"
            + " got 1 of 529 pairs (modulus 23)");
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularAddition(2, 0.1, 0.0))
        .withMessage("train_fraction must leave at least one pair in the train and the test set,"
            + " got 0.1 of 4 pairs (modulus 2)");
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularAddition(23, 0.5, 1.0))
        .withMessage("noise_rate must be in [0, 1), got 1");
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularAddition(23, Double.NaN, 0.0))
        .withMessage("train_fraction must be in (0, 1], got NaN");
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularNet(0, 1.0, 1))
        .withMessage("width must be an integer in [1, 1000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new ModularNet(8, -1.0, 1))
        .withMessage("init_scale must be a finite number >= 0, got -1");
    assertThatIllegalArgumentException().isThrownBy(() -> Optimizer.parse("sgd"))
        .withMessage("optimizer must be one of [gd, adamw], got sgd");
    assertThat(Optimizer.parse("adamw")).isEqualTo(Optimizer.ADAMW);
    assertThat(Optimizer.GD.label()).isEqualTo("gd");
    ModularData d = new ModularAddition(5, 0.5, 0.0).generate(1);
    ModularNet net = new ModularNet(4, 1.0, 1);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ModularTrainer.train(d, net, Optimizer.GD, List.of(new Hyper(0.1, 0.0)), 5, new int[] {0, 4}))
        .withMessage("log steps must be increasing within [0, 5] and end at 5, got [0, 4]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ModularTrainer.train(d, net, Optimizer.GD, List.of(), 5, new int[] {5}))
        .withMessage("a pack needs at least one run");
    assertThatNoException().isThrownBy(() -> new ModularAddition(2, 0.5, 0.0));
  }

  private static double meanSq(double[] v) {
    double s = 0.0;
    for (double x : v) {
      s += x * x;
    }
    return s / v.length;
  }

  /** Argmax accuracy with ties to the lowest class, dense evaluation. */
  private static double accuracy(double[][] w1, double[][] w2, int q, int[] as, int[] bs, int[] y) {
    int hits = 0;
    int m = w1.length;
    for (int i = 0; i < as.length; i++) {
      double[] z = new double[m];
      for (int j = 0; j < m; j++) {
        z[j] = Math.max(w1[j][as[i]] + w1[j][q + bs[i]], 0.0);
      }
      int arg = 0;
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < q; c++) {
        double v = 0.0;
        for (int j = 0; j < m; j++) {
          v += w2[c][j] * z[j];
        }
        if (v > best) {
          best = v;
          arg = c;
        }
      }
      hits += arg == y[i] ? 1 : 0;
    }
    return (double) hits / as.length;
  }
}

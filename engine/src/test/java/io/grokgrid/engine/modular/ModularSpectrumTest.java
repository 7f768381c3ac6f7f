package io.grokgrid.engine.modular;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Grokking;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.vocab.Columns;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The first layer's spectral metrics on modular addition (Yunis et al. 2024, arXiv 2408.11804,
 * "Approaching Deep Learning through the Spectral Dynamics of Weights": as a net groks, the
 * effective rank of its weights falls, and weight decay drives it lower).
 *
 * <p>On this family the effect is bounded by the solution the net finds: each hidden unit of a
 * grokked net carries one frequency (about 0.9 of its Fourier energy on one k in 1..(q-1)/2),
 * and at widths 128 and 256 the units spread evenly over all frequencies (each 7-11% of W1's
 * energy; Gromov 2023's solution uses them all), so W1 stays near rank 2q - 2. At
 * {@link ModularGrokkingTest}'s recipe (width 256, 70% of pairs, AdamW 3e-3) the effective rank
 * goes 44.8 -> 44.6 of 46; at width 128 10000 steps leave it at 43.0-43.4. A narrow layer (64
 * units for 11 frequencies) spreads its energy unevenly (2-13% per frequency) and its effective
 * rank falls by a few percent: that is the recipe here.
 */
class ModularSpectrumTest {
  static final int Q = 23;
  static final double TRAIN_FRACTION = 0.9;
  static final int WIDTH = 64;
  static final double STEP_SIZE = 1e-2;
  static final int STEPS = 2000;
  static final double[] DECAYS = {0.0, 0.1, 0.5};
  /** The decay whose run generalizes within the budget in every seed. */
  static final int GROKS = 2;
  static final int SEEDS = 3;

  /**
   * q = 23, 90% of pairs, width 64, init_scale 1, AdamW 1e-2, 2000 steps, weight decay 0, 0.1,
   * 0.5, seeds 0-2 (the data and init seeds of {@link ModularGrokkingTest}). Measured effective
   * rank (of at most 46) at t_fit, at t_gen (clean test accuracy 0.9) and at the end:
   * <pre>
   * seed  wd 0: final | wd 0.1: t_fit  final (test acc) | wd 0.5: t_fit  t_gen        final
   *  0        39.34   |     90 (40.15) 38.45 (0.66)      |     90 (40.23) 1388 (37.38) 36.66
   *  1        40.10   |     90 (40.32) 39.64 (0.64)      |    108 (40.39)  963 (39.02) 38.18
   *  2        38.81   |     90 (39.44) 38.24 (0.79)      |     90 (39.36)  802 (37.84) 37.75
   * </pre>
   * The fall: at decay 0.5, t_fit -> t_gen, over seeds 0-5 it is 1.4 +- 1.0 (mean +- sd; the
   * smallest 0.0, seed 5); the median of three seeds has an sd of about 0.7 (1.25 sd / sqrt 3),
   * so the margin 0.5 lies about 1.2 of those below the mean. Without weight decay the net
   * memorizes and its effective rank drifts down by 0.05-0.8 over the same steps, less than with
   * decay in each of seeds 0-2.
   *
   * <p>The order: over seeds 0-5 the final value drops from decay 0 to 0.1 by 0.65 +- 0.23 and
   * from 0.1 to 0.5 by 0.95 +- 0.75; medians of three seeds then have sds of about 0.2 and 0.55,
   * and the margin 0.25 lies 2 and 1.3 of those below. Each of seeds 0-2 is in order; seed 5 is
   * not (0.1 ends 0.08 below 0.5). Two limits of the claim, measured and not held here: the run
   * at 0.1 has not generalized by step 2000 (test accuracy 0.64-0.89), so part of the order is
   * how far each run has come; and at decay 1 the final value rises again (median of seeds 0-5:
   * 39.8, 39.0, 38.0 at 0, 0.1, 0.5, then 38.5 at 1; at width 256, decays 0.5, 1, 2 end rising,
   * 44.4, 44.5, 44.7).
   */
  @Test
  void effectiveRankFallsWhileTheNetGeneralizesAndEndsLowerWithMoreWeightDecay() {
    double fallMargin = 0.5;
    double orderMargin = 0.25;
    double[] fall = new double[SEEDS];
    double[] excess = new double[SEEDS];
    double[][] last = new double[DECAYS.length][SEEDS];
    System.out.printf(Locale.ROOT, "Yunis et al. on modular addition (q %d, fraction %.1f, width %d,"
        + " AdamW %.0e, %d steps): effective rank of W1 (at most %d)%n",
        Q, TRAIN_FRACTION, WIDTH, STEP_SIZE, STEPS, 2 * Q);
    for (int s = 0; s < SEEDS; s++) {
      long seed = Seeds.derive(2201_02177L, "modular-grokking", s);
      ModularData d = new ModularAddition(Q, TRAIN_FRACTION, 0.0).generate(Seeds.derive(seed, "data"));
      ModularNet net = new ModularNet(WIDTH, 1.0, Seeds.derive(seed, "init"));
      int[] logs = LogSchedule.of(STEPS, 40);
      List<Hyper> hs = Arrays.stream(DECAYS).mapToObj(l -> new Hyper(STEP_SIZE, l)).toList();
      List<RunResult> runs = ModularTrainer.train(d, net, Optimizer.ADAMW, hs, STEPS, logs,
          ModularFamily.METRICS.select(ModularFamily.METRICS.optionalNames()));
      double[] plain = runs.get(0).curve().values(Columns.EFFECTIVE_RANK);
      for (int k = 0; k < DECAYS.length; k++) {
        Curve c = runs.get(k).curve();
        double[] er = c.values(Columns.EFFECTIVE_RANK);
        last[k][s] = er[c.last()];
        // the identities of the metrics: stable rank = |W1|_F^2 / sigma_max^2 <= effective rank
        double[] sr = c.values(Columns.STABLE_RANK);
        for (int i = 0; i < c.length(); i++) {
          assertThat(sr[i]).isBetween(1.0, er[i] + 1e-9);
        }
        Grokking g = Grokking.ofClassification(c, new Thresholds(1.0, 0.9, 10.0));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
            "seed %d weight decay %.1f: t_fit %d (%.2f)", s, DECAYS[k], g.tFit(), er[index(c, g.tFit())]));
        if (g.tGen() != null) {
          int fit = index(c, g.tFit());
          int gen = index(c, g.tGen());
          line.append(String.format(Locale.ROOT, ", t_gen %d (%.2f), fall %.2f (no decay over the"
              + " same steps: %.2f)", g.tGen(), er[gen], er[fit] - er[gen], plain[fit] - plain[gen]));
          if (k == GROKS) {
            fall[s] = er[fit] - er[gen];
            excess[s] = fall[s] - (plain[fit] - plain[gen]);
          }
        } else {
          line.append(", no t_gen");
        }
        System.out.println(line.append(String.format(Locale.ROOT, ", final %.2f (test accuracy %.2f)",
            last[k][s], c.testAcc()[c.last()])));
        if (k == GROKS) {
          assertThat(g.tGen()).as("t_gen, seed %d, weight decay %s", s, DECAYS[k]).isNotNull();
        }
      }
      for (int k = 1; k < DECAYS.length; k++) {
        assertThat(last[k][s]).as("final, seed %d, weight decay %s vs %s", s, DECAYS[k], DECAYS[k - 1])
            .isLessThan(last[k - 1][s]);
      }
    }
    System.out.printf(Locale.ROOT, "weight decay %.1f: median fall t_fit -> t_gen %.2f (beyond the"
        + " drift without decay: %.2f)%n", DECAYS[GROKS], median(fall), median(excess));
    assertThat(median(fall)).as("median fall t_fit -> t_gen").isGreaterThan(fallMargin);
    // more than the memorizing run's drift over the same logged steps (the same init and data)
    assertThat(median(excess)).as("median fall beyond the drift without decay").isGreaterThan(0.0);
    for (int k = 0; k < DECAYS.length; k++) {
      System.out.printf(Locale.ROOT, "weight decay %.1f: median final %.2f%n", DECAYS[k], median(last[k]));
      if (k > 0) {
        assertThat(median(last[k])).as("median final, weight decay %s vs %s", DECAYS[k], DECAYS[k - 1])
            .isLessThan(median(last[k - 1]) - orderMargin);
      }
    }
  }

  /** The spectrum route: singular values of W1 from the smaller Gram, against a direct sum. */
  @Test
  void stableRankIsTheFrobeniusOverTheTopSingularValueSquared() {
    ModularNet net = new ModularNet(40, 1.0, 7L);
    ModularNet.Params p = net.initial(11);
    ModularStep s = new ModularStep(new double[4], new double[4], 0.0, p);
    double[] ev = s.gramEigenvalues(0);
    double frob = Arrays.stream(p.w1).map(v -> v * v).sum();
    assertThat(ev).hasSize(22);
    assertThat(Arrays.stream(ev).sum()).isCloseTo(frob, within(1e-12 * frob));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  private static int index(Curve c, int step) {
    int i = 0;
    while (c.steps()[i] < step) {
      i++;
    }
    return i;
  }
}

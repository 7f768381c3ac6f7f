package io.grokgrid.engine.net;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Grokking;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MathThreads;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.Thresholds;
import java.util.List;
import java.util.Locale;

/**
 * Prints single-run curves in the settings of Xu et al. (arXiv 2310.02541) Figure 1, without
 * Spark: p = 40000, n = n_test = 200, r = 2.5 sqrt(p/n), m = 1000, eta = 0.05, omega = 1e-15.
 *
 * <p>Usage: {@code Fig1 [left|right] [seeds] [form]}; left is alpha = 1e-12 for 50 steps, right
 * is alpha = 1e-16 for 5000 steps. Seed s uses data seed {@code Seeds.derive(7, "fig1", s)}.
 */
public final class Fig1 {
  private Fig1() {}

  public static void main(String[] args) {
    String panel = args.length > 0 ? args[0] : "left";
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    MathThreads.pin(Runtime.getRuntime().availableProcessors());
    boolean left = panel.equals("left");
    int p = 40000;
    int n = 200;
    XorClusters task = new XorClusters(n, 200, p, 2.5 * Math.sqrt((double) p / n), 0.05);
    double alpha = left ? 1e-12 : 1e-16;
    int steps = left ? 50 : 5000;
    int[] logs = left ? LogSchedule.of(steps, steps + 1) : LogSchedule.of(steps, 60);
    for (int s = 0; s < seeds; s++) {
      long dataSeed = Seeds.derive(7, "fig1", s);
      long t0 = System.nanoTime();
      Dataset d = task.generate(dataSeed, Precision.FLOAT32);
      Net net = new Net(1000, 1e-15, Seeds.derive(dataSeed, "init"));
      Form form = args.length > 2 ? Form.parse(args[2])
          : GdTrainer.chooseForm(1000, n, 200, p, steps, logs.length, Precision.FLOAT32);
      PackResult res = GdTrainer.train(d, null, net, List.of(new Hyper(alpha, 0.0)), steps, logs, form);
      RunResult run = res.runs().get(0);
      Curve c = run.curve();
      System.out.printf(Locale.ROOT, "# seed %d: form %s, status %s, %.1f s, flipped train labels %d%n",
          s, res.form().label(), run.status(), (System.nanoTime() - t0) / 1e9, d.flippedTrain());
      System.out.println("step  train_acc  test_acc  test_acc_noisy  train_loss  weight_norm");
      for (int i = 0; i < c.length(); i++) {
        System.out.printf(Locale.ROOT, "%5d  %9.3f  %8.3f  %14.3f  %10.5f  %11.4g%n", c.steps()[i],
            c.trainAcc()[i], c.testAcc()[i], c.testAccNoisy()[i], c.trainLoss()[i], c.weightNorm()[i]);
      }
      System.out.println("# grokking: " + Grokking.ofClassification(c, Thresholds.DEFAULT));
    }
  }
}

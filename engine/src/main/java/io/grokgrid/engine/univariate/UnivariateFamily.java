package io.grokgrid.engine.univariate;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Family;
import io.grokgrid.engine.GdTrainer;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.Precision;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code univariate-regression} family (Joshi, Vardi, Srebro 2023, arXiv 2307.15396;
 * SCIENCE.md section 5) as a sweep sees it: data from {@link UnivariateRegression}, a pack trained
 * by {@link RegressionTrainer} from the initialization {@link UnivariateNet} draws from the pack's
 * seed, in float64.
 *
 * <p>Curves: accuracies are null (regression); {@code train_loss} is the training MSE,
 * {@code test_loss} the test MSE on noisy targets (so the cost of overfitting's L2 risk) and
 * {@code test_loss_l1} the mean absolute test error on noisy targets (the L1 risk). These are
 * mean squared errors, not halved: the grokking thresholds eps and c compare with them.
 *
 * <p>Solvers: {@code gd} trains the network ({@link RegressionTrainer}); {@code min-norm} skips
 * training and evaluates the closed-form minimum-norm interpolant ({@link MinNormInterpolant}),
 * the limit of vanishing weight decay that Joshi et al. analyse: its curve is one point at step
 * 0 with train loss 0 (it interpolates), and test losses are its population losses over
 * x ~ U[0, 1] with the noise integrated out (exact up to quadrature, so the heavy-tailed L2 risk
 * is not at the mercy of a finite test set's sampling of narrow spikes). Its weight norm is
 * reported as the total curvature, the integral of |f''| (the representation cost it minimizes).
 *
 * @param task the data recipe
 * @param width m, hidden units
 * @param initScale omega
 * @param knots initial knot placement
 */
public record UnivariateFamily(UnivariateRegression task, int width, double initScale, Knots knots,
    boolean minNorm) implements Family<RegressionData> {

  /** Validates width, scale and knots through {@link UnivariateNet}. */
  public UnivariateFamily {
    new UnivariateNet(width, initScale, knots, 0L);
    if (task == null) {
      throw new IllegalArgumentException("univariate-regression needs a task");
    }
  }

  /** The closed-form minimum-norm interpolant's pack: one single-point curve per run. */
  private GdTrainer.PackResult minNormPack(RegressionData data, List<Hyper> hypers) {
    MinNormInterpolant f = MinNormInterpolant.fit(data);
    MinNormInterpolant.Losses pop = f.populationLosses(task.target(), task.noiseStd());
    List<GdTrainer.RunResult> out = new ArrayList<>(hypers.size());
    for (Hyper h : hypers) {
      if (h.weightDecay() != 0.0) {
        throw new IllegalArgumentException("weight_decay must be 0 with solver min-norm (the"
            + " interpolant is the limit of vanishing weight decay), got " + h.weightDecay());
      }
      Curve c = new Curve(new int[] {0}, new double[] {0.0}, null, new double[] {pop.l2()}, null,
          null, new double[] {f.totalCurvature()}, new double[] {pop.l1()});
      out.add(new GdTrainer.RunResult(h, c, GdTrainer.OK, 0, ""));
    }
    return new GdTrainer.PackResult(GdTrainer.Form.PRIMAL, out, 0.0);
  }

  @Override
  public RegressionData generate(long seed) {
    return task.generate(seed);
  }

  @Override
  public GdTrainer.PackResult train(RegressionData data, long initSeed, List<Hyper> hypers,
      int steps, int[] logSteps) {
    if (minNorm) {
      return minNormPack(data, hypers);
    }
    List<RegressionTrainer.RunResult> rs = RegressionTrainer.train(data,
        new UnivariateNet(width, initScale, knots, initSeed), hypers, steps, logSteps);
    List<GdTrainer.RunResult> out = new ArrayList<>(rs.size());
    for (RegressionTrainer.RunResult r : rs) {
      RegressionCurve c = r.curve();
      Curve curve = new Curve(c.steps(), c.trainLoss(), null, c.testLossL2(), null, null,
          c.weightNorm(), c.testLossL1());
      out.add(new GdTrainer.RunResult(r.hyper(), curve, r.status(), r.stepsDone(), r.detail()));
    }
    return new GdTrainer.PackResult(GdTrainer.Form.PRIMAL, out,
        hypers.size() * runCost(steps, logSteps.length));
  }

  @Override
  public GdTrainer.Form form(int steps, int logs) {
    return GdTrainer.Form.PRIMAL;
  }

  @Override
  public double setupCost() {
    return 10.0 * (task.nTrain() + task.nTest());
  }

  @Override
  public double runCost(int steps, int logs) {
    if (minNorm) {
      return 200.0 * task.nTrain();
    }
    return RegressionTrainer.cost(width, task.nTrain(), task.nTest(), steps, logs);
  }

  @Override
  public int rowsPerRun() {
    return width;
  }

  @Override
  public Precision precision() {
    return Precision.FLOAT64;
  }
}

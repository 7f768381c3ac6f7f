package io.grokgrid.engine.ridge;

import static io.grokgrid.engine.ridge.RidgeData.dot;

import io.grokgrid.engine.Hyper;
import java.util.Arrays;

/**
 * The primal ridge trainer: keeps theta and runs
 * theta <- (1 - alpha lambda) theta - (alpha/n) X^T (X theta - y), 4 n p flops a step.
 */
final class PrimalTrainer {
  private PrimalTrainer() {}

  /** The objective (1/2n)|X theta - y|^2 + (lambda/2)|theta|^2 (for gradient checks). */
  static double objective(RidgeData d, double[] theta, double lambda) {
    double s = 0.0;
    for (int i = 0; i < d.n; i++) {
      double r = dot(d.x, i * d.p, theta, 0, d.p) - d.y[i];
      s += r * r;
    }
    return s / (2.0 * d.n) + 0.5 * lambda * dot(theta, 0, theta, 0, d.p);
  }

  /** Its gradient (1/n) X^T (X theta - y) + lambda theta, as a training step computes it. */
  static double[] gradient(RidgeData d, double[] theta, double lambda) {
    double[] g = new double[d.p];
    double[] r = residual(d, theta);
    accumulateGradient(d, r, g);
    for (int j = 0; j < d.p; j++) {
      g[j] += lambda * theta[j];
    }
    return g;
  }

  static double[] residual(RidgeData d, double[] theta) {
    double[] r = new double[d.n];
    for (int i = 0; i < d.n; i++) {
      r[i] = dot(d.x, i * d.p, theta, 0, d.p) - d.y[i];
    }
    return r;
  }

  /** g += (1/n) X^T r. */
  static void accumulateGradient(RidgeData d, double[] r, double[] g) {
    for (int i = 0; i < d.n; i++) {
      double ri = r[i] / d.n;
      int off = i * d.p;
      for (int j = 0; j < d.p; j++) {
        g[j] += ri * d.x[off + j];
      }
    }
  }

  static Track train(RidgeData d, double[] theta0, Hyper h, int steps, int[] logSteps) {
    Track tr = new Track(logSteps.length);
    double[] theta = theta0.clone();
    double[] g = new double[d.p];
    double shrink = h.shrink();
    double alpha = h.stepSize();
    int li = 0;
    for (int t = 0; t <= steps; t++) {
      double[] r = residual(d, theta);
      double trainLoss = dot(r, 0, r, 0, d.n) / (2.0 * d.n);
      double norm2 = dot(theta, 0, theta, 0, d.p);
      if (!Double.isFinite(trainLoss) || !Double.isFinite(norm2)) {
        tr.diverged = true;
        tr.stepsDone = t;
        break;
      }
      if (li < logSteps.length && logSteps[li] == t) {
        double err = 0.0;
        for (int j = 0; j < d.p; j++) {
          double e = theta[j] - d.thetaStar[j];
          err += e * e;
        }
        tr.add(t, new RidgeStep(trainLoss, err, Math.sqrt(norm2), d));
        li++;
      }
      if (t == steps) {
        break;
      }
      Arrays.fill(g, 0.0);
      accumulateGradient(d, r, g);
      for (int j = 0; j < d.p; j++) {
        theta[j] = shrink * theta[j] - alpha * g[j];
      }
      tr.flops += 4.0 * d.n * d.p;
    }
    return tr;
  }
}

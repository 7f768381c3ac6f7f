package io.grokgrid.engine.ridge;

import static io.grokgrid.engine.ridge.RidgeData.dot;

import io.grokgrid.engine.Hyper;

/**
 * The dual (spectral) ridge trainer. With K = X X^T = U diag(k_i) U^T,
 * theta_t = s^t theta0_perp + X^T U b_t with s = 1 - alpha lambda, theta0_perp the part of
 * theta(0) orthogonal to the rows of X, and each coordinate of b following
 * b_i <- (s - alpha k_i / n) b_i + (alpha / n) (U^T y)_i, so a step costs O(n); train loss,
 * population loss and norm are exact quadratic forms in b and s^t.
 */
final class DualTrainer {
  private DualTrainer() {}

  static Track train(RidgeData d, double[] theta0, Hyper h, int steps, int[] logSteps) {
    Spectral sp = d.spectral();
    int n = d.n;
    double[] b = sp.rowCoefficients(d, theta0);
    double[] perp0 = sp.perp(d, theta0, b);
    double perp0Sq = dot(perp0, 0, perp0, 0, d.p);
    double perp0Star = dot(perp0, 0, sp.starPerp, 0, d.p);
    double shrink = h.shrink();
    double alpha = h.stepSize();
    double[] decay = new double[n];
    double[] drive = new double[n];
    for (int i = 0; i < n; i++) {
      if (sp.nonzero[i]) {
        decay[i] = shrink - alpha * sp.k[i] / n;
        drive[i] = alpha * sp.yt[i] / n;
      }
    }
    Track tr = new Track(logSteps.length);
    tr.flops = 4.0 * n * d.p;
    double s = 1.0;
    int li = 0;
    for (int t = 0; t <= steps; t++) {
      if (li < logSteps.length && logSteps[li] == t) {
        double train = 0.0;
        double rowNorm = 0.0;
        double rowErr = 0.0;
        for (int i = 0; i < n; i++) {
          double r = sp.k[i] * b[i] - sp.yt[i];
          train += r * r;
          rowNorm += sp.k[i] * b[i] * b[i];
          double e = b[i] - sp.bStar[i];
          rowErr += sp.k[i] * e * e;
        }
        double perpErr = s * s * perp0Sq - 2.0 * s * perp0Star + sp.starPerpSq;
        double norm2 = s * s * perp0Sq + rowNorm;
        double trainLoss = train / (2.0 * n);
        if (!Double.isFinite(trainLoss) || !Double.isFinite(norm2)) {
          tr.diverged = true;
          tr.stepsDone = t;
          break;
        }
        tr.add(t, new RidgeStep(trainLoss, Math.max(perpErr, 0.0) + rowErr, Math.sqrt(Math.max(norm2, 0.0)), d));
        li++;
        tr.flops += 8.0 * n;
      }
      if (t == steps) {
        break;
      }
      double sum = 0.0;
      for (int i = 0; i < n; i++) {
        b[i] = decay[i] * b[i] + drive[i];
        sum += b[i];
      }
      s *= shrink;
      tr.flops += 3.0 * n;
      if (!Double.isFinite(sum)) {
        tr.diverged = true;
        tr.stepsDone = t + 1;
        break;
      }
    }
    return tr;
  }
}

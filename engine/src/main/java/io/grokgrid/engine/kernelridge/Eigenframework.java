package io.grokgrid.engine.kernelridge;

/**
 * The eigenframework's closed-form test risk of kernel ridge regression (Simon et al.'s ansatz,
 * as Zhou, Simon, Vardi, Srebro 2023 use it): for eigenvalues lambda_i, target coefficients v_i,
 * noise variance sigma^2, n samples and ridge delta, kappa > 0 solves
 * sum_i lambda_i / (lambda_i + kappa) + delta / kappa = n; with L_i = lambda_i / (lambda_i + kappa)
 * and E = n / (n - sum_i L_i^2), the predicted risk (noise included) is
 * E (sum_i (1 - L_i)^2 v_i^2 + sigma^2).
 *
 * <p>The delta here is that of min sum_i (f(x_i) - y_i)^2 + delta |f|_H^2, i.e. alpha =
 * (K + delta I)^-1 y with the unnormalized kernel matrix (KernelRidge's convention).
 *
 * <p>When delta = 0 and there are at most n eigenvalues the equation has no positive root: then
 * kappa = 0 (every L_i = 1, the under-parameterized least squares), E = n / (n - P), infinite
 * at P = n.
 */
final class Eigenframework {
  private final double[] lambda;
  private final double[] v2;
  private final double sigma2;
  private final int n;

  /**
   * @param lambda eigenvalues, > 0 (index 0 holds lambda_1)
   * @param v2 squared target coefficients v_i^2 (same length), or all 0 for a pure-noise target
   * @param sigma2 label noise variance
   * @param n training points
   */
  Eigenframework(double[] lambda, double[] v2, double sigma2, int n) {
    if (lambda.length != v2.length) {
      throw new IllegalArgumentException("lambda and v2 differ in length: " + lambda.length + " vs " + v2.length);
    }
    this.lambda = lambda;
    this.v2 = v2;
    this.sigma2 = sigma2;
    this.n = n;
  }

  /** sum_i lambda_i / (lambda_i + kappa), the effective number of learned modes. */
  double learned(double kappa) {
    double s = 0.0;
    for (double l : lambda) {
      s += l / (l + kappa);
    }
    return s;
  }

  /** The kappa of ridge delta >= 0 (bisection on log kappa to the last bits). */
  double kappa(double delta) {
    if (delta == 0.0 && lambda.length <= n) {
      return 0.0;
    }
    double total = 0.0;
    for (double l : lambda) {
      total += l;
    }
    // at kappa = (sum lambda + delta) / n the left side is below n; halve until it is above
    double hi = (total + delta) / n;
    double lo = hi;
    while (learned(lo) + delta / lo <= n) {
      lo *= 0.5;
      if (lo == 0.0) {
        // every lambda_i below kappa's range: (only) the delta term can carry the sum
        return delta / n;
      }
    }
    for (int it = 0; it < 200 && hi / lo > 1.0 + 1e-15; it++) {
      double mid = Math.sqrt(lo * hi);
      if (learned(mid) + delta / mid > n) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.sqrt(lo * hi);
  }

  /** The ridge delta whose kappa is {@code kappa} (>= 0 for kappa >= kappa(0)). */
  double delta(double kappa) {
    return kappa * (n - learned(kappa));
  }

  /** The predicted risk at {@code kappa}, noise included (+infinity when E is). */
  double riskAtKappa(double kappa) {
    double l2 = 0.0;
    double bias = 0.0;
    for (int i = 0; i < lambda.length; i++) {
      double l = lambda[i] / (lambda[i] + kappa);
      double off = kappa / (lambda[i] + kappa);
      l2 += l * l;
      bias += off * off * v2[i];
    }
    double room = n - l2;
    if (!(room > 0.0)) {
      return Double.POSITIVE_INFINITY;
    }
    return n / room * (bias + sigma2);
  }

  /** The predicted risk of ridge delta. */
  double risk(double delta) {
    return riskAtKappa(kappa(delta));
  }

  /** The risk of the infinitely regularized predictor f = 0: sum v_i^2 + sigma^2. */
  double nullRisk() {
    double s = 0.0;
    for (double v : v2) {
      s += v;
    }
    return s + sigma2;
  }

  /**
   * The least predicted risk over delta in [0, infinity]: a scan of log kappa from kappa(0) to
   * 1e8 lambda_1 (kappa grows with delta) with the delta -> infinity limit, refined by golden
   * sections around the best scanned point.
   */
  double bestRisk() {
    double k0 = kappa(0.0);
    double top = 1e8 * max(lambda);
    double from = k0 > 0.0 ? k0 : 1e-12 * min(lambda);
    int points = 400;
    double lf = Math.log(from);
    double step = (Math.log(top) - lf) / (points - 1);
    double best = Math.min(riskAtKappa(k0), nullRisk());
    int at = -1;
    for (int j = 0; j < points; j++) {
      double r = riskAtKappa(Math.exp(lf + j * step));
      if (r < best) {
        best = r;
        at = j;
      }
    }
    if (at >= 0) {
      double a = lf + Math.max(at - 1, 0) * step;
      double b = lf + Math.min(at + 1, points - 1) * step;
      double g = (Math.sqrt(5.0) - 1.0) / 2.0;
      for (int it = 0; it < 80; it++) {
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        if (riskAtKappa(Math.exp(c)) < riskAtKappa(Math.exp(d))) {
          b = d;
        } else {
          a = c;
        }
      }
      best = Math.min(best, riskAtKappa(Math.exp((a + b) / 2.0)));
    }
    return best;
  }

  /** The predicted cost of overfitting: risk at delta = 0 over the least risk over delta. */
  double cost() {
    return risk(0.0) / bestRisk();
  }

  private static double max(double[] x) {
    double m = x[0];
    for (double v : x) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** The least positive value (eigenvalues far down an exp spectrum underflow to 0). */
  private static double min(double[] x) {
    double m = Double.MAX_VALUE;
    for (double v : x) {
      if (v > 0.0) {
        m = Math.min(m, v);
      }
    }
    return m;
  }
}

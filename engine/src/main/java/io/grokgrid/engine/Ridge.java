package io.grokgrid.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Provable grokking in ridge regression: Xu, Vardi and Safran (2026, arXiv 2601.19791;
 * SCIENCE.md section 3). Data x ~ N(0, I_p / p), teacher theta* uniform on the unit sphere,
 * y = <theta*, x> + N(0, sigma^2); a linear model theta in R^p from theta(0) ~ N(0, nu^2 I),
 * trained by full-batch GD on (1/2n)|X theta - y|^2 + (lambda/2)|theta|^2:
 * theta <- (1 - alpha lambda) theta - (alpha/n) X^T (X theta - y).
 *
 * <p>Metrics: {@code train_loss} = (1/2n)|X theta - y|^2; {@code test_loss} = the population loss
 * E (1/2)(<theta, x> - y)^2 = |theta - theta*|^2 / (2p) + sigma^2 / 2 in closed form (so the
 * family has no test set and no {@code n_test}); the L1 test loss, the population mean absolute
 * error E|<theta, x> - y| = sqrt(2 v / pi) with v = |theta - theta*|^2 / p + sigma^2 (the error is
 * Gaussian with variance v); {@code weight_norm} = |theta|; no accuracies.
 * Everything is computed in float64, whatever the sweep's precision.
 *
 * <p><b>Forms.</b> The primal form keeps theta (4 n p flops a step). The dual (spectral) form uses
 * K = X X^T = U diag(k_i) U^T: theta_t = s^t theta0_perp + X^T U b_t with s = 1 - alpha lambda,
 * theta0_perp the part of theta(0) orthogonal to the rows of X, and each coordinate of b following
 * b_i <- (s - alpha k_i / n) b_i + (alpha / n) (U^T y)_i, so a step costs O(n); train loss,
 * population loss and norm are exact quadratic forms in b and s^t. Both are GD; they agree up to
 * float64 rounding (tested).
 *
 * <p>Seed semantics: X from {@code Seeds.derive(seed, "x")} (row by row), theta* from
 * {@code Seeds.derive(seed, "teacher")}, label noise from {@code Seeds.derive(seed, "noise")};
 * theta(0) from {@code Seeds.derive(initSeed, "theta0")}.
 *
 * <p>Theory (Eq. (8), for alpha lambda <= 0.01): t2 >= ln((p - n) nu^2 / (8 p c)) / (2.02 alpha
 * lambda) and t1 <= n ln(14 p nu^2 / eps) / (2 alpha lambda_min+(X X^T)); see {@link #theory}.
 *
 * @param nTrain n, >= 1
 * @param dim p, >= 1
 * @param labelNoiseStd sigma, >= 0
 * @param initScale nu, >= 0
 * @param formChoice {@code auto}, {@code primal} or {@code dual}
 */
public record Ridge(int nTrain, int dim, double labelNoiseStd, double initScale, String formChoice)
    implements Family<Ridge.Data> {

  /** Grokking-table column of the Eq. (8) upper bound on t1. */
  public static final String T_FIT_BOUND = "t_fit_bound";
  /** Grokking-table column of the Eq. (8) lower bound on t2. */
  public static final String T_GEN_BOUND = "t_gen_bound";

  /** Validates every parameter; messages name the spec key. */
  public Ridge {
    Check.intIn("n_train", nTrain, 1, 100_000);
    Check.intIn("dim", dim, 1, 100_000_000);
    Check.atLeast("label_noise_std", labelNoiseStd, 0.0);
    Check.atLeast("init_scale", initScale, 0.0);
    if (!List.of("auto", "primal", "dual").contains(formChoice)) {
      throw new IllegalArgumentException("form must be one of [auto, primal, dual], got " + formChoice);
    }
    if ((long) nTrain * dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("n_train x dim must be at most " + Integer.MAX_VALUE
          + ", got " + nTrain + " x " + dim);
    }
  }

  /** A drawn data set; its spectral decomposition is formed on first use and kept. */
  public static final class Data {
    final int n;
    final int p;
    final double[] x;
    final double[] y;
    final double[] thetaStar;
    final double noiseVar;
    private Spectral spectral;

    Data(int n, int p, double[] x, double[] y, double[] thetaStar, double noiseVar) {
      this.n = n;
      this.p = p;
      this.x = x;
      this.y = y;
      this.thetaStar = thetaStar;
      this.noiseVar = noiseVar;
    }

    /** The training inputs, n x p row-major (a copy). */
    public double[] x() {
      return x.clone();
    }

    /** The teacher theta* (a copy). */
    public double[] thetaStar() {
      return thetaStar.clone();
    }

    /** The targets (a copy). */
    public double[] y() {
      return y.clone();
    }

    /** The smallest nonzero eigenvalue of X X^T, or NaN when X is zero. */
    public double lambdaMinPlus() {
      return spectral().lambdaMinPlus;
    }

    Spectral spectral() {
      if (spectral == null) {
        spectral = new Spectral(this);
      }
      return spectral;
    }
  }

  /** K = X X^T = U diag(k) U^T and the data's projections on the row space of X. */
  static final class Spectral {
    final double[] k;
    final double[][] u;
    final boolean[] nonzero;
    final double[] yt;
    final double[] bStar;
    final double starPerpSq;
    final double[] starPerp;
    final double lambdaMinPlus;

    Spectral(Data d) {
      int n = d.n;
      int p = d.p;
      double[][] gram = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          gram[i][j] = dot(d.x, i * p, d.x, j * p, p);
          gram[j][i] = gram[i][j];
        }
      }
      SymmetricEigen e = SymmetricEigen.of(gram);
      k = e.values();
      u = e.vectors();
      // eigenvalues below n * eps * k_max are rounding noise of zero ones (rank-deficient X)
      double tol = Math.max(k[n - 1], 0.0) * n * 1e-13;
      nonzero = new boolean[n];
      double minPlus = Double.NaN;
      for (int i = 0; i < n; i++) {
        nonzero[i] = k[i] > tol;
        if (nonzero[i] && Double.isNaN(minPlus)) {
          minPlus = k[i];
        }
      }
      lambdaMinPlus = minPlus;
      yt = ut(d.y);
      bStar = rowCoefficients(d, d.thetaStar);
      starPerp = perp(d, d.thetaStar, bStar);
      starPerpSq = dot(starPerp, 0, starPerp, 0, p);
    }

    /** U^T v. */
    double[] ut(double[] v) {
      int n = v.length;
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int r = 0; r < n; r++) {
          s += u[r][i] * v[r];
        }
        out[i] = s;
      }
      return out;
    }

    /** b with theta's row-space part X^T U b: b_i = (U^T X theta)_i / k_i (0 on zero k_i). */
    double[] rowCoefficients(Data d, double[] theta) {
      double[] xt = new double[d.n];
      for (int i = 0; i < d.n; i++) {
        xt[i] = dot(d.x, i * d.p, theta, 0, d.p);
      }
      double[] b = ut(xt);
      for (int i = 0; i < d.n; i++) {
        b[i] = nonzero[i] ? b[i] / k[i] : 0.0;
      }
      return b;
    }

    /** theta - X^T U b, the part of theta orthogonal to the rows of X. */
    double[] perp(Data d, double[] theta, double[] b) {
      double[] c = new double[d.n];
      for (int r = 0; r < d.n; r++) {
        double s = 0.0;
        for (int i = 0; i < d.n; i++) {
          s += u[r][i] * b[i];
        }
        c[r] = s;
      }
      double[] out = theta.clone();
      for (int r = 0; r < d.n; r++) {
        for (int j = 0; j < d.p; j++) {
          out[j] -= c[r] * d.x[r * d.p + j];
        }
      }
      return out;
    }
  }

  @Override
  public Data generate(long seed) {
    int n = nTrain;
    int p = dim;
    double[] x = new double[n * p];
    SplittableRandom rx = new SplittableRandom(Seeds.derive(seed, "x"));
    double scale = 1.0 / Math.sqrt(p);
    for (int i = 0; i < n * p; i++) {
      x[i] = scale * rx.nextGaussian();
    }
    SplittableRandom rt = new SplittableRandom(Seeds.derive(seed, "teacher"));
    double[] star = new double[p];
    double sq = 0.0;
    while (sq == 0.0) {
      for (int j = 0; j < p; j++) {
        star[j] = rt.nextGaussian();
        sq += star[j] * star[j];
      }
    }
    double norm = Math.sqrt(sq);
    for (int j = 0; j < p; j++) {
      star[j] /= norm;
    }
    SplittableRandom rn = new SplittableRandom(Seeds.derive(seed, "noise"));
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = dot(x, i * p, star, 0, p) + labelNoiseStd * rn.nextGaussian();
    }
    return new Data(n, p, x, y, star, labelNoiseStd * labelNoiseStd);
  }

  /** theta(0) ~ N(0, nu^2 I_p) from {@code Seeds.derive(initSeed, "theta0")}. */
  public double[] initialTheta(long initSeed) {
    SplittableRandom r = new SplittableRandom(Seeds.derive(initSeed, "theta0"));
    double[] t = new double[dim];
    for (int j = 0; j < dim; j++) {
      t[j] = initScale * r.nextGaussian();
    }
    return t;
  }

  @Override
  public GdTrainer.Form form(int steps, int logs) {
    if (!formChoice.equals("auto")) {
      return GdTrainer.Form.parse(formChoice);
    }
    return dualCost(steps, logs) < primalCost(steps, logs) ? GdTrainer.Form.DUAL : GdTrainer.Form.PRIMAL;
  }

  private double primalCost(int steps, int logs) {
    return (double) steps * 4.0 * nTrain * dim + (double) logs * 2.0 * dim;
  }

  private double dualCost(int steps, int logs) {
    double n = nTrain;
    // Gram, ~10 Jacobi sweeps of 6 n^3 (counted once per run: an upper bound), projections
    return n * n * dim + 60.0 * n * n * n + 6.0 * n * dim + (double) steps * 6.0 * n + (double) logs * 8.0 * n;
  }

  @Override
  public double setupCost() {
    return 2.0 * nTrain * dim;
  }

  @Override
  public double runCost(int steps, int logs) {
    return Math.min(primalCost(steps, logs), dualCost(steps, logs));
  }

  @Override
  public int rowsPerRun() {
    return 1;
  }

  @Override
  public Precision precision() {
    return Precision.FLOAT64;
  }

  /**
   * Eq. (8) of Xu, Vardi and Safran (2026), with eps = thresholds.fit() and c = thresholds.gen():
   * {@code t_fit_bound} = n ln(14 p nu^2 / eps) / (2 alpha lambda_min+(X X^T)) (upper bound on t1;
   * null when X X^T has no nonzero eigenvalue) and {@code t_gen_bound} =
   * ln((p - n) nu^2 / (8 p c)) / (2.02 alpha lambda) (lower bound on t2; null when lambda = 0,
   * p <= n or nu = 0). The paper proves them for alpha lambda <= 0.01.
   */
  @Override
  public Map<String, Double> theory(Data data, Hyper h, Thresholds th) {
    Map<String, Double> out = new LinkedHashMap<>();
    double n = nTrain;
    double p = dim;
    double nu2 = initScale * initScale;
    double lmin = data.lambdaMinPlus();
    out.put(T_FIT_BOUND, Double.isNaN(lmin) || nu2 == 0.0 ? null
        : n * Math.log(14.0 * p * nu2 / th.fit()) / (2.0 * h.stepSize() * lmin));
    out.put(T_GEN_BOUND, h.weightDecay() == 0.0 || p <= n || nu2 == 0.0 ? null
        : Math.log((p - n) * nu2 / (8.0 * p * th.gen())) / (2.02 * h.stepSize() * h.weightDecay()));
    return out;
  }

  @Override
  public GdTrainer.PackResult train(Data d, long initSeed, List<Hyper> hypers, int steps, int[] logSteps) {
    if (hypers.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one run");
    }
    LogSchedule.check(steps, logSteps);
    GdTrainer.Form form = form(steps, logSteps.length);
    double[] theta0 = initialTheta(initSeed);
    List<GdTrainer.RunResult> out = new ArrayList<>();
    double flops = 0.0;
    for (Hyper h : hypers) {
      Track t = form == GdTrainer.Form.PRIMAL ? primal(d, theta0, h, steps, logSteps)
          : dual(d, theta0, h, steps, logSteps);
      flops += t.flops;
      out.add(t.result(h, steps));
    }
    return new GdTrainer.PackResult(form, out, flops);
  }

  /** The objective (1/2n)|X theta - y|^2 + (lambda/2)|theta|^2 (for gradient checks). */
  static double objective(Data d, double[] theta, double lambda) {
    double s = 0.0;
    for (int i = 0; i < d.n; i++) {
      double r = dot(d.x, i * d.p, theta, 0, d.p) - d.y[i];
      s += r * r;
    }
    return s / (2.0 * d.n) + 0.5 * lambda * dot(theta, 0, theta, 0, d.p);
  }

  /** Its gradient (1/n) X^T (X theta - y) + lambda theta, as a training step computes it. */
  static double[] gradient(Data d, double[] theta, double lambda) {
    double[] g = new double[d.p];
    double[] r = residual(d, theta);
    accumulateGradient(d, r, g);
    for (int j = 0; j < d.p; j++) {
      g[j] += lambda * theta[j];
    }
    return g;
  }

  private static double[] residual(Data d, double[] theta) {
    double[] r = new double[d.n];
    for (int i = 0; i < d.n; i++) {
      r[i] = dot(d.x, i * d.p, theta, 0, d.p) - d.y[i];
    }
    return r;
  }

  /** g += (1/n) X^T r. */
  private static void accumulateGradient(Data d, double[] r, double[] g) {
    for (int i = 0; i < d.n; i++) {
      double ri = r[i] / d.n;
      int off = i * d.p;
      for (int j = 0; j < d.p; j++) {
        g[j] += ri * d.x[off + j];
      }
    }
  }

  /** One run's curve as it is built, and where it stopped. */
  private static final class Track {
    final int[] steps;
    final double[][] cols;
    int len;
    boolean diverged;
    int stepsDone;
    double flops;

    Track(int capacity) {
      steps = new int[capacity];
      cols = new double[4][capacity];
    }

    /** @param err2 |theta - theta*|^2 */
    void add(int step, double trainLoss, double err2, double norm, Data d) {
      steps[len] = step;
      cols[0][len] = trainLoss;
      cols[1][len] = err2 / (2.0 * d.p) + d.noiseVar / 2.0;
      cols[2][len] = norm;
      cols[3][len] = Math.sqrt(2.0 * (err2 / d.p + d.noiseVar) / Math.PI);
      len++;
    }

    GdTrainer.RunResult result(Hyper h, int total) {
      Curve c = new Curve(Arrays.copyOf(steps, len), Arrays.copyOf(cols[0], len), null,
          Arrays.copyOf(cols[1], len), null, null, Arrays.copyOf(cols[2], len), Arrays.copyOf(cols[3], len));
      return new GdTrainer.RunResult(h, c, diverged ? GdTrainer.DIVERGED : GdTrainer.OK,
          diverged ? stepsDone : total,
          diverged ? "non-finite training loss or weights at step " + stepsDone : "");
    }
  }

  private Track primal(Data d, double[] theta0, Hyper h, int steps, int[] logSteps) {
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
        tr.add(t, trainLoss, err, Math.sqrt(norm2), d);
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

  private Track dual(Data d, double[] theta0, Hyper h, int steps, int[] logSteps) {
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
        tr.add(t, trainLoss, Math.max(perpErr, 0.0) + rowErr, Math.sqrt(Math.max(norm2, 0.0)), d);
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


  static double dot(double[] a, int ao, double[] b, int bo, int len) {
    double s = 0.0;
    for (int i = 0; i < len; i++) {
      s += a[ao + i] * b[bo + i];
    }
    return s;
  }
}

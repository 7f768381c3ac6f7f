package io.grokgrid.engine.univariate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.engine.univariate.UnivariateNet.Params;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Closed-form minimum-norm interpolant: interpolation, shape, norm, losses and messages. */
class MinNormInterpolantTest {

  @Test
  void interpolatesEveryTrainingPointInAnyOrder() {
    RegressionData d = new UnivariateRegression(500, 10, 0.5, Target.SIN).generate(11);
    MinNormInterpolant f = MinNormInterpolant.fit(d);
    for (int i = 0; i < d.nTrain(); i++) {
      // breakpoints hold y_i itself, so the only error would be a lookup bug; 1e-12 relative
      assertThat(f.at(d.xTrain()[i])).isCloseTo(d.yTrain()[i],
          offset(1e-12 * Math.max(1.0, Math.abs(d.yTrain()[i]))));
    }
    // noisy data spike on a good share of intervals (seen 22-23%, see MinNormCostTest)
    assertThat(f.spikes()).isBetween(50, 200);
  }

  @Test
  void isTheChordWhereCurvatureSignsDifferAndLinearOutside() {
    RegressionData d = new UnivariateRegression(300, 10, 0.5, Target.SIN).generate(12);
    MinNormInterpolant f = MinNormInterpolant.fit(d);
    Sorted p = sorted(d.xTrain(), d.yTrain());
    int n = p.x.length;
    double[] s = chordSlopes(p);
    int checked = 0;
    for (int i = 0; i < n - 1; i++) {
      int left = i == 0 ? 0 : (int) Math.signum(s[i] - s[i - 1]);
      int right = i == n - 2 ? 0 : (int) Math.signum(s[i + 1] - s[i]);
      if (left != 0 && left == right) {
        continue;
      }
      for (double q : new double[] {0.25, 0.5, 0.9}) {
        double x = p.x[i] + q * (p.x[i + 1] - p.x[i]);
        double chord = p.y[i] + q * (p.y[i + 1] - p.y[i]);
        // at() recomputes x - x_i, exact to ulp(x); times the slope, plus roundings of |y| <= ~3
        double tol = 4 * Math.ulp(x) * Math.abs(s[i]) + 1e-14;
        assertThat(f.at(x)).as("interval %d at %s", i, q).isCloseTo(chord, offset(tol));
      }
      checked++;
    }
    assertThat(checked).isGreaterThan(n / 3);
    // outside the data: the end chords extended
    assertThat(f.at(p.x[0] - 0.1)).isCloseTo(p.y[0] - 0.1 * s[0], offset(1e-12));
    assertThat(f.at(p.x[n - 1] + 0.2)).isCloseTo(p.y[n - 1] + 0.2 * s[n - 2], offset(1e-12));
  }

  @Test
  void handMadeFivePointsSpikeBetweenTheExtendedNeighbourChords() {
    // x = 0, 1, 2, 4, 5 and y = 3, 1, 0, 2, 1: chord slopes -2, -1, 1, -1, curvature signs at the
    // interior points x = 1, 2, 4: +, +, -. Only [1, 2] has equal signs at both ends, so there
    // f = max(L0, L2) with L0(x) = 3 - 2x (through (0,3), (1,1)) and L2(x) = x - 2 (through (2,0),
    // (4,2)); they meet at 3 - 2x = x - 2, x = 5/3, f = -1/3. Elsewhere chords, outside the end
    // chords' lines.
    MinNormInterpolant f = MinNormInterpolant.fit(new double[] {4, 0, 2, 5, 1},
        new double[] {2, 3, 0, 1, 1});
    double tol = 1e-14;
    assertThat(f.spikes()).isEqualTo(1);
    assertThat(f.breakpoints()).containsExactly(new double[] {0, 1, 5.0 / 3, 2, 4, 5}, offset(tol));
    assertThat(f.at(5.0 / 3)).isCloseTo(-1.0 / 3, offset(tol));
    assertThat(f.at(1.5)).isCloseTo(0.0, offset(tol)); // L0(1.5) = 0 > L2(1.5) = -0.5; chord: 0.5
    assertThat(f.at(1.8)).isCloseTo(-0.2, offset(tol)); // L2(1.8) = -0.2 > L0(1.8) = -0.6
    assertThat(f.at(0.5)).isCloseTo(2.0, offset(tol));
    assertThat(f.at(3.0)).isCloseTo(1.0, offset(tol));
    assertThat(f.at(4.5)).isCloseTo(1.5, offset(tol));
    assertThat(f.at(-1.0)).isCloseTo(5.0, offset(tol));
    assertThat(f.at(6.0)).isCloseTo(0.0, offset(tol));
    // integral |f''|: kinks 3 at 5/3 (slope -2 -> 1) and 2 at x = 4 (1 -> -1); the linear spline's
    // |(-1) - (-2)| + |1 - (-1)| + |(-1) - 1| = 1 + 2 + 2 is the same 5
    assertThat(f.totalCurvature()).isCloseTo(5.0, offset(1e-13));
  }

  @Test
  void adjacentSameSignIntervalsSpikeAlternately() {
    // y = x^2 at x = 0..5: slopes 1, 3, 5, 7, 9, all curvature signs +, so [1,2], [2,3], [3,4]
    // are same-sign intervals. [1,2] spikes: max(x, 5x - 6), apex at x = 1.5, f = 1.5; [2,3]
    // stays the chord 5x - 6 (it starts where [1,2] left with slope 5); [3,4] spikes: max(5x - 6,
    // 9x - 20), apex at x = 3.5, f = 11.5. integral |f''| = |5 - 1| + |9 - 5| = 8, the linear
    // spline's 2 + 2 + 2 + 2. Spiking [2,3] as well (max(3x - 2, 7x - 12)) would need kinks 5 -> 3
    // at x = 2 and 7 -> 5 at x = 3 on top: 4 + 2 + 4 + 2 + 4 = 16, not a minimum.
    MinNormInterpolant f = MinNormInterpolant.fit(new double[] {0, 1, 2, 3, 4, 5},
        new double[] {0, 1, 4, 9, 16, 25});
    assertThat(f.spikes()).isEqualTo(2);
    assertThat(f.breakpoints()).containsExactly(new double[] {0, 1, 1.5, 2, 3, 3.5, 4, 5},
        offset(1e-14));
    assertThat(f.at(1.5)).isCloseTo(1.5, offset(1e-13));
    assertThat(f.at(2.5)).isCloseTo(6.5, offset(1e-13));
    assertThat(f.at(3.5)).isCloseTo(11.5, offset(1e-13));
    assertThat(f.totalCurvature()).isCloseTo(8.0, offset(1e-12));
  }

  @Test
  void normEqualsTheLinearSplinesAndTheSampledOne() {
    RegressionData d = new UnivariateRegression(40, 10, 0.5, Target.SIN).generate(13);
    MinNormInterpolant f = MinNormInterpolant.fit(d);
    Sorted p = sorted(d.xTrain(), d.yTrain());
    double[] s = chordSlopes(p);
    double spline = 0.0;
    for (int i = 1; i < s.length; i++) {
      spline += Math.abs(s[i] - s[i - 1]);
    }
    // both are minimizers (class comment); sums of ~40 terms of size up to ~1e3: 1e-9 relative
    assertThat(f.totalCurvature()).isCloseTo(spline, offset(1e-9 * spline));
    // independent: total variation of the slopes of f sampled on a fine grid. Sampling can only
    // lose variation (a cell straddling two kinks averages them), so sampled <= exact; the loss
    // is at most the variation within cells holding two or more kinks, none here at this grid
    // unless two breakpoints are closer than a cell (1e-6): 1e-6 relative
    int cells = 1_000_000;
    double lo = p.x[0] - 0.01;
    double hi = p.x[p.x.length - 1] + 0.01;
    double dx = (hi - lo) / cells;
    double sampled = 0.0;
    double prev = (f.at(lo + dx) - f.at(lo)) / dx;
    for (int k = 1; k < cells; k++) {
      double slope = (f.at(lo + (k + 1) * dx) - f.at(lo + k * dx)) / dx;
      sampled += Math.abs(slope - prev);
      prev = slope;
    }
    assertThat(sampled).isLessThanOrEqualTo(spline * (1 + 1e-6)).isGreaterThan(spline * (1 - 1e-6));
  }

  @Test
  void gdInterpolantsPayAtLeastTheMinimumNorm() {
    // GD (lazy regime of CostOfOverfittingTest, shorter) nearly interpolates the noisy targets.
    // The exact statement: the net interpolates its own outputs f_GD(x_i), so its integral |f''|
    // (sum of |v_j| |w_j| over merged knots, exact for a ReLU net) is at least that of the
    // min-norm interpolant of (x_i, f_GD(x_i)).
    int n = 12;
    int m = 4 * n;
    double omega = 16.0;
    RegressionData d = new UnivariateRegression(n, 10, 0.5, Target.SIN).generate(14);
    Params p = new UnivariateNet(m, omega, Knots.DATA, 15).initial(d.xTrain());
    double alpha = 2.0 / (m * omega * omega);
    for (int t = 0; t < 20_000; t++) {
      Params g = RegressionTrainer.gradient(d, p);
      for (int j = 0; j < m; j++) {
        p.w[j] -= alpha * g.w[j];
        p.v[j] -= alpha * g.v[j];
        p.b[j] -= alpha * g.b[j];
      }
      p.c -= alpha * g.c;
      p.d -= alpha * g.d;
    }
    double[] own = new double[n];
    for (int i = 0; i < n; i++) {
      own[i] = p.apply(d.xTrain()[i]);
    }
    double gd = netCurvature(p);
    double minOwn = MinNormInterpolant.fit(d.xTrain(), own).totalCurvature();
    double minNoisy = MinNormInterpolant.fit(d).totalCurvature();
    System.out.printf("integral |f''|: GD net %.4f, min-norm of its outputs %.4f, min-norm of the"
        + " noisy data %.4f (train MSE %.2e)%n", gd, minOwn, minNoisy, 2 * RegressionTrainer.objective(d, p));
    // rounding in the knot merge and the slopes: 1e-9 relative
    assertThat(minOwn).isLessThanOrEqualTo(gd * (1 + 1e-9));
  }

  @Test
  void testLossesAreMeansOverTheTestSet() {
    // f(x) = x through (0, 0), (1, 1); test x = 0.5, 2 with noisy y = 1, 2 and clean f = 0.5, 1
    RegressionData d = new RegressionData(new double[] {1, 0}, new double[] {1, 0}, new double[] {1, 0},
        new double[] {0.5, 2}, new double[] {1, 2}, new double[] {0.5, 1});
    MinNormInterpolant.Losses l = MinNormInterpolant.fit(d).testLosses(d);
    assertThat(l.l2()).isCloseTo(0.125, offset(1e-15));
    assertThat(l.l1()).isCloseTo(0.25, offset(1e-15));
    assertThat(l.cleanL2()).isCloseTo(0.5, offset(1e-15));
    assertThat(l.cleanL1()).isCloseTo(0.5, offset(1e-15));
  }

  @Test
  void populationLossesMatchClosedFormsAndALargeTestSet() {
    double sigma = 0.5;
    double l1Bayes = sigma * Math.sqrt(2 / Math.PI);
    // f = 0 (two points on the axis): against f* = 0 only noise remains; against sin, clean L2 =
    // int sin^2 = 1/2 and clean L1 = int |sin| = 2/pi
    MinNormInterpolant zero = MinNormInterpolant.fit(new double[] {0.2, 0.7}, new double[2]);
    MinNormInterpolant.Losses z = zero.populationLosses(Target.ZERO, sigma);
    assertThat(z.l2()).isCloseTo(sigma * sigma, offset(1e-15));
    // erf approximation: fractional error 1.2e-7 of erfc
    assertThat(z.l1()).isCloseTo(l1Bayes, offset(1e-7));
    assertThat(z.cleanL2()).isZero();
    assertThat(z.cleanL1()).isZero();
    MinNormInterpolant.Losses s = zero.populationLosses(Target.SIN, 0.0);
    // 4-point Gauss on pieces <= 1/64: error ~ h^8 f^(8) ~ (2 pi / 128)^8, far below 1e-10
    assertThat(s.cleanL2()).isCloseTo(0.5, offset(1e-10));
    assertThat(s.l2()).isCloseTo(0.5, offset(1e-10));
    assertThat(s.cleanL1()).isCloseTo(2 / Math.PI, offset(1e-10));
    assertThat(s.l1()).isCloseTo(2 / Math.PI, offset(1e-10));
    // a noisy spiky interpolant: the test-set means are Monte Carlo estimates of the population
    // losses; 5 standard errors (computed from the test set) bound the difference
    RegressionData d = new UnivariateRegression(50, 400_000, sigma, Target.SIN).generate(16);
    MinNormInterpolant f = MinNormInterpolant.fit(d);
    MinNormInterpolant.Losses pop = f.populationLosses(Target.SIN, sigma);
    MinNormInterpolant.Losses mc = f.testLosses(d);
    double[][] per = new double[4][d.nTest()];
    for (int i = 0; i < d.nTest(); i++) {
      double r = f.at(d.xTest()[i]) - d.yTest()[i];
      double e = f.at(d.xTest()[i]) - d.fTest()[i];
      per[0][i] = r * r;
      per[1][i] = Math.abs(r);
      per[2][i] = e * e;
      per[3][i] = Math.abs(e);
    }
    double[] popv = {pop.l2(), pop.l1(), pop.cleanL2(), pop.cleanL1()};
    double[] mcv = {mc.l2(), mc.l1(), mc.cleanL2(), mc.cleanL1()};
    for (int k = 0; k < 4; k++) {
      assertThat(mcv[k]).as("loss %d", k).isCloseTo(popv[k], offset(5 * standardError(per[k])));
    }
  }

  @Test
  void meanAbsShiftIsTheGaussianMeanAbsoluteDeviation() {
    // g(0) = sqrt(2/pi); g(u) -> |u| for large |u|; g is even
    assertThat(MinNormInterpolant.meanAbsShift(0.0)).isCloseTo(Math.sqrt(2 / Math.PI), offset(1e-9));
    assertThat(MinNormInterpolant.meanAbsShift(9.0)).isCloseTo(9.0, offset(1e-9));
    assertThat(MinNormInterpolant.meanAbsShift(-1.3)).isCloseTo(MinNormInterpolant.meanAbsShift(1.3), offset(1e-6));
    // erf(1) = 0.8427007929497149 (tables); 1.2e-7 fractional error of erfc(1) = 0.157
    assertThat(MinNormInterpolant.erf(1.0)).isCloseTo(0.8427007929497149, offset(2e-8));
  }

  private static double standardError(double[] v) {
    double mean = 0.0;
    for (double x : v) {
      mean += x / v.length;
    }
    double var = 0.0;
    for (double x : v) {
      var += (x - mean) * (x - mean) / (v.length - 1);
    }
    return Math.sqrt(var / v.length);
  }

  @Test
  void oneAndTwoPoints() {
    MinNormInterpolant one = MinNormInterpolant.fit(new double[] {0.3}, new double[] {2.0});
    assertThat(one.at(-5)).isEqualTo(2.0);
    assertThat(one.at(7)).isEqualTo(2.0);
    assertThat(one.totalCurvature()).isZero();
    assertThat(one.at(Double.NaN)).isNaN();
    MinNormInterpolant two = MinNormInterpolant.fit(new double[] {1, 0}, new double[] {3, 1});
    assertThat(two.at(-1)).isCloseTo(-1.0, offset(1e-15));
    assertThat(two.at(0.25)).isCloseTo(1.5, offset(1e-15));
    assertThat(two.at(3)).isCloseTo(7.0, offset(1e-15));
    assertThat(two.totalCurvature()).isZero();
  }

  @Test
  void badInputIsRefusedWithItsValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> MinNormInterpolant.fit(null, new double[0]))
        .withMessage("x_train and y_train must be given, got null");
    assertThatIllegalArgumentException().isThrownBy(() -> MinNormInterpolant.fit(new double[0], new double[0]))
        .withMessage("x_train must hold at least 1 point, got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> MinNormInterpolant.fit(new double[2], new double[3]))
        .withMessage("y_train must have the length of x_train (2), got 3");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MinNormInterpolant.fit(new double[] {0, Double.NaN}, new double[2]))
        .withMessage("x_train must be finite, got NaN at index 1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MinNormInterpolant.fit(new double[] {0, 1}, new double[] {Double.POSITIVE_INFINITY, 0}))
        .withMessage("y_train must be finite, got Infinity at index 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MinNormInterpolant.fit(new double[] {0.5, 0.25, 0.5}, new double[3]))
        .withMessage("x_train must have distinct values, got 0.5 twice");
    MinNormInterpolant f = MinNormInterpolant.fit(new double[] {0, 1}, new double[] {0, 1});
    assertThatIllegalArgumentException()
        .isThrownBy(() -> f.losses(new double[2], new double[2], new double[1]))
        .withMessage("test arrays must have one length >= 1, got x 2, y 2, f 1");
    assertThatIllegalArgumentException().isThrownBy(() -> f.populationLosses(null, 0.5))
        .withMessage("target must be one of [sin, zero], got null");
    assertThatIllegalArgumentException().isThrownBy(() -> f.populationLosses(Target.SIN, -0.5))
        .withMessage("label_noise_std must be a finite number >= 0, got -0.5");
  }

  /** integral |f''| of a ReLU net over R: |sum of v_j |w_j|| per distinct knot -b_j / w_j. */
  static double netCurvature(Params p) {
    int m = p.w.length;
    double[][] kinks = new double[m][];
    int k = 0;
    for (int j = 0; j < m; j++) {
      if (p.w[j] != 0.0) {
        kinks[k++] = new double[] {-p.b[j] / p.w[j], p.v[j] * Math.abs(p.w[j])};
      }
    }
    double[][] sortedKinks = Arrays.copyOf(kinks, k);
    Arrays.sort(sortedKinks, (a, b) -> Double.compare(a[0], b[0]));
    double total = 0.0;
    int i = 0;
    while (i < k) {
      double jump = 0.0;
      int j = i;
      while (j < k && sortedKinks[j][0] == sortedKinks[i][0]) {
        jump += sortedKinks[j][1];
        j++;
      }
      total += Math.abs(jump);
      i = j;
    }
    return total;
  }

  record Sorted(double[] x, double[] y) {}

  static Sorted sorted(double[] x, double[] y) {
    RegressionTrainer.Sorted s = new RegressionTrainer.Sorted(x, y, new double[x.length]);
    return new Sorted(s.x, s.y);
  }

  static double[] chordSlopes(Sorted p) {
    double[] s = new double[p.x.length - 1];
    for (int i = 0; i < s.length; i++) {
      s[i] = (p.y[i + 1] - p.y[i]) / (p.x[i + 1] - p.x[i]);
    }
    return s;
  }
}

package io.grokgrid.engine.ridge;

import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.vocab.Columns;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Eq. (8) of Xu, Vardi and Safran (2026, arXiv 2601.19791), with eps = thresholds.fit() and
 * c = thresholds.gen(): {@code t_fit_bound} = n ln(14 p nu^2 / eps) / (2 alpha lambda_min+(X X^T))
 * (upper bound on t1; null when X X^T has no nonzero eigenvalue) and {@code t_gen_bound} =
 * ln((p - n) nu^2 / (8 p c)) / (2.02 alpha lambda) (lower bound on t2; null when lambda = 0,
 * p <= n or nu = 0). The paper proves them for alpha lambda <= 0.01.
 */
final class Bounds {
  private Bounds() {}

  static Map<String, Double> of(Ridge family, RidgeData data, Hyper h, Thresholds th) {
    Map<String, Double> out = new LinkedHashMap<>();
    double n = family.nTrain();
    double p = family.dim();
    double nu2 = family.initScale() * family.initScale();
    double lmin = data.lambdaMinPlus();
    out.put(Columns.T_FIT_BOUND, Double.isNaN(lmin) || nu2 == 0.0 ? null
        : n * Math.log(14.0 * p * nu2 / th.fit()) / (2.0 * h.stepSize() * lmin));
    out.put(Columns.T_GEN_BOUND, h.weightDecay() == 0.0 || p <= n || nu2 == 0.0 ? null
        : Math.log((p - n) * nu2 / (8.0 * p * th.gen())) / (2.02 * h.stepSize() * h.weightDecay()));
    return out;
  }
}

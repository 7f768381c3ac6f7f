package io.grokgrid.analysis.report;

import io.grokgrid.analysis.RegimeCuts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the report draws, gathered from the sweep's views onto the driver: one small row per run,
 * the learning curves already reduced to percentiles over replicates, and the cost table. Built
 * by {@link Report}; the charts and the page read it and never touch Spark.
 */
final class ReportData {
  /** Sweep name(s), for titles. */
  final String title;
  /** Parameter columns of {@code runs}, in schema order. */
  final List<String> params;
  /** Parameters with more than one value among the selected runs ({@code sweep} first if several). */
  final List<String> axes;
  /** Parameters with a single value among the selected runs, with that value. */
  final Map<String, Object> fixed;
  /** One row per selected run. */
  final List<RunRow> runs;
  /** Grid point (values of {@link #axes}) to its learning curve, ordered by step. */
  final Map<List<Object>, List<CurvePoint>> curves;
  /** Column names of the cost rows. */
  final List<String> costColumns;
  /** {@code overfitting_cost} rows (of the selected runs), values by column. */
  final List<Map<String, Object>> cost;
  final double fitThreshold;
  final double genThreshold;
  final double grokRatio;
  final RegimeCuts cuts;
  /**
   * Theory's cost per group of runs differing only in weight decay and replicate (kernel-ridge's
   * eigenframework {@code ef_cost}, averaged over the group's runs): {@code sweep}, the parameters
   * but {@code weight_decay}, and {@code ef_cost}; empty when the grokking table has no such column.
   */
  final List<Map<String, Object>> theoryCost;
  /** The lattice of a refined sweep (one sweep reported alone), or null. */
  final RefinedMap.Lattice refined;
  /**
   * Grid point to the percentiles of its spectral metrics per logged step (only steps where a
   * replicate recorded one), ordered by step; empty when {@code curves} has no such column or
   * only nulls in it.
   */
  final Map<List<Object>, List<SpectralPoint>> spectral;

  ReportData(String title, List<String> params, List<String> axes, Map<String, Object> fixed,
      List<RunRow> runs, Map<List<Object>, List<CurvePoint>> curves, List<String> costColumns,
      List<Map<String, Object>> cost, double fitThreshold, double genThreshold, double grokRatio,
      RegimeCuts cuts) {
    this(title, params, axes, fixed, runs, curves, costColumns, cost, fitThreshold, genThreshold,
        grokRatio, cuts, List.of());
  }

  ReportData(String title, List<String> params, List<String> axes, Map<String, Object> fixed,
      List<RunRow> runs, Map<List<Object>, List<CurvePoint>> curves, List<String> costColumns,
      List<Map<String, Object>> cost, double fitThreshold, double genThreshold, double grokRatio,
      RegimeCuts cuts, List<Map<String, Object>> theoryCost) {
    this(title, params, axes, fixed, runs, curves, costColumns, cost, fitThreshold, genThreshold,
        grokRatio, cuts, theoryCost, null);
  }

  ReportData(String title, List<String> params, List<String> axes, Map<String, Object> fixed,
      List<RunRow> runs, Map<List<Object>, List<CurvePoint>> curves, List<String> costColumns,
      List<Map<String, Object>> cost, double fitThreshold, double genThreshold, double grokRatio,
      RegimeCuts cuts, List<Map<String, Object>> theoryCost, RefinedMap.Lattice refined) {
    this(title, params, axes, fixed, runs, curves, costColumns, cost, fitThreshold, genThreshold,
        grokRatio, cuts, theoryCost, refined, Map.of());
  }

  ReportData(String title, List<String> params, List<String> axes, Map<String, Object> fixed,
      List<RunRow> runs, Map<List<Object>, List<CurvePoint>> curves, List<String> costColumns,
      List<Map<String, Object>> cost, double fitThreshold, double genThreshold, double grokRatio,
      RegimeCuts cuts, List<Map<String, Object>> theoryCost, RefinedMap.Lattice refined,
      Map<List<Object>, List<SpectralPoint>> spectral) {
    this.spectral = spectral;
    this.refined = refined;
    this.theoryCost = List.copyOf(theoryCost);
    this.title = title;
    this.params = List.copyOf(params);
    this.axes = List.copyOf(axes);
    this.fixed = fixed;
    this.runs = List.copyOf(runs);
    this.curves = curves;
    this.costColumns = List.copyOf(costColumns);
    this.cost = cost;
    this.fitThreshold = fitThreshold;
    this.genThreshold = genThreshold;
    this.grokRatio = grokRatio;
    this.cuts = cuts;
  }

  /** The subtitle naming the fixed parameters, or "" when none. */
  String fixedText() {
    if (fixed.isEmpty()) {
      return "";
    }
    return "fixed: " + Fmt.assignments(new ArrayList<>(fixed.keySet()),
        new ArrayList<>(fixed.values()));
  }

  /** The distinct grid points among the runs, ordered. */
  List<List<Object>> gridPoints() {
    Map<List<Object>, Boolean> seen = new TreeMap<>(Fmt.KEY_ORDER);
    for (RunRow r : runs) {
      seen.put(r.key(), true);
    }
    return new ArrayList<>(seen.keySet());
  }

  /**
   * The median of {@code values} (not empty): the middle one, or the mean of the middle two for
   * an even count. The charts' cells and the page's phase table both use it.
   */
  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /**
   * The {@code p}-th quantile of {@code values} (not empty) by linear interpolation between
   * order statistics at position {@code p (n - 1)}: Spark's {@code percentile}, so that bands
   * computed on the driver match those computed in Spark.
   *
   * @param p in [0, 1]
   */
  static double percentile(List<Double> values, double p) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double pos = p * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, v.length - 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }

  /** The value of parameter {@code name} in run {@code r} (axis or fixed). */
  static Object param(RunRow r, String name) {
    return r.params().get(name);
  }

  /**
   * A run as the report sees it.
   *
   * @param key values of {@link ReportData#axes}, in that order
   * @param params every parameter column (and {@code sweep}) by name
   * @param status ok, diverged or failed
   * @param tFit first logged step from which the fit criterion holds, or null
   * @param tGen first logged step at which the generalization criterion holds, or null
   * @param delay tGen - tFit in steps, or null
   * @param phase comprehension, grokking, memorization, confusion, or null
   * @param finals the run's final implicit-bias metrics ({@code runs} columns such as
   *     {@code flip_radius}) by column name, only those with a finite value
   */
  record RunRow(List<Object> key, Map<String, Object> params, String status, Integer tFit,
      Integer tGen, Integer delay, String phase, Map<String, Double> finals) {
    RunRow {
      finals = Map.copyOf(finals);
    }

    /** A run without final metrics. */
    RunRow(List<Object> key, Map<String, Object> params, String status, Integer tFit,
        Integer tGen, Integer delay, String phase) {
      this(key, params, status, tFit, tGen, delay, phase, Map.of());
    }
  }

  /**
   * One logged step of a grid point's learning curve: 20th, 50th and 80th percentiles over the
   * replicates (null when no replicate has a finite value there).
   *
   * @param runs runs with a curve row at this step
   */
  record CurvePoint(int step, int runs, double[] trainAcc, double[] testAcc, double[] trainLoss,
      double[] testLoss) {}

  /**
   * One logged step of a grid point's spectral metrics: 20th, 50th and 80th percentiles over
   * the replicates that recorded a finite value there (null when none did).
   *
   * @param runs replicates with a finite stable or effective rank at this step
   */
  record SpectralPoint(int step, int runs, double[] stableRank, double[] effectiveRank) {}
}

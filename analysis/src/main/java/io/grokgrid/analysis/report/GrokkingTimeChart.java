package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.CHART_H;
import static io.grokgrid.analysis.report.ChartStyle.CHART_W;
import static io.grokgrid.analysis.report.ChartStyle.MAX_SERIES;
import static io.grokgrid.analysis.report.ChartStyle.SERIES;
import static io.grokgrid.analysis.report.ChartStyle.TITLE_FONT;

import io.grokgrid.analysis.report.ReportData.RunRow;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Grokking time t_gen against 1 / (step_size x weight_decay), log-log, per run, with a least
 * squares line through the grid-point medians (in log10 space) and its slope; theory predicts
 * a slope of about 1 where weight decay drives grokking (Xu, Vardi, Safran 2026; Liu et al.).
 *
 * <p>{@link #compute} reduces the runs to {@link Times} (points, medians, fits); {@link #draw}
 * only draws them. The fits also make the table under the chart ({@link Times#fitRows}).
 */
final class GrokkingTimeChart {
  private GrokkingTimeChart() {}

  static final String ID = "grokking-time";
  static final String HEADING = "Grokking time vs 1/(step size x weight decay)";

  /** A point of the plane, here (log10 x, log10 y). */
  record Xy(double x, double y) {}

  /** The least-squares line y = intercept + slope x. */
  record Fit(double slope, double intercept) {}

  /**
   * A run drawn as a dot.
   *
   * @param x 1 / (step_size x weight_decay), in steps
   * @param tGen its t_gen, in steps (at least 1)
   */
  record Dot(double x, int tGen) {}

  /**
   * One series: the runs at one value combination of the varying axes other than step size and
   * weight decay.
   *
   * @param name those values, or "runs" when there are none
   * @param dots the runs, in run order
   * @param medians per grid point, in axis order: (log10 x, log10 of the median t_gen), so that
   *     each grid point weighs the same whatever its replicate count
   * @param fit the least-squares line through the medians, or null without two distinct x
   */
  record Series(String name, List<Dot> dots, List<Xy> medians, Fit fit) {}

  /**
   * One row of the fit table.
   *
   * @param series the series' name, or "all series"
   * @param gridPoints medians the line goes through
   * @param fit the line, or null (one value of step_size x weight_decay)
   */
  record FitRow(String series, int gridPoints, Fit fit) {}

  /**
   * What the chart draws.
   *
   * @param missing why there is no chart, or null (then the fields below hold)
   * @param series at most {@link ChartStyle#MAX_SERIES}, in value order
   * @param overall the line through every series' medians, or null
   * @param xMin smallest x of a dot
   * @param xMax largest x of a dot
   * @param yMin smallest t_gen of a dot
   * @param yMax largest t_gen of a dot
   * @param notes remarks for the page (runs and series left out, no slope)
   */
  record Times(String missing, List<Series> series, Fit overall, double xMin, double xMax,
      double yMin, double yMax, List<String> notes) {
    static Times missing(String why) {
      return new Times(why, List.of(), null, 0, 0, 0, 0, List.of());
    }

    /** Every series' medians, in series order. */
    List<Xy> allMedians() {
      List<Xy> all = new ArrayList<>();
      series.forEach(s -> all.addAll(s.medians()));
      return all;
    }

    /** The centre of mass of {@link #allMedians}: where the reference line of slope 1 passes. */
    Xy centre() {
      List<Xy> all = allMedians();
      double cx = 0;
      double cy = 0;
      for (Xy m : all) {
        cx += m.x() / all.size();
        cy += m.y() / all.size();
      }
      return new Xy(cx, cy);
    }

    /** The table under the chart: one row per series, then the overall line if several. */
    List<FitRow> fitRows() {
      List<FitRow> rows = new ArrayList<>();
      for (Series s : series) {
        rows.add(new FitRow(s.name(), s.medians().size(), s.fit()));
      }
      if (overall != null && series.size() > 1) {
        rows.add(new FitRow("all series", allMedians().size(), overall));
      }
      return rows;
    }
  }

  /** Least squares y = a + b x over the points: (b, a), or null without two distinct x. */
  static Fit fit(List<Xy> xy) {
    if (xy.size() < 2) {
      return null;
    }
    double mx = 0;
    double my = 0;
    for (Xy p : xy) {
      mx += p.x() / xy.size();
      my += p.y() / xy.size();
    }
    double sxx = 0;
    double sxy = 0;
    for (Xy p : xy) {
      sxx += (p.x() - mx) * (p.x() - mx);
      sxy += (p.x() - mx) * (p.y() - my);
    }
    // relative to the spread of x: values equal up to rounding count as one value
    if (!(sxx > 1e-12 * Math.max(1, mx * mx))) {
      return null;
    }
    double b = sxy / sxx;
    return new Fit(b, my - b * mx);
  }

  /** The runs with weight decay that generalized, by series, with their medians and fits. */
  static Times compute(ReportData d) {
    if (!d.params.contains(Columns.STEP_SIZE) || !d.params.contains(Columns.WEIGHT_DECAY)) {
      return Times.missing("No grokking-time chart: the runs have no " + Columns.STEP_SIZE
          + " or " + Columns.WEIGHT_DECAY + " column.");
    }
    boolean anyDecay = false;
    List<RunRow> pts = new ArrayList<>();
    int neverGen = 0;
    for (RunRow r : d.runs) {
      double a = num(r.params().get(Columns.STEP_SIZE));
      double l = num(r.params().get(Columns.WEIGHT_DECAY));
      if (!(a > 0 && l > 0)) {
        continue;
      }
      anyDecay = true;
      if (r.tGen() == null || r.tGen() < 1 || !Values.OK.equals(r.status())) {
        neverGen++;
        continue;
      }
      pts.add(r);
    }
    if (!anyDecay) {
      return Times.missing("No grokking-time chart: no selected run has " + Columns.WEIGHT_DECAY
          + " > 0, so 1/(" + Columns.STEP_SIZE + " x " + Columns.WEIGHT_DECAY + ") is infinite "
          + "for all of them.");
    }
    if (pts.isEmpty()) {
      // regression tasks record no accuracies: their criterion is a test loss at most c
      boolean accuracies = d.curves.values().stream().flatMap(List::stream)
          .anyMatch(c -> c.testAcc() != null);
      return Times.missing("No grokking-time chart: none of the " + neverGen + " selected runs "
          + "with " + Columns.WEIGHT_DECAY + " > 0 finished with " + Columns.STATUS + " "
          + Values.OK + " and reached the generalization threshold (" + (accuracies
              ? "test accuracy >= " : "test loss <= ") + Fmt.num(d.genThreshold)
          + ") at a step >= 1.");
    }
    List<String> seriesAxes = new ArrayList<>(d.axes);
    seriesAxes.remove(Columns.STEP_SIZE);
    seriesAxes.remove(Columns.WEIGHT_DECAY);
    Map<List<Object>, List<RunRow>> bySeries = new TreeMap<>(Fmt.KEY_ORDER);
    for (RunRow r : pts) {
      List<Object> k = new ArrayList<>();
      for (String a : seriesAxes) {
        k.add(r.params().get(a));
      }
      bySeries.computeIfAbsent(k, kk -> new ArrayList<>()).add(r);
    }
    List<String> notes = new ArrayList<>();
    if (neverGen > 0) {
      notes.add(neverGen + " run(s) with " + Columns.WEIGHT_DECAY + " > 0 never reached the "
          + "generalization threshold (or did not finish " + Values.OK + ") and are not drawn.");
    }
    List<List<Object>> keys = new ArrayList<>(bySeries.keySet());
    if (keys.size() > MAX_SERIES) {
      notes.add(String.format(Locale.ROOT, "%d of %d series drawn.", MAX_SERIES, keys.size()));
      keys = keys.subList(0, MAX_SERIES);
    }
    double xmin = Double.POSITIVE_INFINITY;
    double xmax = 0;
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = 0;
    List<Series> series = new ArrayList<>();
    List<Xy> allMedians = new ArrayList<>();
    for (List<Object> key : keys) {
      Map<List<Object>, List<Double>> byPoint = new TreeMap<>(Fmt.KEY_ORDER);
      Map<List<Object>, Double> xOf = new TreeMap<>(Fmt.KEY_ORDER);
      List<Dot> dots = new ArrayList<>();
      for (RunRow rr : bySeries.get(key)) {
        double xv = 1 / (num(rr.params().get(Columns.STEP_SIZE))
            * num(rr.params().get(Columns.WEIGHT_DECAY)));
        dots.add(new Dot(xv, rr.tGen()));
        byPoint.computeIfAbsent(rr.key(), k -> new ArrayList<>()).add((double) rr.tGen());
        xOf.put(rr.key(), xv);
        xmin = Math.min(xmin, xv);
        xmax = Math.max(xmax, xv);
        ymin = Math.min(ymin, rr.tGen());
        ymax = Math.max(ymax, rr.tGen());
      }
      List<Xy> medians = new ArrayList<>();
      for (Map.Entry<List<Object>, List<Double>> e : byPoint.entrySet()) {
        medians.add(new Xy(Math.log10(xOf.get(e.getKey())),
            Math.log10(ReportData.median(e.getValue()))));
      }
      allMedians.addAll(medians);
      series.add(new Series(seriesAxes.isEmpty() ? "runs" : Fmt.assignments(seriesAxes, key),
          dots, medians, fit(medians)));
    }
    Fit overall = fit(allMedians);
    if (overall == null) {
      notes.add("No slope fitted: a fit needs at least two values of " + Columns.STEP_SIZE
          + " x " + Columns.WEIGHT_DECAY + " among the runs that generalized.");
    }
    return new Times(null, series, overall, xmin, xmax, ymin, ymax, notes);
  }

  private static double num(Object o) {
    return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
  }

  /** Draws {@code t} as {@code grokking_time.png} in {@code dir}. */
  static Figure draw(ReportData d, Times t, Path dir) throws IOException {
    if (t.missing() != null) {
      return Figure.missing(ID, HEADING, t.missing());
    }
    String alphaLambda = Columns.STEP_SIZE + " x " + Columns.WEIGHT_DECAY;
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    XYSeriesCollection lines = new XYSeriesCollection();
    XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < t.series().size(); s++) {
      Series series = t.series().get(s);
      String name = series.name();
      XYSeries runs = new XYSeries(name, false, true);
      for (Dot dot : series.dots()) {
        runs.add(dot.x(), dot.tGen());
      }
      Color c = SERIES[s % SERIES.length];
      Fit fit = series.fit();
      if (fit != null) {
        runs.setKey(name + ": slope " + String.format(Locale.ROOT, "%.2f", fit.slope()));
        XYSeries fl = new XYSeries(name + " fit", false, true);
        double lx0 = series.medians().stream().mapToDouble(Xy::x).min().orElse(0);
        double lx1 = series.medians().stream().mapToDouble(Xy::x).max().orElse(0);
        fl.add(Math.pow(10, lx0), Math.pow(10, fit.intercept() + fit.slope() * lx0));
        fl.add(Math.pow(10, lx1), Math.pow(10, fit.intercept() + fit.slope() * lx1));
        lines.addSeries(fl);
        lr.setSeriesPaint(lines.getSeriesCount() - 1, c);
        lr.setSeriesStroke(lines.getSeriesCount() - 1, ChartStyle.dashed(1.6f));
        lr.setSeriesVisibleInLegend(lines.getSeriesCount() - 1, false);
      } else {
        runs.setKey(name + ": one value of " + alphaLambda + ", no slope");
      }
      data.addSeries(runs);
      r.setSeriesPaint(s, c);
      r.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
    }
    double xmin = t.xMin();
    double xmax = t.xMax();
    double ymin = t.yMin();
    double ymax = t.yMax();
    String slopeText;
    if (t.overall() != null) {
      slopeText = String.format(Locale.ROOT, "fitted slope %.2f (least squares of log10 %s on "
          + "log10 1/(%s) over %d grid-point medians); theory predicts about 1 where weight "
          + "decay drives grokking", t.overall().slope(), Columns.T_GEN, alphaLambda,
          t.allMedians().size());
      // the theory's slope 1 through the centre of the medians, for comparison
      Xy centre = t.centre();
      XYSeries ref = new XYSeries("slope 1 (theory)", false, true);
      double lx0 = Math.log10(xmin);
      double lx1 = Math.log10(xmax);
      ref.add(xmin, Math.pow(10, centre.y() + (lx0 - centre.x())));
      ref.add(xmax, Math.pow(10, centre.y() + (lx1 - centre.x())));
      lines.addSeries(ref);
      int k = lines.getSeriesCount() - 1;
      lr.setSeriesPaint(k, Color.GRAY);
      lr.setSeriesStroke(k, ChartStyle.dotted(1.4f));
      lr.setSeriesVisibleInLegend(k, true);
      ymin = Math.min(ymin, ref.getMinY());
      ymax = Math.max(ymax, ref.getMaxY());
    } else {
      slopeText = "no slope: all runs share one value of " + alphaLambda + " (" + Fmt.num(xmin)
          + "); a fit needs at least two";
    }
    LogAxis xa = ChartStyle.logAxis("1 / (" + alphaLambda + ")  (steps, log scale)");
    ChartStyle.logTicks(xa, new Range(xmin / 2.5, xmax * 2.5));
    LogAxis ya = ChartStyle.logAxis(Columns.T_GEN + ": first step with test accuracy >= "
        + Fmt.num(d.genThreshold) + " (steps, log scale)");
    ChartStyle.logTicks(ya, new Range(Math.max(ymin / 2.5, 0.5), ymax * 2.5));
    ChartStyle.style(xa, false);
    ChartStyle.style(ya, false);
    XYPlot plot = new XYPlot(data, xa, ya, r);
    plot.setDataset(1, lines);
    plot.setRenderer(1, lr);
    ChartStyle.plotStyle(plot);
    JFreeChart chart = new JFreeChart(d.title + ": time to generalize vs 1/(step size x weight "
        + "decay)", TITLE_FONT, plot, true);
    chart.addSubtitle(ChartStyle.subtitle(ChartStyle.withFixed(slopeText, d)));
    ChartStyle.legendStyle(chart, false);
    ChartStyle.writePng(chart, dir, "grokking_time.png", CHART_W, CHART_H);
    String caption = "Each dot is a run with " + Columns.WEIGHT_DECAY + " > 0 that reached the "
        + "generalization threshold: its " + Columns.T_GEN + " against 1/(" + alphaLambda
        + "), the number of steps over which weight decay shrinks the weights by a factor e. "
        + "Dashed lines are least-squares fits through the grid-point medians in log-log "
        + "space; the dotted line has slope 1, what theory predicts where weight decay drives "
        + "grokking.";
    return new Figure(ID, HEADING, List.of("grokking_time.png"), CHART_W, CHART_H, caption,
        null, t.notes());
  }
}

package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.CHART_H;
import static io.grokgrid.analysis.report.ChartStyle.CHART_W;
import static io.grokgrid.analysis.report.ChartStyle.SERIES;
import static io.grokgrid.analysis.report.ChartStyle.TITLE_FONT;

import io.grokgrid.analysis.report.ReportData.RunRow;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
import java.awt.BasicStroke;
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
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Robustness of the trained networks against a sweep axis: the final {@code flip_radius} (Frei
 * et al., NeurIPS 2023: the distance to a sign flip, in units of {@code signal}, falls like
 * k^-1/2 with the number of clusters) and {@code grad_orth_share} (Melamed et al. 2023: the
 * share of the input gradient off the data's span, smaller at a smaller initialization and a
 * larger weight decay), median over replicates with the 20-80% band, against the first varying
 * axis among {@link #PREFERRED_X} (else the first numeric varying axis), log-log where the values
 * are positive, one line per value combination of the other varying axes with its least-squares
 * log-log slope.
 *
 * <p>Drawn only when {@code runs} holds a final {@code flip_radius} or {@code grad_orth_share}
 * ({@link #applies}); {@link #compute} reduces the run rows to {@link Robustness} on the driver
 * (one value per run), {@link #draw} only draws it.
 */
final class RobustnessChart {
  private RobustnessChart() {}

  static final String ID = "robustness";
  static final String HEADING = "Robustness";
  static final String FILE = "robustness.png";
  /** The height with two stacked plots (one plot: {@link ChartStyle#CHART_H}). */
  static final int TWO_PLOTS_H = 820;

  /** The axes the papers vary, in the order the chart prefers them as its x axis. */
  static final List<String> PREFERRED_X = List.of(Columns.CLUSTERS, Columns.INIT_SCALE,
      Columns.WEIGHT_DECAY);

  /**
   * One x value of a line: percentiles over its runs ({@link ReportData#percentile}).
   *
   * @param x the x axis' value
   * @param runs ok runs with a finite value there
   */
  record Point(double x, int runs, double low, double median, double high) {}

  /**
   * One line.
   *
   * @param name values of the other varying axes, "" when there are none
   * @param points ascending in x
   * @param slope least-squares slope of ln median on ln x; NaN unless both axes are
   *     logarithmic and there are two points
   */
  record Line(String name, List<Point> points, double slope) {}

  /**
   * One metric's plot.
   *
   * @param column {@code flip_radius} or {@code grad_orth_share}
   * @param lines at most {@link ChartStyle#MAX_SERIES}
   * @param logY whether every band is positive (a log y axis)
   */
  record Metric(String column, List<Line> lines, boolean logY) {}

  /**
   * What to draw.
   *
   * @param missing why there is no chart, or null (then the other fields hold)
   * @param xAxis the x axis' parameter
   * @param xValues its values among the drawn runs, ascending
   * @param logX whether they are all positive (a log x axis; else evenly spaced categories)
   * @param seriesAxes the other varying axes, one line per value combination
   * @param metrics one per recorded metric, in {@link ReportDataReader#FINAL_METRICS} order
   * @param notes remarks for the page
   */
  record Robustness(String missing, String xAxis, List<Double> xValues, boolean logX,
      List<String> seriesAxes, List<Metric> metrics, List<String> notes) {
    static Robustness missing(String why) {
      return new Robustness(why, null, List.of(), false, List.of(), List.of(), List.of());
    }
  }

  /**
   * Whether the page has this section: only when some run holds a final robustness metric (they
   * are optional; a sweep without them gains no explained gap).
   */
  static boolean applies(ReportData d) {
    for (RunRow r : d.runs) {
      for (String m : ReportDataReader.FINAL_METRICS) {
        if (r.finals().containsKey(m)) {
          return true;
        }
      }
    }
    return false;
  }

  static Figure figure(ReportData d, Path dir) throws IOException {
    return draw(d, compute(d), dir);
  }

  /** The x axis: the first varying axis of {@link #PREFERRED_X}, else the first numeric one. */
  static String xAxis(ReportData d) {
    for (String a : PREFERRED_X) {
      if (d.axes.contains(a)) {
        return a;
      }
    }
    for (String a : d.axes) {
      if (d.runs.stream().allMatch(r -> ReportData.param(r, a) instanceof Number)) {
        return a;
      }
    }
    return null;
  }

  static Robustness compute(ReportData d) {
    String x = xAxis(d);
    if (x == null) {
      return Robustness.missing("No robustness chart: no numeric parameter varies among the "
          + "selected runs (" + (d.axes.isEmpty() ? "a single grid point" : "axes: "
          + String.join(", ", d.axes)) + "), so there is nothing to plot "
          + Columns.FLIP_RADIUS + " against; the runs table holds the values.");
    }
    List<String> seriesAxes = new ArrayList<>(d.axes);
    seriesAxes.remove(x);
    List<String> notes = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    TreeMap<Double, Boolean> xSeen = new TreeMap<>();
    for (String m : ReportDataReader.FINAL_METRICS) {
      // line key -> x -> values of the ok runs
      Map<List<Object>, TreeMap<Double, List<Double>>> groups = new TreeMap<>(Fmt.KEY_ORDER);
      int notOk = 0;
      for (RunRow r : d.runs) {
        Double v = r.finals().get(m);
        if (v == null) {
          continue;
        }
        if (!Values.OK.equals(r.status())) {
          notOk++;
          continue;
        }
        List<Object> k = new ArrayList<>();
        for (String a : seriesAxes) {
          k.add(ReportData.param(r, a));
        }
        double xv = ((Number) ReportData.param(r, x)).doubleValue();
        groups.computeIfAbsent(k, kk -> new TreeMap<>())
            .computeIfAbsent(xv, kk -> new ArrayList<>()).add(v);
      }
      if (groups.isEmpty()) {
        continue;
      }
      if (notOk > 0) {
        notes.add(notOk + " run(s) not ok (diverged or failed) with a " + m + " are left out.");
      }
      List<List<Object>> keys = ChartStyle.firstSeries(new ArrayList<>(groups.keySet()),
          seriesAxes, metrics.isEmpty() ? notes : new ArrayList<>());
      List<List<Point>> pointsByLine = new ArrayList<>();
      boolean positive = true;
      for (List<Object> k : keys) {
        List<Point> pts = new ArrayList<>();
        for (Map.Entry<Double, List<Double>> e : groups.get(k).entrySet()) {
          List<Double> v = e.getValue();
          Point p = new Point(e.getKey(), v.size(), ReportData.percentile(v, 0.2),
              ReportData.percentile(v, 0.5), ReportData.percentile(v, 0.8));
          positive &= p.low() > 0;
          xSeen.put(e.getKey(), true);
          pts.add(p);
        }
        pointsByLine.add(pts);
      }
      metrics.add(new Metric(m, lines(keys, pointsByLine, seriesAxes), positive));
    }
    if (metrics.isEmpty()) {
      return Robustness.missing("No robustness chart: no run with status ok has a finite "
          + String.join(" or ", ReportDataReader.FINAL_METRICS) + ".");
    }
    List<Double> xValues = new ArrayList<>(xSeen.keySet());
    boolean logX = xValues.get(0) > 0;
    if (!logX) {
      notes.add(x + " takes the value " + Fmt.num(xValues.get(0)) + ", so its values are "
          + "spaced evenly rather than on a log scale, and no slope is fitted.");
    }
    List<Metric> withSlopes = new ArrayList<>();
    for (Metric m : metrics) {
      List<Line> lines = new ArrayList<>();
      for (Line l : m.lines()) {
        double slope = Double.NaN;
        if (logX && m.logY()) {
          slope = CostVsNChart.logLogSlope(l.points().stream().mapToDouble(Point::x).toArray(),
              l.points().stream().mapToDouble(Point::median).toArray());
        }
        lines.add(new Line(l.name(), l.points(), slope));
      }
      withSlopes.add(new Metric(m.column(), lines, m.logY()));
    }
    return new Robustness(null, x, xValues, logX, seriesAxes, withSlopes, notes);
  }

  private static List<Line> lines(List<List<Object>> keys, List<List<Point>> points,
      List<String> seriesAxes) {
    List<Line> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      out.add(new Line(seriesAxes.isEmpty() ? "" : Fmt.assignments(seriesAxes, keys.get(i)),
          points.get(i), Double.NaN));
    }
    return out;
  }

  static Figure draw(ReportData d, Robustness c, Path dir) throws IOException {
    if (c.missing() != null) {
      return Figure.missing(ID, HEADING, c.missing());
    }
    ValueAxis x;
    if (c.logX()) {
      // ticks at the grid's values: a sweep has few, and they need not fall on decades
      x = ChartStyle.logAxisAt(ChartStyle.axisLabel(c.xAxis()) + ", log scale",
          new Range(c.xValues().get(0) / 1.3, c.xValues().get(c.xValues().size() - 1) * 1.3),
          c.xValues());
    } else {
      String[] labels = c.xValues().stream().map(Fmt::num).toArray(String[]::new);
      SymbolAxis sx = new SymbolAxis(ChartStyle.axisLabel(c.xAxis()), labels);
      sx.setGridBandsVisible(false);
      sx.setRange(-0.4, labels.length - 0.6);
      x = sx;
    }
    ChartStyle.style(x, false);
    // each plot's lines are in the legend (prefixed by the metric): their slopes differ
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
    plot.setGap(12);
    for (int mi = 0; mi < c.metrics().size(); mi++) {
      plot.add(subplot(c, c.metrics().get(mi)), 1);
    }
    String names = String.join(" and ", c.metrics().stream().map(Metric::column).toList());
    JFreeChart chart = new JFreeChart(d.title + ": " + names + " vs " + c.xAxis(), TITLE_FONT,
        plot, true);
    chart.addSubtitle(ChartStyle.subtitle(ChartStyle.withFixed("final values, median over "
        + "replicates (runs with status ok), band 20-80%", d)));
    ChartStyle.legendStyle(chart, false);
    int h = c.metrics().size() > 1 ? TWO_PLOTS_H : CHART_H;
    ChartStyle.writePng(chart, dir, FILE, CHART_W, h);
    String caption = "Robustness of the trained networks against " + c.xAxis() + ": "
        + Columns.FLIP_RADIUS + " is the median, over the clean test points the network "
        + "classifies correctly, of the length of the smallest sign-flipping perturbation found "
        + "(DeepFool), in units of " + Columns.SIGNAL + " (Frei et al. 2023: it falls like k^-1/2 "
        + "with the number of clusters k, although robust networks exist); "
        + Columns.GRAD_ORTH_SHARE + " is the median share of the input gradient off the span of "
        + "the training inputs (Melamed et al. 2023: smaller at a smaller " + Columns.INIT_SCALE
        + " and a larger " + Columns.WEIGHT_DECAY + "). Final values of each run; markers are "
        + "medians over replicates, shaded bands the 20th-80th percentiles"
        + (c.seriesAxes().isEmpty() ? "" : ", one line per value of "
            + String.join(", ", c.seriesAxes()))
        + (c.logX() ? "; log-log where the values are positive, with the least-squares slope of "
            + "ln median on ln " + c.xAxis() + " in the legend." : ".");
    return new Figure(ID, HEADING, List.of(FILE), CHART_W, h, caption, null, c.notes());
  }

  private static XYPlot subplot(Robustness c, Metric m) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    DeviationRenderer r = new DeviationRenderer(true, true);
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < m.lines().size(); i++) {
      Line line = m.lines().get(i);
      String name = line.name().isEmpty() ? "median over replicates" : line.name();
      if (!Double.isNaN(line.slope())) {
        name += String.format(Locale.ROOT, " (slope %.2f)", line.slope());
      }
      YIntervalSeries s = new YIntervalSeries(m.column() + ": " + name);
      for (Point p : line.points()) {
        double xv = c.logX() ? p.x() : c.xValues().indexOf(p.x());
        s.add(xv, p.median(), p.low(), p.high());
        lo = Math.min(lo, p.low());
        hi = Math.max(hi, p.high());
      }
      data.addSeries(s);
      Color colour = SERIES[i % SERIES.length];
      r.setSeriesPaint(i, colour);
      r.setSeriesFillPaint(i, colour);
      r.setSeriesStroke(i, new BasicStroke(2f));
      r.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    r.setAlpha(0.2f);
    String label = m.column().equals(Columns.FLIP_RADIUS)
        ? Columns.FLIP_RADIUS + " (distance to a flip / signal)"
        : m.column().equals(Columns.GRAD_ORTH_SHARE)
            ? Columns.GRAD_ORTH_SHARE + " (share off the data span)" : m.column();
    ValueAxis y;
    if (m.logY()) {
      double pad = hi / lo < 3 ? 1.1 : 1.4;
      y = ChartStyle.logAxisFor(label + ", log scale", new Range(lo / pad, hi * pad));
    } else {
      NumberAxis ny = new NumberAxis(label);
      ny.setAutoRangeIncludesZero(false);
      double margin = Math.max((hi - lo) * 0.08, 1e-9);
      ny.setRange(lo - margin, hi + margin);
      y = ny;
    }
    ChartStyle.style(y, false);
    XYPlot plot = new XYPlot(data, null, y, r);
    ChartStyle.plotStyle(plot);
    return plot;
  }
}

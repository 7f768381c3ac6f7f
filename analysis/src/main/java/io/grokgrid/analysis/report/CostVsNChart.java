package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.CHART_W;
import static io.grokgrid.analysis.report.ChartStyle.MAX_SERIES;
import static io.grokgrid.analysis.report.ChartStyle.SERIES;
import static io.grokgrid.analysis.report.ChartStyle.TITLE_FONT;

import io.grokgrid.vocab.Columns;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Cost of overfitting against the number of training points, log-log (Zhou, Simon, Vardi,
 * Srebro 2023; Mallinar et al. 2022: a cost that settles is tempered, one growing like a power of
 * n catastrophic, one falling to 1 benign), one line per value combination of the other varying
 * parameters, with the least-squares log-log slope in the legend; where the grokking table carries
 * a theory cost ({@code ef_cost}, kernel-ridge's eigenframework) its line is drawn dashed in the
 * same colour.
 *
 * <p>{@link #compute} reads the {@code overfitting_cost} rows and {@link ReportData#theoryCost}
 * into {@link Costs}; {@link #draw} only draws them.
 */
final class CostVsNChart {
  private CostVsNChart() {}

  static final String ID = "cost-vs-n";
  static final String HEADING = "Cost of overfitting vs n";
  static final String FILE = "cost_vs_n.png";
  private static final int HEIGHT = 600;

  /**
   * One line.
   *
   * @param name values of the other varying parameters, "" when there are none
   * @param n training points, ascending
   * @param cost measured cost at each n (finite, > 0)
   * @param theory theory cost at each n, or null where there is none
   * @param slope least-squares slope of ln cost on ln n (NaN with fewer than two points)
   */
  record Line(String name, double[] n, double[] cost, Double[] theory, double slope) {}

  /**
   * The lines to draw, or why there are none.
   *
   * @param missing why there is no chart, or null
   * @param lines at most {@link ChartStyle#MAX_SERIES}
   * @param notes remarks for the page
   */
  record Costs(String missing, List<Line> lines, List<String> notes) {
    static Costs missing(String why) {
      return new Costs(why, List.of(), List.of());
    }
  }

  /**
   * Whether the page has this section: only sweeps whose selected runs vary {@code n_train} (a
   * sweep over n is what the chart is for; other reports do not gain an explained gap).
   */
  static boolean applies(ReportData d) {
    return d.axes.contains(Columns.N_TRAIN);
  }

  static Figure figure(ReportData d, Path dir) throws IOException {
    return draw(d, compute(d), dir);
  }

  /** Least-squares slope of ln y on ln x. */
  static double logLogSlope(double[] x, double[] y) {
    int m = x.length;
    if (m < 2) {
      return Double.NaN;
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < m; i++) {
      mx += Math.log(x[i]) / m;
      my += Math.log(y[i]) / m;
    }
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < m; i++) {
      sxy += (Math.log(x[i]) - mx) * (Math.log(y[i]) - my);
      sxx += (Math.log(x[i]) - mx) * (Math.log(x[i]) - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  static Costs compute(ReportData d) {
    if (d.cost.isEmpty()) {
      return Costs.missing("No cost of overfitting: the sweep has no " + Columns.OVERFITTING_COST
          + " rows for the selected runs.");
    }
    if (!d.axes.contains(Columns.N_TRAIN) || !d.costColumns.contains(Columns.N_TRAIN)) {
      return Costs.missing("No cost-vs-n chart: " + Columns.N_TRAIN + " takes a single value in "
          + "the selected runs.");
    }
    List<String> seriesAxes = new ArrayList<>();
    for (String a : d.axes) {
      if (d.costColumns.contains(a) && !a.equals(Columns.N_TRAIN) && !a.equals(Columns.WEIGHT_DECAY)) {
        seriesAxes.add(a);
      }
    }
    Map<List<Object>, TreeMap<Double, double[]>> series = new TreeMap<>(Fmt.KEY_ORDER);
    int skipped = 0;
    for (Map<String, Object> c : d.cost) {
      Object cost = c.get(Columns.COST);
      Object n = c.get(Columns.N_TRAIN);
      if (!(cost instanceof Number) || !(n instanceof Number)
          || !(((Number) cost).doubleValue() > 0) || !Double.isFinite(((Number) cost).doubleValue())) {
        skipped++;
        continue;
      }
      List<Object> k = new ArrayList<>();
      for (String a : seriesAxes) {
        k.add(c.get(a));
      }
      Double theory = theory(d, c);
      series.computeIfAbsent(k, kk -> new TreeMap<>()).put(((Number) n).doubleValue(),
          new double[] {((Number) cost).doubleValue(), theory == null ? Double.NaN : theory});
    }
    if (series.isEmpty()) {
      return Costs.missing("No cost of overfitting to draw: no group has a finite cost (no run with "
          + Columns.WEIGHT_DECAY + " = 0, or risks of 0).");
    }
    List<String> notes = new ArrayList<>();
    if (skipped > 0) {
      notes.add(skipped + " group(s) without a finite positive cost are not drawn; see the table.");
    }
    List<List<Object>> keys = new ArrayList<>(series.keySet());
    keys = ChartStyle.firstSeries(keys, seriesAxes, notes);
    List<Line> lines = new ArrayList<>();
    for (List<Object> k : keys) {
      TreeMap<Double, double[]> pts = series.get(k);
      double[] n = new double[pts.size()];
      double[] cost = new double[pts.size()];
      Double[] theory = new Double[pts.size()];
      int i = 0;
      for (Map.Entry<Double, double[]> e : pts.entrySet()) {
        n[i] = e.getKey();
        cost[i] = e.getValue()[0];
        theory[i] = Double.isNaN(e.getValue()[1]) ? null : e.getValue()[1];
        i++;
      }
      lines.add(new Line(seriesAxes.isEmpty() ? "" : Fmt.assignments(seriesAxes, k), n, cost,
          theory, logLogSlope(n, cost)));
    }
    return new Costs(null, lines, notes);
  }

  /** The theory cost of a cost row's group, or null. */
  private static Double theory(ReportData d, Map<String, Object> costRow) {
    for (Map<String, Object> t : d.theoryCost) {
      boolean same = true;
      for (Map.Entry<String, Object> e : t.entrySet()) {
        if (e.getKey().equals(Columns.EF_COST) || !costRow.containsKey(e.getKey())) {
          continue;
        }
        Object a = e.getValue();
        Object b = costRow.get(e.getKey());
        if (a instanceof Number && b instanceof Number) {
          same = ((Number) a).doubleValue() == ((Number) b).doubleValue();
        } else {
          same = Objects.equals(a, b);
        }
        if (!same) {
          break;
        }
      }
      Object v = t.get(Columns.EF_COST);
      if (same && v instanceof Number && Double.isFinite(((Number) v).doubleValue())) {
        return ((Number) v).doubleValue();
      }
    }
    return null;
  }

  static Figure draw(ReportData d, Costs c, Path dir) throws IOException {
    if (c.missing() != null) {
      return Figure.missing(ID, HEADING, c.missing());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    double nLo = Double.POSITIVE_INFINITY;
    double nHi = 0;
    boolean anyTheory = false;
    for (Line line : c.lines()) {
      String name = line.name().isEmpty() ? "" : line.name() + ": ";
      XYSeries measured = new XYSeries(name + "measured" + (Double.isNaN(line.slope()) ? ""
          : String.format(Locale.ROOT, " (slope %.3f)", line.slope())), false);
      XYSeries theory = new XYSeries(name + "eigenframework" + String.format(Locale.ROOT,
          " (slope %.3f)", theorySlope(line)), false);
      for (int i = 0; i < line.n().length; i++) {
        measured.add(line.n()[i], line.cost()[i]);
        lo = Math.min(lo, line.cost()[i]);
        hi = Math.max(hi, line.cost()[i]);
        nLo = Math.min(nLo, line.n()[i]);
        nHi = Math.max(nHi, line.n()[i]);
        if (line.theory()[i] != null) {
          theory.add(line.n()[i], line.theory()[i]);
          lo = Math.min(lo, line.theory()[i]);
          hi = Math.max(hi, line.theory()[i]);
          anyTheory = true;
        }
      }
      data.addSeries(measured);
      data.addSeries(theory);
    }
    LogAxis x = ChartStyle.logAxis(ChartStyle.axisLabel(Columns.N_TRAIN) + ", log scale");
    ChartStyle.logTicks(x, new Range(nLo / 1.25, nHi * 1.25));
    ChartStyle.style(x, false);
    LogAxis y = ChartStyle.logAxis(Columns.COST + " = " + Columns.RISK_INTERP
        + " / best risk (ratio), log scale");
    ChartStyle.logTicks(y, new Range(Math.min(lo, 1.0) / 1.15, Math.max(hi, 1.0) * 1.3));
    ChartStyle.style(y, false);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < c.lines().size(); s++) {
      Color color = SERIES[s % SERIES.length];
      r.setSeriesPaint(2 * s, color);
      r.setSeriesStroke(2 * s, new BasicStroke(2f));
      r.setSeriesShape(2 * s, new Rectangle2D.Double(-3.5, -3.5, 7, 7));
      r.setSeriesPaint(2 * s + 1, color);
      r.setSeriesStroke(2 * s + 1, ChartStyle.dashed(1.6f));
      r.setSeriesShapesVisible(2 * s + 1, false);
      r.setSeriesVisibleInLegend(2 * s + 1, data.getSeries(2 * s + 1).getItemCount() > 0);
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    ChartStyle.plotStyle(plot);
    plot.addRangeMarker(new ValueMarker(1.0, Color.GRAY, new BasicStroke(0.8f)));
    JFreeChart chart = new JFreeChart(d.title + ": cost of overfitting vs n", TITLE_FONT, plot, true);
    chart.addSubtitle(ChartStyle.subtitle(ChartStyle.withFixed("solid = measured cost (replicate-"
        + "averaged risks); dashed = the eigenframework's prediction" + (anyTheory ? ""
        : " (none for these runs)"), d)));
    ChartStyle.legendStyle(chart, false);
    ChartStyle.writePng(chart, dir, FILE, CHART_W, HEIGHT);
    String caption = "Cost of overfitting (Zhou et al. 2023) against the number of training "
        + "points, log-log: the replicate-averaged test risk of the interpolating model ("
        + Columns.WEIGHT_DECAY + " = 0) over the least over the grid's weight decays. Mallinar et "
        + "al. (2022): a cost falling toward 1 is benign, one settling at a constant tempered, "
        + "one growing like a power of n (slope near 1) catastrophic. Dashed: the "
        + "eigenframework's cost (" + Columns.EF_COST + ", kernel-ridge's spectrum design), "
        + "where the runs carry it. Slopes are least-squares fits of ln cost on ln n.";
    return new Figure(ID, HEADING, List.of(FILE), CHART_W, HEIGHT, caption, null, c.notes());
  }

  private static double theorySlope(Line line) {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < line.n().length; i++) {
      if (line.theory()[i] != null) {
        pts.add(new double[] {line.n()[i], line.theory()[i]});
      }
    }
    return logLogSlope(pts.stream().mapToDouble(p -> p[0]).toArray(),
        pts.stream().mapToDouble(p -> p[1]).toArray());
  }
}

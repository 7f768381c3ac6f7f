package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.CHART_W;
import static io.grokgrid.analysis.report.ChartStyle.MAX_SERIES;
import static io.grokgrid.analysis.report.ChartStyle.SERIES;
import static io.grokgrid.analysis.report.ChartStyle.TICK_FONT;
import static io.grokgrid.analysis.report.ChartStyle.TITLE_FONT;

import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Cost of overfitting (Zhou et al. 2023) against the noise rate, one line per value combination
 * of the other varying parameters (width, dim, step size, ...): top, the cost with weight decay
 * and with early stopping as the tuning knob; bottom, the risk of the interpolating model with
 * the Bayes risk, the regime cuts of Mallinar et al. (2022) and chance drawn.
 *
 * <p>{@link #compute} reads the {@code overfitting_cost} rows into {@link Costs};
 * {@link #draw} only draws them.
 */
final class CostChart {
  private CostChart() {}

  static final String ID = "cost";
  static final String HEADING = "Cost of overfitting vs noise rate";
  private static final int HEIGHT = 760;

  /**
   * One {@code overfitting_cost} row as drawn.
   *
   * @param noiseRate the row's noise rate
   * @param riskInterp risk of the interpolating (weight_decay = 0) model
   * @param cost risk_interp / best risk over the weight decays, or null when null or not finite
   * @param costEarlyStop risk_interp / best risk over the logged steps, likewise
   */
  record Point(double noiseRate, double riskInterp, Double cost, Double costEarlyStop) {}

  /**
   * One line of the chart.
   *
   * @param name values of the other varying parameters, "" when there are none
   * @param points the rows, in table order
   */
  record Line(String name, List<Point> points) {}

  /**
   * The lines to draw.
   *
   * @param missing why there is no chart, or null (then the fields below hold)
   * @param lines at most {@link ChartStyle#MAX_SERIES}, in value order
   * @param regression whether no row has a Bayes risk (a regression task: risks are losses)
   * @param chance the 0-1 error of guessing: 1 - 1/modulus for modular tasks, else 0.5
   * @param noiseMin smallest noise rate drawn
   * @param noiseMax largest noise rate drawn
   * @param costMin smallest finite cost drawn, +infinity when none
   * @param costMax largest finite cost drawn, 0 when none
   * @param infinite costs left out because they are not finite
   * @param notes remarks for the page (lines and values left out)
   */
  record Costs(String missing, List<Line> lines, boolean regression, double chance,
      double noiseMin, double noiseMax, double costMin, double costMax, int infinite,
      List<String> notes) {
    static Costs missing(String why) {
      return new Costs(why, List.of(), false, 0.5, 0, 0, 0, 0, 0, List.of());
    }
  }

  /** Computes and draws: {@link #draw} of {@link #compute}. */
  static Figure figure(ReportData d, Path dir) throws IOException {
    return draw(d, compute(d), dir);
  }

  /** The cost rows with an interpolating model and a noise rate, by line. */
  static Costs compute(ReportData d) {
    if (d.cost.isEmpty()) {
      return Costs.missing("No cost of overfitting: the sweep has no " + Columns.OVERFITTING_COST
          + " rows for the selected runs (no run finished with status " + Values.OK + ").");
    }
    if (!d.costColumns.contains(Columns.NOISE_RATE)) {
      return Costs.missing("No cost-vs-noise-rate chart: the task has no " + Columns.NOISE_RATE
          + " parameter; the cost table below has the numbers.");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> c : d.cost) {
      if (c.get(Columns.RISK_INTERP) != null && c.get(Columns.NOISE_RATE) != null) {
        rows.add(c);
      }
    }
    if (rows.isEmpty()) {
      return Costs.missing("No cost of overfitting: no selected run has " + Columns.WEIGHT_DECAY
          + " = 0, so there is no interpolating model to compare with the best weight decay ("
          + Columns.RISK_INTERP + " is null in every group).");
    }
    List<String> seriesAxes = new ArrayList<>();
    for (String a : d.axes) {
      if (d.costColumns.contains(a) && !a.equals(Columns.NOISE_RATE)
          && !a.equals(Columns.WEIGHT_DECAY)) {
        seriesAxes.add(a);
      }
    }
    Map<List<Object>, List<Map<String, Object>>> series = new TreeMap<>(Fmt.KEY_ORDER);
    for (Map<String, Object> c : rows) {
      List<Object> k = new ArrayList<>();
      for (String a : seriesAxes) {
        k.add(c.get(a));
      }
      series.computeIfAbsent(k, kk -> new ArrayList<>()).add(c);
    }
    List<String> notes = new ArrayList<>();
    List<List<Object>> keys = new ArrayList<>(series.keySet());
    keys = ChartStyle.firstSeries(keys, seriesAxes, notes);
    double etaMin = Double.POSITIVE_INFINITY;
    double etaMax = Double.NEGATIVE_INFINITY;
    double costMin = Double.POSITIVE_INFINITY;
    double costMax = 0;
    int infinite = 0;
    boolean regression = true;
    List<Line> lines = new ArrayList<>();
    for (List<Object> k : keys) {
      List<Point> points = new ArrayList<>();
      for (Map<String, Object> c : series.get(k)) {
        double eta = ((Number) c.get(Columns.NOISE_RATE)).doubleValue();
        etaMin = Math.min(etaMin, eta);
        etaMax = Math.max(etaMax, eta);
        regression &= c.get(Columns.BAYES_RISK) == null;
        Double[] costs = new Double[2];
        Object[] stored = {c.get(Columns.COST), c.get(Columns.COST_EARLY_STOP)};
        for (int i = 0; i < 2; i++) {
          if (stored[i] == null) {
            continue;
          }
          double v = ((Number) stored[i]).doubleValue();
          if (!Double.isFinite(v)) {
            infinite++;
            continue;
          }
          costs[i] = v;
          costMin = Math.min(costMin, v);
          costMax = Math.max(costMax, v);
        }
        points.add(new Point(eta, ((Number) c.get(Columns.RISK_INTERP)).doubleValue(), costs[0],
            costs[1]));
      }
      lines.add(new Line(seriesAxes.isEmpty() ? "" : Fmt.assignments(seriesAxes, k), points));
    }
    if (infinite > 0) {
      notes.add(infinite + " infinite cost value(s) (the best risk is 0 while the interpolating "
          + "model's is not) are not drawn; see the table.");
    }
    return new Costs(null, lines, regression, chance(d), etaMin, etaMax, costMin, costMax,
        infinite, notes);
  }

  private static double chance(ReportData d) {
    Object q = d.fixed.get(Columns.MODULUS);
    if (q instanceof Number && ((Number) q).doubleValue() > 1) {
      return 1 - 1 / ((Number) q).doubleValue();
    }
    return 0.5;
  }

  /** Draws {@code c} as {@code cost_vs_noise_rate.png} in {@code dir}. */
  static Figure draw(ReportData d, Costs c, Path dir) throws IOException {
    if (c.missing() != null) {
      return Figure.missing(ID, HEADING, c.missing());
    }
    XYSeriesCollection costs = new XYSeriesCollection();
    XYSeriesCollection risks = new XYSeriesCollection();
    for (Line line : c.lines()) {
      String name = line.name();
      XYSeries cw = new XYSeries((name.isEmpty() ? "" : name + ": ") + "tuned weight decay");
      XYSeries ce = new XYSeries((name.isEmpty() ? "" : name + ": ") + "early stopping");
      XYSeries ri = new XYSeries(name.isEmpty() ? "risk at interpolation" : name);
      for (Point p : line.points()) {
        ri.add(p.noiseRate(), p.riskInterp());
        if (p.cost() != null) {
          cw.add(p.noiseRate(), p.cost());
        }
        if (p.costEarlyStop() != null) {
          ce.add(p.noiseRate(), p.costEarlyStop());
        }
      }
      costs.addSeries(cw);
      costs.addSeries(ce);
      risks.addSeries(ri);
    }
    int n = c.lines().size();
    double etaMin = c.noiseMin();
    double etaMax = c.noiseMax();
    double pad = etaMax > etaMin ? 0.05 * (etaMax - etaMin) : 0.05;
    NumberAxis xAxis = new NumberAxis(ChartStyle.axisLabel(Columns.NOISE_RATE));
    xAxis.setRange(Math.max(0, etaMin - pad) - (etaMin - pad < 0 ? 0.005 : 0), etaMax + pad);
    ChartStyle.style(xAxis, false);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(xAxis);
    combined.setGap(14);

    // top: cost
    ValueAxis costAxis;
    String costLabel = Columns.COST + " = " + Columns.RISK_INTERP + " / best risk (ratio)";
    double costMin = c.costMin();
    double costMax = c.costMax();
    if (costMax > 0 && costMax / costMin >= 10) {
      LogAxis la = ChartStyle.logAxis(costLabel + ", log scale");
      ChartStyle.logTicks(la, new Range(Math.max(costMin / 1.3, 0.8), costMax * 1.3));
      costAxis = la;
    } else {
      NumberAxis na = new NumberAxis(costLabel);
      na.setAutoRangeIncludesZero(false);
      if (costMax > 0) {
        na.setRange(Math.min(1.0, costMin) - 0.05 * Math.max(costMax - 1, 0.2),
            Math.max(costMax, 1.0) + 0.1 * Math.max(costMax - 1, 0.2));
      }
      costAxis = na;
    }
    ChartStyle.style(costAxis, false);
    XYLineAndShapeRenderer cr = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < n; s++) {
      Color color = SERIES[s % SERIES.length];
      cr.setSeriesPaint(2 * s, color);
      cr.setSeriesPaint(2 * s + 1, color);
      cr.setSeriesStroke(2 * s, new BasicStroke(2f));
      cr.setSeriesStroke(2 * s + 1, ChartStyle.dashed(2f));
      // a filled square inside a hollow circle: both stay visible where the costs coincide
      cr.setSeriesShape(2 * s, new Rectangle2D.Double(-3.5, -3.5, 7, 7));
      cr.setSeriesShape(2 * s + 1, new Ellipse2D.Double(-6, -6, 12, 12));
      cr.setSeriesShapesFilled(2 * s + 1, false);
    }
    XYPlot top = new XYPlot(costs, null, costAxis, cr);
    ChartStyle.plotStyle(top);
    top.addRangeMarker(new ValueMarker(1.0, Color.GRAY, new BasicStroke(0.8f)));
    combined.add(top, 1);

    // bottom: risk at interpolation with the reference lines
    double chance = c.chance();
    double x0 = xAxis.getLowerBound();
    double x1 = xAxis.getUpperBound();
    double b = d.cuts.benign();
    double cc = d.cuts.catastrophic();
    NumberAxis riskAxis = new NumberAxis(c.regression() ? "test loss at interpolation"
        : "0-1 error, noisy test labels");
    if (!c.regression()) {
      riskAxis.setRange(0, chance * 1.08);
    }
    ChartStyle.style(riskAxis, false);
    XYLineAndShapeRenderer rr = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < n; s++) {
      rr.setSeriesPaint(s, SERIES[s % SERIES.length]);
      rr.setSeriesStroke(s, new BasicStroke(2f));
      rr.setSeriesShape(s, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
      rr.setSeriesVisibleInLegend(s, false);
    }
    XYPlot bottom = new XYPlot(risks, null, riskAxis, rr);
    ChartStyle.plotStyle(bottom);
    if (!c.regression()) {
      XYSeriesCollection refs = new XYSeriesCollection();
      refs.addSeries(line("Bayes risk (= noise rate)", x0, x0, x1, x1));
      refs.addSeries(line(Values.BENIGN + " / " + Values.TEMPERED + " cut (excess "
          + Fmt.num(b) + ")", x0, x0 + b * (chance - x0), x1, x1 + b * (chance - x1)));
      refs.addSeries(line(Values.TEMPERED + " / " + Values.CATASTROPHIC + " cut (excess "
          + Fmt.num(cc) + ")", x0, x0 + cc * (chance - x0), x1, x1 + cc * (chance - x1)));
      refs.addSeries(line("chance (" + Fmt.num(chance) + ")", x0, chance, x1, chance));
      XYLineAndShapeRenderer refr = new XYLineAndShapeRenderer(true, false);
      Color[] refColors = {Color.BLACK, new Color(0x4daf4a), new Color(0xe41a1c), Color.GRAY};
      for (int s = 0; s < 4; s++) {
        refr.setSeriesPaint(s, refColors[s]);
        refr.setSeriesStroke(s, s == 0 || s == 3 ? ChartStyle.dashed(1.2f)
            : ChartStyle.dotted(1.6f));
      }
      bottom.setDataset(1, refs);
      bottom.setRenderer(1, refr);
      // region names at the left edge, where the regions are widest
      XYTextAnnotation benign = new XYTextAnnotation(" " + Values.BENIGN, x0,
          x0 + 0.5 * b * (chance - x0));
      XYTextAnnotation tempered = new XYTextAnnotation(" " + Values.TEMPERED, x0,
          x0 + 0.5 * (b + cc) * (chance - x0));
      XYTextAnnotation catastrophic = new XYTextAnnotation(" " + Values.CATASTROPHIC, x0,
          x0 + (0.5 + 0.5 * cc) * (chance - x0));
      for (XYTextAnnotation a : List.of(benign, tempered, catastrophic)) {
        a.setFont(TICK_FONT);
        a.setPaint(Color.DARK_GRAY);
        a.setTextAnchor(TextAnchor.CENTER_LEFT);
        bottom.addAnnotation(a);
      }
    }
    combined.add(bottom, 1);
    combined.setOrientation(PlotOrientation.VERTICAL);
    JFreeChart chart = new JFreeChart(d.title + ": cost of overfitting vs noise rate",
        TITLE_FONT, combined, true);
    chart.addSubtitle(ChartStyle.subtitle(ChartStyle.withFixed("top: solid = cost with the "
        + "best weight decay, dashed = with the best early-stopping step; bottom: risk of the "
        + "interpolating (" + Columns.WEIGHT_DECAY + " = 0) model", d)));
    ChartStyle.legendStyle(chart, false);
    ChartStyle.writePng(chart, dir, "cost_vs_noise_rate.png", CHART_W, HEIGHT);
    String caption = "Cost of overfitting (Zhou et al. 2023): the replicate-averaged risk of the "
        + "interpolating model (" + Columns.WEIGHT_DECAY + " = 0) divided by the best risk over "
        + "the grid's weight decays (solid) or over the logged steps of the interpolating run "
        + "(early stopping, dashed); 1 means interpolation costs nothing. "
        + (c.regression() ? "" : "The lower panel shows the interpolating model's 0-1 error on "
            + "noisy test labels against the Bayes risk (= noise rate) and the regime cuts of "
            + "Mallinar et al. (2022): excess risk (risk - Bayes) / (chance - Bayes) <= "
            + Fmt.num(b) + " is " + Values.BENIGN + ", >= " + Fmt.num(cc) + " "
            + Values.CATASTROPHIC + ".");
    return new Figure(ID, HEADING, List.of("cost_vs_noise_rate.png"), CHART_W, HEIGHT, caption,
        null, c.notes());
  }

  private static XYSeries line(String name, double xa, double ya, double xb, double yb) {
    XYSeries s = new XYSeries(name);
    s.add(xa, ya);
    s.add(xb, yb);
    return s;
  }
}

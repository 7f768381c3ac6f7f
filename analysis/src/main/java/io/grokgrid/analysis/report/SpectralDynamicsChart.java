package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.CHART_W;
import static io.grokgrid.analysis.report.ChartStyle.PANEL_TITLE_FONT;
import static io.grokgrid.analysis.report.ChartStyle.SERIES;
import static io.grokgrid.analysis.report.ChartStyle.TITLE_FONT;

import io.grokgrid.analysis.report.LearningCurvesChart.Band;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.SpectralPoint;
import io.grokgrid.vocab.Columns;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.Range;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Spectral dynamics of the first-layer weights (Yunis et al. 2024; Frei et al., ICLR 2023): the
 * stable rank and the effective rank of W against the step (log scale), beside the clean test
 * accuracy on the same step axis, so that the rank falling while the accuracy rises can be read
 * off one panel. Each panel stacks the three plots over one shared step axis; one line (median
 * over replicates) with its 20-80% band per value of the colour axis (the second varying
 * parameter, or the only one), one panel per value combination of the other varying parameters.
 *
 * <p>Drawn only when {@code curves} records {@code stable_rank} or {@code effective_rank}
 * ({@link #applies}); {@link #compute} reduces {@link ReportData#spectral} and
 * {@link ReportData#curves} to {@link Dynamics}, {@link #draw} only draws them.
 */
final class SpectralDynamicsChart {
  private SpectralDynamicsChart() {}

  static final String ID = "spectral-dynamics";
  static final String HEADING = "Spectral dynamics";
  static final String FILE_PREFIX = "spectral_dynamics_";

  /** Panels of a sheet, in {@link #SHEET_COLUMNS} columns; at most {@link #MAX_PANELS} drawn. */
  static final int PANELS_PER_SHEET = 9;
  static final int SHEET_COLUMNS = 3;
  static final int MAX_PANELS = 27;
  /** A panel stacks three plots, so it is taller than a learning-curve panel. */
  static final int PANEL_W = 460;
  static final int PANEL_H = 640;
  /** The chart's height when there is one panel. */
  static final int SINGLE_H = 860;

  /**
   * One line of every plot of a panel: the runs at one value of the colour axis.
   *
   * @param name the colour axis' value as {@code axis=value}, or a plain description when there
   *     is no colour axis
   * @param stable stable rank bands at each step from 1 on where recorded
   * @param effective effective rank bands, likewise
   * @param test clean test accuracy (or test loss for tasks without accuracy) bands
   */
  record Series(String name, List<Band> stable, List<Band> effective, List<Band> test) {}

  /**
   * One panel.
   *
   * @param where the values of the panel axes as {@code axis=value, ...}, "" when there are none
   * @param series in colour-axis order, at most {@link ChartStyle#MAX_SERIES}
   */
  record Panel(String where, List<Series> series) {}

  /**
   * What to draw.
   *
   * @param missing why there is no chart, or null (then the other fields hold)
   * @param colourAxis the axis told apart by colour, or null (a single grid point)
   * @param panelAxes the axes whose value combinations are the panels (may be empty)
   * @param stable whether any panel has a stable rank band (else that plot is left out)
   * @param effective whether any panel has an effective rank band
   * @param accuracy whether the third plot is test accuracy (else test loss)
   * @param lastStep the last logged step drawn, at least 1
   * @param panels at most {@link #MAX_PANELS}
   * @param notes remarks for the page
   */
  record Dynamics(String missing, String colourAxis, List<String> panelAxes, boolean stable,
      boolean effective, boolean accuracy, int lastStep, List<Panel> panels, List<String> notes) {
    static Dynamics missing(String why) {
      return new Dynamics(why, null, List.of(), false, false, false, 1, List.of(), List.of());
    }

    boolean sheets() {
      return panels.size() > 1;
    }
  }

  /**
   * Whether the page has this section: only when some replicate recorded a stable or effective
   * rank (the metrics are optional; a sweep without them gains no explained gap).
   */
  static boolean applies(ReportData d) {
    return !d.spectral.isEmpty();
  }

  static Figure figure(ReportData d, Path dir) throws IOException {
    return draw(d, compute(d), dir);
  }

  static Dynamics compute(ReportData d) {
    List<List<Object>> points = new ArrayList<>();
    for (Map.Entry<List<Object>, List<SpectralPoint>> e : d.spectral.entrySet()) {
      if (e.getValue().stream().anyMatch(p -> p.step() >= 1
          && (p.stableRank() != null || p.effectiveRank() != null))) {
        points.add(e.getKey());
      }
    }
    if (points.isEmpty()) {
      return Dynamics.missing("No spectral dynamics to draw: " + Columns.STABLE_RANK + " and "
          + Columns.EFFECTIVE_RANK + " are recorded at no logged step after step 0 (every run "
          + "diverged or failed at its first step).");
    }
    List<String> notes = new ArrayList<>();
    String colour = d.axes.size() >= 2 ? d.axes.get(1) : d.axes.isEmpty() ? null
        : d.axes.get(0);
    int colourAt = colour == null ? -1 : d.axes.indexOf(colour);
    List<String> panelAxes = new ArrayList<>(d.axes);
    if (colour != null) {
      panelAxes.remove(colour);
    }
    TreeSet<Object> colourValues = new TreeSet<>(Fmt.VALUE_ORDER);
    Map<List<Object>, List<List<Object>>> byPanel = new TreeMap<>(Fmt.KEY_ORDER);
    for (List<Object> p : points) {
      List<Object> panelKey = new ArrayList<>(p);
      if (colourAt >= 0) {
        colourValues.add(p.get(colourAt));
        panelKey.remove(colourAt);
      }
      byPanel.computeIfAbsent(panelKey, k -> new ArrayList<>()).add(p);
    }
    List<Object> shownColours = new ArrayList<>(colourValues);
    if (colour != null) {
      shownColours = ChartStyle.firstSeries(shownColours, List.of(colour), notes);
    }
    List<List<Object>> panelKeys = new ArrayList<>(byPanel.keySet());
    if (panelKeys.size() > MAX_PANELS) {
      notes.add(String.format(Locale.ROOT, "%d of %d panels (values of %s) drawn, the first in "
          + "axis order; narrow the selection with --filter to see the others.", MAX_PANELS,
          panelKeys.size(), String.join(", ", panelAxes)));
      panelKeys = panelKeys.subList(0, MAX_PANELS);
    }
    boolean accuracy = false;
    for (List<Object> p : points) {
      for (CurvePoint c : d.curves.getOrDefault(p, List.of())) {
        accuracy |= c.testAcc() != null;
      }
    }
    boolean anyStable = false;
    boolean anyEffective = false;
    int lastStep = 1;
    List<Panel> panels = new ArrayList<>();
    for (List<Object> key : panelKeys) {
      List<Series> series = new ArrayList<>();
      for (List<Object> p : byPanel.get(key)) {
        if (colourAt >= 0 && !shownColours.contains(p.get(colourAt))) {
          continue;
        }
        List<Band> stable = new ArrayList<>();
        List<Band> effective = new ArrayList<>();
        for (SpectralPoint s : d.spectral.get(p)) {
          if (s.step() < 1) {
            continue;
          }
          lastStep = Math.max(lastStep, s.step());
          if (s.stableRank() != null) {
            stable.add(band(s.step(), s.stableRank()));
          }
          if (s.effectiveRank() != null) {
            effective.add(band(s.step(), s.effectiveRank()));
          }
        }
        List<Band> test = new ArrayList<>();
        for (CurvePoint c : d.curves.getOrDefault(p, List.of())) {
          double[] q = accuracy ? c.testAcc() : c.testLoss();
          if (c.step() >= 1 && q != null && (accuracy || q[0] > 0)) {
            test.add(band(c.step(), q));
            lastStep = Math.max(lastStep, c.step());
          }
        }
        anyStable |= !stable.isEmpty();
        anyEffective |= !effective.isEmpty();
        String name = colour == null ? "median over replicates"
            : Fmt.assignments(List.of(colour), List.of(p.get(colourAt)));
        series.add(new Series(name, stable, effective, test));
      }
      panels.add(new Panel(Fmt.assignments(panelAxes, key), series));
    }
    if (!accuracy) {
      notes.add("Accuracy is null for this task, so the third plot shows the test loss (log "
          + "scale) instead.");
    }
    return new Dynamics(null, colour, panelAxes, anyStable, anyEffective, accuracy, lastStep,
        panels, notes);
  }

  private static Band band(int step, double[] q) {
    return new Band(step, q[0], q[1], q[2]);
  }

  /** Draws {@code c} into {@code dir}: {@code spectral_dynamics_NN.png}, one per sheet. */
  static Figure draw(ReportData d, Dynamics c, Path dir) throws IOException {
    if (c.missing() != null) {
      return Figure.missing(ID, HEADING, c.missing());
    }
    String ranks = c.stable() && c.effective() ? "stable and effective rank"
        : c.stable() ? "stable rank" : "effective rank";
    String test = c.accuracy() ? "test accuracy" : "test loss";
    String sub = ChartStyle.withFixed("median over replicates, band 20-80%"
        + (c.colourAxis() == null ? "" : "; colour: " + c.colourAxis()), d);
    List<String> files = new ArrayList<>();
    int w;
    int h;
    if (!c.sheets()) {
      Panel p = c.panels().get(0);
      JFreeChart chart = panelChart(d, c, p, d.title + ": " + ranks + " of W and " + test
          + " vs step" + (p.where().isEmpty() ? "" : ", " + p.where()), false);
      chart.addSubtitle(ChartStyle.subtitle(sub));
      String file = FILE_PREFIX + "01.png";
      w = CHART_W;
      h = SINGLE_H;
      ChartStyle.writePng(chart, dir, file, w, h);
      files.add(file);
    } else {
      int shown = c.panels().size();
      int sheets = (shown + PANELS_PER_SHEET - 1) / PANELS_PER_SHEET;
      w = SHEET_COLUMNS * PANEL_W;
      h = 0;
      for (int s = 0; s < sheets; s++) {
        List<JFreeChart> charts = new ArrayList<>();
        for (int i = s * PANELS_PER_SHEET; i < Math.min(shown, (s + 1) * PANELS_PER_SHEET); i++) {
          Panel p = c.panels().get(i);
          charts.add(panelChart(d, c, p, p.where(), true));
        }
        String file = String.format(Locale.ROOT, FILE_PREFIX + "%02d.png", s + 1);
        BufferedImage image = ChartStyle.sheet(d.title + ": " + ranks + " of W and " + test
            + " vs step, one panel per " + String.join(", ", c.panelAxes())
            + (sheets > 1 ? " (sheet " + (s + 1) + " of " + sheets + ")" : ""), sub, charts,
            SHEET_COLUMNS, PANEL_W, PANEL_H, w);
        ChartStyle.writePng(image, dir, file);
        h = Math.max(h, image.getHeight());
        files.add(file);
      }
    }
    String caption = "The first-layer weights' spectrum during training (Yunis et al. 2024; "
        + "Frei et al. 2023): " + Columns.STABLE_RANK + " = |W|_F^2 / |W|_2^2 and "
        + Columns.EFFECTIVE_RANK + " = exp(entropy of the normalized singular values) against "
        + "the GD step (log scale; step 0, the initialization, is not drawn), above the "
        + (c.accuracy() ? "clean test accuracy (the dashed line is the generalization threshold "
            + Fmt.num(d.genThreshold) + ")" : "test loss") + " on the same step axis. Lines are "
        + "medians over replicates, shaded bands the 20th-80th percentiles, one colour per value "
        + "of " + (c.colourAxis() == null ? "the single grid point" : c.colourAxis())
        + (c.panelAxes().isEmpty() ? "" : ", one panel per value of "
            + String.join(", ", c.panelAxes())) + ". A rank axis is logarithmic when its values "
        + "span more than a factor of 10; the accuracy axis starts at the tenth below its lowest "
        + "band (at most 0.9). Implicit bias toward low rank shows as the ranks "
        + "falling while the test accuracy rises.";
    return new Figure(ID, HEADING, files, w, h, caption, null, c.notes());
  }

  private static JFreeChart panelChart(ReportData d, Dynamics c, Panel p, String title,
      boolean panel) {
    LogAxis x = ChartStyle.logAxis("step (GD iterations, log scale)");
    ChartStyle.logTicks(x, new Range(1, Math.max(c.lastStep() * 1.15, 10)));
    ChartStyle.style(x, panel);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
    plot.setGap(panel ? 6 : 10);
    boolean legend = true;
    if (c.stable()) {
      plot.add(subplot(p, Series::stable, rankAxis("stable rank", p, Series::stable, panel),
          legend, panel), 1);
      legend = false;
    }
    if (c.effective()) {
      plot.add(subplot(p, Series::effective, rankAxis("effective rank", p, Series::effective,
          panel), legend, panel), 1);
      legend = false;
    }
    ValueAxis y;
    if (c.accuracy()) {
      // from a tenth below the lowest band (at most 0.9) to 1: accuracies near 1 stay legible
      double lo = 1;
      for (Series s : p.series()) {
        for (Band b : s.test()) {
          lo = Math.min(lo, b.low());
        }
      }
      double from = Math.max(0, Math.min(0.9, Math.floor(lo * 10) / 10));
      NumberAxis ny = new NumberAxis("test accuracy (clean)");
      ny.setRange(from, 1 + (1 - from) * 0.04);
      ny.setTickUnit(new NumberTickUnit(1 - from > 0.5 ? 0.25 : 1 - from > 0.2 ? 0.1 : 0.05));
      y = ny;
    } else {
      y = rankAxis("test loss", p, Series::test, panel);
    }
    ChartStyle.style(y, panel);
    XYPlot testPlot = subplot(p, Series::test, y, legend, panel);
    if (c.accuracy()) {
      testPlot.addRangeMarker(new ValueMarker(d.genThreshold, Color.DARK_GRAY,
          ChartStyle.dashed(1f)));
    }
    plot.add(testPlot, 1);
    JFreeChart chart = new JFreeChart(title, panel ? PANEL_TITLE_FONT : TITLE_FONT, plot, true);
    ChartStyle.legendStyle(chart, panel);
    return chart;
  }

  private interface Pick {
    List<Band> of(Series s);
  }

  /** One metric's plot: a median line and band per series; in the legend only if asked. */
  private static XYPlot subplot(Panel p, Pick pick, ValueAxis y, boolean legend, boolean panel) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    DeviationRenderer r = new DeviationRenderer(true, false);
    for (int i = 0; i < p.series().size(); i++) {
      Series s = p.series().get(i);
      YIntervalSeries ys = new YIntervalSeries(s.name());
      for (Band b : pick.of(s)) {
        ys.add(b.step(), b.median(), b.low(), b.high());
      }
      data.addSeries(ys);
      Color colour = SERIES[i % SERIES.length];
      r.setSeriesPaint(i, colour);
      r.setSeriesFillPaint(i, colour);
      r.setSeriesStroke(i, new BasicStroke(panel ? 1.6f : 2f));
      r.setSeriesVisibleInLegend(i, legend);
    }
    r.setAlpha(0.2f);
    XYPlot plot = new XYPlot(data, null, y, r);
    ChartStyle.plotStyle(plot);
    return plot;
  }

  /**
   * A rank (or loss) axis over the bands' values: logarithmic when they are positive and span
   * more than a factor of 10, else linear over their range with a margin.
   */
  private static ValueAxis rankAxis(String label, Panel p, Pick pick, boolean panel) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : p.series()) {
      for (Band b : pick.of(s)) {
        lo = Math.min(lo, b.low());
        hi = Math.max(hi, b.high());
      }
    }
    ValueAxis a;
    if (lo > 0 && hi / lo > 10) {
      a = ChartStyle.logAxisFor(label + " (log scale)", new Range(lo / 1.15, hi * 1.15));
    } else {
      NumberAxis na = new NumberAxis(label);
      na.setAutoRangeIncludesZero(false);
      if (lo <= hi) {
        double margin = Math.max((hi - lo) * 0.08, Math.max(Math.abs(hi) * 1e-3, 1e-9));
        na.setRange(lo - margin, hi + margin);
      }
      a = na;
    }
    ChartStyle.style(a, panel);
    return a;
  }
}

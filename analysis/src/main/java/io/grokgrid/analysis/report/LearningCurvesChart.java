package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.CHART_H;
import static io.grokgrid.analysis.report.ChartStyle.CHART_W;
import static io.grokgrid.analysis.report.ChartStyle.PANEL_H;
import static io.grokgrid.analysis.report.ChartStyle.PANEL_TITLE_FONT;
import static io.grokgrid.analysis.report.ChartStyle.PANEL_W;
import static io.grokgrid.analysis.report.ChartStyle.TICK_FONT;
import static io.grokgrid.analysis.report.ChartStyle.TITLE_FONT;

import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.RunRow;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
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
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Learning curves in the style of Xu et al. (2023) Figure 1: median train and clean test
 * accuracy over replicates against the step (log scale), with the 20-80% band; one chart per
 * grid point up to {@link #SINGLE_CHARTS_MAX}, else sheets of small multiples. Tasks without
 * accuracies (regression) show train and test loss instead.
 *
 * <p>{@link #compute} reduces the report data to {@link Curves}; {@link #draw} only draws them.
 */
final class LearningCurvesChart {
  private LearningCurvesChart() {}

  static final String ID = "learning-curves";
  static final String HEADING = "Learning curves";

  /** Grid points up to which each gets its own chart; above, sheets of small multiples. */
  static final int SINGLE_CHARTS_MAX = 12;
  static final int PANELS_PER_SHEET = 16;
  static final int SHEET_COLUMNS = 4;

  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color TEST = new Color(0xff7f0e);

  /**
   * The 20th, 50th and 80th percentiles over replicates of one metric at one logged step.
   *
   * @param step GD step, at least 1 (a log axis cannot show step 0)
   */
  record Band(int step, double low, double median, double high) {}

  /**
   * What one chart or panel draws: one grid point's bands.
   *
   * @param point the grid point (values of {@link ReportData#axes})
   * @param train train accuracy (or loss) at each step from 1 on where it is known (a loss
   *     band only where its 20th percentile is positive, as a log axis needs)
   * @param test test accuracy (or loss), likewise
   * @param low smallest positive percentile of either metric, +infinity when there is none
   * @param high largest positive percentile of either metric, 0 when there is none
   * @param runs runs at the grid point
   * @param notOk runs at the grid point by status other than ok, statuses in text order
   */
  record Panel(List<Object> point, List<Band> train, List<Band> test, double low, double high,
      int runs, Map<String, Integer> notOk) {}

  /**
   * The learning curves of a report.
   *
   * @param missing why no curve can be drawn, or null (then the other fields hold)
   * @param accuracy whether the curves are accuracies (else losses: a regression task)
   * @param lastStep the last logged step over every grid point with a curve (at least 1), so
   *     that every chart spans the same steps
   * @param points grid points with a curve after step 0
   * @param panels the charts drawn, in axis order: every such grid point up to
   *     {@link #SINGLE_CHARTS_MAX}, else at most the panel cap of them
   * @param notes remarks for the page: grid points left out and why, loss instead of accuracy
   */
  record Curves(String missing, boolean accuracy, int lastStep, int points, List<Panel> panels,
      List<String> notes) {
    static Curves missing(String why) {
      return new Curves(why, false, 0, 0, List.of(), List.of());
    }

    /** Whether the panels go on sheets of small multiples rather than one chart each. */
    boolean sheets() {
      return points > SINGLE_CHARTS_MAX;
    }
  }

  /** Computes and draws: {@link #draw} of {@link #compute}. */
  static Figure figure(ReportData d, Path dir, int cap) throws IOException {
    return draw(d, compute(d, cap), dir);
  }

  /**
   * The curves to draw.
   *
   * @param cap most panels when the grid is too large for one chart per point, at least 1
   */
  static Curves compute(ReportData d, int cap) {
    List<List<Object>> points = new ArrayList<>();
    List<List<Object>> without = new ArrayList<>();
    for (List<Object> p : d.gridPoints()) {
      if (d.curves.containsKey(p) && hasPositiveStep(d.curves.get(p))) {
        points.add(p);
      } else {
        without.add(p);
      }
    }
    if (points.isEmpty()) {
      return Curves.missing("No learning curves to draw: the selected runs have no curve rows "
          + "after step 0 (every run diverged or failed at its first step).");
    }
    List<String> notes = new ArrayList<>();
    if (!without.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (List<Object> p : without) {
        names.add(Fmt.assignments(d.axes, p));
      }
      notes.add(without.size() + " of " + (points.size() + without.size()) + " grid points have "
          + "no curve after step 0 (every run diverged or failed at its first step) and are not "
          + "drawn: " + String.join("; ", names) + ".");
    }
    boolean accuracy = false;
    boolean loss = false;
    int lastStep = 1;
    for (List<Object> p : points) {
      for (CurvePoint c : d.curves.get(p)) {
        accuracy |= c.trainAcc() != null || c.testAcc() != null;
        loss |= c.trainLoss() != null || c.testLoss() != null;
        lastStep = Math.max(lastStep, c.step());
      }
    }
    if (!accuracy && !loss) {
      return Curves.missing("No learning curves to draw: train and test accuracy and loss are "
          + "null (or not finite) at every logged step of the selected runs.");
    }
    if (!accuracy) {
      notes.add("Accuracy is null for this task (a regression task), so the curves show train "
          + "and test loss (log scale) instead.");
    }
    int shown = points.size();
    if (points.size() > SINGLE_CHARTS_MAX) {
      shown = Math.min(points.size(), cap);
      if (shown < points.size()) {
        notes.add(String.format(Locale.ROOT, "%d of %d grid points shown (the first in axis "
            + "order); narrow the selection with --filter to see the others.", shown,
            points.size()));
      }
    }
    List<Panel> panels = new ArrayList<>();
    for (List<Object> p : points.subList(0, shown)) {
      panels.add(panel(d, p, accuracy));
    }
    return new Curves(null, accuracy, lastStep, points.size(), panels, notes);
  }

  private static boolean hasPositiveStep(List<CurvePoint> curve) {
    for (CurvePoint c : curve) {
      if (c.step() >= 1) {
        return true;
      }
    }
    return false;
  }

  private static Panel panel(ReportData d, List<Object> p, boolean accuracy) {
    List<Band> train = new ArrayList<>();
    List<Band> test = new ArrayList<>();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (CurvePoint c : d.curves.get(p)) {
      if (c.step() < 1) {
        continue;
      }
      double[] tr = accuracy ? c.trainAcc() : c.trainLoss();
      double[] te = accuracy ? c.testAcc() : c.testLoss();
      for (double[] q : new double[][] {tr, te}) {
        if (q != null) {
          for (double v : q) {
            if (v > 0) {
              lo = Math.min(lo, v);
              hi = Math.max(hi, v);
            }
          }
        }
      }
      if (tr != null && (accuracy || tr[0] > 0)) {
        train.add(new Band(c.step(), tr[0], tr[1], tr[2]));
      }
      if (te != null && (accuracy || te[0] > 0)) {
        test.add(new Band(c.step(), te[0], te[1], te[2]));
      }
    }
    int runs = 0;
    Map<String, Integer> byStatus = new TreeMap<>();
    for (RunRow r : d.runs) {
      if (r.key().equals(p)) {
        runs++;
        byStatus.merge(r.status(), 1, Integer::sum);
      }
    }
    byStatus.remove(Values.OK);
    return new Panel(p, train, test, lo, hi, runs, byStatus);
  }

  /** Draws {@code c} into {@code dir}: {@code learning_curves_NN.png}, one per chart or sheet. */
  static Figure draw(ReportData d, Curves c, Path dir) throws IOException {
    if (c.missing() != null) {
      return Figure.missing(ID, HEADING, c.missing());
    }
    String what = c.accuracy() ? "accuracy" : "loss";
    String sub = ChartStyle.withFixed("median over replicates, band 20-80%", d);
    List<String> files = new ArrayList<>();
    int w;
    int h;
    if (!c.sheets()) {
      w = CHART_W;
      h = CHART_H;
      for (int i = 0; i < c.panels().size(); i++) {
        Panel p = c.panels().get(i);
        String where = d.axes.isEmpty() ? "single grid point"
            : Fmt.assignments(d.axes, p.point());
        JFreeChart chart = curveChart(d, p, c.accuracy(),
            d.title + ": " + what + " vs step, " + where, false, c.lastStep());
        chart.addSubtitle(ChartStyle.subtitle(sub + runsText(p)));
        String file = String.format(Locale.ROOT, "learning_curves_%02d.png", i + 1);
        ChartStyle.writePng(chart, dir, file, w, h);
        files.add(file);
      }
    } else {
      int shown = c.panels().size();
      w = SHEET_COLUMNS * PANEL_W;
      int sheets = (shown + PANELS_PER_SHEET - 1) / PANELS_PER_SHEET;
      h = 0;
      for (int s = 0; s < sheets; s++) {
        List<JFreeChart> panels = new ArrayList<>();
        for (int i = s * PANELS_PER_SHEET; i < Math.min(shown, (s + 1) * PANELS_PER_SHEET); i++) {
          Panel p = c.panels().get(i);
          panels.add(curveChart(d, p, c.accuracy(), Fmt.assignments(d.axes, p.point()), true,
              c.lastStep()));
        }
        String file = String.format(Locale.ROOT, "learning_curves_%02d.png", s + 1);
        BufferedImage image = ChartStyle.sheet(d.title + ": " + what + " vs step, one panel per "
            + "grid point" + (sheets > 1 ? " (sheet " + (s + 1) + " of " + sheets + ")" : ""),
            sub, panels, SHEET_COLUMNS, PANEL_W, PANEL_H, w);
        ChartStyle.writePng(image, dir, file);
        h = Math.max(h, image.getHeight());
        files.add(file);
      }
    }
    String caption = c.accuracy()
        ? "Train accuracy (on the observed, noisy training labels) and test accuracy on clean "
            + "labels against the GD step, log scale (step 0 is not drawn). Lines are medians "
            + "over replicates, shaded bands the 20th-80th percentiles. The dashed line is the "
            + "generalization threshold (" + Fmt.num(d.genThreshold) + ") used for "
            + Columns.T_GEN + "."
        : "Train and test loss against the GD step, both log scale (step 0 is not drawn); "
            + "medians over replicates with 20th-80th percentile bands.";
    return new Figure(ID, HEADING, files, w, h, caption, null, c.notes());
  }

  private static String runsText(Panel p) {
    int n = p.runs();
    StringBuilder b = new StringBuilder("; " + n + (n == 1 ? " run" : " runs"));
    p.notOk().forEach((status, k) -> b.append(", ").append(k).append(' ').append(status));
    return b.toString();
  }

  private static JFreeChart curveChart(ReportData d, Panel p, boolean accuracy, String title,
      boolean panel, int lastStep) {
    YIntervalSeries train = new YIntervalSeries(accuracy ? "train accuracy (noisy labels)"
        : "train loss");
    YIntervalSeries test = new YIntervalSeries(accuracy ? "test accuracy (clean labels)"
        : "test loss");
    for (Band b : p.train()) {
      train.add(b.step(), b.median(), b.low(), b.high());
    }
    for (Band b : p.test()) {
      test.add(b.step(), b.median(), b.low(), b.high());
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(train);
    data.addSeries(test);
    DeviationRenderer r = new DeviationRenderer(true, false);
    r.setSeriesPaint(0, TRAIN);
    r.setSeriesFillPaint(0, TRAIN);
    r.setSeriesPaint(1, TEST);
    r.setSeriesFillPaint(1, TEST);
    r.setSeriesStroke(0, new BasicStroke(2f));
    r.setSeriesStroke(1, new BasicStroke(2f));
    r.setAlpha(0.22f);
    LogAxis x = ChartStyle.logAxis("step (GD iterations, log scale)");
    ChartStyle.logTicks(x, new Range(1, Math.max(lastStep * 1.15, 10)));
    ValueAxis y;
    if (accuracy) {
      NumberAxis ny = new NumberAxis("accuracy (fraction correct)");
      ny.setRange(0, 1.04);
      ny.setTickUnit(new NumberTickUnit(panel ? 0.25 : 0.1));
      y = ny;
    } else {
      LogAxis ly = ChartStyle.logAxis("loss (log scale)");
      if (p.high() > 0) {
        ChartStyle.logTicks(ly, new Range(p.low() / 1.5, p.high() * 1.5));
      }
      y = ly;
    }
    ChartStyle.style(x, panel);
    ChartStyle.style(y, panel);
    XYPlot plot = new XYPlot(data, x, y, r);
    ChartStyle.plotStyle(plot);
    if (accuracy) {
      ValueMarker gen = new ValueMarker(d.genThreshold, Color.DARK_GRAY,
          new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
              new float[] {5f, 4f}, 0f));
      if (!panel) {
        gen.setLabel("gen threshold " + Fmt.num(d.genThreshold));
        gen.setLabelFont(TICK_FONT);
        gen.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        gen.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        gen.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      }
      plot.addRangeMarker(gen);
      ValueMarker chance = new ValueMarker(0.5, new Color(0xbbbbbb), new BasicStroke(0.8f));
      plot.addRangeMarker(chance);
    }
    JFreeChart chart = new JFreeChart(title, panel ? PANEL_TITLE_FONT : TITLE_FONT, plot, true);
    ChartStyle.legendStyle(chart, panel);
    return chart;
  }
}

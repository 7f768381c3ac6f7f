package io.grokgrid.analysis.report;

import io.grokgrid.vocab.Values;
import io.grokgrid.vocab.Columns;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's charts, drawn with JFreeChart into PNG files. Each method returns a
 * {@link Figure}: the files it wrote, or, when the data cannot make that chart (a single grid
 * point, no interpolating run, no run that generalized, ...), no file and a one-sentence reason
 * that the page shows in the chart's place.
 */
final class Charts {
  private Charts() {}

  /** The phases in legend order (after Liu et al. 2022), and their colours. */
  static final List<String> PHASES = Values.PHASES;
  /**
   * Cell categories of the phase diagram: the phases, then runs that did not finish ok (their
   * phase would only describe the prefix before they diverged or failed), then no phase.
   */
  private static final List<String> CELL_CATEGORIES = List.of(Values.COMPREHENSION,
      Values.GROKKING, Values.MEMORIZATION, Values.CONFUSION, Values.DIVERGED + "/" + Values.FAILED,
      "no phase");
  private static final int NOT_OK = 4;
  private static final List<String> SHORT_NAMES = List.of("comp.", "grok.", "mem.", "conf.",
      "div./failed");
  private static final Color[] PHASE_COLORS = {new Color(0x4daf4a), new Color(0x984ea3),
      new Color(0xe41a1c), new Color(0x999999), new Color(0x333333), new Color(0xdddddd)};
  private static final Color TRAIN = new Color(0x1f77b4);
  private static final Color TEST = new Color(0xff7f0e);
  /** Colour-blind-safe qualitative palette (Okabe and Ito) for series. */
  private static final Color[] SERIES = {new Color(0x0072b2), new Color(0xe69f00),
      new Color(0x009e73), new Color(0xcc79a7), new Color(0x56b4e9), new Color(0xd55e00),
      new Color(0xf0e442), new Color(0x000000)};
  /** Most series one chart draws; more would be an unreadable legend. */
  static final int MAX_SERIES = SERIES.length;

  /** Grid points up to which each gets its own learning-curve chart; above, small multiples. */
  static final int SINGLE_CHARTS_MAX = 12;
  static final int PANELS_PER_SHEET = 16;
  static final int SHEET_COLUMNS = 4;
  /** Most slices (values of the axes not on the phase diagram) drawn as panels. */
  static final int MAX_SLICES = 12;

  static final int CHART_W = 900;
  static final int CHART_H = 560;
  static final int PANEL_W = 460;
  static final int PANEL_H = 340;

  private static final Font TITLE_FONT = new Font("SansSerif", Font.BOLD, 16);
  private static final Font SUBTITLE_FONT = new Font("SansSerif", Font.PLAIN, 12);
  private static final Font PANEL_TITLE_FONT = new Font("SansSerif", Font.BOLD, 13);
  private static final Font LABEL_FONT = new Font("SansSerif", Font.PLAIN, 13);
  private static final Font TICK_FONT = new Font("SansSerif", Font.PLAIN, 11);
  private static final Font CELL_FONT = new Font("SansSerif", Font.BOLD, 12);

  /**
   * One chart of the page.
   *
   * @param id anchor name in the page
   * @param heading the section heading
   * @param files PNG file names (relative to the report directory), empty when not drawn
   * @param width pixel width of each file
   * @param height pixel height of each file
   * @param caption what the chart shows (HTML-escaped by the page)
   * @param missing why the chart is not drawn, or null
   * @param notes further remarks (points left out and why)
   */
  record Figure(String id, String heading, List<String> files, int width, int height,
      String caption, String missing, List<String> notes) {
    static Figure missing(String id, String heading, String why) {
      return new Figure(id, heading, List.of(), 0, 0, "", why, List.of());
    }
  }

  // ---------------------------------------------------------------- learning curves

  /**
   * Learning curves in the style of Xu et al. (2023) Figure 1: median train and clean test
   * accuracy over replicates against the step (log scale), with the 20-80% band; one chart per
   * grid point up to {@link #SINGLE_CHARTS_MAX}, else sheets of small multiples, at most
   * {@code cap} panels. Tasks without accuracies (regression) show train and test loss instead.
   */
  static Figure learningCurves(ReportData d, Path dir, int cap) throws IOException {
    String id = "learning-curves";
    String heading = "Learning curves";
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
      return Figure.missing(id, heading, "No learning curves to draw: the selected runs have no "
          + "curve rows after step 0 (every run diverged or failed at its first step).");
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
    for (List<Object> p : points) {
      for (CurvePoint c : d.curves.get(p)) {
        accuracy |= c.trainAcc() != null || c.testAcc() != null;
        loss |= c.trainLoss() != null || c.testLoss() != null;
      }
    }
    if (!accuracy && !loss) {
      return Figure.missing(id, heading, "No learning curves to draw: train and test accuracy "
          + "and loss are null (or not finite) at every logged step of the selected runs.");
    }
    if (!accuracy) {
      notes.add("Accuracy is null for this task (a regression task), so the curves show train "
          + "and test loss (log scale) instead.");
    }
    String what = accuracy ? "accuracy" : "loss";
    // one step range for every chart, so that charts compare at a glance
    int lastStep = 1;
    for (List<Object> p : points) {
      for (CurvePoint c : d.curves.get(p)) {
        lastStep = Math.max(lastStep, c.step());
      }
    }
    String sub = "median over replicates, band 20-80%"
        + (d.fixedText().isEmpty() ? "" : "; " + d.fixedText());
    List<String> files = new ArrayList<>();
    int w;
    int h;
    if (points.size() <= SINGLE_CHARTS_MAX) {
      w = CHART_W;
      h = CHART_H;
      for (int i = 0; i < points.size(); i++) {
        List<Object> p = points.get(i);
        String where = d.axes.isEmpty() ? "single grid point" : Fmt.assignments(d.axes, p);
        JFreeChart chart = curveChart(d, d.curves.get(p), accuracy,
            d.title + ": " + what + " vs step, " + where, false, lastStep);
        chart.addSubtitle(subtitle(sub + runsText(d, p)));
        String file = String.format(Locale.ROOT, "learning_curves_%02d.png", i + 1);
        ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, w, h);
        files.add(file);
      }
    } else {
      int shown = Math.min(points.size(), cap);
      if (shown < points.size()) {
        notes.add(String.format(Locale.ROOT, "%d of %d grid points shown (the first in axis "
            + "order); narrow the selection with --filter to see the others.", shown,
            points.size()));
      }
      w = SHEET_COLUMNS * PANEL_W;
      int sheets = (shown + PANELS_PER_SHEET - 1) / PANELS_PER_SHEET;
      h = 0;
      for (int s = 0; s < sheets; s++) {
        List<JFreeChart> panels = new ArrayList<>();
        for (int i = s * PANELS_PER_SHEET; i < Math.min(shown, (s + 1) * PANELS_PER_SHEET); i++) {
          panels.add(curveChart(d, d.curves.get(points.get(i)), accuracy,
              Fmt.assignments(d.axes, points.get(i)), true, lastStep));
        }
        String file = String.format(Locale.ROOT, "learning_curves_%02d.png", s + 1);
        BufferedImage image = sheet(d.title + ": " + what + " vs step, one panel per grid point"
            + (sheets > 1 ? " (sheet " + (s + 1) + " of " + sheets + ")" : ""), sub,
            panels, SHEET_COLUMNS, PANEL_W, PANEL_H, w);
        ImageIO.write(image, "png", dir.resolve(file).toFile());
        h = Math.max(h, image.getHeight());
        files.add(file);
      }
    }
    String caption = accuracy
        ? "Train accuracy (on the observed, noisy training labels) and test accuracy on clean "
            + "labels against the GD step, log scale (step 0 is not drawn). Lines are medians "
            + "over replicates, shaded bands the 20th-80th percentiles. The dashed line is the "
            + "generalization threshold (" + Fmt.num(d.genThreshold) + ") used for t_gen."
        : "Train and test loss against the GD step, both log scale (step 0 is not drawn); "
            + "medians over replicates with 20th-80th percentile bands.";
    return new Figure(id, heading, files, w, h, caption, null, notes);
  }

  private static boolean hasPositiveStep(List<CurvePoint> curve) {
    for (CurvePoint c : curve) {
      if (c.step() >= 1) {
        return true;
      }
    }
    return false;
  }

  private static String runsText(ReportData d, List<Object> p) {
    int n = 0;
    Map<String, Integer> byStatus = new TreeMap<>();
    for (RunRow r : d.runs) {
      if (r.key().equals(p)) {
        n++;
        byStatus.merge(r.status(), 1, Integer::sum);
      }
    }
    byStatus.remove(Values.OK);
    StringBuilder b = new StringBuilder("; " + n + (n == 1 ? " run" : " runs"));
    byStatus.forEach((status, k) -> b.append(", ").append(k).append(' ').append(status));
    return b.toString();
  }

  private static JFreeChart curveChart(ReportData d, List<CurvePoint> curve, boolean accuracy,
      String title, boolean panel, int lastStep) {
    YIntervalSeries train = new YIntervalSeries(accuracy ? "train accuracy (noisy labels)"
        : "train loss");
    YIntervalSeries test = new YIntervalSeries(accuracy ? "test accuracy (clean labels)"
        : "test loss");
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (CurvePoint c : curve) {
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
        train.add(c.step(), tr[1], tr[0], tr[2]);
      }
      if (te != null && (accuracy || te[0] > 0)) {
        test.add(c.step(), te[1], te[0], te[2]);
      }
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
    LogAxis x = logAxis("step (GD iterations, log scale)", panel);
    logTicks(x, new Range(1, Math.max(lastStep * 1.15, 10)));
    ValueAxis y;
    if (accuracy) {
      NumberAxis ny = new NumberAxis("accuracy (fraction correct)");
      ny.setRange(0, 1.04);
      ny.setTickUnit(new NumberTickUnit(panel ? 0.25 : 0.1));
      y = ny;
    } else {
      LogAxis ly = logAxis("loss (log scale)", panel);
      if (hi > 0) {
        logTicks(ly, new Range(lo / 1.5, hi * 1.5));
      }
      y = ly;
    }
    style(x, panel);
    style(y, panel);
    XYPlot plot = new XYPlot(data, x, y, r);
    plotStyle(plot);
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
    legendStyle(chart, panel);
    return chart;
  }

  // ---------------------------------------------------------------- phase diagram

  /**
   * Phase diagram in the style of Liu et al. (2022): a heat map over two axes coloured by each
   * cell's most common phase, and a second heat map of the median log10 delay (t_gen - t_fit,
   * steps). One panel per value combination of the other varying axes.
   *
   * @return the phase figure and the delay figure
   */
  static List<Figure> phaseDiagrams(ReportData d, Path dir, List<String> axes)
      throws IOException {
    String x = axes.get(0);
    String y = axes.get(1);
    String pid = "phase-diagram";
    String pheading = "Phase diagram (" + x + " x " + y + ")";
    String did = "delay-map";
    String dheading = "Median grokking delay (" + x + " x " + y + ")";
    for (String a : axes) {
      if (!d.params.contains(a)) {
        String why = "No phase diagram: the runs have no column " + a + " (the default axes are "
            + "step_size and weight_decay; choose two of " + d.params + " with --axes x,y).";
        return List.of(Figure.missing(pid, pheading, why), Figure.missing(did, dheading,
            why.replace("No phase diagram:", "No delay map:")));
      }
    }
    List<Object> xs = distinct(d, x);
    List<Object> ys = distinct(d, y);
    if (xs.size() * ys.size() < 2) {
      String why = "No phase diagram: " + x + " and " + y + " have a single value each in the "
          + "selected runs (" + x + "=" + Fmt.num(xs.get(0)) + ", " + y + "=" + Fmt.num(ys.get(0))
          + "), so there is one cell. " + (d.axes.isEmpty()
              ? "The sweep has a single grid point; its phases are in the phase table below."
              : "Axes with several values: " + d.axes + "; choose two with --axes x,y.");
      return List.of(Figure.missing(pid, pheading, why), Figure.missing(did, dheading,
          why.replace("No phase diagram:", "No delay map:")));
    }
    List<String> sliceAxes = new ArrayList<>(d.axes);
    sliceAxes.removeAll(axes);
    Map<List<Object>, List<RunRow>> slices = new TreeMap<>(Fmt.KEY_ORDER);
    for (RunRow r : d.runs) {
      List<Object> k = new ArrayList<>();
      for (String a : sliceAxes) {
        k.add(r.params().get(a));
      }
      slices.computeIfAbsent(k, kk -> new ArrayList<>()).add(r);
    }
    List<String> notes = new ArrayList<>();
    List<List<Object>> sliceKeys = new ArrayList<>(slices.keySet());
    if (sliceKeys.size() > MAX_SLICES) {
      notes.add(String.format(Locale.ROOT, "%d of %d panels (values of %s) shown; narrow the "
          + "selection with --filter to see the others.", MAX_SLICES, sliceKeys.size(),
          String.join(", ", sliceAxes)));
      sliceKeys = sliceKeys.subList(0, MAX_SLICES);
    }
    String[] xLabels = labels(xs);
    String[] yLabels = labels(ys);

    // phase panels
    List<JFreeChart> phasePanels = new ArrayList<>();
    // delay panels: one colour scale over all of them
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    List<Map<int[], double[]>> delayCells = new ArrayList<>();
    for (List<Object> sk : sliceKeys) {
      Map<String, List<RunRow>> cells = cells(slices.get(sk), x, y, xs, ys);
      DefaultXYZDataset phases = new DefaultXYZDataset();
      List<double[]> px = new ArrayList<>();
      List<XYTextAnnotation> notesInCells = new ArrayList<>();
      Map<int[], double[]> delays = new LinkedHashMap<>();
      boolean anyNotOk = false;
      for (Map.Entry<String, List<RunRow>> e : cells.entrySet()) {
        int[] ij = Arrays.stream(e.getKey().split(",")).mapToInt(Integer::parseInt).toArray();
        List<RunRow> runs = e.getValue();
        int[] counts = new int[NOT_OK + 1];
        List<Double> logDelays = new ArrayList<>();
        List<Double> rawDelays = new ArrayList<>();
        for (RunRow r : runs) {
          int k = !Values.OK.equals(r.status()) ? NOT_OK
              : r.phase() == null ? -1 : PHASES.indexOf(r.phase());
          if (k >= 0) {
            counts[k]++;
            anyNotOk |= k == NOT_OK;
          }
          if (r.delay() != null) {
            logDelays.add(Math.log10(Math.max(r.delay(), 1)));
            rawDelays.add((double) r.delay());
          }
        }
        // most runs wins; ties go to the alphabetically first category, as mode(phase, true)
        // does in analysis/sql/phase_table.sql
        int best = -1;
        for (int k = 0; k < counts.length; k++) {
          if (counts[k] > 0 && (best < 0 || counts[k] > counts[best]
              || (counts[k] == counts[best]
                  && CELL_CATEGORIES.get(k).compareTo(CELL_CATEGORIES.get(best)) < 0))) {
            best = k;
          }
        }
        int category = best < 0 ? NOT_OK + 1 : best;
        px.add(new double[] {ij[0], ij[1], category});
        String top = CELL_CATEGORIES.get(category);
        String bottom = (best < 0 ? 0 : counts[best]) + "/" + runs.size() + " runs";
        boolean light = category == 1 || category == 2 || category == NOT_OK;
        notesInCells.add(cellText(top, ij[0], ij[1] + 0.12, light));
        notesInCells.add(cellText(bottom, ij[0], ij[1] - 0.14, light));
        // a mixed cell also says where its other runs went
        List<String> others = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
          if (k != best && counts[k] > 0) {
            others.add(counts[k] + " " + SHORT_NAMES.get(k));
          }
        }
        if (!others.isEmpty()) {
          XYTextAnnotation o = cellText("others: " + String.join(", ", others), ij[0],
              ij[1] - 0.34, light);
          o.setFont(TICK_FONT);
          notesInCells.add(o);
        }
        if (!logDelays.isEmpty()) {
          double m = median(logDelays);
          lo = Math.min(lo, m);
          hi = Math.max(hi, m);
          delays.put(ij, new double[] {m, median(rawDelays), logDelays.size(), runs.size()});
        } else {
          delays.put(ij, null);
        }
      }
      phases.addSeries("phase", transpose(px));
      XYBlockRenderer br = new XYBlockRenderer();
      LookupPaintScale scale = new LookupPaintScale(0, CELL_CATEGORIES.size(),
          PHASE_COLORS[NOT_OK + 1]);
      for (int k = 0; k < CELL_CATEGORIES.size(); k++) {
        scale.add(k, PHASE_COLORS[k]);
      }
      br.setPaintScale(scale);
      XYPlot plot = heatPlot(phases, br, x, y, xLabels, yLabels);
      notesInCells.forEach(plot::addAnnotation);
      LegendItemCollection legend = new LegendItemCollection();
      for (int k = 0; k < PHASES.size(); k++) {
        legend.add(new LegendItem(PHASES.get(k), null, null, null,
            new Rectangle2D.Double(-6, -6, 12, 12), PHASE_COLORS[k]));
      }
      if (anyNotOk) {
        legend.add(new LegendItem(CELL_CATEGORIES.get(NOT_OK), null, null, null,
            new Rectangle2D.Double(-6, -6, 12, 12), PHASE_COLORS[NOT_OK]));
      }
      plot.setFixedLegendItems(legend);
      JFreeChart chart = new JFreeChart(sliceAxes.isEmpty() ? "phases"
          : Fmt.assignments(sliceAxes, sk), PANEL_TITLE_FONT, plot, true);
      legendStyle(chart, true);
      phasePanels.add(chart);
      delayCells.add(delays);
    }
    int cols = Math.min(phasePanels.size(), 3);
    int pw = Math.max(480, Math.min(760, 220 + 110 * xs.size()));
    int ph = Math.max(380, Math.min(640, 200 + 80 * ys.size()));
    int width = Math.max(cols * pw, 700);
    String title = d.title + ": phase of each cell (most common over its runs)";
    String sub = "thresholds: fit " + Fmt.num(d.fitThreshold) + " train accuracy, gen "
        + Fmt.num(d.genThreshold) + " clean test accuracy, grokking if t_gen >= "
        + Fmt.num(d.grokRatio) + " x max(t_fit, 1)"
        + (d.fixedText().isEmpty() ? "" : "; " + d.fixedText());
    BufferedImage phaseImage = sheet(title, sub, phasePanels, cols, pw, ph, width);
    ImageIO.write(phaseImage, "png", dir.resolve("phase_diagram.png").toFile());
    Figure phase = new Figure(pid, pheading, List.of("phase_diagram.png"), phaseImage.getWidth(),
        phaseImage.getHeight(), "Each cell is one grid point of " + x + " x " + y
            + (sliceAxes.isEmpty() ? "" : " (one panel per value of " + String.join(", ",
                sliceAxes) + ")")
            + ", coloured by the most common phase among its runs: comprehension (fits and "
            + "generalizes soon after), grokking (generalizes long after fitting), memorization "
            + "(fits, never generalizes within the step budget), confusion (never fits); runs "
            + "that diverged or failed count as diverged/failed, whatever phase their curve "
            + "prefix had (ties go to the alphabetically first). The text gives that category, "
            + "how many of the cell's runs are in it, and where the others went.",
        null, notes);

    Figure delay;
    if (lo > hi) {
      delay = Figure.missing(did, dheading, "No delay map: no selected run both fit its "
          + "training labels and reached the generalization threshold, so t_gen - t_fit is "
          + "undefined everywhere.");
    } else {
      if (hi - lo < 0.5) {
        double mid = (hi + lo) / 2;
        lo = mid - 0.25;
        hi = mid + 0.25;
      }
      PaintScale heat = new Viridis(lo, hi);
      List<JFreeChart> panels = new ArrayList<>();
      for (int s = 0; s < sliceKeys.size(); s++) {
        DefaultXYZDataset ds = new DefaultXYZDataset();
        List<double[]> pts = new ArrayList<>();
        XYBlockRenderer br = new XYBlockRenderer();
        br.setPaintScale(heat);
        List<XYTextAnnotation> texts = new ArrayList<>();
        for (Map.Entry<int[], double[]> e : delayCells.get(s).entrySet()) {
          int[] ij = e.getKey();
          double[] v = e.getValue();
          if (v == null) {
            texts.add(cellText("no delay", ij[0], ij[1], false));
            continue;
          }
          pts.add(new double[] {ij[0], ij[1], v[0]});
          boolean dark = (v[0] - lo) / (hi - lo) < 0.6;
          texts.add(cellText(Fmt.num(Math.round(v[1])) + " steps", ij[0], ij[1] + 0.12, dark));
          texts.add(cellText((int) v[2] + "/" + (int) v[3] + " runs", ij[0], ij[1] - 0.14,
              dark));
        }
        ds.addSeries("log10 delay", transpose(pts));
        XYPlot plot = heatPlot(ds, br, x, y, xLabels, yLabels);
        texts.forEach(plot::addAnnotation);
        JFreeChart chart = new JFreeChart(sliceAxes.isEmpty() ? "median delay"
            : Fmt.assignments(sliceAxes, sliceKeys.get(s)), PANEL_TITLE_FONT, plot, false);
        NumberAxis scaleAxis = new NumberAxis("median log10(delay / steps)");
        scaleAxis.setRange(lo, hi);
        style(scaleAxis, true);
        PaintScaleLegend bar = new PaintScaleLegend(heat, scaleAxis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setAxisLocation(AxisLocation.TOP_OR_RIGHT);
        bar.setMargin(new RectangleInsets(10, 6, 10, 6));
        bar.setStripWidth(14);
        bar.setSubdivisionCount(64);
        chart.addSubtitle(bar);
        chart.setBackgroundPaint(Color.WHITE);
        panels.add(chart);
      }
      String dtitle = d.title + ": median delay t_gen - t_fit over each cell's runs";
      String dsub = "colour: median log10(delay in steps), delays below 1 step counted as 1; "
          + "text: median delay and runs with a delay" + (d.fixedText().isEmpty() ? ""
          : "; " + d.fixedText());
      BufferedImage delayImage = sheet(dtitle, dsub, panels, cols, pw + 90, ph,
          Math.max(cols * (pw + 90), 700));
      ImageIO.write(delayImage, "png", dir.resolve("delay_map.png").toFile());
      delay = new Figure(did, dheading, List.of("delay_map.png"), delayImage.getWidth(),
          delayImage.getHeight(), "Median over each cell's runs of log10(t_gen - t_fit), the "
              + "grokking delay in steps (a delay of 0 or less, generalizing before fitting "
              + "every noisy label, counts as 1 step). Cells whose runs never both fit and "
              + "generalized say 'no delay'.", null, List.of());
    }
    return List.of(phase, delay);
  }

  private static XYTextAnnotation cellText(String text, double x, double y, boolean light) {
    XYTextAnnotation a = new XYTextAnnotation(text, x, y);
    a.setFont(CELL_FONT);
    a.setPaint(light ? Color.WHITE : Color.BLACK);
    a.setTextAnchor(TextAnchor.CENTER);
    return a;
  }

  private static Map<String, List<RunRow>> cells(List<RunRow> runs, String x, String y,
      List<Object> xs, List<Object> ys) {
    Map<String, List<RunRow>> cells = new TreeMap<>();
    for (RunRow r : runs) {
      int i = indexOf(xs, r.params().get(x));
      int j = indexOf(ys, r.params().get(y));
      cells.computeIfAbsent(i + "," + j, k -> new ArrayList<>()).add(r);
    }
    return cells;
  }

  private static int indexOf(List<Object> values, Object v) {
    for (int i = 0; i < values.size(); i++) {
      if (Fmt.VALUE_ORDER.compare(values.get(i), v) == 0) {
        return i;
      }
    }
    throw new IllegalStateException("value " + v + " not among " + values);
  }

  private static XYPlot heatPlot(DefaultXYZDataset data, XYBlockRenderer r, String x, String y,
      String[] xLabels, String[] yLabels) {
    r.setBlockWidth(1);
    r.setBlockHeight(1);
    r.setBlockAnchor(RectangleAnchor.CENTER);
    SymbolAxis xa = new SymbolAxis(axisLabel(x), xLabels);
    SymbolAxis ya = new SymbolAxis(axisLabel(y), yLabels);
    for (SymbolAxis a : List.of(xa, ya)) {
      a.setGridBandsVisible(false);
      style(a, true);
    }
    xa.setRange(-0.5, xLabels.length - 0.5);
    ya.setRange(-0.5, yLabels.length - 0.5);
    XYPlot plot = new XYPlot(data, xa, ya, r);
    plot.setBackgroundPaint(new Color(0xf4f4f4));
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setOutlinePaint(Color.GRAY);
    return plot;
  }

  private static String[] labels(List<Object> values) {
    String[] s = new String[values.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = Fmt.num(values.get(i));
    }
    return s;
  }

  private static List<Object> distinct(ReportData d, String column) {
    TreeSet<Object> s = new TreeSet<>(Fmt.VALUE_ORDER);
    for (RunRow r : d.runs) {
      s.add(r.params().get(column));
    }
    return new ArrayList<>(s);
  }

  // ---------------------------------------------------------------- cost of overfitting

  /**
   * Cost of overfitting against the noise rate, one line per value combination of the other
   * varying parameters (width, dim, step size, ...): top, the cost with weight decay and with
   * early stopping as the tuning knob; bottom, the risk of the interpolating model with the
   * Bayes risk, the regime cuts and chance drawn.
   */
  static Figure cost(ReportData d, Path dir) throws IOException {
    String id = "cost";
    String heading = "Cost of overfitting vs noise rate";
    if (d.cost.isEmpty()) {
      return Figure.missing(id, heading, "No cost of overfitting: the sweep has no "
          + "overfitting_cost rows for the selected runs (no run finished with status ok).");
    }
    if (!d.costColumns.contains(Columns.NOISE_RATE)) {
      return Figure.missing(id, heading, "No cost-vs-noise-rate chart: the task has no "
          + "noise_rate parameter; the cost table below has the numbers.");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> c : d.cost) {
      if (c.get(Columns.RISK_INTERP) != null && c.get(Columns.NOISE_RATE) != null) {
        rows.add(c);
      }
    }
    if (rows.isEmpty()) {
      return Figure.missing(id, heading, "No cost of overfitting: no selected run has "
          + "weight_decay = 0, so there is no interpolating model to compare with the best "
          + "weight decay (risk_interp is null in every group).");
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
    if (keys.size() > MAX_SERIES) {
      notes.add(String.format(Locale.ROOT, "%d of %d lines (values of %s) drawn; narrow the "
          + "selection with --filter to see the others.", MAX_SERIES, keys.size(),
          String.join(", ", seriesAxes)));
      keys = keys.subList(0, MAX_SERIES);
    }
    XYSeriesCollection costs = new XYSeriesCollection();
    XYSeriesCollection risks = new XYSeriesCollection();
    double etaMin = Double.POSITIVE_INFINITY;
    double etaMax = Double.NEGATIVE_INFINITY;
    double costMin = Double.POSITIVE_INFINITY;
    double costMax = 0;
    int infinite = 0;
    boolean regression = true;
    for (List<Object> k : keys) {
      String name = seriesAxes.isEmpty() ? "" : Fmt.assignments(seriesAxes, k);
      XYSeries cw = new XYSeries((name.isEmpty() ? "" : name + ": ") + "tuned weight decay");
      XYSeries ce = new XYSeries((name.isEmpty() ? "" : name + ": ") + "early stopping");
      XYSeries ri = new XYSeries(name.isEmpty() ? "risk at interpolation" : name);
      for (Map<String, Object> c : series.get(k)) {
        double eta = ((Number) c.get(Columns.NOISE_RATE)).doubleValue();
        etaMin = Math.min(etaMin, eta);
        etaMax = Math.max(etaMax, eta);
        ri.add(eta, ((Number) c.get(Columns.RISK_INTERP)).doubleValue());
        regression &= c.get(Columns.BAYES_RISK) == null;
        for (Object[] pair : new Object[][] {{cw, c.get(Columns.COST)},
            {ce, c.get(Columns.COST_EARLY_STOP)}}) {
          if (pair[1] == null) {
            continue;
          }
          double v = ((Number) pair[1]).doubleValue();
          if (!Double.isFinite(v)) {
            infinite++;
            continue;
          }
          ((XYSeries) pair[0]).add(eta, v);
          costMin = Math.min(costMin, v);
          costMax = Math.max(costMax, v);
        }
      }
      costs.addSeries(cw);
      costs.addSeries(ce);
      risks.addSeries(ri);
    }
    if (infinite > 0) {
      notes.add(infinite + " infinite cost value(s) (the best risk is 0 while the interpolating "
          + "model's is not) are not drawn; see the table.");
    }
    double pad = etaMax > etaMin ? 0.05 * (etaMax - etaMin) : 0.05;
    NumberAxis xAxis = new NumberAxis(axisLabel(Columns.NOISE_RATE));
    xAxis.setRange(Math.max(0, etaMin - pad) - (etaMin - pad < 0 ? 0.005 : 0), etaMax + pad);
    style(xAxis, false);
    CombinedDomainXYPlot combined = new CombinedDomainXYPlot(xAxis);
    combined.setGap(14);

    // top: cost
    ValueAxis costAxis;
    String costLabel = "cost = risk_interp / best risk (ratio)";
    if (costMax > 0 && costMax / costMin >= 10) {
      LogAxis la = logAxis(costLabel + ", log scale", false);
      logTicks(la, new Range(Math.max(costMin / 1.3, 0.8), costMax * 1.3));
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
    style(costAxis, false);
    XYLineAndShapeRenderer cr = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < keys.size(); s++) {
      Color c = SERIES[s % SERIES.length];
      cr.setSeriesPaint(2 * s, c);
      cr.setSeriesPaint(2 * s + 1, c);
      cr.setSeriesStroke(2 * s, new BasicStroke(2f));
      cr.setSeriesStroke(2 * s + 1, dashed(2f));
      // a filled square inside a hollow circle: both stay visible where the costs coincide
      cr.setSeriesShape(2 * s, new Rectangle2D.Double(-3.5, -3.5, 7, 7));
      cr.setSeriesShape(2 * s + 1, new Ellipse2D.Double(-6, -6, 12, 12));
      cr.setSeriesShapesFilled(2 * s + 1, false);
    }
    XYPlot top = new XYPlot(costs, null, costAxis, cr);
    plotStyle(top);
    top.addRangeMarker(new ValueMarker(1.0, Color.GRAY, new BasicStroke(0.8f)));
    combined.add(top, 1);

    // bottom: risk at interpolation with the reference lines
    XYSeriesCollection refs = new XYSeriesCollection();
    double chance = chance(d);
    double x0 = xAxis.getLowerBound();
    double x1 = xAxis.getUpperBound();
    if (!regression) {
      refs.addSeries(line("Bayes risk (= noise rate)", x0, x0, x1, x1));
      double b = d.cuts.benign();
      double cc = d.cuts.catastrophic();
      refs.addSeries(line("benign / tempered cut (excess " + Fmt.num(b) + ")",
          x0, x0 + b * (chance - x0), x1, x1 + b * (chance - x1)));
      refs.addSeries(line("tempered / catastrophic cut (excess " + Fmt.num(cc) + ")",
          x0, x0 + cc * (chance - x0), x1, x1 + cc * (chance - x1)));
      refs.addSeries(line("chance (" + Fmt.num(chance) + ")", x0, chance, x1, chance));
    }
    NumberAxis riskAxis = new NumberAxis(regression ? "test loss at interpolation"
        : "0-1 error, noisy test labels");
    if (!regression) {
      riskAxis.setRange(0, chance * 1.08);
    }
    style(riskAxis, false);
    XYLineAndShapeRenderer rr = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < keys.size(); s++) {
      rr.setSeriesPaint(s, SERIES[s % SERIES.length]);
      rr.setSeriesStroke(s, new BasicStroke(2f));
      rr.setSeriesShape(s, new Ellipse2D.Double(-4.5, -4.5, 9, 9));
      rr.setSeriesVisibleInLegend(s, false);
    }
    XYPlot bottom = new XYPlot(risks, null, riskAxis, rr);
    plotStyle(bottom);
    if (!regression) {
      XYLineAndShapeRenderer refr = new XYLineAndShapeRenderer(true, false);
      Color[] refColors = {Color.BLACK, new Color(0x4daf4a), new Color(0xe41a1c), Color.GRAY};
      for (int s = 0; s < 4; s++) {
        refr.setSeriesPaint(s, refColors[s]);
        refr.setSeriesStroke(s, s == 0 || s == 3 ? dashed(1.2f) : dotted(1.6f));
      }
      bottom.setDataset(1, refs);
      bottom.setRenderer(1, refr);
      // region names at the left edge, where the regions are widest
      XYTextAnnotation benign = new XYTextAnnotation(" benign", x0, x0 + 0.5 * d.cuts.benign()
          * (chance - x0));
      XYTextAnnotation tempered = new XYTextAnnotation(" tempered", x0,
          x0 + 0.5 * (d.cuts.benign() + d.cuts.catastrophic()) * (chance - x0));
      XYTextAnnotation catastrophic = new XYTextAnnotation(" catastrophic", x0,
          x0 + (0.5 + 0.5 * d.cuts.catastrophic()) * (chance - x0));
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
    chart.addSubtitle(subtitle("top: solid = cost with the best weight decay, dashed = with the "
        + "best early-stopping step; bottom: risk of the interpolating (weight_decay = 0) model"
        + (d.fixedText().isEmpty() ? "" : "; " + d.fixedText())));
    legendStyle(chart, false);
    int w = CHART_W;
    int h = 760;
    ChartUtils.saveChartAsPNG(dir.resolve("cost_vs_noise_rate.png").toFile(), chart, w, h);
    String caption = "Cost of overfitting (Zhou et al. 2023): the replicate-averaged risk of the "
        + "interpolating model (weight_decay = 0) divided by the best risk over the grid's "
        + "weight decays (solid) or over the logged steps of the interpolating run (early "
        + "stopping, dashed); 1 means interpolation costs nothing. "
        + (regression ? "" : "The lower panel shows the interpolating model's 0-1 error on "
            + "noisy test labels against the Bayes risk (= noise rate) and the regime cuts of "
            + "Mallinar et al. (2022): excess risk (risk - Bayes) / (chance - Bayes) <= "
            + Fmt.num(d.cuts.benign()) + " is benign, >= " + Fmt.num(d.cuts.catastrophic())
            + " catastrophic.");
    return new Figure(id, heading, List.of("cost_vs_noise_rate.png"), w, h, caption, null,
        notes);
  }

  private static double chance(ReportData d) {
    Object q = d.fixed.get(Columns.MODULUS);
    if (q instanceof Number && ((Number) q).doubleValue() > 1) {
      return 1 - 1 / ((Number) q).doubleValue();
    }
    return 0.5;
  }

  private static XYSeries line(String name, double xa, double ya, double xb, double yb) {
    XYSeries s = new XYSeries(name);
    s.add(xa, ya);
    s.add(xb, yb);
    return s;
  }

  // ---------------------------------------------------------------- grokking time

  /**
   * Grokking time t_gen against 1 / (step_size x weight_decay), log-log, per run, with a least
   * squares line through the grid-point medians (in log10 space) and its slope; theory predicts
   * a slope of about 1 where weight decay drives grokking (Xu, Vardi, Safran 2026; Liu et al.).
   *
   * @param fits filled with one row per fitted line: label, grid points, slope, intercept
   */
  static Figure grokkingTime(ReportData d, Path dir, List<String[]> fits) throws IOException {
    String id = "grokking-time";
    String heading = "Grokking time vs 1/(step size x weight decay)";
    if (!d.params.contains(Columns.STEP_SIZE) || !d.params.contains(Columns.WEIGHT_DECAY)) {
      return Figure.missing(id, heading, "No grokking-time chart: the runs have no step_size or "
          + "weight_decay column.");
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
      return Figure.missing(id, heading, "No grokking-time chart: no selected run has "
          + "weight_decay > 0, so 1/(step_size x weight_decay) is infinite for all of them.");
    }
    if (pts.isEmpty()) {
      // regression tasks record no accuracies: their criterion is a test loss at most c
      boolean accuracies = d.curves.values().stream().flatMap(List::stream)
          .anyMatch(c -> c.testAcc() != null);
      return Figure.missing(id, heading, "No grokking-time chart: none of the " + neverGen
          + " selected runs with weight_decay > 0 finished with status ok and reached the "
          + "generalization threshold (" + (accuracies ? "test accuracy >= " : "test loss <= ")
          + Fmt.num(d.genThreshold) + ") at a step >= 1.");
    }
    List<String> seriesAxes = new ArrayList<>(d.axes);
    seriesAxes.remove(Columns.STEP_SIZE);
    seriesAxes.remove(Columns.WEIGHT_DECAY);
    Map<List<Object>, List<RunRow>> series = new TreeMap<>(Fmt.KEY_ORDER);
    for (RunRow r : pts) {
      List<Object> k = new ArrayList<>();
      for (String a : seriesAxes) {
        k.add(r.params().get(a));
      }
      series.computeIfAbsent(k, kk -> new ArrayList<>()).add(r);
    }
    List<String> notes = new ArrayList<>();
    if (neverGen > 0) {
      notes.add(neverGen + " run(s) with weight_decay > 0 never reached the generalization "
          + "threshold (or did not finish ok) and are not drawn.");
    }
    List<List<Object>> keys = new ArrayList<>(series.keySet());
    if (keys.size() > MAX_SERIES) {
      notes.add(String.format(Locale.ROOT, "%d of %d series drawn.", MAX_SERIES, keys.size()));
      keys = keys.subList(0, MAX_SERIES);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    XYSeriesCollection lines = new XYSeriesCollection();
    XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, false);
    double xmin = Double.POSITIVE_INFINITY;
    double xmax = 0;
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = 0;
    List<double[]> allMedians = new ArrayList<>();
    for (int s = 0; s < keys.size(); s++) {
      String name = seriesAxes.isEmpty() ? "runs" : Fmt.assignments(seriesAxes, keys.get(s));
      // grid-point medians: each grid point weighs the same whatever its replicate count
      Map<List<Object>, List<Double>> byPoint = new TreeMap<>(Fmt.KEY_ORDER);
      Map<List<Object>, Double> xOf = new TreeMap<>(Fmt.KEY_ORDER);
      XYSeries runs = new XYSeries(name, false, true);
      for (RunRow rr : series.get(keys.get(s))) {
        double xv = 1 / (num(rr.params().get(Columns.STEP_SIZE))
            * num(rr.params().get(Columns.WEIGHT_DECAY)));
        runs.add(xv, rr.tGen());
        byPoint.computeIfAbsent(rr.key(), k -> new ArrayList<>()).add((double) rr.tGen());
        xOf.put(rr.key(), xv);
        xmin = Math.min(xmin, xv);
        xmax = Math.max(xmax, xv);
        ymin = Math.min(ymin, rr.tGen());
        ymax = Math.max(ymax, rr.tGen());
      }
      List<double[]> medians = new ArrayList<>();
      for (Map.Entry<List<Object>, List<Double>> e : byPoint.entrySet()) {
        medians.add(new double[] {Math.log10(xOf.get(e.getKey())),
            Math.log10(median(e.getValue()))});
      }
      allMedians.addAll(medians);
      double[] fit = fit(medians);
      Color c = SERIES[s % SERIES.length];
      if (fit != null) {
        runs.setKey(name + ": slope " + String.format(Locale.ROOT, "%.2f", fit[0]));
        fits.add(new String[] {name, String.valueOf(medians.size()),
            String.format(Locale.ROOT, "%.3f", fit[0]), String.format(Locale.ROOT, "%.3f",
            fit[1])});
        XYSeries fl = new XYSeries(name + " fit", false, true);
        double lx0 = minX(medians);
        double lx1 = maxX(medians);
        fl.add(Math.pow(10, lx0), Math.pow(10, fit[1] + fit[0] * lx0));
        fl.add(Math.pow(10, lx1), Math.pow(10, fit[1] + fit[0] * lx1));
        lines.addSeries(fl);
        lr.setSeriesPaint(lines.getSeriesCount() - 1, c);
        lr.setSeriesStroke(lines.getSeriesCount() - 1, dashed(1.6f));
        lr.setSeriesVisibleInLegend(lines.getSeriesCount() - 1, false);
      } else {
        runs.setKey(name + ": one value of step_size x weight_decay, no slope");
        fits.add(new String[] {name, String.valueOf(medians.size()), "n/a", "n/a"});
      }
      data.addSeries(runs);
      r.setSeriesPaint(s, c);
      r.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
    }
    double[] overall = fit(allMedians);
    String slopeText;
    if (overall != null) {
      slopeText = String.format(Locale.ROOT, "fitted slope %.2f (least squares of log10 t_gen on "
          + "log10 1/(step_size x weight_decay) over %d grid-point medians); theory predicts "
          + "about 1 where weight decay drives grokking", overall[0], allMedians.size());
      if (keys.size() > 1) {
        fits.add(new String[] {"all series", String.valueOf(allMedians.size()),
            String.format(Locale.ROOT, "%.3f", overall[0]),
            String.format(Locale.ROOT, "%.3f", overall[1])});
      }
      // the theory's slope 1 through the centre of the medians, for comparison
      double cx = 0;
      double cy = 0;
      for (double[] m : allMedians) {
        cx += m[0] / allMedians.size();
        cy += m[1] / allMedians.size();
      }
      XYSeries ref = new XYSeries("slope 1 (theory)", false, true);
      double lx0 = Math.log10(xmin);
      double lx1 = Math.log10(xmax);
      ref.add(xmin, Math.pow(10, cy + (lx0 - cx)));
      ref.add(xmax, Math.pow(10, cy + (lx1 - cx)));
      lines.addSeries(ref);
      int k = lines.getSeriesCount() - 1;
      lr.setSeriesPaint(k, Color.GRAY);
      lr.setSeriesStroke(k, dotted(1.4f));
      lr.setSeriesVisibleInLegend(k, true);
      ymin = Math.min(ymin, ref.getMinY());
      ymax = Math.max(ymax, ref.getMaxY());
    } else {
      slopeText = "no slope: all runs share one value of step_size x weight_decay ("
          + Fmt.num(xmin) + "); a fit needs at least two";
      notes.add("No slope fitted: a fit needs at least two values of step_size x weight_decay "
          + "among the runs that generalized.");
    }
    LogAxis xa = logAxis("1 / (step_size x weight_decay)  (steps, log scale)", false);
    logTicks(xa, new Range(xmin / 2.5, xmax * 2.5));
    LogAxis ya = logAxis("t_gen: first step with test accuracy >= " + Fmt.num(d.genThreshold)
        + " (steps, log scale)", false);
    logTicks(ya, new Range(Math.max(ymin / 2.5, 0.5), ymax * 2.5));
    style(xa, false);
    style(ya, false);
    XYPlot plot = new XYPlot(data, xa, ya, r);
    plot.setDataset(1, lines);
    plot.setRenderer(1, lr);
    plotStyle(plot);
    JFreeChart chart = new JFreeChart(d.title + ": time to generalize vs 1/(step size x weight "
        + "decay)", TITLE_FONT, plot, true);
    chart.addSubtitle(subtitle(slopeText + (d.fixedText().isEmpty() ? "" : "; "
        + d.fixedText())));
    legendStyle(chart, false);
    ChartUtils.saveChartAsPNG(dir.resolve("grokking_time.png").toFile(), chart, CHART_W,
        CHART_H);
    String caption = "Each dot is a run with weight_decay > 0 that reached the generalization "
        + "threshold: its t_gen against 1/(step_size x weight_decay), the number of steps over "
        + "which weight decay shrinks the weights by a factor e. Dashed lines are least-squares "
        + "fits through the grid-point medians in log-log space; the dotted line has slope 1, "
        + "what theory predicts where weight decay drives grokking.";
    return new Figure(id, heading, List.of("grokking_time.png"), CHART_W, CHART_H, caption,
        null, notes);
  }

  /** Least squares y = a + b x over (x, y) pairs: {b, a}, or null without two distinct x. */
  static double[] fit(List<double[]> xy) {
    if (xy.size() < 2) {
      return null;
    }
    double mx = 0;
    double my = 0;
    for (double[] p : xy) {
      mx += p[0] / xy.size();
      my += p[1] / xy.size();
    }
    double sxx = 0;
    double sxy = 0;
    for (double[] p : xy) {
      sxx += (p[0] - mx) * (p[0] - mx);
      sxy += (p[0] - mx) * (p[1] - my);
    }
    // relative to the spread of x: values equal up to rounding count as one value
    if (!(sxx > 1e-12 * Math.max(1, mx * mx))) {
      return null;
    }
    double b = sxy / sxx;
    return new double[] {b, my - b * mx};
  }

  private static double minX(List<double[]> xy) {
    return xy.stream().mapToDouble(p -> p[0]).min().orElse(0);
  }

  private static double maxX(List<double[]> xy) {
    return xy.stream().mapToDouble(p -> p[0]).max().orElse(0);
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double num(Object o) {
    return o instanceof Number ? ((Number) o).doubleValue() : Double.NaN;
  }

  // ---------------------------------------------------------------- shared styling

  /** Axis labels with meaning and units for the parameters readers know by symbol. */
  static String axisLabel(String column) {
    switch (column) {
      case Columns.STEP_SIZE: return "step_size (GD step size alpha)";
      case Columns.WEIGHT_DECAY: return "weight_decay (lambda)";
      case Columns.NOISE_RATE: return "noise_rate (fraction of labels flipped)";
      case Columns.WIDTH: return "width (hidden units)";
      case Columns.DIM: return "dim (input dimension)";
      case Columns.N_TRAIN: return "n_train (training examples)";
      case Columns.INIT_SCALE: return "init_scale (std of initial weights)";
      case Columns.SIGNAL: return "signal (cluster mean norm)";
      default: return column;
    }
  }

  /** Tick labels all plain or all powers of ten, as the axis range asks. */
  private static void logTicks(LogAxis a, Range range) {
    a.setRange(range);
    a.setNumberFormatOverride(new PowerFormat(range.getUpperBound() > 1.01e5
        || range.getLowerBound() < 0.99e-3));
  }

  private static LogAxis logAxis(String label, boolean panel) {
    LogAxis a = new LogAxis(label);
    a.setBase(10);
    a.setSmallestValue(1e-300);
    a.setTickUnit(new NumberTickUnit(1));
    a.setMinorTickMarksVisible(true);
    a.setMinorTickCount(9);
    return a;
  }

  private static void style(ValueAxis a, boolean panel) {
    a.setLabelFont(panel ? TICK_FONT : LABEL_FONT);
    a.setTickLabelFont(TICK_FONT);
    a.setLabelPaint(Color.BLACK);
    a.setTickLabelPaint(Color.BLACK);
  }

  private static void plotStyle(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlinePaint(Color.GRAY);
  }

  private static void legendStyle(JFreeChart chart, boolean panel) {
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(panel ? new Font("SansSerif", Font.PLAIN, 10) : TICK_FONT);
      legend.setFrame(BlockBorder.NONE);
      legend.setPosition(RectangleEdge.BOTTOM);
    }
  }

  private static TextTitle subtitle(String text) {
    TextTitle t = new TextTitle(text, SUBTITLE_FONT);
    t.setPaint(Color.DARK_GRAY);
    t.setMargin(new RectangleInsets(2, 10, 6, 10));
    return t;
  }

  private static BasicStroke dashed(float width) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
        new float[] {7f, 5f}, 0f);
  }

  private static BasicStroke dotted(float width) {
    return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
        new float[] {1.5f, 4f}, 0f);
  }

  private static double[][] transpose(List<double[]> rows) {
    double[][] t = new double[3][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < 3; j++) {
        t[j][i] = rows.get(i)[j];
      }
    }
    return t;
  }

  /**
   * Panels laid out in a grid under a title and a wrapped subtitle, on a white background.
   *
   * @param width total width; panels are {@code pw x ph}
   */
  static BufferedImage sheet(String title, String subtitle, List<JFreeChart> panels, int cols,
      int pw, int ph, int width) {
    int rows = (panels.size() + cols - 1) / cols;
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    List<String> subLines = wrap(subtitle, pg.getFontMetrics(SUBTITLE_FONT), width - 40);
    pg.dispose();
    int header = 16 + 22 + 18 * subLines.size() + 8;
    BufferedImage img = new BufferedImage(width, header + rows * ph, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setPaint(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setPaint(Color.BLACK);
    g.setFont(TITLE_FONT);
    FontMetrics tm = g.getFontMetrics();
    g.drawString(title, Math.max(10, (width - tm.stringWidth(title)) / 2), 16 + tm.getAscent());
    g.setFont(SUBTITLE_FONT);
    g.setPaint(Color.DARK_GRAY);
    FontMetrics sm = g.getFontMetrics();
    int yy = 16 + 22 + sm.getAscent();
    for (String line : subLines) {
      g.drawString(line, Math.max(10, (width - sm.stringWidth(line)) / 2), yy);
      yy += 18;
    }
    int x0 = (width - cols * pw) / 2;
    for (int i = 0; i < panels.size(); i++) {
      int c = i % cols;
      int r = i / cols;
      panels.get(i).draw(g, new Rectangle2D.Double(x0 + c * pw, header + r * ph, pw, ph));
    }
    g.dispose();
    return img;
  }

  private static List<String> wrap(String text, FontMetrics fm, int max) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (fm.stringWidth(candidate) > max && line.length() > 0) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** A continuous colour scale after matplotlib's viridis (perceptually uniform). */
  static final class Viridis implements PaintScale {
    private static final int[] ANCHORS = {0x440154, 0x414487, 0x2a788e, 0x22a884, 0x7ad151,
        0xfde725};
    private final double lower;
    private final double upper;

    Viridis(double lower, double upper) {
      this.lower = lower;
      this.upper = upper;
    }

    @Override
    public double getLowerBound() {
      return lower;
    }

    @Override
    public double getUpperBound() {
      return upper;
    }

    @Override
    public Paint getPaint(double value) {
      double t = (value - lower) / (upper - lower);
      t = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t));
      double pos = t * (ANCHORS.length - 1);
      int i = Math.min((int) pos, ANCHORS.length - 2);
      double f = pos - i;
      Color a = new Color(ANCHORS[i]);
      Color b = new Color(ANCHORS[i + 1]);
      return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
          (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
          (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
  }

  /**
   * Tick labels of a log axis: plain numbers ({@code 1}, {@code 10}, {@code 1,000}) on an axis
   * within [0.001, 100000], else powers of ten throughout ({@code 1e-6}, {@code 1e4}).
   */
  static final class PowerFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private final DecimalFormat plain = new DecimalFormat("#,##0.###",
        DecimalFormatSymbols.getInstance(Locale.ROOT));
    private final boolean powers;

    PowerFormat(boolean powers) {
      this.powers = powers;
    }

    @Override
    public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
      if (!powers || number == 0) {
        return to.append(plain.format(number));
      }
      int e = (int) Math.round(Math.log10(Math.abs(number)));
      if (Math.abs(Math.abs(number) / Math.pow(10, e) - 1) < 1e-6) {
        return to.append(number < 0 ? "-" : "").append("1e").append(e);
      }
      return to.append(Fmt.num(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
      return format((double) number, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      return plain.parse(source, pos);
    }
  }

  static Shape square() {
    return new Rectangle2D.Double(-5, -5, 10, 10);
  }
}

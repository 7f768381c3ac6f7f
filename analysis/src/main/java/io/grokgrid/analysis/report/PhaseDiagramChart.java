package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.PANEL_TITLE_FONT;
import static io.grokgrid.analysis.report.ChartStyle.TICK_FONT;

import io.grokgrid.analysis.report.ReportData.RunRow;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Phase diagram in the style of Liu et al. (2022): a heat map over two axes coloured by each
 * cell's most common phase, one panel per value combination of the other varying axes. The same
 * cells carry the median grokking delay that {@link DelayMapChart} draws.
 *
 * <p>{@link #compute} reduces the runs to a {@link Grid} of {@link Cell}s; {@link #draw} only
 * draws it.
 */
final class PhaseDiagramChart {
  private PhaseDiagramChart() {}

  static final String ID = "phase-diagram";
  static final String HEADING = "Phase diagram";

  /** Most slices (values of the axes not on the diagram) drawn as panels. */
  static final int MAX_SLICES = 12;

  /**
   * Cell categories: the phases (in Liu et al.'s order), then runs that did not finish ok (their
   * phase would only describe the prefix before they diverged or failed), then no phase.
   */
  static final List<String> CELL_CATEGORIES = List.of(Values.COMPREHENSION, Values.GROKKING,
      Values.MEMORIZATION, Values.CONFUSION, Values.DIVERGED + "/" + Values.FAILED, "no phase");
  /** Index in {@link #CELL_CATEGORIES} of runs that did not finish ok. */
  static final int NOT_OK = 4;
  /** Index in {@link #CELL_CATEGORIES} of a cell none of whose runs has a category. */
  static final int NO_PHASE = 5;
  private static final List<String> SHORT_NAMES = List.of("comp.", "grok.", "mem.", "conf.",
      "div./" + Values.FAILED);
  private static final Color[] COLORS = {new Color(0x4daf4a), new Color(0x984ea3),
      new Color(0xe41a1c), new Color(0x999999), new Color(0x333333), new Color(0xdddddd)};

  /**
   * A cell's grokking delay t_gen - t_fit over its runs that have one.
   *
   * @param log10 median of log10(delay / steps), delays below 1 step counted as 1
   * @param steps median delay in steps
   * @param runs runs with a delay
   */
  record Delay(double log10, double steps, int runs) {}

  /**
   * One cell: the runs at one value of each diagram axis (within a slice).
   *
   * @param i index of the cell's x value in {@link Grid#xs}
   * @param j index of its y value in {@link Grid#ys}
   * @param runs runs in the cell
   * @param counts runs per category, indexed as {@link #CELL_CATEGORIES} up to {@link #NOT_OK}
   * @param category index in {@link #CELL_CATEGORIES} of the category with most runs (ties to
   *     the alphabetically first, as {@code mode(phase, true)} in
   *     {@code analysis/sql/phase_table.sql}), or {@link #NO_PHASE}
   * @param delay the median delay, or null when no run has one
   */
  record Cell(int i, int j, int runs, List<Integer> counts, int category, Delay delay) {
    /** Runs in {@link #category}. */
    int inCategory() {
      return category == NO_PHASE ? 0 : counts.get(category);
    }
  }

  /**
   * One panel: the runs at one value combination of the axes not on the diagram.
   *
   * @param key values of {@link Grid#sliceAxes}
   * @param cells the cells with runs, ordered by the text {@code "i,j"}
   */
  record Slice(List<Object> key, List<Cell> cells) {
    /** Whether a run of the slice did not finish ok. */
    boolean anyNotOk() {
      return cells.stream().anyMatch(c -> c.counts().get(NOT_OK) > 0);
    }
  }

  /**
   * The cells of the diagram.
   *
   * @param missing why there is no diagram, or null (then the fields below hold)
   * @param x the x axis (a parameter column)
   * @param y the y axis
   * @param xs distinct values of x among the runs, in value order
   * @param ys distinct values of y
   * @param sliceAxes varying axes other than x and y
   * @param slices one per panel, in value order, at most {@link #MAX_SLICES}
   * @param delayLow smallest median log10 delay of a cell, +infinity when no cell has one
   * @param delayHigh largest, -infinity when no cell has one
   * @param notes remarks for the page (panels left out)
   */
  record Grid(String missing, String x, String y, List<Object> xs, List<Object> ys,
      List<String> sliceAxes, List<Slice> slices, double delayLow, double delayHigh,
      List<String> notes) {
    static Grid missing(String x, String y, String why) {
      return new Grid(why, x, y, List.of(), List.of(), List.of(), List.of(),
          Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, List.of());
    }

    boolean hasDelays() {
      return delayLow <= delayHigh;
    }

    /** Panels per row of the sheet. */
    int columns() {
      return Math.min(slices.size(), 3);
    }

    /** Pixel width of a panel: room for the x values. */
    int panelWidth() {
      return Math.max(480, Math.min(760, 220 + 110 * xs.size()));
    }

    /** Pixel height of a panel: room for the y values. */
    int panelHeight() {
      return Math.max(380, Math.min(640, 200 + 80 * ys.size()));
    }
  }

  /** Computes and draws the phase diagram and the delay map, in that order. */
  static List<Figure> figures(ReportData d, Path dir, List<String> axes) throws IOException {
    Grid g = compute(d, axes);
    return List.of(draw(d, g, dir), DelayMapChart.draw(d, g, dir));
  }

  /**
   * The cells over {@code axes} (two parameter columns, x then y).
   *
   * @throws IllegalStateException when a run's value is not among the distinct values
   */
  static Grid compute(ReportData d, List<String> axes) {
    String x = axes.get(0);
    String y = axes.get(1);
    for (String a : axes) {
      if (!d.params.contains(a)) {
        return Grid.missing(x, y, "No phase diagram: the runs have no column " + a + " (the "
            + "default axes are " + Columns.STEP_SIZE + " and " + Columns.WEIGHT_DECAY
            + "; choose two of " + d.params + " with --axes x,y).");
      }
    }
    List<Object> xs = distinct(d, x);
    List<Object> ys = distinct(d, y);
    if (xs.size() * ys.size() < 2) {
      return Grid.missing(x, y, "No phase diagram: " + x + " and " + y + " have a single value "
          + "each in the selected runs (" + x + "=" + Fmt.num(xs.get(0)) + ", " + y + "="
          + Fmt.num(ys.get(0)) + "), so there is one cell. " + (d.axes.isEmpty()
              ? "The sweep has a single grid point; its phases are in the phase table below."
              : "Axes with several values: " + d.axes + "; choose two with --axes x,y."));
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
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    List<Slice> out = new ArrayList<>();
    for (List<Object> sk : sliceKeys) {
      // keyed by the text "i,j": that order is the order the cells are drawn in, which shows
      // where neighbouring blocks' anti-aliased edges overlap
      Map<String, List<RunRow>> byCell = new TreeMap<>();
      for (RunRow r : slices.get(sk)) {
        int i = indexOf(xs, r.params().get(x));
        int j = indexOf(ys, r.params().get(y));
        byCell.computeIfAbsent(i + "," + j, k -> new ArrayList<>()).add(r);
      }
      List<Cell> cells = new ArrayList<>();
      for (Map.Entry<String, List<RunRow>> e : byCell.entrySet()) {
        int[] ij = Arrays.stream(e.getKey().split(",")).mapToInt(Integer::parseInt).toArray();
        Cell c = cell(ij[0], ij[1], e.getValue());
        if (c.delay() != null) {
          lo = Math.min(lo, c.delay().log10());
          hi = Math.max(hi, c.delay().log10());
        }
        cells.add(c);
      }
      out.add(new Slice(sk, cells));
    }
    return new Grid(null, x, y, xs, ys, sliceAxes, out, lo, hi, notes);
  }

  private static Cell cell(int i, int j, List<RunRow> runs) {
    int[] counts = new int[NOT_OK + 1];
    List<Double> logDelays = new ArrayList<>();
    List<Double> rawDelays = new ArrayList<>();
    for (RunRow r : runs) {
      int k = !Values.OK.equals(r.status()) ? NOT_OK
          : r.phase() == null ? -1 : Values.PHASES.indexOf(r.phase());
      if (k >= 0) {
        counts[k]++;
      }
      if (r.delay() != null) {
        logDelays.add(Math.log10(Math.max(r.delay(), 1)));
        rawDelays.add((double) r.delay());
      }
    }
    int best = -1;
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] > 0 && (best < 0 || counts[k] > counts[best]
          || (counts[k] == counts[best]
              && CELL_CATEGORIES.get(k).compareTo(CELL_CATEGORIES.get(best)) < 0))) {
        best = k;
      }
    }
    Delay delay = logDelays.isEmpty() ? null : new Delay(ReportData.median(logDelays),
        ReportData.median(rawDelays), logDelays.size());
    return new Cell(i, j, runs.size(), Arrays.stream(counts).boxed().toList(),
        best < 0 ? NO_PHASE : best, delay);
  }

  private static int indexOf(List<Object> values, Object v) {
    for (int i = 0; i < values.size(); i++) {
      if (Fmt.VALUE_ORDER.compare(values.get(i), v) == 0) {
        return i;
      }
    }
    throw new IllegalStateException("value " + v + " not among " + values);
  }

  private static List<Object> distinct(ReportData d, String column) {
    TreeSet<Object> s = new TreeSet<>(Fmt.VALUE_ORDER);
    for (RunRow r : d.runs) {
      s.add(r.params().get(column));
    }
    return new ArrayList<>(s);
  }

  /** The axis values as tick labels. */
  static String[] labels(List<Object> values) {
    String[] s = new String[values.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = Fmt.num(values.get(i));
    }
    return s;
  }

  /** The diagram's heading, which names its axes. */
  static String heading(Grid g) {
    return HEADING + " (" + g.x() + " x " + g.y() + ")";
  }

  /** Draws {@code g} as {@code phase_diagram.png} in {@code dir}. */
  static Figure draw(ReportData d, Grid g, Path dir) throws IOException {
    if (g.missing() != null) {
      return Figure.missing(ID, heading(g), g.missing());
    }
    RefinedMap.Axis rx = d.refined == null ? null : d.refined.axis(g.x());
    RefinedMap.Axis ry = d.refined == null ? null : d.refined.axis(g.y());
    if (rx != null && ry != null) {
      return drawRefined(d, g, dir, rx, ry);
    }
    String[] xLabels = labels(g.xs());
    String[] yLabels = labels(g.ys());
    List<JFreeChart> panels = new ArrayList<>();
    for (Slice s : g.slices()) {
      List<double[]> px = new ArrayList<>();
      List<XYTextAnnotation> texts = new ArrayList<>();
      for (Cell c : s.cells()) {
        px.add(new double[] {c.i(), c.j(), c.category()});
        boolean light = c.category() == 1 || c.category() == 2 || c.category() == NOT_OK;
        texts.add(ChartStyle.cellText(CELL_CATEGORIES.get(c.category()), c.i(), c.j() + 0.12,
            light));
        texts.add(ChartStyle.cellText(c.inCategory() + "/" + c.runs() + " runs", c.i(),
            c.j() - 0.14, light));
        // a mixed cell also says where its other runs went
        List<String> others = new ArrayList<>();
        for (int k = 0; k < c.counts().size(); k++) {
          if (k != c.category() && c.counts().get(k) > 0) {
            others.add(c.counts().get(k) + " " + SHORT_NAMES.get(k));
          }
        }
        if (!others.isEmpty()) {
          XYTextAnnotation o = ChartStyle.cellText("others: " + String.join(", ", others),
              c.i(), c.j() - 0.34, light);
          o.setFont(TICK_FONT);
          texts.add(o);
        }
      }
      DefaultXYZDataset phases = new DefaultXYZDataset();
      phases.addSeries(Columns.PHASE, ChartStyle.xyzRows(px));
      XYBlockRenderer br = new XYBlockRenderer();
      LookupPaintScale scale = new LookupPaintScale(0, CELL_CATEGORIES.size(), COLORS[NO_PHASE]);
      for (int k = 0; k < CELL_CATEGORIES.size(); k++) {
        scale.add(k, COLORS[k]);
      }
      br.setPaintScale(scale);
      XYPlot plot = ChartStyle.heatPlot(phases, br, g.x(), g.y(), xLabels, yLabels);
      texts.forEach(plot::addAnnotation);
      LegendItemCollection legend = new LegendItemCollection();
      for (int k = 0; k < Values.PHASES.size(); k++) {
        legend.add(new LegendItem(Values.PHASES.get(k), null, null, null,
            new Rectangle2D.Double(-6, -6, 12, 12), COLORS[k]));
      }
      if (s.anyNotOk()) {
        legend.add(new LegendItem(CELL_CATEGORIES.get(NOT_OK), null, null, null,
            new Rectangle2D.Double(-6, -6, 12, 12), COLORS[NOT_OK]));
      }
      plot.setFixedLegendItems(legend);
      JFreeChart chart = new JFreeChart(g.sliceAxes().isEmpty() ? "phases"
          : Fmt.assignments(g.sliceAxes(), s.key()), PANEL_TITLE_FONT, plot, true);
      ChartStyle.legendStyle(chart, true);
      panels.add(chart);
    }
    return sheet(d, g, dir, panels, d.title + ": phase of each cell (most common over its runs)",
        "Each cell is one grid point of " + g.x() + " x " + g.y()
            + (g.sliceAxes().isEmpty() ? "" : " (one panel per value of " + String.join(", ",
                g.sliceAxes()) + ")")
            + ", coloured by the most common phase among its runs: " + PHASES_TEXT
            + " The text gives that category, how many of the cell's runs are in it, and where the others went.",
        g.panelWidth(), g.panelHeight());
  }

  private static final String PHASES_TEXT = Values.COMPREHENSION
      + " (fits and generalizes soon after), " + Values.GROKKING + " (generalizes long "
      + "after fitting), " + Values.MEMORIZATION + " (fits, never generalizes within the "
      + "step budget), " + Values.CONFUSION + " (never fits); runs that diverged or failed "
      + "count as " + CELL_CATEGORIES.get(NOT_OK) + ", whatever phase their curve "
      + "prefix had (ties go to the alphabetically first).";

  /**
   * A refined sweep's diagram at its resolution: every point of the finest lattice of {@code x} x
   * {@code y} coloured by the phase of its nearest evaluated point ({@link RefinedMap}), so cells
   * whose corners agreed show as blocks of their size; the evaluated points are marked.
   */
  private static Figure drawRefined(ReportData d, Grid g, Path dir, RefinedMap.Axis x, RefinedMap.Axis y)
      throws IOException {
    String[] xLabels = RefinedMap.labels(x, d.refined.levels());
    String[] yLabels = RefinedMap.labels(y, d.refined.levels());
    List<JFreeChart> panels = new ArrayList<>();
    int evaluated = 0;
    for (Slice s : g.slices()) {
      int[][] raster = RefinedMap.raster(x, y, g.xs(), g.ys(), s.cells());
      List<double[]> px = new ArrayList<>();
      for (int a = 0; a < x.size(); a++) {
        for (int b = 0; b < y.size(); b++) {
          px.add(new double[] {a, b, raster[a][b]});
        }
      }
      DefaultXYZDataset phases = new DefaultXYZDataset();
      phases.addSeries(Columns.PHASE, ChartStyle.xyzRows(px));
      XYBlockRenderer br = new XYBlockRenderer();
      LookupPaintScale scale = new LookupPaintScale(0, CELL_CATEGORIES.size(), COLORS[NO_PHASE]);
      for (int k = 0; k < CELL_CATEGORIES.size(); k++) {
        scale.add(k, COLORS[k]);
      }
      br.setPaintScale(scale);
      XYPlot plot = ChartStyle.heatPlot(phases, br, g.x(), g.y(), xLabels, yLabels);
      for (Cell c : s.cells()) {
        double a = x.index(((Number) g.xs().get(c.i())).doubleValue());
        double b = y.index(((Number) g.ys().get(c.j())).doubleValue());
        plot.addAnnotation(new org.jfree.chart.annotations.XYShapeAnnotation(
            new java.awt.geom.Ellipse2D.Double(a - 0.16, b - 0.16, 0.32, 0.32), null, null, Color.BLACK));
        evaluated++;
      }
      LegendItemCollection legend = new LegendItemCollection();
      for (int k = 0; k < Values.PHASES.size(); k++) {
        legend.add(new LegendItem(Values.PHASES.get(k), null, null, null,
            new Rectangle2D.Double(-6, -6, 12, 12), COLORS[k]));
      }
      if (s.anyNotOk()) {
        legend.add(new LegendItem(CELL_CATEGORIES.get(NOT_OK), null, null, null,
            new Rectangle2D.Double(-6, -6, 12, 12), COLORS[NOT_OK]));
      }
      legend.add(new LegendItem("evaluated point", null, null, null,
          new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6), Color.BLACK));
      plot.setFixedLegendItems(legend);
      JFreeChart chart = new JFreeChart(g.sliceAxes().isEmpty() ? "phases"
          : Fmt.assignments(g.sliceAxes(), s.key()), PANEL_TITLE_FONT, plot, true);
      ChartStyle.legendStyle(chart, true);
      panels.add(chart);
    }
    long runs = d.runs.size();
    String resolution = String.format(Locale.ROOT, "%d x %d", x.size(), y.size());
    String full = String.format(Locale.ROOT, "%d runs at %d evaluated points; a full %s grid of this resolution"
        + " would take %d runs (this sweep: %.1f%% of them)", runs, evaluated, resolution, d.refined.fullRuns(),
        100.0 * runs / d.refined.fullRuns());
    return sheet(d, g, dir, panels, d.title + ": refined phase map at " + resolution + " (" + full + ")",
        "A refined sweep (" + d.refined.levels() + " levels): dots mark the evaluated grid points, each"
            + " coloured square one point of the " + resolution + " lattice, taking the most common phase of"
            + " its nearest evaluated point, so regions where the coarse points agreed show as large cells"
            + " and the boundaries at the finest resolution. " + full + "." + (g.sliceAxes().isEmpty() ? ""
                : " One panel per value of " + String.join(", ", g.sliceAxes()) + ".")
            + " Phases: " + PHASES_TEXT,
        Math.max(560, Math.min(900, 220 + 16 * x.size())), Math.max(460, Math.min(820, 200 + 14 * y.size())));
  }

  private static Figure sheet(ReportData d, Grid g, Path dir, List<JFreeChart> panels, String title,
      String caption, int panelWidth, int panelHeight) throws IOException {
    int cols = g.columns();
    String sub = ChartStyle.withFixed("thresholds: fit " + Fmt.num(d.fitThreshold)
        + " train accuracy, gen " + Fmt.num(d.genThreshold) + " clean test accuracy, "
        + Values.GROKKING + " if " + Columns.T_GEN + " >= " + Fmt.num(d.grokRatio) + " x max("
        + Columns.T_FIT + ", 1)", d);
    BufferedImage image = ChartStyle.sheet(title, sub, panels, cols, panelWidth,
        panelHeight, Math.max(cols * panelWidth, 700));
    ChartStyle.writePng(image, dir, "phase_diagram.png");
    return new Figure(ID, heading(g), List.of("phase_diagram.png"), image.getWidth(),
        image.getHeight(), caption, null, g.notes());
  }
}

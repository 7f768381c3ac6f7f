package io.grokgrid.analysis.report;

import static io.grokgrid.analysis.report.ChartStyle.PANEL_TITLE_FONT;

import io.grokgrid.analysis.report.PhaseDiagramChart.Cell;
import io.grokgrid.analysis.report.PhaseDiagramChart.Grid;
import io.grokgrid.analysis.report.PhaseDiagramChart.Slice;
import io.grokgrid.vocab.Columns;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * The median grokking delay t_gen - t_fit (steps, log colour scale) of each cell of the phase
 * diagram, one colour scale over every panel. Draws the {@link PhaseDiagramChart.Delay} values
 * that {@link PhaseDiagramChart#compute} puts in its cells.
 */
final class DelayMapChart {
  private DelayMapChart() {}

  static final String ID = "delay-map";
  static final String HEADING = "Median grokking delay";

  /** The delay as the tables define it. */
  private static final String DELAY = Columns.T_GEN + " - " + Columns.T_FIT;
  /** Extra panel width for the colour bar. */
  private static final int BAR_W = 90;

  /**
   * The colour scale's range of median log10 delays.
   *
   * @param lower the value drawn darkest
   * @param upper the value drawn lightest
   */
  record Scale(double lower, double upper) {
    /**
     * The cells' range, widened to half a decade around its middle when narrower, so that
     * nearly equal delays do not look far apart.
     */
    static Scale of(Grid g) {
      double lo = g.delayLow();
      double hi = g.delayHigh();
      if (hi - lo < 0.5) {
        double mid = (hi + lo) / 2;
        lo = mid - 0.25;
        hi = mid + 0.25;
      }
      return new Scale(lo, hi);
    }
  }

  /** Draws the delays of {@code g} as {@code delay_map.png} in {@code dir}. */
  static Figure draw(ReportData d, Grid g, Path dir) throws IOException {
    String heading = HEADING + " (" + g.x() + " x " + g.y() + ")";
    if (g.missing() != null) {
      return Figure.missing(ID, heading, g.missing().replace("No phase diagram:",
          "No delay map:"));
    }
    if (!g.hasDelays()) {
      return Figure.missing(ID, heading, "No delay map: no selected run both fit its "
          + "training labels and reached the generalization threshold, so " + DELAY
          + " is undefined everywhere.");
    }
    Scale scale = Scale.of(g);
    double lo = scale.lower();
    double hi = scale.upper();
    PaintScale heat = new ChartStyle.Viridis(lo, hi);
    String[] xLabels = PhaseDiagramChart.labels(g.xs());
    String[] yLabels = PhaseDiagramChart.labels(g.ys());
    List<JFreeChart> panels = new ArrayList<>();
    for (Slice s : g.slices()) {
      List<double[]> pts = new ArrayList<>();
      List<XYTextAnnotation> texts = new ArrayList<>();
      for (Cell c : s.cells()) {
        if (c.delay() == null) {
          texts.add(ChartStyle.cellText("no delay", c.i(), c.j(), false));
          continue;
        }
        pts.add(new double[] {c.i(), c.j(), c.delay().log10()});
        boolean dark = (c.delay().log10() - lo) / (hi - lo) < 0.6;
        texts.add(ChartStyle.cellText(Fmt.num(Math.round(c.delay().steps())) + " steps", c.i(),
            c.j() + 0.12, dark));
        texts.add(ChartStyle.cellText(c.delay().runs() + "/" + c.runs() + " runs", c.i(),
            c.j() - 0.14, dark));
      }
      DefaultXYZDataset ds = new DefaultXYZDataset();
      ds.addSeries("log10 delay", ChartStyle.xyzRows(pts));
      XYBlockRenderer br = new XYBlockRenderer();
      br.setPaintScale(heat);
      XYPlot plot = ChartStyle.heatPlot(ds, br, g.x(), g.y(), xLabels, yLabels);
      texts.forEach(plot::addAnnotation);
      JFreeChart chart = new JFreeChart(g.sliceAxes().isEmpty() ? "median delay"
          : Fmt.assignments(g.sliceAxes(), s.key()), PANEL_TITLE_FONT, plot, false);
      NumberAxis scaleAxis = new NumberAxis("median log10(delay / steps)");
      scaleAxis.setRange(lo, hi);
      ChartStyle.style(scaleAxis, true);
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
    String title = d.title + ": median delay " + DELAY + " over each cell's runs";
    String sub = ChartStyle.withFixed("colour: median log10(delay in steps), delays below 1 "
        + "step counted as 1; text: median delay and runs with a delay", d);
    int cols = g.columns();
    int pw = g.panelWidth() + BAR_W;
    BufferedImage image = ChartStyle.sheet(title, sub, panels, cols, pw, g.panelHeight(),
        Math.max(cols * pw, 700));
    ChartStyle.writePng(image, dir, "delay_map.png");
    return new Figure(ID, heading, List.of("delay_map.png"), image.getWidth(),
        image.getHeight(), "Median over each cell's runs of log10(" + DELAY + "), the grokking "
            + "delay in steps (a delay of 0 or less, generalizing before fitting every noisy "
            + "label, counts as 1 step). Cells whose runs never both fit and generalized say "
            + "'no delay'.", null, List.of());
  }
}

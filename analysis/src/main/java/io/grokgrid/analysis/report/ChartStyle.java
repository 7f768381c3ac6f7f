package io.grokgrid.analysis.report;

import io.grokgrid.vocab.Columns;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
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
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * What the report's charts share: sizes, colours, fonts, axis and legend set-up, tick formats,
 * sheets of small multiples and PNG writing. Every chart class draws through it, so that the
 * charts of one page look alike.
 */
final class ChartStyle {
  private ChartStyle() {}

  /** Pixel size of a chart that stands alone. */
  static final int CHART_W = 900;
  static final int CHART_H = 560;
  /** Pixel size of one panel of a sheet of small multiples. */
  static final int PANEL_W = 460;
  static final int PANEL_H = 340;

  /** Colour-blind-safe qualitative palette (Okabe and Ito) for series. */
  static final Color[] SERIES = {new Color(0x0072b2), new Color(0xe69f00),
      new Color(0x009e73), new Color(0xcc79a7), new Color(0x56b4e9), new Color(0xd55e00),
      new Color(0xf0e442), new Color(0x000000)};
  /** Most series one chart draws; more would be an unreadable legend. */
  static final int MAX_SERIES = SERIES.length;

  /**
   * The first {@link #MAX_SERIES} series keys, with a note in {@code notes} when there are more
   * (one line per value combination of {@code seriesAxes} cannot be told apart beyond that).
   */
  static <K> java.util.List<K> firstSeries(java.util.List<K> keys, java.util.List<String> seriesAxes,
      java.util.List<String> notes) {
    if (keys.size() <= MAX_SERIES) {
      return keys;
    }
    notes.add(String.format(java.util.Locale.ROOT, "%d of %d lines (values of %s) drawn; narrow the "
        + "selection with --filter to see the others.", MAX_SERIES, keys.size(), String.join(", ", seriesAxes)));
    return keys.subList(0, MAX_SERIES);
  }

  static final Font TITLE_FONT = new Font("SansSerif", Font.BOLD, 16);
  static final Font SUBTITLE_FONT = new Font("SansSerif", Font.PLAIN, 12);
  static final Font PANEL_TITLE_FONT = new Font("SansSerif", Font.BOLD, 13);
  static final Font LABEL_FONT = new Font("SansSerif", Font.PLAIN, 13);
  static final Font TICK_FONT = new Font("SansSerif", Font.PLAIN, 11);
  static final Font CELL_FONT = new Font("SansSerif", Font.BOLD, 12);

  /** Axis labels with meaning and units for the parameters readers know by symbol. */
  static String axisLabel(String column) {
    switch (column) {
      case Columns.STEP_SIZE: return Columns.STEP_SIZE + " (GD step size alpha)";
      case Columns.WEIGHT_DECAY: return Columns.WEIGHT_DECAY + " (lambda)";
      case Columns.NOISE_RATE: return Columns.NOISE_RATE + " (fraction of labels flipped)";
      case Columns.WIDTH: return Columns.WIDTH + " (hidden units)";
      case Columns.DIM: return Columns.DIM + " (input dimension)";
      case Columns.N_TRAIN: return Columns.N_TRAIN + " (training examples)";
      case Columns.INIT_SCALE: return Columns.INIT_SCALE + " (std of initial weights)";
      case Columns.SIGNAL: return Columns.SIGNAL + " (signal norm r)";
      case Columns.CLUSTERS: return Columns.CLUSTERS + " (clusters k)";
      case Columns.SUBSPACE_DIM: return Columns.SUBSPACE_DIM + " (subspace dimension d)";
      default: return column;
    }
  }

  /** {@code text}, then the fixed parameters of {@code d} after a semicolon if there are any. */
  static String withFixed(String text, ReportData d) {
    return text + (d.fixedText().isEmpty() ? "" : "; " + d.fixedText());
  }

  /** A base-10 log axis with a tick per decade and nine minor ticks between. */
  static LogAxis logAxis(String label) {
    LogAxis a = new LogAxis(label);
    a.setBase(10);
    a.setSmallestValue(1e-300);
    a.setTickUnit(new NumberTickUnit(1));
    a.setMinorTickMarksVisible(true);
    a.setMinorTickCount(9);
    return a;
  }

  /** Sets the range; tick labels all plain or all powers of ten, as the range asks. */
  static void logTicks(LogAxis a, Range range) {
    a.setRange(range);
    a.setNumberFormatOverride(new PowerFormat(range.getUpperBound() > 1.01e5
        || range.getLowerBound() < 0.99e-3));
  }

  /**
   * A base-10 log axis over {@code range} whose labelled ticks sit at {@code at} (those inside
   * the range): a sweep's few grid values, or the 1-2-5 values of a range narrower than the
   * decades {@link #logAxis} labels.
   */
  static LogAxis logAxisAt(String label, Range range, List<Double> at) {
    LogAxis a = new LogAxis(label) {
      private static final long serialVersionUID = 1L;

      @Override
      public List<org.jfree.chart.axis.ValueTick> refreshTicks(Graphics2D g2,
          org.jfree.chart.axis.AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        List<org.jfree.chart.axis.ValueTick> ticks = new ArrayList<>();
        for (double v : at) {
          if (getRange().contains(v)) {
            ticks.add(new org.jfree.chart.axis.NumberTick(v, Fmt.num(v),
                vertical ? TextAnchor.CENTER_RIGHT : TextAnchor.TOP_CENTER,
                TextAnchor.CENTER, 0.0));
          }
        }
        return ticks;
      }
    };
    a.setBase(10);
    a.setSmallestValue(1e-300);
    a.setRange(range);
    return a;
  }

  /**
   * A log axis over {@code range}: decades labelled ({@link #logAxis}) when it spans two or
   * more, else labels at the 1-2-5 values inside it (1, 2, 3, 5 and 7 per decade below half a
   * decade), so that a narrow range is never left without a label.
   */
  static LogAxis logAxisFor(String label, Range range) {
    double lo = range.getLowerBound();
    double hi = range.getUpperBound();
    if (hi / lo >= 100) {
      LogAxis a = logAxis(label);
      logTicks(a, range);
      return a;
    }
    double[] mantissas = hi / lo >= 3.2 ? new double[] {1, 2, 5} : new double[] {1, 1.5, 2, 3,
        4, 5, 7};
    List<Double> at = new ArrayList<>();
    for (int e = (int) Math.floor(Math.log10(lo)) - 1; e <= (int) Math.ceil(Math.log10(hi));
        e++) {
      for (double m : mantissas) {
        // via the decimal text: exact tick values such as 0.3, not 0.30000000000000004
        double v = Double.parseDouble(m + "e" + e);
        if (v >= lo && v <= hi) {
          at.add(v);
        }
      }
    }
    if (at.size() < 2) {
      at.add(Double.parseDouble(String.format(Locale.ROOT, "%.2g", Math.sqrt(lo * hi))));
    }
    return logAxisAt(label, range, at);
  }

  /** Label and tick fonts; a panel's label is as small as its ticks. */
  static void style(ValueAxis a, boolean panel) {
    a.setLabelFont(panel ? TICK_FONT : LABEL_FONT);
    a.setTickLabelFont(TICK_FONT);
    a.setLabelPaint(Color.BLACK);
    a.setTickLabelPaint(Color.BLACK);
  }

  static void plotStyle(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlinePaint(Color.GRAY);
  }

  /** White background; the legend, if any, frameless at the bottom. */
  static void legendStyle(JFreeChart chart, boolean panel) {
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(panel ? new Font("SansSerif", Font.PLAIN, 10) : TICK_FONT);
      legend.setFrame(BlockBorder.NONE);
      legend.setPosition(RectangleEdge.BOTTOM);
    }
  }

  static TextTitle subtitle(String text) {
    TextTitle t = new TextTitle(text, SUBTITLE_FONT);
    t.setPaint(Color.DARK_GRAY);
    t.setMargin(new RectangleInsets(2, 10, 6, 10));
    return t;
  }

  static BasicStroke dashed(float width) {
    return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
        new float[] {7f, 5f}, 0f);
  }

  static BasicStroke dotted(float width) {
    return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
        new float[] {1.5f, 4f}, 0f);
  }

  // ---------------------------------------------------------------- heat maps

  /**
   * A heat map's plot: one unit block per cell centred on its (column, row) index, the axes
   * labelled with the values.
   */
  static XYPlot heatPlot(DefaultXYZDataset data, XYBlockRenderer r, String x, String y,
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

  /** Text centred at (x, y) in plot coordinates, white on dark cells. */
  static XYTextAnnotation cellText(String text, double x, double y, boolean light) {
    XYTextAnnotation a = new XYTextAnnotation(text, x, y);
    a.setFont(CELL_FONT);
    a.setPaint(light ? Color.WHITE : Color.BLACK);
    a.setTextAnchor(TextAnchor.CENTER);
    return a;
  }

  /** (x, y, z) triples as the three rows a {@link DefaultXYZDataset} series takes. */
  static double[][] xyzRows(List<double[]> triples) {
    double[][] t = new double[3][triples.size()];
    for (int i = 0; i < triples.size(); i++) {
      for (int j = 0; j < 3; j++) {
        t[j][i] = triples.get(i)[j];
      }
    }
    return t;
  }

  // ---------------------------------------------------------------- images

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

  /** Writes {@code chart} as {@code dir/file}, {@code width x height} pixels. */
  static void writePng(JFreeChart chart, Path dir, String file, int width, int height)
      throws IOException {
    ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, width, height);
  }

  /** Writes {@code image} (a sheet) as {@code dir/file}. */
  static void writePng(BufferedImage image, Path dir, String file) throws IOException {
    ImageIO.write(image, "png", dir.resolve(file).toFile());
  }

  // ---------------------------------------------------------------- scales and formats

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
}

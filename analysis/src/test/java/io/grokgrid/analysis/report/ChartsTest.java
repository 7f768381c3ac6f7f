package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.report.Charts.Figure;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts from hand-made data, no Spark: what is drawn, and what is explained instead. */
class ChartsTest {
  @TempDir Path tmp;
  Path dir;

  /** -Dcharts.keep=DIR keeps the images for a look; by default they go to a temp directory. */
  @org.junit.jupiter.api.BeforeEach
  void where(org.junit.jupiter.api.TestInfo info) throws IOException {
    String keep = System.getProperty("charts.keep");
    dir = keep == null ? tmp : java.nio.file.Files.createDirectories(
        Path.of(keep, info.getTestMethod().orElseThrow().getName()));
  }

  @BeforeAll
  static void headless() {
    System.setProperty("java.awt.headless", "true");
  }

  /** A run at (step_size, weight_decay) with the given grokking outcome. */
  static RunRow run(double alpha, double lambda, String status, Integer tFit, Integer tGen,
      String phase) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("sweep", "t");
    p.put("noise_rate", 0.1);
    p.put("step_size", alpha);
    p.put("weight_decay", lambda);
    Integer delay = tFit != null && tGen != null ? tGen - tFit : null;
    return new RunRow(List.of(alpha, lambda), p, status, tFit, tGen, delay, phase);
  }

  static ReportData data(List<RunRow> runs, List<String> axes,
      Map<List<Object>, List<CurvePoint>> curves, List<Map<String, Object>> cost) {
    Map<String, Object> fixed = new LinkedHashMap<>();
    fixed.put("noise_rate", 0.1);
    List<String> params = List.of("noise_rate", "step_size", "weight_decay");
    for (String p : params) {
      if (!axes.contains(p) && !fixed.containsKey(p)) {
        fixed.put(p, runs.get(0).params().get(p));
      }
    }
    List<String> costColumns = cost.isEmpty() ? List.of() : new ArrayList<>(cost.get(0).keySet());
    return new ReportData("t", params, axes, fixed, runs, curves, costColumns, cost, 1.0, 0.95,
        10, RegimeCuts.DEFAULTS);
  }

  static List<CurvePoint> curve(boolean accuracy) {
    List<CurvePoint> c = new ArrayList<>();
    for (int s : new int[] {0, 1, 2, 5, 10, 100, 1000}) {
      double a = Math.min(1, 0.5 + s / 2000.0);
      double[] q = {a - 0.05, a, Math.min(1, a + 0.05)};
      double[] l = {1.0 / (s + 1), 2.0 / (s + 1), 3.0 / (s + 1)};
      c.add(new CurvePoint(s, 3, accuracy ? q : null, accuracy ? q : null, l, l));
    }
    return c;
  }

  static void assertPng(Path file, int width, int height) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img).as(file.toString()).isNotNull();
    assertThat(img.getWidth()).isEqualTo(width);
    assertThat(img.getHeight()).isEqualTo(height);
  }

  @Test
  void twoByTwoGridDrawsEveryChart() throws IOException {
    List<RunRow> runs = new ArrayList<>();
    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    for (double a : new double[] {0.01, 0.1}) {
      for (double l : new double[] {0.0, 1e-3}) {
        for (int rep = 0; rep < 3; rep++) {
          runs.add(run(a, l, "ok", 5, a == 0.01 ? 900 + rep : 3 + rep,
              a == 0.01 ? "grokking" : "comprehension"));
        }
        curves.put(List.of(a, l), curve(true));
      }
    }
    ReportData d = data(runs, List.of("step_size", "weight_decay"), curves, List.of());
    Figure lc = Charts.learningCurves(d, dir, 64);
    assertThat(lc.missing()).isNull();
    assertThat(lc.files()).hasSize(4);
    for (String f : lc.files()) {
      assertPng(dir.resolve(f), Charts.CHART_W, Charts.CHART_H);
    }
    List<Figure> phase = Charts.phaseDiagrams(d, dir, List.of("step_size", "weight_decay"));
    assertThat(phase).extracting(Figure::missing).containsOnlyNulls();
    assertPng(dir.resolve("phase_diagram.png"), phase.get(0).width(), phase.get(0).height());
    assertPng(dir.resolve("delay_map.png"), phase.get(1).width(), phase.get(1).height());
    List<String[]> fits = new ArrayList<>();
    Figure gt = Charts.grokkingTime(d, dir, fits);
    assertThat(gt.missing()).isNull();
    assertPng(dir.resolve("grokking_time.png"), Charts.CHART_W, Charts.CHART_H);
    // two grid points with weight decay: x = 1/(0.01*1e-3) = 1e5 and 1/(0.1*1e-3) = 1e4,
    // medians 901 and 4: slope = log10(901/4) / log10(1e5/1e4)
    assertThat(Double.parseDouble(fits.get(0)[2])).isCloseTo(Math.log10(901.0 / 4),
        org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void regressionTasksWithoutAccuracyShowLossCurves() throws IOException {
    List<RunRow> runs = List.of(run(0.1, 0.0, "ok", 3, 30, "grokking"),
        run(0.1, 0.001, "ok", 3, 30, "grokking"));
    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    curves.put(List.of(0.1, 0.0), curve(false));
    curves.put(List.of(0.1, 0.001), curve(false));
    ReportData d = data(runs, List.of("step_size", "weight_decay"), curves, List.of());
    Figure lc = Charts.learningCurves(d, dir, 64);
    assertThat(lc.missing()).isNull();
    assertThat(lc.notes()).containsExactly("Accuracy is null for this task (a regression task), "
        + "so the curves show train and test loss (log scale) instead.");
    assertPng(dir.resolve(lc.files().get(0)), Charts.CHART_W, Charts.CHART_H);
  }

  @Test
  void largeGridsBecomeCappedSheetsOfSmallMultiples() throws IOException {
    List<RunRow> runs = new ArrayList<>();
    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    for (int i = 0; i < 20; i++) {
      double a = 0.01 * (i + 1);
      runs.add(run(a, 0.0, "ok", 1, 2, "comprehension"));
      curves.put(List.of(a, 0.0), curve(true));
    }
    ReportData d = data(runs, List.of("step_size", "weight_decay"), curves, List.of());
    Figure lc = Charts.learningCurves(d, dir, 18);
    // 18 panels: one full sheet of 16 and a second of 2
    assertThat(lc.files()).containsExactly("learning_curves_01.png", "learning_curves_02.png");
    assertThat(lc.notes()).containsExactly("18 of 20 grid points shown (the first in axis order);"
        + " narrow the selection with --filter to see the others.");
    BufferedImage first = ImageIO.read(dir.resolve("learning_curves_01.png").toFile());
    assertThat(first.getWidth()).isEqualTo(Charts.SHEET_COLUMNS * Charts.PANEL_W)
        .isEqualTo(lc.width());
    assertThat(first.getHeight()).isEqualTo(lc.height());
  }

  @Test
  void costWithoutInterpolationOrNoiseRateIsExplained() throws IOException {
    List<RunRow> runs = List.of(run(0.1, 0.001, "ok", 3, 30, "grokking"));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("noise_rate", 0.1);
    row.put("step_size", 0.1);
    row.put("risk_interp", null);
    ReportData d = data(runs, List.of(), Map.of(), List.of(row));
    assertThat(Charts.cost(d, dir).missing()).startsWith("No cost of overfitting: no selected run "
        + "has weight_decay = 0");
    Map<String, Object> regression = new LinkedHashMap<>();
    regression.put("n_train", 10);
    regression.put("risk_interp", 0.3);
    d = data(runs, List.of(), Map.of(), List.of(regression));
    assertThat(Charts.cost(d, dir).missing()).isEqualTo("No cost-vs-noise-rate chart: the task "
        + "has no noise_rate parameter; the cost table below has the numbers.");
  }

  @Test
  void infiniteCostsAreLeftOutAndSaidSo() throws IOException {
    List<Map<String, Object>> cost = new ArrayList<>();
    for (double eta : new double[] {0.0, 0.2}) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("noise_rate", eta);
      row.put("risk_interp", eta == 0 ? 0.1 : 0.3);
      row.put("cost", eta == 0 ? Double.POSITIVE_INFINITY : 1.5);
      row.put("cost_early_stop", 1.2);
      row.put("bayes_risk", eta);
      cost.add(row);
    }
    ReportData d = data(List.of(run(0.1, 0.0, "ok", 3, 30, "grokking")), List.of(), Map.of(),
        cost);
    Figure f = Charts.cost(d, dir);
    assertThat(f.missing()).isNull();
    assertThat(f.notes()).containsExactly("1 infinite cost value(s) (the best risk is 0 while the "
        + "interpolating model's is not) are not drawn; see the table.");
    assertPng(dir.resolve("cost_vs_noise_rate.png"), f.width(), f.height());
  }

  @Test
  void slopeIsLeastSquaresAndNeedsTwoValues() {
    // y = 1 + 2x exactly: slope 2, intercept 1 (to rounding)
    double[] f = Charts.fit(List.of(new double[] {1, 3}, new double[] {2, 5},
        new double[] {4, 9}));
    assertThat(f[0]).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(f[1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(Charts.fit(List.of(new double[] {3, 1}, new double[] {3, 2}))).isNull();
    assertThat(Charts.fit(List.of(new double[] {3, 1}))).isNull();
  }

  @Test
  void numbersReadTheWayAPaperWritesThem() {
    assertThat(Fmt.num(1e-16)).isEqualTo("1e-16");
    assertThat(Fmt.num(3.0e8)).isEqualTo("3e8");
    assertThat(Fmt.num(0.05)).isEqualTo("0.05");
    assertThat(Fmt.num(35.355339)).isEqualTo("35.36");
    assertThat(Fmt.num(20000.0)).isEqualTo("20000");
    assertThat(Fmt.num((Object) 7)).isEqualTo("7");
    assertThat(Fmt.num(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(Fmt.html("a<b & \"c\"")).isEqualTo("a&lt;b &amp; &quot;c&quot;");
  }
}

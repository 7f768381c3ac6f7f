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
}

package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-made report data for the chart tests (no Spark), and where their images go: a fresh
 * temporary directory per test, or {@code -Dcharts.keep=DIR} to keep them for a look.
 */
abstract class ChartTestSupport {
  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void where(TestInfo info) throws IOException {
    String keep = System.getProperty("charts.keep");
    dir = keep == null ? tmp : Files.createDirectories(Path.of(keep,
        getClass().getSimpleName(), info.getTestMethod().orElseThrow().getName()));
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

  /**
   * Percentiles at steps 0 to 1000: accuracy 0.5 + step/2000 (capped at 1) with a band of
   * +-0.05, loss 2/(step+1) between 1/(step+1) and 3/(step+1).
   */
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

  /**
   * step_size {0.01, 0.1} x weight_decay {0, 1e-3}, 3 replicates each, all ok and fitting at
   * step 5: at step size 0.01 they grok (t_gen 900, 901, 902), at 0.1 they comprehend (t_gen 3,
   * 4, 5).
   */
  static ReportData twoByTwo() {
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
    return data(runs, List.of("step_size", "weight_decay"), curves, List.of());
  }

  static void assertPng(Path file, int width, int height) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img).as(file.toString()).isNotNull();
    assertThat(img.getWidth()).isEqualTo(width);
    assertThat(img.getHeight()).isEqualTo(height);
  }
}

package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.analysis.report.LearningCurvesChart.Band;
import io.grokgrid.analysis.report.LearningCurvesChart.Curves;
import io.grokgrid.analysis.report.LearningCurvesChart.Panel;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Learning curves from hand-made data: the bands computed, the charts or sheets drawn. */
class LearningCurvesChartTest extends ChartTestSupport {
  @Test
  void twoByTwoGridDrawsOneChartPerGridPoint() throws IOException {
    Figure lc = LearningCurvesChart.figure(twoByTwo(), dir, 64);
    assertThat(lc.missing()).isNull();
    assertThat(lc.files()).hasSize(4);
    for (String f : lc.files()) {
      assertPng(dir.resolve(f), ChartStyle.CHART_W, ChartStyle.CHART_H);
    }
  }

  @Test
  void bandsAreThePercentilesFromStepOneOn() {
    Curves c = LearningCurvesChart.compute(twoByTwo(), 64);
    assertThat(c.missing()).isNull();
    assertThat(c.accuracy()).isTrue();
    assertThat(c.lastStep()).isEqualTo(1000);
    assertThat(c.sheets()).isFalse();
    assertThat(c.panels()).extracting(Panel::point).containsExactly(List.of(0.01, 0.0),
        List.of(0.01, 1e-3), List.of(0.1, 0.0), List.of(0.1, 1e-3));
    Panel p = c.panels().get(0);
    // step 0 cannot be drawn on a log axis
    assertThat(p.train()).extracting(Band::step).containsExactly(1, 2, 5, 10, 100, 1000);
    assertThat(p.test()).extracting(Band::step).containsExactly(1, 2, 5, 10, 100, 1000);
    Band at100 = p.train().get(4);
    assertThat(at100.low()).isCloseTo(0.50, offset(1e-12));
    assertThat(at100.median()).isCloseTo(0.55, offset(1e-12));
    assertThat(at100.high()).isCloseTo(0.60, offset(1e-12));
    assertThat(p.runs()).isEqualTo(3);
    assertThat(p.notOk()).isEmpty();
  }

  @Test
  void runsThatAreNotOkAreCountedByStatus() {
    List<RunRow> runs = List.of(run(0.1, 0.0, "ok", 3, 30, "grokking"),
        run(0.1, 0.0, "failed", null, null, null), run(0.1, 0.0, "diverged", 3, null, null),
        run(0.1, 0.0, "diverged", null, null, null), run(0.2, 0.0, "ok", 3, 30, "grokking"));
    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    curves.put(List.of(0.1, 0.0), curve(true));
    curves.put(List.of(0.2, 0.0), curve(true));
    ReportData d = data(runs, List.of("step_size", "weight_decay"), curves, List.of());
    Panel p = LearningCurvesChart.compute(d, 64).panels().get(0);
    assertThat(p.runs()).isEqualTo(4);
    assertThat(p.notOk()).containsExactly(Map.entry("diverged", 2), Map.entry("failed", 1));
  }

  @Test
  void regressionTasksWithoutAccuracyShowLossCurves() throws IOException {
    List<RunRow> runs = List.of(run(0.1, 0.0, "ok", 3, 30, "grokking"),
        run(0.1, 0.001, "ok", 3, 30, "grokking"));
    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    curves.put(List.of(0.1, 0.0), curve(false));
    curves.put(List.of(0.1, 0.001), curve(false));
    ReportData d = data(runs, List.of("step_size", "weight_decay"), curves, List.of());
    Curves c = LearningCurvesChart.compute(d, 64);
    assertThat(c.accuracy()).isFalse();
    Panel p = c.panels().get(0);
    // the loss axis spans the positive percentiles from step 1 on: 3/2 at step 1 down to
    // 1/1001 at step 1000
    assertThat(p.low()).isEqualTo(1.0 / 1001);
    assertThat(p.high()).isEqualTo(1.5);
    assertThat(p.train()).extracting(Band::median).containsExactly(2.0 / 2, 2.0 / 3, 2.0 / 6,
        2.0 / 11, 2.0 / 101, 2.0 / 1001);
    Figure lc = LearningCurvesChart.draw(d, c, dir);
    assertThat(lc.missing()).isNull();
    assertThat(lc.notes()).containsExactly("Accuracy is null for this task (a regression task), "
        + "so the curves show train and test loss (log scale) instead.");
    assertPng(dir.resolve(lc.files().get(0)), ChartStyle.CHART_W, ChartStyle.CHART_H);
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
    Curves c = LearningCurvesChart.compute(d, 18);
    assertThat(c.sheets()).isTrue();
    assertThat(c.points()).isEqualTo(20);
    assertThat(c.panels()).hasSize(18);
    Figure lc = LearningCurvesChart.draw(d, c, dir);
    // 18 panels: one full sheet of 16 and a second of 2
    assertThat(lc.files()).containsExactly("learning_curves_01.png", "learning_curves_02.png");
    assertThat(lc.notes()).containsExactly("18 of 20 grid points shown (the first in axis order);"
        + " narrow the selection with --filter to see the others.");
    BufferedImage first = ImageIO.read(dir.resolve("learning_curves_01.png").toFile());
    assertThat(first.getWidth()).isEqualTo(LearningCurvesChart.SHEET_COLUMNS
        * ChartStyle.PANEL_W).isEqualTo(lc.width());
    assertThat(first.getHeight()).isEqualTo(lc.height());
  }
}

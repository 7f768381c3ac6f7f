package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flip radius and gradient share against a sweep axis from hand-made run rows: the medians and
 * bands against closed forms, the axis chosen, the log-log slope, the runs left out, the skips.
 */
class RobustnessChartTest extends ChartTestSupport {

  /** Replicates per grid point; replicate i has the value a (1 + 0.1 i). */
  static final int REPS = 5;

  /**
   * width {100, 200} x clusters {4, 16, 64}, {@link #REPS} ok replicates each, with
   * flip_radius = (width / 100) k^-1/2 (1 + 0.1 rep) and grad_orth_share = 0.5 (1 + 0.1 rep);
   * plus one diverged run at (100, 4) with flip_radius 1000 that must not count.
   */
  static ReportData sweep(boolean withFinals) {
    List<RunRow> runs = new ArrayList<>();
    for (int width : new int[] {100, 200}) {
      for (int k : new int[] {4, 16, 64}) {
        for (int rep = 0; rep <= REPS; rep++) {
          boolean diverged = rep == REPS;
          if (diverged && (width != 100 || k != 4)) {
            continue;
          }
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("sweep", "t");
          p.put("width", width);
          p.put("clusters", k);
          p.put("signal", 40.0);
          Map<String, Double> finals = new LinkedHashMap<>();
          if (withFinals) {
            finals.put("flip_radius", diverged ? 1000.0
                : width / 100.0 / Math.sqrt(k) * (1 + 0.1 * rep));
            finals.put("grad_orth_share", 0.5 * (1 + 0.1 * rep));
          }
          runs.add(new RunRow(List.of(width, k), p, diverged ? "diverged" : "ok", 1, 1, 0,
              "comprehension", finals));
        }
      }
    }
    Map<String, Object> fixed = new LinkedHashMap<>();
    fixed.put("signal", 40.0);
    return new ReportData("t", List.of("width", "clusters", "signal"),
        List.of("width", "clusters"), fixed, runs, Map.of(), List.of(), List.of(), 1.0, 0.95,
        10, RegimeCuts.DEFAULTS);
  }

  @Test
  void percentileInterpolatesBetweenOrderStatisticsAsSpark() {
    // 1..5 shuffled: positions 0.8, 2 and 3.2 of the sorted values
    List<Double> v = List.of(4.0, 1.0, 5.0, 3.0, 2.0);
    assertThat(ReportData.percentile(v, 0.2)).isCloseTo(1.8, within(1e-15));
    assertThat(ReportData.percentile(v, 0.5)).isEqualTo(3.0);
    assertThat(ReportData.percentile(v, 0.8)).isCloseTo(4.2, within(1e-15));
    assertThat(ReportData.percentile(List.of(7.0), 0.8)).isEqualTo(7.0);
    assertThat(ReportData.percentile(v, 1.0)).isEqualTo(5.0);
  }

  @Test
  void medianAndBandPerAxisValueWithTheSlope() {
    RobustnessChart.Robustness r = RobustnessChart.compute(sweep(true));
    assertThat(r.missing()).isNull();
    // clusters is preferred over width although width comes first
    assertThat(r.xAxis()).isEqualTo("clusters");
    assertThat(r.seriesAxes()).containsExactly("width");
    assertThat(r.xValues()).containsExactly(4.0, 16.0, 64.0);
    assertThat(r.logX()).isTrue();
    assertThat(r.metrics()).extracting(RobustnessChart.Metric::column)
        .containsExactly("flip_radius", "grad_orth_share");
    RobustnessChart.Metric flip = r.metrics().get(0);
    assertThat(flip.logY()).isTrue();
    assertThat(flip.lines()).extracting(RobustnessChart.Line::name)
        .containsExactly("width=100", "width=200");
    for (RobustnessChart.Line line : flip.lines()) {
      double scale = line.name().equals("width=100") ? 1 : 2;
      assertThat(line.points()).hasSize(3);
      for (RobustnessChart.Point p : line.points()) {
        // values a (1 + 0.1 i), i = 0..4, a = scale / sqrt(k): the diverged run is left out,
        // the 20/50/80th percentiles sit at positions 0.8, 2 and 3.2
        double a = scale / Math.sqrt(p.x());
        assertThat(p.runs()).isEqualTo(REPS);
        assertThat(p.low()).isCloseTo(a * 1.08, within(1e-12));
        assertThat(p.median()).isCloseTo(a * 1.2, within(1e-12));
        assertThat(p.high()).isCloseTo(a * 1.32, within(1e-12));
      }
      // median = 1.2 scale k^-1/2 exactly
      assertThat(line.slope()).isCloseTo(-0.5, within(1e-12));
    }
    RobustnessChart.Metric share = r.metrics().get(1);
    for (RobustnessChart.Line line : share.lines()) {
      assertThat(line.slope()).isCloseTo(0.0, within(1e-12));
      assertThat(line.points()).allSatisfy(p -> assertThat(p.median()).isCloseTo(0.6,
          within(1e-12)));
    }
    assertThat(r.notes()).containsExactly("1 run(s) not ok (diverged or failed) with a "
        + "flip_radius are left out.", "1 run(s) not ok (diverged or failed) with a "
        + "grad_orth_share are left out.");
  }

  @Test
  void drawnOnlyWhereRecorded() throws IOException {
    ReportData d = sweep(true);
    assertThat(RobustnessChart.applies(d)).isTrue();
    Figure f = RobustnessChart.figure(d, dir);
    assertThat(f.missing()).isNull();
    assertThat(f.files()).containsExactly("robustness.png");
    assertPng(dir.resolve("robustness.png"), f.width(), f.height());
    assertThat(f.height()).isEqualTo(RobustnessChart.TWO_PLOTS_H);
    // no final metric in any run: no section at all
    assertThat(RobustnessChart.applies(sweep(false))).isFalse();
    assertThat(RobustnessChart.applies(twoByTwo())).isFalse();
  }

  @Test
  void aZeroValuedAxisIsSpacedEvenlyAndASingleGridPointIsExplained() throws IOException {
    // weight_decay {0, 1e-3}: no log axis, no slope
    List<RunRow> runs = new ArrayList<>();
    for (double lambda : new double[] {0.0, 1e-3}) {
      for (int rep = 0; rep < 3; rep++) {
        RunRow base = run(0.1, lambda, "ok", 1, 1, "comprehension");
        runs.add(new RunRow(List.of(lambda), base.params(), "ok", 1, 1, 0, "comprehension",
            Map.of("grad_orth_share", 0.9 - lambda * 100 - 0.01 * rep)));
      }
    }
    ReportData d = data(runs, List.of("weight_decay"), Map.of(), List.of());
    RobustnessChart.Robustness r = RobustnessChart.compute(d);
    assertThat(r.xAxis()).isEqualTo("weight_decay");
    assertThat(r.logX()).isFalse();
    assertThat(r.metrics()).hasSize(1);
    assertThat(r.metrics().get(0).lines().get(0).slope()).isNaN();
    assertThat(r.metrics().get(0).lines().get(0).points().get(1).median())
        .isCloseTo(0.79, within(1e-12));
    assertThat(r.notes()).containsExactly("weight_decay takes the value 0, so its values are "
        + "spaced evenly rather than on a log scale, and no slope is fitted.");
    Figure f = RobustnessChart.draw(d, r, dir);
    assertPng(dir.resolve("robustness.png"), f.width(), f.height());
    assertThat(f.height()).isEqualTo(ChartStyle.CHART_H);

    ReportData single = data(runs.subList(0, 3), List.of(), Map.of(), List.of());
    assertThat(RobustnessChart.applies(single)).isTrue();
    assertThat(RobustnessChart.figure(single, dir).missing()).isEqualTo("No robustness chart: "
        + "no numeric parameter varies among the selected runs (a single grid point), so there "
        + "is nothing to plot flip_radius against; the runs table holds the values.");
  }
}

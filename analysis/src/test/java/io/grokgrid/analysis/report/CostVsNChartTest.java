package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.analysis.RegimeCuts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cost against n from hand-made cost and theory rows: lines, slopes, the chart drawn. */
class CostVsNChartTest extends ChartTestSupport {

  /**
   * Two spectra over n = 100, 400, 1600: power with cost 2 n^0 (slope 0) and exp with cost
   * 0.1 n (slope 1, exactly, as ln cost = ln 0.1 + ln n); theory rows for power only.
   */
  static ReportData sweep() {
    List<Map<String, Object>> cost = new ArrayList<>();
    List<Map<String, Object>> theory = new ArrayList<>();
    for (String spectrum : List.of("exp", "power")) {
      for (int n : new int[] {100, 400, 1600}) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("sweep", "t");
        row.put("spectrum", spectrum);
        row.put("n_train", n);
        row.put("risk_interp", 1.0);
        row.put("cost", spectrum.equals("power") ? 2.0 : 0.1 * n);
        cost.add(row);
        if (spectrum.equals("power")) {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("sweep", "t");
          t.put("spectrum", spectrum);
          t.put("n_train", n);
          t.put("ef_cost", 2.0 + 1.0 / n);
          theory.add(t);
        }
      }
    }
    List<String> params = List.of("spectrum", "n_train", "weight_decay");
    return new ReportData("t", params, List.of("spectrum", "n_train", "weight_decay"),
        new LinkedHashMap<>(), List.of(), Map.of(), new ArrayList<>(cost.get(0).keySet()), cost,
        1.0, 0.95, 10, RegimeCuts.DEFAULTS, theory);
  }

  @Test
  void linesCarryTheSlopesAndTheTheory() {
    CostVsNChart.Costs c = CostVsNChart.compute(sweep());
    assertThat(c.missing()).isNull();
    assertThat(c.lines()).hasSize(2);
    CostVsNChart.Line exp = c.lines().get(0);
    CostVsNChart.Line power = c.lines().get(1);
    assertThat(exp.name()).isEqualTo("spectrum=exp");
    assertThat(exp.slope()).isCloseTo(1.0, within(1e-12));
    assertThat(exp.theory()).containsOnlyNulls();
    assertThat(power.slope()).isCloseTo(0.0, within(1e-12));
    assertThat(power.theory()).containsExactly(2.01, 2.0025, 2.000625);
  }

  @Test
  void chartIsDrawnOnlyForSweepsOverN() throws IOException {
    ReportData d = sweep();
    assertThat(CostVsNChart.applies(d)).isTrue();
    Figure f = CostVsNChart.figure(d, dir);
    assertThat(f.missing()).isNull();
    assertPng(dir.resolve("cost_vs_n.png"), f.width(), f.height());
    assertThat(CostVsNChart.applies(CostChartTest.infiniteAtZeroNoise())).isFalse();
  }

  @Test
  void slopeIsTheLeastSquaresFitOfLogs() {
    // y = 3 x^0.5 exactly; a single point has no slope
    assertThat(CostVsNChart.logLogSlope(new double[] {1, 4, 16}, new double[] {3, 6, 12}))
        .isCloseTo(0.5, within(1e-12));
    assertThat(CostVsNChart.logLogSlope(new double[] {1}, new double[] {1})).isNaN();
  }
}

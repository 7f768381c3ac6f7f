package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.analysis.report.CostChart.Costs;
import io.grokgrid.analysis.report.CostChart.Point;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cost of overfitting from hand-made cost rows: the lines computed, the chart drawn. */
class CostChartTest extends ChartTestSupport {
  @Test
  void costWithoutInterpolationOrNoiseRateIsExplained() throws IOException {
    List<RunRow> runs = List.of(run(0.1, 0.001, "ok", 3, 30, "grokking"));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("noise_rate", 0.1);
    row.put("step_size", 0.1);
    row.put("risk_interp", null);
    ReportData d = data(runs, List.of(), Map.of(), List.of(row));
    assertThat(CostChart.figure(d, dir).missing()).startsWith("No cost of overfitting: no "
        + "selected run has weight_decay = 0");
    Map<String, Object> regression = new LinkedHashMap<>();
    regression.put("n_train", 10);
    regression.put("risk_interp", 0.3);
    d = data(runs, List.of(), Map.of(), List.of(regression));
    assertThat(CostChart.figure(d, dir).missing()).isEqualTo("No cost-vs-noise-rate chart: the "
        + "task has no noise_rate parameter; the cost table below has the numbers.");
  }

  static ReportData infiniteAtZeroNoise() {
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
    return data(List.of(run(0.1, 0.0, "ok", 3, 30, "grokking")), List.of(), Map.of(), cost);
  }

  @Test
  void infiniteCostsAreLeftOutAndSaidSo() throws IOException {
    Figure f = CostChart.figure(infiniteAtZeroNoise(), dir);
    assertThat(f.missing()).isNull();
    assertThat(f.notes()).containsExactly("1 infinite cost value(s) (the best risk is 0 while the "
        + "interpolating model's is not) are not drawn; see the table.");
    assertPng(dir.resolve("cost_vs_noise_rate.png"), f.width(), f.height());
  }

  @Test
  void linesHoldTheFiniteCostsAndTheRiskAtInterpolation() {
    Costs c = CostChart.compute(infiniteAtZeroNoise());
    assertThat(c.missing()).isNull();
    assertThat(c.lines()).hasSize(1);
    assertThat(c.lines().get(0).name()).isEmpty();
    assertThat(c.lines().get(0).points()).containsExactly(new Point(0.0, 0.1, null, 1.2),
        new Point(0.2, 0.3, 1.5, 1.2));
    assertThat(c.infinite()).isEqualTo(1);
    assertThat(c.regression()).isFalse();
    assertThat(c.chance()).isEqualTo(0.5);
    assertThat(c.noiseMin()).isEqualTo(0.0);
    assertThat(c.noiseMax()).isEqualTo(0.2);
    assertThat(c.costMin()).isEqualTo(1.2);
    assertThat(c.costMax()).isEqualTo(1.5);
  }

  @Test
  void chanceOfAModularTaskIsOneMinusOneOverTheModulus() {
    ReportData d = infiniteAtZeroNoise();
    d.fixed.put("modulus", 8);
    assertThat(CostChart.compute(d).chance()).isEqualTo(1 - 1 / 8.0);
  }
}

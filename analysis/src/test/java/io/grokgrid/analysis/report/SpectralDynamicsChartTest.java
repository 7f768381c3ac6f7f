package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.report.LearningCurvesChart.Band;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.SpectralPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Stable and effective rank beside test accuracy from hand-made percentiles: the layout (panels
 * by the first axis, colour by the second), the bands carried through, step 0 left out, the
 * skips, and the chart drawn.
 */
class SpectralDynamicsChartTest extends ChartTestSupport {

  /**
   * Percentiles at steps 0 to 1000 of a grid point: stable rank 80 / (step + 1) + 1 with a band
   * of x0.9 .. x1.1, effective rank twice that; null at step 5 (not recorded there).
   */
  static List<SpectralPoint> spectral(double shift) {
    List<SpectralPoint> c = new ArrayList<>();
    for (int s : new int[] {0, 1, 2, 5, 10, 100, 1000}) {
      double r = 80.0 / (s + 1) + 1 + shift;
      c.add(new SpectralPoint(s, 3, s == 5 ? null : new double[] {0.9 * r, r, 1.1 * r},
          s == 5 ? null : new double[] {1.8 * r, 2 * r, 2.2 * r}));
    }
    return c;
  }

  /** {@link #twoByTwo} with spectral percentiles at every grid point (shift by weight decay). */
  static ReportData withSpectra(ReportData d) {
    Map<List<Object>, List<SpectralPoint>> spectral = new TreeMap<>(Fmt.KEY_ORDER);
    for (List<Object> p : d.gridPoints()) {
      spectral.put(p, spectral(((Number) p.get(1)).doubleValue() * 1000));
    }
    return new ReportData(d.title, d.params, d.axes, d.fixed, d.runs, d.curves, d.costColumns,
        d.cost, d.fitThreshold, d.genThreshold, d.grokRatio, RegimeCuts.DEFAULTS, List.of(), null,
        spectral);
  }

  @Test
  void panelsByFirstAxisColourBySecondBandsCarriedThrough() {
    ReportData d = withSpectra(twoByTwo());
    assertThat(SpectralDynamicsChart.applies(d)).isTrue();
    SpectralDynamicsChart.Dynamics c = SpectralDynamicsChart.compute(d);
    assertThat(c.missing()).isNull();
    assertThat(c.colourAxis()).isEqualTo("weight_decay");
    assertThat(c.panelAxes()).containsExactly("step_size");
    assertThat(c.stable()).isTrue();
    assertThat(c.effective()).isTrue();
    assertThat(c.accuracy()).isTrue();
    assertThat(c.lastStep()).isEqualTo(1000);
    assertThat(c.panels()).extracting(SpectralDynamicsChart.Panel::where)
        .containsExactly("step_size=0.01", "step_size=0.1");
    for (SpectralDynamicsChart.Panel p : c.panels()) {
      assertThat(p.series()).extracting(SpectralDynamicsChart.Series::name)
          .containsExactly("weight_decay=0", "weight_decay=0.001");
      SpectralDynamicsChart.Series s = p.series().get(1);
      // step 0 is off the log axis and step 5 was not recorded: steps 1, 2, 10, 100, 1000
      assertThat(s.stable()).extracting(Band::step).containsExactly(1, 2, 10, 100, 1000);
      Band first = s.stable().get(0);
      double r = 80.0 / 2 + 1 + 1; // shift 1e-3 * 1000
      assertThat(first.median()).isEqualTo(r);
      assertThat(first.low()).isEqualTo(0.9 * r);
      assertThat(first.high()).isEqualTo(1.1 * r);
      assertThat(s.effective().get(0).median()).isEqualTo(2 * r);
      // the test accuracy's band is the learning curve's, from step 1 on
      List<CurvePoint> curve = d.curves.get(List.of(p.where().endsWith("0.01") ? 0.01 : 0.1,
          1e-3));
      assertThat(s.test()).extracting(Band::step).containsExactly(1, 2, 5, 10, 100, 1000);
      assertThat(s.test().get(5).median()).isEqualTo(curve.get(6).testAcc()[1]);
      assertThat(s.test().get(5).low()).isEqualTo(curve.get(6).testAcc()[0]);
    }
  }

  @Test
  void drawsOneChartOrASheet() throws IOException {
    Figure sheet = SpectralDynamicsChart.figure(withSpectra(twoByTwo()), dir);
    assertThat(sheet.missing()).isNull();
    assertThat(sheet.files()).containsExactly("spectral_dynamics_01.png");
    assertPng(dir.resolve("spectral_dynamics_01.png"), sheet.width(), sheet.height());
    assertThat(sheet.width()).isEqualTo(3 * SpectralDynamicsChart.PANEL_W);

    // one axis: a single chart, one colour per value
    ReportData d = withSpectra(twoByTwo());
    Map<List<Object>, List<SpectralPoint>> one = new TreeMap<>(Fmt.KEY_ORDER);
    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    List<ReportData.RunRow> runs = new ArrayList<>();
    for (ReportData.RunRow r : d.runs) {
      if (((Number) r.key().get(1)).doubleValue() == 0.0) {
        runs.add(new ReportData.RunRow(List.of(r.key().get(0)), r.params(), r.status(),
            r.tFit(), r.tGen(), r.delay(), r.phase()));
        one.put(List.of(r.key().get(0)), spectral(0));
        curves.put(List.of(r.key().get(0)), curve(true));
      }
    }
    ReportData oneAxis = new ReportData("t", d.params, List.of("step_size"), d.fixed, runs,
        curves, List.of(), List.of(), 1.0, 0.95, 10, RegimeCuts.DEFAULTS, List.of(), null, one);
    SpectralDynamicsChart.Dynamics c = SpectralDynamicsChart.compute(oneAxis);
    assertThat(c.colourAxis()).isEqualTo("step_size");
    assertThat(c.panels()).hasSize(1);
    assertThat(c.panels().get(0).where()).isEmpty();
    assertThat(c.panels().get(0).series()).hasSize(2);
    Figure single = SpectralDynamicsChart.draw(oneAxis, c, dir);
    assertThat(single.width()).isEqualTo(ChartStyle.CHART_W);
    assertThat(single.height()).isEqualTo(SpectralDynamicsChart.SINGLE_H);
    assertPng(dir.resolve("spectral_dynamics_01.png"), single.width(), single.height());
  }

  @Test
  void skippedWhereNotRecorded() {
    // no spectral percentiles (columns absent or all null): no section at all
    assertThat(SpectralDynamicsChart.applies(twoByTwo())).isFalse();
    // recorded only at step 0 (every run diverged at its first step): explained
    ReportData d = twoByTwo();
    Map<List<Object>, List<SpectralPoint>> atZero = new TreeMap<>(Fmt.KEY_ORDER);
    for (List<Object> p : d.gridPoints()) {
      atZero.put(p, List.of(new SpectralPoint(0, 3, new double[] {1, 2, 3}, null),
          new SpectralPoint(1, 3, null, null)));
    }
    ReportData onlyInit = new ReportData(d.title, d.params, d.axes, d.fixed, d.runs, d.curves,
        d.costColumns, d.cost, 1.0, 0.95, 10, RegimeCuts.DEFAULTS, List.of(), null, atZero);
    assertThat(SpectralDynamicsChart.applies(onlyInit)).isTrue();
    assertThat(SpectralDynamicsChart.compute(onlyInit).missing()).isEqualTo("No spectral "
        + "dynamics to draw: stable_rank and effective_rank are recorded at no logged step "
        + "after step 0 (every run diverged or failed at its first step).");
  }

  @Test
  void onlyTheRecordedRankIsDrawn() {
    ReportData d = twoByTwo();
    Map<List<Object>, List<SpectralPoint>> stableOnly = new TreeMap<>(Fmt.KEY_ORDER);
    for (List<Object> p : d.gridPoints()) {
      List<SpectralPoint> s = new ArrayList<>();
      for (SpectralPoint q : spectral(0)) {
        s.add(new SpectralPoint(q.step(), q.runs(), q.stableRank(), null));
      }
      stableOnly.put(p, s);
    }
    SpectralDynamicsChart.Dynamics c = SpectralDynamicsChart.compute(new ReportData(d.title,
        d.params, d.axes, d.fixed, d.runs, d.curves, d.costColumns, d.cost, 1.0, 0.95, 10,
        RegimeCuts.DEFAULTS, List.of(), null, stableOnly));
    assertThat(c.stable()).isTrue();
    assertThat(c.effective()).isFalse();
  }
}

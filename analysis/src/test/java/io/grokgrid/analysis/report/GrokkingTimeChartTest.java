package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.analysis.report.GrokkingTimeChart.Fit;
import io.grokgrid.analysis.report.GrokkingTimeChart.FitRow;
import io.grokgrid.analysis.report.GrokkingTimeChart.Times;
import io.grokgrid.analysis.report.GrokkingTimeChart.Xy;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grokking time from hand-made runs: medians and least-squares slopes, the chart drawn. */
class GrokkingTimeChartTest extends ChartTestSupport {
  @Test
  void twoByTwoGridFitsTheSlopeThroughTheGridPointMedians() throws IOException {
    ReportData d = twoByTwo();
    Times t = GrokkingTimeChart.compute(d);
    Figure gt = GrokkingTimeChart.draw(d, t, dir);
    assertThat(gt.missing()).isNull();
    assertPng(dir.resolve("grokking_time.png"), ChartStyle.CHART_W, ChartStyle.CHART_H);
    // two grid points with weight decay: x = 1/(0.01*1e-3) = 1e5 and 1/(0.1*1e-3) = 1e4,
    // medians 901 and 4: slope = log10(901/4) / log10(1e5/1e4)
    List<FitRow> fits = t.fitRows();
    assertThat(fits).hasSize(1);
    assertThat(fits.get(0).series()).isEqualTo("runs");
    assertThat(fits.get(0).gridPoints()).isEqualTo(2);
    assertThat(fits.get(0).fit().slope()).isCloseTo(Math.log10(901.0 / 4), offset(1e-3));
    assertThat(fits.get(0).fit().slope()).isCloseTo(Math.log10(901.0 / 4), offset(1e-12));
    assertThat(t.series().get(0).medians()).hasSize(2);
    assertThat(t.series().get(0).medians().get(0).x()).isCloseTo(5, offset(1e-12));
    assertThat(t.series().get(0).medians().get(0).y()).isCloseTo(Math.log10(901),
        offset(1e-12));
    assertThat(t.series().get(0).dots()).hasSize(6);
    // runs without weight decay are left out silently: they have no 1/(step_size x weight_decay)
    assertThat(t.notes()).isEmpty();
  }

  @Test
  void slopeIsLeastSquaresAndNeedsTwoValues() {
    // y = 1 + 2x exactly: slope 2, intercept 1 (to rounding)
    Fit f = GrokkingTimeChart.fit(List.of(new Xy(1, 3), new Xy(2, 5), new Xy(4, 9)));
    assertThat(f.slope()).isCloseTo(2.0, offset(1e-12));
    assertThat(f.intercept()).isCloseTo(1.0, offset(1e-12));
    assertThat(GrokkingTimeChart.fit(List.of(new Xy(3, 1), new Xy(3, 2)))).isNull();
    assertThat(GrokkingTimeChart.fit(List.of(new Xy(3, 1)))).isNull();
  }

  @Test
  void oneValueOfStepSizeTimesWeightDecayHasNoSlope() {
    ReportData d = data(List.of(run(0.1, 1e-3, "ok", 3, 30, "grokking"),
        run(0.1, 1e-3, "ok", 3, 50, "grokking"), run(0.1, 1e-3, "diverged", 3, 20, null)),
        List.of(), Map.of(), List.of());
    Times t = GrokkingTimeChart.compute(d);
    assertThat(t.overall()).isNull();
    assertThat(t.fitRows()).containsExactly(new FitRow("runs", 1, null));
    assertThat(t.notes()).containsExactly("1 run(s) with weight_decay > 0 never reached the "
        + "generalization threshold (or did not finish ok) and are not drawn.", "No slope "
        + "fitted: a fit needs at least two values of step_size x weight_decay among the runs "
        + "that generalized.");
  }

  @Test
  void theFitTableReadsThreeDecimalsOrNotApplicable() {
    assertThat(Page.fitCells(new FitRow("runs", 2, new Fit(Math.log10(901.0 / 4), -1.5))))
        .containsExactly("2", "2.353", "-1.500");
    assertThat(Page.fitCells(new FitRow("runs", 1, null))).containsExactly("1", "n/a", "n/a");
  }
}

package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.grokgrid.analysis.report.PhaseDiagramChart.Cell;
import io.grokgrid.analysis.report.PhaseDiagramChart.Grid;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Phase diagram and delay map from hand-made data: the cells computed, the sheets drawn. */
class PhaseDiagramChartTest extends ChartTestSupport {
  static final List<String> AXES = List.of("step_size", "weight_decay");

  @Test
  void twoByTwoGridDrawsPhaseDiagramAndDelayMap() throws IOException {
    List<Figure> phase = PhaseDiagramChart.figures(twoByTwo(), dir, AXES);
    assertThat(phase).extracting(Figure::missing).containsOnlyNulls();
    assertPng(dir.resolve("phase_diagram.png"), phase.get(0).width(), phase.get(0).height());
    assertPng(dir.resolve("delay_map.png"), phase.get(1).width(), phase.get(1).height());
  }

  @Test
  void cellsHoldTheirMostCommonPhaseAndMedianDelay() {
    Grid g = PhaseDiagramChart.compute(twoByTwo(), AXES);
    assertThat(g.missing()).isNull();
    assertThat(g.xs()).containsExactly(0.01, 0.1);
    assertThat(g.ys()).containsExactly(0.0, 1e-3);
    assertThat(g.sliceAxes()).isEmpty();
    assertThat(g.slices()).hasSize(1);
    List<Cell> cells = g.slices().get(0).cells();
    assertThat(cells).extracting(Cell::i, Cell::j).containsExactly(
        org.assertj.core.groups.Tuple.tuple(0, 0), org.assertj.core.groups.Tuple.tuple(0, 1),
        org.assertj.core.groups.Tuple.tuple(1, 0), org.assertj.core.groups.Tuple.tuple(1, 1));
    Cell grok = cells.get(0);
    assertThat(PhaseDiagramChart.CELL_CATEGORIES.get(grok.category())).isEqualTo("grokking");
    assertThat(grok.inCategory()).isEqualTo(3);
    assertThat(grok.runs()).isEqualTo(3);
    assertThat(grok.counts()).containsExactly(0, 3, 0, 0, 0);
    // delays t_gen - t_fit = 895, 896, 897
    assertThat(grok.delay().steps()).isEqualTo(896.0);
    assertThat(grok.delay().log10()).isCloseTo(Math.log10(896), offset(1e-12));
    assertThat(grok.delay().runs()).isEqualTo(3);
    Cell comp = cells.get(2);
    assertThat(PhaseDiagramChart.CELL_CATEGORIES.get(comp.category()))
        .isEqualTo("comprehension");
    // delays -2, -1, 0: the median delay is -1 step, its colour that of 1 step
    assertThat(comp.delay().steps()).isEqualTo(-1.0);
    assertThat(comp.delay().log10()).isEqualTo(0.0);
    assertThat(g.delayLow()).isEqualTo(0.0);
    assertThat(g.delayHigh()).isCloseTo(Math.log10(896), offset(1e-12));
    assertThat(DelayMapChart.Scale.of(g)).isEqualTo(new DelayMapChart.Scale(g.delayLow(),
        g.delayHigh()));
  }

  @Test
  void tiesGoToTheAlphabeticallyFirstCategoryAndRunsNotOkCountApart() {
    List<RunRow> runs = List.of(
        // a diverged run counts as diverged/failed whatever its phase: ties memorization
        run(0.01, 0.0, "diverged", 3, 40, "grokking"), run(0.01, 0.0, "ok", 3, null,
            "memorization"),
        run(0.01, 1e-3, "ok", 3, 40, "grokking"), run(0.01, 1e-3, "ok", 3, 39, "comprehension"),
        run(0.1, 0.0, "ok", null, null, null));
    ReportData d = data(runs, AXES, Map.of(), List.of());
    Grid g = PhaseDiagramChart.compute(d, AXES);
    List<Cell> cells = g.slices().get(0).cells();
    assertThat(cells).extracting(c -> PhaseDiagramChart.CELL_CATEGORIES.get(c.category()))
        .containsExactly("diverged/failed", "comprehension", "no phase");
    assertThat(cells.get(0).counts()).containsExactly(0, 0, 1, 0, 1);
    assertThat(cells.get(2).inCategory()).isZero();
    assertThat(cells.get(2).delay()).isNull();
    assertThat(g.slices().get(0).anyNotOk()).isTrue();
    // nearly equal delays (cells' medians 37 and about 36.5 steps) widen to half a decade of
    // colour around their middle
    DelayMapChart.Scale s = DelayMapChart.Scale.of(g);
    double mid = (g.delayLow() + g.delayHigh()) / 2;
    assertThat(s.lower()).isCloseTo(mid - 0.25, offset(1e-12));
    assertThat(s.upper()).isCloseTo(mid + 0.25, offset(1e-12));
  }

  @Test
  void oneCellOrAMissingColumnIsExplained() throws IOException {
    ReportData single = data(List.of(run(0.1, 0.0, "ok", 3, 30, "grokking")), List.of(),
        Map.of(), List.of());
    List<Figure> f = PhaseDiagramChart.figures(single, dir, AXES);
    assertThat(f).extracting(Figure::heading).containsExactly(
        "Phase diagram (step_size x weight_decay)",
        "Median grokking delay (step_size x weight_decay)");
    assertThat(f.get(0).missing()).isEqualTo("No phase diagram: step_size and weight_decay have "
        + "a single value each in the selected runs (step_size=0.1, weight_decay=0), so there is "
        + "one cell. The sweep has a single grid point; its phases are in the phase table "
        + "below.");
    assertThat(f.get(1).missing()).startsWith("No delay map: step_size and weight_decay have");
    assertThat(PhaseDiagramChart.compute(single, List.of("width", "step_size")).missing())
        .isEqualTo("No phase diagram: the runs have no column width (the default axes are "
            + "step_size and weight_decay; choose two of [noise_rate, step_size, weight_decay] "
            + "with --axes x,y).");
  }
}

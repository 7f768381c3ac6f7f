package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refined map's lattice from sweep.json and the category of every lattice point. */
class RefinedMapTest {
  static JsonNode spec() throws Exception {
    return new ObjectMapper().readTree("""
        {"name": "m", "task": "ridge", "replicates": 3,
         "grid": {"label_noise_std": [0.0, 0.1],
                  "step_size": {"from": 0.01, "to": 100.0, "points": 5, "scale": "log"},
                  "weight_decay": {"from": 0.0, "to": 1.0, "points": 3, "scale": "linear"}},
         "refine": {"axes": ["step_size", "weight_decay"], "by": "phase", "levels": 2}}
        """);
  }

  @Test
  void latticeComesFromTheSpec() throws Exception {
    RefinedMap.Lattice l = RefinedMap.of(spec());
    assertThat(l.levels()).isEqualTo(2);
    assertThat(l.axes()).extracting(RefinedMap.Axis::name).containsExactly("step_size", "weight_decay");
    assertThat(l.axis("step_size").size()).isEqualTo(17);
    assertThat(l.axis("weight_decay").size()).isEqualTo(9);
    assertThat(l.fullRuns()).isEqualTo(2L * 17 * 9 * 3);
    assertThat(RefinedMap.of(new ObjectMapper().readTree("{\"grid\": {\"a\": [1, 2]}}"))).isNull();
    // every lattice value maps back to its index; level-0 values label the ticks
    RefinedMap.Axis a = l.axis("step_size");
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.index(RefinedMap.value(a, i))).isEqualTo(i);
    }
    assertThat(RefinedMap.value(a, 4)).isEqualTo(0.1);
    assertThat(RefinedMap.labels(a, 2)).startsWith("0.01", "", "", "", "0.1");
  }

  @Test
  void everyLatticePointTakesItsNearestEvaluatedPoint() throws Exception {
    RefinedMap.Lattice l = RefinedMap.of(spec());
    RefinedMap.Axis x = l.axis("step_size");
    RefinedMap.Axis y = l.axis("weight_decay");
    // evaluated: the four coarse corners of the lower-left cell, three comprehension, one grokking (index 1)
    List<Object> xs = List.of(RefinedMap.value(x, 0), RefinedMap.value(x, 4));
    List<Object> ys = List.of(RefinedMap.value(y, 0), RefinedMap.value(y, 4));
    List<PhaseDiagramChart.Cell> cells = new ArrayList<>();
    cells.add(cell(0, 0, 0));
    cells.add(cell(1, 0, 0));
    cells.add(cell(0, 1, 0));
    cells.add(cell(1, 1, 1));
    int[][] r = RefinedMap.raster(x, y, xs, ys, cells);
    assertThat(r[0][0]).isZero();
    assertThat(r[4][4]).isEqualTo(1);
    assertThat(r[3][3]).isEqualTo(1); // nearest (4, 4)
    assertThat(r[1][1]).isZero();
    // the centre (2, 2) is equally near all four: three comprehension against one
    assertThat(r[2][2]).isZero();
    // (2, 4) is equally near (0, 4) comprehension and (4, 4) grokking: the alphabetically first
    assertThat(r[2][4]).isZero();
    assertThat(r[16][8]).isEqualTo(1); // far corner: nearest is (4, 4)
  }

  static PhaseDiagramChart.Cell cell(int i, int j, int category) {
    List<Integer> counts = new ArrayList<>(List.of(0, 0, 0, 0, 0));
    counts.set(category, 3);
    return new PhaseDiagramChart.Cell(i, j, 3, counts, category, null);
  }
}

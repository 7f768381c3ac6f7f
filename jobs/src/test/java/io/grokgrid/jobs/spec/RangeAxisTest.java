package io.grokgrid.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/** Axes given as ranges, and the refine block's parsing (its refusals are in bad-specs/). */
class RangeAxisTest {
  static final String REFINED = """
      name: ridge-map
      task: ridge
      seed: 3
      replicates: 2
      steps: 100
      log_points: 20
      fixed: {n_train: 10, dim: 40}
      grid:
        label_noise_std: [0.0, 0.1]
        step_size: {from: 0.01, to: 1.0, points: 5, scale: log}
        weight_decay: {from: 1.0e-4, to: 1.0e-2, points: 5, scale: log}
      refine: {axes: [weight_decay, step_size], by: phase, levels: 3}
      """;

  @Test
  void linearRangeSpacesValuesEvenlyWithBothEnds() {
    SweepSpec s = SpecParser.parse(REFINED.replace("refine: {axes: [weight_decay, step_size], by: phase, levels: 3}", "")
        .replace("label_noise_std: [0.0, 0.1]", "label_noise_std: {from: 0.0, to: 0.5, points: 6}"), "r.yaml");
    assertThat(s.grid().get("label_noise_std")).containsExactly(0.0, 0.1, 0.2, 0.5 * 3 / 5, 0.4, 0.5);
    assertThat(s.refine()).isNull();
    assertThat(s.gridPoints()).isEqualTo(6 * 5 * 5);
  }

  @Test
  void logRangeIsGeometric() {
    SweepSpec s = SpecParser.parse(REFINED.replace("refine: {axes: [weight_decay, step_size], by: phase, levels: 3}", ""), "r.yaml");
    List<Double> wd = s.grid().get("weight_decay");
    assertThat(wd).hasSize(5);
    assertThat(wd.get(0)).isEqualTo(1e-4);
    assertThat(wd.get(4)).isEqualTo(1e-2);
    for (int i = 1; i < 5; i++) {
      assertThat(wd.get(i) / wd.get(i - 1)).isCloseTo(Math.sqrt(10), org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void integerRangeRounds() {
    AxisRange r = new AxisRange(10, 100, 4, true);
    // 10 * 10^(i/3): 10, 21.54, 46.42, 100
    assertThat(r.lattice(0, true)).containsExactly(10.0, 22.0, 46.0, 100.0);
  }

  @Test
  void refinedAxisHoldsLevelZeroAndItsFinestLatticeIsThePlainGridOfThatResolution() {
    SweepSpec s = SpecParser.parse(REFINED, "r.yaml");
    assertThat(s.refine().axes()).containsExactly("step_size", "weight_decay"); // grid order
    assertThat(s.refine().levels()).isEqualTo(3);
    assertThat(s.grid().get("step_size")).hasSize(5);
    assertThat(s.runCount()).isEqualTo(2 * 5 * 5 * 2);
    SweepSpec finest = s.finest();
    assertThat(finest.refine()).isNull();
    assertThat(finest.grid().get("step_size")).hasSize(33);
    assertThat(finest.grid().get("label_noise_std")).containsExactly(0.0, 0.1);
    // level 0 is every 8th finest value, bit for bit
    for (int i = 0; i < 5; i++) {
      assertThat(s.grid().get("weight_decay").get(i)).isEqualTo(finest.grid().get("weight_decay").get(8 * i));
    }
    // a plain 33-point range gives the same values, hence the same run ids and seeds
    SweepSpec plain = SpecParser.parse(REFINED.replace("refine: {axes: [weight_decay, step_size], by: phase, levels: 3}", "")
        .replace("points: 5", "points: 33"), "p.yaml");
    assertThat(plain.grid()).isEqualTo(finest.grid());
    assertThat(Grid.expand(plain)).isEqualTo(Grid.expand(finest));
  }

  @Test
  void roundTripsThroughItsMapAndYaml() {
    SweepSpec s = SpecParser.parse(REFINED.replace("by: phase", "by: test_loss, bins: [0.01, 0.1], max_runs: 900"), "r.yaml");
    assertThat(s.refine().bins()).containsExactly(0.01, 0.1);
    assertThat(s.refine().maxRuns()).isEqualTo(900);
    assertThat(SpecParser.fromMap(s.toMap(), "map")).isEqualTo(s);
    String yaml = new Dump(DumpSettings.builder().build()).dumpToString(s.toMap());
    assertThat(SpecParser.parse(yaml, "dumped")).isEqualTo(s);
  }

  @Test
  void binsAreForNumericOutcomesOnly() {
    assertThatThrownBy(() -> SpecParser.parse(REFINED.replace("by: phase", "by: grokked, bins: [1]"), "r.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refine.bins applies only to a numeric refine.by, got bins a list [1] with by 'grokked'");
    assertThatThrownBy(() -> SpecParser.parse(REFINED.replace("by: phase", "by: t_gen, bins: [10, 5]"), "r.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refine.bins must be strictly ascending, got a list [10, 5]");
  }

  @Test
  void maxRunsMustCoverLevelZero() {
    assertThatThrownBy(() -> SpecParser.parse(REFINED.replace("levels: 3", "levels: 3, max_runs: 99"), "r.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refine.max_runs must be >= the runs of level 0 (100), got 99");
  }

  @Test
  void refinedAxisMustBeAGridAxis() {
    assertThatThrownBy(() -> SpecParser.parse(REFINED.replace("axes: [weight_decay, step_size]", "axes: [dim]"), "r.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refine.axes names 'dim', which is not a grid axis (it is fixed); a refined axis must be a range"
            + " under grid, {from, to, points, scale}");
  }

  @Test
  void outcomeNamesComeFromTheTask() {
    Refine r = new Refine(List.of("a"), "test_loss", List.of(0.01, 0.1), 2, 0);
    assertThat(r.label(0.001)).isEqualTo("bin0");
    assertThat(r.label(0.01)).isEqualTo("bin1");
    assertThat(r.label(5.0)).isEqualTo("bin2");
    assertThat(r.label(null)).isEqualTo("none");
    assertThat(new Refine(List.of("a"), "phase", List.of(), 2, 0).label("grokking")).isEqualTo("grokking");
  }
}

package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import org.junit.jupiter.api.Test;

/** What {@code validate} prints for a refined spec: level 0's runs and the worst case. */
class ValidateRefineTest {
  static final String SPEC = """
      name: ridge-map
      task: ridge
      replicates: 3
      steps: 100
      log_points: 20
      fixed: {n_train: 10, dim: 40}
      grid:
        label_noise_std: [0.0, 0.1]
        step_size: {from: 0.01, to: 1.0, points: 5, scale: log}
        weight_decay: {from: 1.0e-4, to: 1.0e-2, points: 5, scale: log}
      refine: {axes: [step_size, weight_decay], by: phase, levels: 3}
      """;

  @Test
  void printsLevelZeroAndTheWorstCase() {
    SweepSpec s = SpecParser.parse(SPEC, "r.yaml");
    String plan = Cli.plan(s);
    assertThat(plan).contains("runs: 50 grid points x 3 replicates = 150 runs")
        .contains("refine: [step_size, weight_decay] by phase, 3 levels, finest lattice 33 x 33 (spacing 1/8 of level 0's)")
        .contains("  level 0: 150 runs (the grid above); worst case: 6534 runs (every cell split at every level:"
            + " the full grid of the finest lattice)");
    // level 0's values are the coarse grid, on the finest lattice
    assertThat(plan).contains("axis  step_size     [0.01, " + Math.pow(10, -1.5) + ", 0.1, " + Math.pow(10, -0.5) + ", 1.0]");
  }

  @Test
  void maxRunsBoundsTheWorstCase() {
    String plan = Cli.plan(SpecParser.parse(SPEC.replace("levels: 3", "levels: 3, max_runs: 1000"), "r.yaml"));
    assertThat(plan).contains("worst case: 1000 runs (refine.max_runs; the full grid of the finest lattice has 6534)");
  }

  @Test
  void plainGridPrintsNoRefineLines() {
    String plan = Cli.plan(SpecParser.parse(SPEC.replace("refine: {axes: [step_size, weight_decay], by: phase, levels: 3}\n", ""), "r.yaml"));
    assertThat(plan).doesNotContain("refine").contains("runs: 50 grid points x 3 replicates = 150 runs");
  }
}

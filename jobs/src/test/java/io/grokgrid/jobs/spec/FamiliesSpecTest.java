package io.grokgrid.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.engine.Form;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.engine.net.GdTrainer;
import io.grokgrid.engine.ridge.Ridge;
import io.grokgrid.vocab.Columns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Specs, ids, seeds and packs of the families beyond xor-clusters, and xor-clusters' stability. */
class FamiliesSpecTest {

  /**
   * A run whose id and seeds were recorded from the release before the
   * family abstraction: they must never change (README: run_id stable across releases).
   */
  @Test
  void xorClustersIdsAndSeedsAreThoseOfEarlierReleases() {
    SweepSpec s = SpecParser.parse("""
        name: cmp1
        task: xor-clusters
        seed: 5
        replicates: 2
        steps: 60
        log_points: 20
        fixed: {n_train: 20, n_test: 40, dim: 300, init_scale: 1.0e-6}
        grid:
          width: [16, 8]
          noise_rate: [0.0, 0.2]
          step_size: [1.0e-3, 1.0e-1]
          weight_decay: [0.0, 0.5]
        """, "cmp1.yaml");
    Grid.RunPoint r = Grid.expand(s).stream()
        .filter(p -> p.replicate() == 1 && p.params().get("width") == 8.0
            && p.params().get("noise_rate") == 0.2 && p.params().get("step_size") == 0.1
            && p.params().get("weight_decay") == 0.5)
        .findFirst().orElseThrow();
    assertThat(r.runId()).isEqualTo("f73ea8be22cad2f3");
    assertThat(r.datasetSeed()).isEqualTo(7444280987190187546L);
    assertThat(r.initSeed()).isEqualTo(6540230689350073523L);
  }

  @Test
  void ridgeTakesThePapersDefaultsAndLossThresholds() {
    SweepSpec s = SpecParser.parse("name: r\ntask: ridge\nsteps: 10\n", "r.yaml");
    assertThat(s.thresholds()).isEqualTo(Thresholds.REGRESSION_DEFAULT);
    Map<String, Double> p = Grid.expand(s).get(0).params();
    assertThat(p).containsExactly(Map.entry("n_train", 100.0), Map.entry("dim", 1000.0),
        Map.entry("label_noise_std", 0.0), Map.entry("init_scale", 1.0), Map.entry("step_size", 1.0),
        Map.entry("weight_decay", 1e-4));
    // a loss threshold above 1 is fine for a regression family, not for a classification one
    SweepSpec loose = SpecParser.parse("name: r\ntask: ridge\nsteps: 10\nthresholds: {fit: 2.0}\n", "r");
    assertThat(loose.thresholds().fit()).isEqualTo(2.0);
    assertThat(loose.thresholds().loss()).isTrue();
    assertThat(SpecParser.fromMap(loose.toMap(), "map")).isEqualTo(loose);
    assertThatThrownBy(() -> SpecParser.parse("name: x\ntask: xor-clusters\nsteps: 10\n"
        + "fixed: {dim: 10, width: 4, step_size: 0.1}\nthresholds: {fit: 2.0}\n", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("thresholds.fit must be in (0, 1], got 2");
  }

  @Test
  void ridgePacksItsOptimizerGridOnSharedDataAndInit() {
    SweepSpec s = SpecParser.parse("""
        name: r
        task: ridge
        replicates: 2
        steps: 1000
        fixed: {n_train: 5, dim: 20}
        grid: {init_scale: [0.5, 1.0], step_size: [0.5, 1.0], weight_decay: [0.0, 0.01, 0.1]}
        """, "r");
    List<Grid.Unit> units = Grid.units(s, MemoryPlan.Budget.of(null));
    assertThat(units).hasSize(2); // one data set per replicate
    for (Grid.Unit u : units) {
      assertThat(u.packs()).hasSize(2); // one initialization per init_scale
      for (Grid.Pack p : u.packs()) {
        assertThat(p.runs()).hasSize(6);
        // 1000 steps: the spectral form's O(n) steps beat the primal 4 n p once its set-up is paid
        assertThat(Grid.form(s, p)).isEqualTo(Form.DUAL);
      }
    }
  }

  @Test
  void leakSharesDataAndInitButNotThePack() {
    SweepSpec s = SpecParser.parse("""
        name: g
        task: gaussian-mixture
        steps: 10
        fixed: {n_train: 6, n_test: 6, dim: 30, width: 4, signal: 2.0}
        grid: {leak: [0.0, 0.1, 0.5], step_size: [0.1, 0.2]}
        """, "g");
    List<Grid.RunPoint> runs = Grid.expand(s);
    assertThat(runs).hasSize(6);
    assertThat(runs.stream().map(Grid.RunPoint::datasetSeed).distinct()).hasSize(1);
    assertThat(runs.stream().map(Grid.RunPoint::initSeed).distinct()).hasSize(1);
    List<Grid.Unit> units = Grid.units(s, MemoryPlan.Budget.of(null));
    assertThat(units).hasSize(1);
    assertThat(units.get(0).packs()).hasSize(3);
    for (Grid.Pack p : units.get(0).packs()) {
      assertThat(p.runs()).extracting(r -> r.params().get("leak")).containsOnly(p.params().get("leak"));
    }
    // the classification defaults
    assertThat(s.thresholds()).isEqualTo(Thresholds.DEFAULT);
  }

  /**
   * clusters and subspace: their own data parameter (clusters, subspace_dim) enters the data seed
   * (and so the init seed, derived from it); leak defaults to 0 (plain ReLU); the classification
   * thresholds apply.
   */
  @Test
  void clustersAndSubspaceDrawNewDataForTheirOwnParameter() {
    for (String[] t : new String[][] {{"clusters", "clusters", "[2, 4]"}, {"subspace", "subspace_dim", "[2, 4]"}}) {
      SweepSpec s = SpecParser.parse("name: c\ntask: " + t[0] + "\nsteps: 10\n"
          + "fixed: {n_train: 6, n_test: 6, dim: 30, width: 4, signal: 2.0}\n"
          + "grid: {" + t[1] + ": " + t[2] + ", step_size: [0.1, 0.2]}\n", "c");
      List<Grid.RunPoint> runs = Grid.expand(s);
      assertThat(runs).hasSize(4);
      assertThat(runs).allSatisfy(r -> assertThat(r.params()).containsEntry("leak", 0.0));
      assertThat(runs.stream().map(Grid.RunPoint::datasetSeed).distinct()).as(t[1]).hasSize(2);
      assertThat(runs.stream().map(Grid.RunPoint::initSeed).distinct()).as(t[1]).hasSize(2);
      assertThat(s.thresholds()).isEqualTo(Thresholds.DEFAULT);
      // the step sizes of one data set are packed together
      List<Grid.Unit> units = Grid.units(s, MemoryPlan.Budget.of(null));
      assertThat(units).hasSize(2);
      assertThat(units).allSatisfy(u -> assertThat(u.packs()).singleElement()
          .satisfies(p -> assertThat(p.runs()).hasSize(2)));
    }
  }

  @Test
  void aSpecBuiltInCodeMustUseItsTasksKindOfThresholds() {
    assertThatThrownBy(() -> new SweepSpec("r", "ridge", 0, 1, 10, 20, io.grokgrid.engine.Precision.FLOAT64,
        "auto", Map.of(), Map.of(), Thresholds.DEFAULT, 0.1, 0.9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("thresholds of task ridge must compare losses, got " + Thresholds.DEFAULT);
  }

  @Test
  void theoryColumnNamesAreTheEnginesKeys() {
    io.grokgrid.engine.ridge.Ridge ridge = new io.grokgrid.engine.ridge.Ridge(10, 20, 0.0, 1.0, "auto");
    assertThat(ridge.theory(ridge.generate(1), new io.grokgrid.engine.Hyper(1.0, 1e-3),
        Thresholds.REGRESSION_DEFAULT).keySet())
        .containsExactlyElementsOf(TaskCatalog.entry(io.grokgrid.vocab.Tasks.RIDGE).theoryColumns())
        .containsExactly(Columns.T_FIT_BOUND, Columns.T_GEN_BOUND);
    assertThat(Files.exists(Path.of("..", "sweeps", "ridge-fig2.yaml"))).isTrue();
  }

  /**
   * kernel-ridge's spectra each read only their own parameter (power decay, exp exp_rate): one
   * spec holds all three, a value a spectrum ignores is not checked for it, and a grid axis over
   * a parameter is allowed where every run reads it (the refusals are in bad-specs/krr-*.yaml).
   */
  @Test
  void kernelRidgeSpectraReadOnlyTheirOwnParameter() {
    SweepSpec all = SpecParser.parse("""
        name: t
        task: kernel-ridge
        seed: 1
        steps: 0
        fixed: {target: noise, decay: 2.0, exp_rate: 0.03}
        grid: {spectrum: [power, exp, log], n_train: [50, 100], weight_decay: [0.0, 1.0]}
        """, "all.yaml");
    assertThat(all.runCount()).isEqualTo(3 * 2 * 2);
    // exp_rate 0 is no rate, but neither power nor log reads it; decay 0.5 is no power exponent,
    // but neither exp nor log reads it
    SpecParser.parse("""
        name: t
        task: kernel-ridge
        seed: 1
        steps: 0
        fixed: {target: noise, exp_rate: 0.0}
        grid: {spectrum: [power, log], n_train: [50], weight_decay: [0.0, 1.0]}
        """, "power-log.yaml");
    SpecParser.parse("""
        name: t
        task: kernel-ridge
        seed: 1
        steps: 0
        fixed: {target: noise, decay: 0.5}
        grid: {spectrum: [exp, log], n_train: [50], weight_decay: [0.0, 1.0]}
        """, "exp-log.yaml");
    SweepSpec decays = SpecParser.parse("""
        name: t
        task: kernel-ridge
        seed: 1
        steps: 0
        fixed: {target: noise, spectrum: power}
        grid: {decay: [2.0, 3.0], n_train: [50], weight_decay: [0.0, 1.0]}
        """, "decays.yaml");
    assertThat(decays.runCount()).isEqualTo(2 * 2);
    assertThatThrownBy(() -> SpecParser.parse("""
        name: t
        task: kernel-ridge
        seed: 1
        steps: 0
        fixed: {target: noise, spectrum: log}
        grid: {exp_rate: [0.1, 0.2], n_train: [50], weight_decay: [0.0, 1.0]}
        """, "log-rates.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grid.exp_rate [0.1, 0.2] is read only by spectrum exp, so the runs of spectrum"
            + " log would repeat once per value; set exp_rate under fixed, or sweep it in a spec of"
            + " spectrum exp alone");
  }
}

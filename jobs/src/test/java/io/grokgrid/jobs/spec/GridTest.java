package io.grokgrid.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GridTest {
  private static SweepSpec spec(String extra) {
    return SpecParser.parse("""
        name: g
        task: xor-clusters
        seed: 3
        replicates: 2
        steps: 10
        log_points: 11
        fixed: {n_train: 10, n_test: 10, dim: 50}
        grid:
          width: [4, 8]
          step_size: [0.1, 0.2, 0.3]
          weight_decay: [0, 0.5]
        """ + extra, "g.yaml");
  }

  @Test
  void expandsTheProductWithReplicatesInnermost() {
    SweepSpec s = spec("");
    List<Grid.RunPoint> runs = Grid.expand(s);
    assertThat(runs).hasSize(2 * 3 * 2 * 2);
    assertThat(runs.get(0).replicate()).isZero();
    assertThat(runs.get(1).replicate()).isEqualTo(1);
    assertThat(runs.get(0).params()).containsEntry("width", 4.0).containsEntry("step_size", 0.1)
        .containsEntry("weight_decay", 0.0).containsEntry("noise_rate", 0.0)
        .containsEntry("init_scale", 1e-15);
    // derived default: the paper's r = 2.5 sqrt(p / n)
    assertThat(runs.get(0).params().get("signal")).isEqualTo(2.5 * Math.sqrt(50.0 / 10.0));
    Set<String> ids = runs.stream().map(Grid.RunPoint::runId).collect(Collectors.toSet());
    assertThat(ids).hasSize(runs.size());
  }

  @Test
  void runIdsAndSeedsAreStableAndIndependentOfAxisOrder() {
    List<Grid.RunPoint> a = Grid.expand(spec(""));
    SweepSpec reordered = SpecParser.parse("""
        name: g
        task: xor-clusters
        seed: 3
        replicates: 2
        steps: 10
        log_points: 11
        fixed: {n_train: 10, n_test: 10, dim: 50}
        grid:
          weight_decay: [0, 0.5]
          step_size: [0.1, 0.2, 0.3]
          width: [4, 8]
        """, "r.yaml");
    Map<String, Grid.RunPoint> b = Grid.expand(reordered).stream()
        .collect(Collectors.toMap(Grid.RunPoint::runId, r -> r));
    for (Grid.RunPoint r : a) {
      assertThat(b).containsKey(r.runId());
      assertThat(b.get(r.runId()).datasetSeed()).isEqualTo(r.datasetSeed());
      assertThat(b.get(r.runId()).initSeed()).isEqualTo(r.initSeed());
    }
    // a different sweep seed changes every id and seed
    List<Grid.RunPoint> c = Grid.expand(SpecParser.parse(
        "name: g\ntask: xor-clusters\nseed: 4\nreplicates: 2\nsteps: 10\nlog_points: 11\n"
            + "fixed: {n_train: 10, n_test: 10, dim: 50}\n"
            + "grid: {width: [4, 8], step_size: [0.1, 0.2, 0.3], weight_decay: [0, 0.5]}\n", "c"));
    assertThat(c.get(0).runId()).isNotEqualTo(a.get(0).runId());
    assertThat(c.get(0).datasetSeed()).isNotEqualTo(a.get(0).datasetSeed());
  }

  @Test
  void commonRandomNumbers() {
    List<Grid.RunPoint> runs = Grid.expand(spec(""));
    for (Grid.RunPoint x : runs) {
      for (Grid.RunPoint y : runs) {
        boolean sameData = x.replicate() == y.replicate();
        assertThat(x.datasetSeed() == y.datasetSeed()).isEqualTo(sameData);
        boolean sameInit = sameData && x.params().get("width").equals(y.params().get("width"));
        assertThat(x.initSeed() == y.initSeed()).isEqualTo(sameInit);
      }
    }
  }

  @Test
  void unitsHoldEachRunOnceAndPackSharedInits() {
    SweepSpec s = spec("");
    List<Grid.RunPoint> runs = Grid.expand(s);
    List<Grid.Unit> units = Grid.units(s, MemoryPlan.Budget.of(null));
    assertThat(units).hasSize(2); // one data set per replicate
    Set<String> seen = new HashSet<>();
    for (Grid.Unit u : units) {
      assertThat(u.packs()).hasSize(2); // one per width
      for (Grid.Pack p : u.packs()) {
        assertThat(p.runs()).hasSize(6); // 3 step sizes x 2 weight decays
        for (Grid.RunPoint r : p.runs()) {
          assertThat(r.initSeed()).isEqualTo(p.initSeed());
          assertThat(r.datasetSeed()).isEqualTo(u.datasetSeed());
          assertThat(seen.add(r.runId())).isTrue();
        }
      }
    }
    assertThat(seen).hasSize(runs.size());
  }

  @Test
  void largePacksAreSplit() {
    SweepSpec s = SpecParser.parse("""
        name: big
        task: xor-clusters
        steps: 1
        fixed: {n_train: 4, n_test: 4, dim: 8, width: 2048}
        grid: {step_size: [0.1, 0.2, 0.3, 0.4, 0.5]}
        """, "big");
    List<Grid.Unit> units = Grid.units(s, MemoryPlan.Budget.of(null));
    assertThat(units).hasSize(1);
    assertThat(units.get(0).packs()).extracting(p -> p.runs().size()).containsExactly(2, 2, 1);
  }
}

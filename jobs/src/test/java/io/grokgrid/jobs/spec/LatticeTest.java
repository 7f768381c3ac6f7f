package io.grokgrid.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.ParamDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The lattice against an independent, simple implementation: expand every run, group by data
 * set seed and by (init seed, model parameters) in the order of first appearance, and cut packs
 * (the planner before plans came from index ranges). Same units, runs, seeds, packs and costs.
 */
class LatticeTest {
  static final MemoryPlan.Budget AMPLE = new MemoryPlan.Budget(1e12, 1e12, "ample");

  /** The reference: every run expanded, grouped by first appearance. */
  static List<Grid.Unit> reference(SweepSpec spec, MemoryPlan.Budget budget) {
    List<Grid.RunPoint> runs = Grid.expand(spec);
    Map<Long, List<Grid.RunPoint>> byData = new LinkedHashMap<>();
    for (Grid.RunPoint r : runs) {
      byData.computeIfAbsent(r.datasetSeed(), k -> new ArrayList<>()).add(r);
    }
    int[] logs = LogSchedule.of(spec.steps(), spec.logPoints());
    List<Grid.Unit> out = new ArrayList<>();
    for (List<Grid.RunPoint> group : byData.values()) {
      Map<List<Object>, List<Grid.RunPoint>> byInit = new LinkedHashMap<>();
      for (Grid.RunPoint r : group) {
        List<Object> key = new ArrayList<>();
        key.add(r.initSeed());
        for (ParamDef d : spec.params()) {
          if (d.role() == ParamDef.Role.MODEL) {
            key.add(r.params().get(d.name()));
          }
        }
        byInit.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      }
      Map<String, Double> p0 = group.get(0).params();
      Map<String, Double> data = new LinkedHashMap<>();
      for (ParamDef d : spec.params()) {
        if (d.role() == ParamDef.Role.DATA) {
          data.put(d.name(), p0.get(d.name()));
        }
      }
      List<Grid.Pack> packs = new ArrayList<>();
      double cost = TaskCatalog.family(spec, p0).setupCost();
      for (List<Grid.RunPoint> same : byInit.values()) {
        Grid.RunPoint first = same.get(0);
        Family<?> family = TaskCatalog.family(spec, first.params());
        int rowBound = Math.min(same.size(), Math.max(1, Grid.MAX_PACK_ROWS / family.rowsPerRun()));
        int per = MemoryPlan.runsPerPack(family, rowBound, spec.steps(), logs.length, budget);
        double runCost = family.runCost(spec.steps(), logs.length);
        for (int i = 0; i < same.size(); i += per) {
          List<Grid.RunPoint> part = List.copyOf(same.subList(i, Math.min(same.size(), i + per)));
          packs.add(new Grid.Pack(first.initSeed(), part));
          cost += part.size() * runCost;
        }
      }
      out.add(new Grid.Unit(group.get(0).datasetSeed(), data, packs, cost));
    }
    return out;
  }

  static SweepSpec parse(String yaml) {
    return SpecParser.parse(yaml, "t.yaml");
  }

  /** Specs whose axes interleave the roles in every order, with model axes and choices. */
  static final List<String> SPECS = List.of("""
      name: a
      task: xor-clusters
      seed: 3
      replicates: 3
      steps: 10
      log_points: 5
      fixed: {n_train: 10, n_test: 10}
      grid:
        step_size: [0.1, 0.2]
        dim: [20, 30]
        width: [4, 8, 2]
        weight_decay: [0, 0.5]
        noise_rate: [0.0, 0.1]
      """, """
      name: b
      task: gaussian-mixture
      seed: 11
      replicates: 2
      steps: 5
      log_points: 3
      fixed: {n_train: 8, n_test: 8, dim: 16, signal: 2.0, step_size: 0.1}
      grid:
        leak: [0.0, 0.1]
        weight_decay: [0, 1.0e-3, 1.0e-2]
        init_scale: [1.0e-3, 1.0e-2]
        width: [3, 5]
      """, """
      name: c
      task: modular-addition
      seed: 5
      replicates: 2
      steps: 4
      log_points: 2
      fixed: {modulus: 7, width: 8, step_size: 1.0e-3}
      grid:
        weight_decay: [0, 1.0]
        optimizer: [adamw, gd]
        train_fraction: [0.3, 0.5]
      """, """
      name: d
      task: ridge
      seed: 2
      replicates: 4
      steps: 20
      log_points: 5
      fixed: {n_train: 6, dim: 12}
      grid:
        step_size: [0.1, 0.2, 0.3]
      """);

  /** A budget that fits a pack of at most two runs of the spec's widest family. */
  static MemoryPlan.Budget twoRuns(SweepSpec s) {
    int logs = LogSchedule.of(s.steps(), s.logPoints()).length;
    MemoryUse most = null;
    for (Grid.RunPoint r : Grid.expand(s)) {
      MemoryUse m = TaskCatalog.family(s, r.params()).memory(2, s.steps(), logs);
      if (most == null || m.totalBytes() > most.totalBytes()) {
        most = m;
      }
    }
    return new MemoryPlan.Budget(most.heapBytes(), most.offHeapBytes(), "two runs");
  }

  @Test
  void unitsAreTheRunsGroupedByDataSetAndInitInOrderOfFirstAppearance() {
    for (String yaml : SPECS) {
      SweepSpec s = parse(yaml);
      for (MemoryPlan.Budget b : List.of(AMPLE, twoRuns(s))) {
        List<Grid.Unit> expected = reference(s, b);
        Lattice lattice = new Lattice(s, b);
        assertThat(lattice.units()).as(s.name()).isEqualTo(expected.size());
        assertThat(Grid.units(s, b)).as(s.name()).isEqualTo(expected);
        long runs = expected.stream().mapToLong(Grid.Unit::runCount).sum();
        assertThat(runs).isEqualTo(s.runCount());
        assertThat((long) lattice.runsPerUnit() * lattice.units()).isEqualTo(runs);
      }
    }
  }

  @Test
  void packsCutByTheBudgetMatchTheReference() {
    // xor-clusters, 4 step sizes x 2 weight decays = 8 runs per (width, init): the widest in packs of 2
    SweepSpec s = parse(SPECS.get(0).replace("step_size: [0.1, 0.2]", "step_size: [0.1, 0.2, 0.3, 0.4]"));
    MemoryPlan.Budget b = twoRuns(s);
    List<Grid.Unit> expected = reference(s, b);
    assertThat(expected.get(0).packs()).extracting(p -> p.runs().size()).contains(2);
    assertThat(Grid.units(s, b)).isEqualTo(expected);
    assertThat(new Lattice(s, b).plan().packs()).isEqualTo(expected.stream().mapToLong(u -> u.packs().size()).sum());
  }

  @Test
  void planCountsPacksFormsCostAndLargestPackAsTheExpandedUnitsDo() {
    for (String yaml : SPECS) {
      SweepSpec s = parse(yaml);
      Lattice lattice = new Lattice(s, AMPLE);
      Lattice.Plan plan = lattice.plan();
      List<Grid.Unit> units = reference(s, AMPLE);
      int logs = LogSchedule.of(s.steps(), s.logPoints()).length;
      Map<String, Long> forms = new TreeMap<>();
      long packs = 0;
      double largest = 0;
      double work = 0;
      for (int u = 0; u < units.size(); u++) {
        work += units.get(u).cost();
        // per unit, summed in another order: equal to rounding
        assertThat(plan.cost(u, s.replicates())).isCloseTo(units.get(u).cost(), within(1e-9 * units.get(u).cost()));
        for (Grid.Pack p : units.get(u).packs()) {
          packs++;
          forms.merge(Grid.form(s, p).label(), 1L, Long::sum);
          largest = Math.max(largest, TaskCatalog.family(s, p.params()).memory(p.runs().size(), s.steps(), logs).totalBytes());
        }
      }
      assertThat(plan.packs()).as(s.name()).isEqualTo(packs);
      assertThat(plan.forms()).as(s.name()).isEqualTo(forms);
      assertThat(plan.largest().totalBytes()).isEqualTo(largest);
      assertThat(plan.work(s.replicates())).isCloseTo(work, within(1e-9 * work));
    }
  }

  @Test
  void skippedRunsLeaveTheirPacksCutAsBefore() {
    SweepSpec s = parse(SPECS.get(0));
    Lattice lattice = new Lattice(s, AMPLE);
    Grid.Unit whole = lattice.unit(5, null);
    List<Grid.RunPoint> all = whole.packs().stream().flatMap(p -> p.runs().stream()).toList();
    // skip the first run of every pack, and one whole pack
    List<Long> skip = new ArrayList<>();
    for (Grid.Pack p : whole.packs()) {
      skip.add(Lattice.idNumber(p.runs().get(0).runId()));
    }
    whole.packs().get(1).runs().forEach(r -> skip.add(Lattice.idNumber(r.runId())));
    long[] sorted = skip.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
    Grid.Unit part = lattice.unit(5, sorted);
    assertThat(part.packs()).hasSize(whole.packs().size() - 1);
    assertThat(part.runCount()).isEqualTo(all.size() - sorted.length);
    for (Grid.Pack p : part.packs()) {
      Grid.Pack before = whole.packs().stream().filter(w -> w.runs().containsAll(p.runs())).findFirst().orElseThrow();
      assertThat(p.initSeed()).isEqualTo(before.initSeed());
      assertThat(p.runs()).isEqualTo(before.runs().subList(1, before.runs().size()));
    }
  }

  @Test
  void rangeChecksReachEveryValueOfEveryAxis() {
    // each bad value sits behind other axes' first values: the check must reach it
    assertThatThrownBy(() -> parse(SPECS.get(0).replace("weight_decay: [0, 0.5]", "weight_decay: [0, 0.5, -1]")))
        .hasMessageContaining("weight_decay").hasMessageContaining("-1");
    assertThatThrownBy(() -> parse(SPECS.get(0).replace("step_size: [0.1, 0.2]", "step_size: [0.1, 0.0]")))
        .hasMessageContaining("step_size");
    assertThatThrownBy(() -> parse(SPECS.get(0).replace("noise_rate: [0.0, 0.1]", "noise_rate: [0.0, 0.5]")))
        .hasMessageContaining("noise_rate must be in [0, 0.5), got 0.5");
    // a family check involving an optimizer value and a model value
    assertThatThrownBy(() -> parse("""
        name: u
        task: univariate-regression
        seed: 1
        steps: 20
        fixed: {width: 8}
        grid: {step_size: [0.01, 0.02], solver: [gd, min-norm], weight_decay: [0.0, 0.01]}
        """)).hasMessageContaining("weight_decay must be 0 with solver min-norm");
  }

  @Test
  void moreThanTenMillionRunsAreRefused() {
    SweepSpec s = parse(SPECS.get(3));
    Lattice lattice = new Lattice(s, AMPLE);
    assertThat(lattice.units()).isEqualTo(4);
    assertThatThrownBy(() -> new Lattice(parse(SPECS.get(3).replace("replicates: 4", "replicates: 1000000")
        .replace("step_size: [0.1, 0.2, 0.3]", "step_size: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]")), AMPLE))
        .hasMessageContaining("at most 10000000");
  }
}

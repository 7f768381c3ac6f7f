package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.MemoryPlan;
import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The pending units of a resumed sweep, against the expanded runs; and a ten-million-run plan. */
class PendingTest {
  static final MemoryPlan.Budget AMPLE = new MemoryPlan.Budget(1e12, 1e12, "ample");

  static final SweepSpec SPEC = SpecParser.parse("""
      name: p
      task: xor-clusters
      seed: 9
      replicates: 3
      steps: 10
      log_points: 5
      fixed: {n_train: 10, n_test: 10, dim: 20}
      grid:
        noise_rate: [0.0, 0.1]
        width: [4, 8]
        step_size: [0.1, 0.2, 0.3]
      """, "p.yaml");

  static long[] ids(Stream<Grid.RunPoint> runs) {
    return runs.mapToLong(r -> Lattice.idNumber(r.runId())).sorted().toArray();
  }

  @Test
  void storedRunsMarkUnitsDoneOrPartlyDone() {
    Lattice lattice = new Lattice(SPEC, AMPLE);
    Lattice.Plan plan = lattice.plan();
    List<Grid.Unit> units = Grid.units(SPEC, AMPLE);
    assertThat(units).hasSize(6);

    Pending fresh = Pending.of(lattice, plan, SweepDir.Stored.NONE);
    assertThat(fresh.count()).isEqualTo(6);
    assertThat(fresh.runs()).isEqualTo(SPEC.runCount());
    assertThat(fresh.work()).isEqualTo(plan.work(SPEC.replicates()));

    // stored: all of units 0 and 4, the first run of each pack of unit 2, and ids of another sweep
    List<Grid.RunPoint> stored = new ArrayList<>();
    stored.addAll(units.get(0).packs().stream().flatMap(p -> p.runs().stream()).toList());
    stored.addAll(units.get(4).packs().stream().flatMap(p -> p.runs().stream()).toList());
    units.get(2).packs().forEach(p -> stored.add(p.runs().get(0)));
    long[] ids = ids(stored.stream());
    long[] withForeign = Stream.of(ids, new long[] {1L, 2L, -5L}).flatMapToLong(Arrays::stream).sorted().toArray();

    long[] seeds = Stream.concat(stored.stream().map(Grid.RunPoint::datasetSeed), Stream.of(77L))
        .mapToLong(Long::longValue).sorted().distinct().toArray();
    assertThat(seeds).hasSize(4);
    Pending resumed = Pending.of(lattice, plan, new SweepDir.Stored(withForeign, seeds));
    List<Long> pending = new ArrayList<>();
    for (long u = resumed.next(0); u >= 0; u = resumed.next(u + 1)) {
      pending.add(u);
    }
    assertThat(pending).containsExactly(1L, 2L, 3L, 5L);
    assertThat(resumed.count()).isEqualTo(4);
    assertThat(resumed.runs()).isEqualTo(SPEC.runCount() - stored.size());
    assertThat(resumed.runs(2)).isEqualTo(units.get(2).runCount() - 2);
    assertThat(resumed.skip(1)).isNull();
    // unit 2 trains exactly its runs not stored, in the packs they had
    Grid.Unit two = lattice.unit(2, resumed.skip(2));
    assertThat(two.packs()).hasSize(2);
    for (int p = 0; p < 2; p++) {
      List<Grid.RunPoint> all = units.get(2).packs().get(p).runs();
      assertThat(two.packs().get(p).runs()).isEqualTo(all.subList(1, all.size()));
    }
    // only units whose data set has stored runs are expanded: without unit 4's seed it is pending
    long[] noFour = Arrays.stream(seeds).filter(x -> x != units.get(4).datasetSeed()).toArray();
    Pending partly = Pending.of(lattice, plan, new SweepDir.Stored(withForeign, noFour));
    assertThat(partly.count()).isEqualTo(5);
    assertThat(partly.next(4)).isEqualTo(4);
  }

  /**
   * The documented cap: ten million runs planned from counts and index ranges. A spec of
   * 2 x 5 x 1000 x 1000 grid points with 1 replicate: 10,000 data sets of 1,000 runs (the step
   * sizes), 10^7 runs. The plan holds one cost per data set and one number per batch; a batch's
   * partitions are built on demand. The runs of a unit in the middle are those the grid point
   * arithmetic gives (checked against the resolved grid points).
   */
  @Test
  void tenMillionRunsArePlannedFromIndexRanges() {
    StringBuilder steps = new StringBuilder();
    for (int i = 1; i <= 1000; i++) {
      steps.append(i == 1 ? "" : ", ").append(i * 1.0e-3);
    }
    StringBuilder dims = new StringBuilder();
    for (int i = 1; i <= 1000; i++) {
      dims.append(i == 1 ? "" : ", ").append(10 + i);
    }
    SweepSpec s = SpecParser.parse("name: ten-million\ntask: xor-clusters\nseed: 1\nreplicates: 1\n"
        + "steps: 10\nlog_points: 2\nfixed: {n_train: 10, n_test: 10, width: 2}\n"
        + "grid:\n  noise_rate: [0.0, 0.1]\n  init_scale: [1.0e-3, 2.0e-3, 3.0e-3, 4.0e-3, 5.0e-3]\n"
        + "  dim: [" + dims + "]\n  step_size: [" + steps + "]\n", "ten-million.yaml");
    assertThat(s.runCount()).isEqualTo(10_000_000L);
    Lattice lattice = new Lattice(s, AMPLE);
    Lattice.Plan plan = lattice.plan();
    assertThat(lattice.units()).isEqualTo(2000);
    assertThat(lattice.runsPerUnit()).isEqualTo(5000);
    assertThat(plan.packs()).isEqualTo(2000L * 5 * 1); // 1000 runs x 2 rows fit one 4096-row pack
    Pending todo = Pending.of(lattice, plan, SweepDir.Stored.NONE);
    assertThat(todo.runs()).isEqualTo(10_000_000L);
    BatchPlan batches = BatchPlan.of(todo, 2, 0, SweepJob.TASKS_PER_CORE, 0);
    assertThat(batches.runCount()).isEqualTo(10_000_000L);
    long units = 0;
    for (int b = 0; b < batches.size(); b++) {
      units += batches.batch(b).partitions().stream().mapToInt(p -> p.units().length).sum();
    }
    assertThat(units).isEqualTo(2000);
    // unit 1234: noise_rate index 1, dim index 234 (the data axes, row-major), replicate 0
    Grid.Unit u = lattice.unit(1234, null);
    assertThat(u.runCount()).isEqualTo(5000);
    assertThat(u.data()).containsEntry("noise_rate", 0.1).containsEntry("dim", 245.0);
    Grid.RunPoint third = u.packs().get(2).runs().get(7);
    assertThat(third.params()).containsEntry("init_scale", 3.0e-3).containsEntry("step_size", 8.0e-3)
        .containsEntry("dim", 245.0).containsEntry("noise_rate", 0.1);
    // its id and seeds are those of the same grid point resolved alone
    List<Grid.RunPoint> alone = Grid.expand(SpecParser.parse("name: one\ntask: xor-clusters\nseed: 1\n"
        + "replicates: 1\nsteps: 10\nlog_points: 2\nfixed: {n_train: 10, n_test: 10, width: 2, noise_rate: 0.1,"
        + " init_scale: 3.0e-3, dim: 245, step_size: 8.0e-3}\n", "one.yaml"));
    assertThat(third.datasetSeed()).isEqualTo(alone.get(0).datasetSeed());
    assertThat(third.initSeed()).isEqualTo(alone.get(0).initSeed());
  }
}

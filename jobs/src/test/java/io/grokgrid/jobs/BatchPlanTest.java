package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.jobs.spec.Grid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The batch plan's rules, without Spark. */
class BatchPlanTest {
  /** Work of one default batch per core: 20 s at 60 GFLOP/s. */
  static final double BATCH_WORK_PER_CORE = BatchPlan.SECONDS_PER_BATCH * BatchPlan.FLOPS_PER_CORE;

  /** A unit with {@code runs} runs in one pack; its id is its data set seed. */
  static Grid.Unit unit(int id, double cost, int runs) {
    List<Grid.RunPoint> points = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      points.add(new Grid.RunPoint("u" + id + "r" + r, r, Map.of(), id, 1000 + id));
    }
    return new Grid.Unit(id, Map.of(), List.of(new Grid.Pack(1000 + id, points)), cost);
  }

  /** {@code n} units of 1 to 3 runs with distinct costs in a scrambled (not sorted) order. */
  static List<Grid.Unit> units(int n, double meanCost) {
    List<Grid.Unit> u = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      u.add(unit(i, meanCost * (0.5 + (i * 37 % n) / (double) n), 1 + i % 3));
    }
    return u;
  }

  static List<Integer> sizes(BatchPlan plan) {
    return plan.batches().stream().map(b -> b.partitions().stream().mapToInt(List::size).sum()).toList();
  }

  static List<Grid.Unit> unitsOf(BatchPlan.Batch b) {
    List<Grid.Unit> all = new ArrayList<>();
    b.partitions().forEach(all::addAll);
    return all;
  }

  @Test
  void everyUnitLiesInExactlyOneBatchAndOnePartitionAndBatchesFollowGridOrder() {
    for (int cores : new int[] {1, 2, 3, 8}) {
      for (int override : new int[] {0, 1, 5}) {
        List<Grid.Unit> todo = units(53, 1e9);
        BatchPlan plan = BatchPlan.of(todo, cores, 0, SweepJob.TASKS_PER_CORE, override);
        Map<Long, Integer> seen = new HashMap<>();
        int from = 0;
        for (BatchPlan.Batch b : plan.batches()) {
          for (List<Grid.Unit> part : b.partitions()) {
            assertThat(part).as("no empty partition").isNotEmpty();
            part.forEach(u -> seen.merge(u.datasetSeed(), 1, Integer::sum));
          }
          List<Grid.Unit> here = unitsOf(b);
          // a batch is the next consecutive slice of the grid order, whatever its inner order
          assertThat(here).containsExactlyInAnyOrderElementsOf(todo.subList(from, from + here.size()));
          from += here.size();
        }
        assertThat(from).isEqualTo(todo.size());
        assertThat(seen).hasSize(todo.size()).allSatisfy((id, n) -> assertThat(n).as("unit " + id).isEqualTo(1));
      }
    }
  }

  @Test
  void defaultBatchesHoldAWholeNumberOfUnitsPerCore() {
    for (int cores : new int[] {1, 2, 3, 4, 8}) {
      for (double work : new double[] {1e-6, 3.5, 1e6}) {
        List<Grid.Unit> todo = units(101, work * BATCH_WORK_PER_CORE * cores / 101);
        List<Integer> sizes = sizes(BatchPlan.of(todo, cores, 0, SweepJob.TASKS_PER_CORE, 0));
        assertThat(sizes.size()).isBetween(1, BatchPlan.MAX_BATCHES);
        // all but the last batch: a positive multiple of the core count
        for (int size : sizes.subList(0, sizes.size() - 1)) {
          assertThat(size % cores).as("cores %d, sizes %s", cores, sizes).isZero();
          assertThat(size).isGreaterThanOrEqualTo(cores);
        }
        assertThat(sizes.get(sizes.size() - 1)).isBetween(1, sizes.get(0));
      }
    }
  }

  @Test
  void defaultBatchSizeFollowsTheWork() {
    // 3.5 batches' worth of work on 2 cores -> ceil(3.5) = 4 batches of 40 / 4 = 10 units
    int cores = 2;
    List<Grid.Unit> todo = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      todo.add(unit(i, 3.5 * cores * BATCH_WORK_PER_CORE / 40, 1));
    }
    assertThat(sizes(BatchPlan.of(todo, cores, 0, 4, 0))).containsExactly(10, 10, 10, 10);
    // 2.5 batches' worth on 4 cores -> 3 batches of ceil(11 / 3) = 4 units (a multiple of 4) -> 4, 4, 3
    List<Grid.Unit> eleven = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      eleven.add(unit(i, 2.5 * 4 * BATCH_WORK_PER_CORE / 11, 1));
    }
    assertThat(sizes(BatchPlan.of(eleven, 4, 0, 4, 0))).containsExactly(4, 4, 3);
    // the same on 3 cores: 2.5 * 4 / 3 -> 4 batches of ceil(11 / 4) = 3 units -> 3, 3, 3, 2
    assertThat(sizes(BatchPlan.of(eleven, 3, 0, 4, 0))).containsExactly(3, 3, 3, 2);
    // little work: one batch of everything
    assertThat(sizes(BatchPlan.of(units(17, 1.0), 3, 0, 4, 0))).containsExactly(17);
    // a great deal of work: at most 10 batches; 100 units -> 10 per batch -> 12 on 4 cores
    assertThat(sizes(BatchPlan.of(units(100, 1e20), 4, 0, 4, 0)))
        .containsExactly(12, 12, 12, 12, 12, 12, 12, 12, 4);
    assertThat(BatchPlan.of(List.of(), 2, 0, 4, 0).batches()).isEmpty();
  }

  @Test
  void unitsPerBatchOverridesTheWorkBasedSize() {
    // 3 is no multiple of 2 cores and far from the work-based size: the setting still wins
    assertThat(sizes(BatchPlan.of(units(10, 1e20), 2, 0, 4, 3))).containsExactly(3, 3, 3, 1);
    assertThat(sizes(BatchPlan.of(units(10, 1.0), 2, 0, 4, 1))).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    assertThat(sizes(BatchPlan.of(units(10, 1.0), 2, 0, 4, 50))).containsExactly(10);
  }

  @Test
  void costliestFirstDealtRoundRobinIntoPartitions() {
    List<Grid.Unit> todo = units(23, 1e9);
    // one batch; 4 tasks per core on 2 cores -> 8 partitions
    BatchPlan.Batch b = BatchPlan.of(todo, 2, 0, 4, 0).batches().get(0);
    assertThat(b.partitions()).hasSize(8);
    List<Grid.Unit> sorted = new ArrayList<>(todo);
    sorted.sort((x, y) -> Double.compare(y.cost(), x.cost()));
    for (int p = 0; p < 8; p++) {
      List<Grid.Unit> expected = new ArrayList<>();
      for (int i = p; i < sorted.size(); i += 8) {
        expected.add(sorted.get(i));
      }
      assertThat(b.partitions().get(p)).containsExactlyElementsOf(expected);
    }
    // an explicit partition count, and never more partitions than units
    assertThat(BatchPlan.of(todo, 2, 3, 4, 0).batches().get(0).partitions()).hasSize(3);
    assertThat(BatchPlan.of(todo.subList(0, 5), 2, 0, 4, 0).batches().get(0).partitions()).hasSize(5);
    assertThat(BatchPlan.of(todo.subList(0, 5), 2, 64, 4, 0).batches().get(0).partitions()).hasSize(5);
  }

  @Test
  void equalCostsKeepGridOrder() {
    List<Grid.Unit> todo = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      todo.add(unit(i, 7.0, 1));
    }
    BatchPlan.Batch b = BatchPlan.of(todo, 1, 2, 4, 0).batches().get(0);
    assertThat(b.partitions().get(0)).containsExactly(todo.get(0), todo.get(2), todo.get(4));
    assertThat(b.partitions().get(1)).containsExactly(todo.get(1), todo.get(3), todo.get(5));
  }

  @Test
  void samePlanForTheSameInputs() {
    BatchPlan a = BatchPlan.of(units(40, 1e11), 3, 0, 4, 0);
    BatchPlan b = BatchPlan.of(units(40, 1e11), 3, 0, 4, 0);
    assertThat(a).isEqualTo(b);
    assertThat(a.batches()).hasSizeGreaterThan(1);
  }

  @Test
  void runsPerPartitionCountTheRuns() {
    List<Grid.Unit> todo = List.of(unit(0, 3, 4), unit(1, 2, 1), unit(2, 1, 2));
    BatchPlan.Batch b = BatchPlan.of(todo, 1, 2, 4, 0).batches().get(0);
    // costs 3, 2, 1 dealt into 2 partitions: {unit 0, unit 2}, {unit 1}
    assertThat(b.runsPerPartition()).containsExactly(6, 1);
    assertThat(b.runCount()).isEqualTo(7);
  }

  @Test
  void pendingDropsStoredRunsAndUnitsAndEmptyPacks() {
    Grid.RunPoint a = new Grid.RunPoint("a", 0, Map.of(), 1, 10);
    Grid.RunPoint b = new Grid.RunPoint("b", 0, Map.of(), 1, 10);
    Grid.RunPoint c = new Grid.RunPoint("c", 0, Map.of(), 1, 11);
    Grid.Unit one = new Grid.Unit(1, Map.of(), List.of(new Grid.Pack(10, List.of(a, b)), new Grid.Pack(11, List.of(c))), 5);
    Grid.Unit two = unit(2, 1, 2);
    assertThat(BatchPlan.pending(List.of(one, two), Set.of())).containsExactly(one, two);
    assertThat(BatchPlan.pending(List.of(one, two), Set.of("a", "b", "c"))).containsExactly(two);
    assertThat(BatchPlan.pending(List.of(one, two), Set.of("a", "c", "u2r0", "u2r1")))
        .containsExactly(new Grid.Unit(1, Map.of(), List.of(new Grid.Pack(10, List.of(b))), 5));
  }

  @Test
  void badSettingsAreRefusedWithTheValues() {
    assertThatThrownBy(() -> BatchPlan.of(List.of(), 0, 0, 4, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch plan needs cores >= 1, partitions >= 0, tasksPerCore >= 1 and unitsPerBatch >= 0,"
            + " got 0, 0, 4, 0");
  }
}

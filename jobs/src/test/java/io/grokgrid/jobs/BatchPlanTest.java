package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch plan's rules, without Spark. */
class BatchPlanTest {
  /** Work of one default batch per core: 20 s at 60 GFLOP/s. */
  static final double BATCH_WORK_PER_CORE = BatchPlan.SECONDS_PER_BATCH * BatchPlan.FLOPS_PER_CORE;

  /**
   * Units 0..n-1 with the given costs and runs; those in {@code done} are not pending; unit u's
   * skip list is {u} (a marker the tests follow into the slices).
   */
  record ListTodo(double[] costs, int[] runs, boolean[] done) implements BatchPlan.Todo {
    static ListTodo of(double[] costs, int[] runs) {
      return new ListTodo(costs, runs, new boolean[costs.length]);
    }

    @Override
    public long count() {
      long n = 0;
      for (boolean d : done) {
        n += d ? 0 : 1;
      }
      return n;
    }

    @Override
    public double work() {
      double w = 0;
      for (int u = 0; u < costs.length; u++) {
        w += done[u] ? 0 : costs[u];
      }
      return w;
    }

    @Override
    public long next(long from) {
      for (long u = from; u < costs.length; u++) {
        if (!done[(int) u]) {
          return u;
        }
      }
      return -1;
    }

    @Override
    public double cost(long u) {
      return costs[(int) u];
    }

    @Override
    public int runs(long u) {
      return runs[(int) u];
    }

    @Override
    public long[] skip(long u) {
      return new long[] {u};
    }
  }

  /** {@code n} units of 1 to 3 runs with distinct costs in a scrambled (not sorted) order. */
  static ListTodo units(int n, double meanCost) {
    double[] c = new double[n];
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = meanCost * (0.5 + (i * 37 % n) / (double) n);
      r[i] = 1 + i % 3;
    }
    return ListTodo.of(c, r);
  }

  static ListTodo equal(int n, double cost) {
    double[] c = new double[n];
    Arrays.fill(c, cost);
    int[] r = new int[n];
    Arrays.fill(r, 1);
    return ListTodo.of(c, r);
  }

  static List<BatchPlan.Batch> batches(BatchPlan plan) {
    List<BatchPlan.Batch> out = new ArrayList<>();
    for (int b = 0; b < plan.size(); b++) {
      out.add(plan.batch(b));
    }
    return out;
  }

  static List<Integer> sizes(BatchPlan plan) {
    return batches(plan).stream().map(b -> b.partitions().stream().mapToInt(s -> s.units().length).sum()).toList();
  }

  static List<Long> unitsOf(BatchPlan.Batch b) {
    List<Long> all = new ArrayList<>();
    b.partitions().forEach(s -> Arrays.stream(s.units()).forEach(all::add));
    return all;
  }

  static List<Long> list(long[] a) {
    return Arrays.stream(a).boxed().toList();
  }

  @Test
  void everyPendingUnitLiesInExactlyOneBatchAndOnePartitionAndBatchesFollowGridOrder() {
    for (int cores : new int[] {1, 2, 3, 8}) {
      for (int override : new int[] {0, 1, 5}) {
        ListTodo todo = units(53, 1e9);
        for (int u = 0; u < 53; u += 7) {
          todo.done()[u] = true;
        }
        List<Long> pending = new ArrayList<>();
        for (long u = todo.next(0); u >= 0; u = todo.next(u + 1)) {
          pending.add(u);
        }
        BatchPlan plan = BatchPlan.of(todo, cores, 0, SweepJob.TASKS_PER_CORE, override);
        Map<Long, Integer> seen = new HashMap<>();
        int from = 0;
        for (BatchPlan.Batch b : batches(plan)) {
          for (BatchPlan.Slice part : b.partitions()) {
            assertThat(part.units()).as("no empty partition").isNotEmpty();
            for (int i = 0; i < part.units().length; i++) {
              seen.merge(part.units()[i], 1, Integer::sum);
              assertThat(part.skip()[i]).containsExactly(part.units()[i]);
            }
          }
          List<Long> here = unitsOf(b);
          // a batch is the next consecutive slice of the pending units, whatever its inner order
          assertThat(here).containsExactlyInAnyOrderElementsOf(pending.subList(from, from + here.size()));
          from += here.size();
        }
        assertThat(from).isEqualTo(pending.size());
        assertThat(seen).hasSize(pending.size()).allSatisfy((id, n) -> assertThat(n).as("unit " + id).isEqualTo(1));
      }
    }
  }

  @Test
  void defaultBatchesHoldAWholeNumberOfUnitsPerCore() {
    for (int cores : new int[] {1, 2, 3, 4, 8}) {
      for (double work : new double[] {1e-6, 3.5, 30}) {
        List<Integer> sizes = sizes(BatchPlan.of(units(101, work * BATCH_WORK_PER_CORE * cores / 101), cores, 0,
            SweepJob.TASKS_PER_CORE, 0));
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
    assertThat(sizes(BatchPlan.of(equal(40, 3.5 * cores * BATCH_WORK_PER_CORE / 40), cores, 0, 4, 0)))
        .containsExactly(10, 10, 10, 10);
    // 2.5 batches' worth on 4 cores -> 3 batches of ceil(11 / 3) = 4 units (a multiple of 4) -> 4, 4, 3
    ListTodo eleven = equal(11, 2.5 * 4 * BATCH_WORK_PER_CORE / 11);
    assertThat(sizes(BatchPlan.of(eleven, 4, 0, 4, 0))).containsExactly(4, 4, 3);
    // the same on 3 cores: 2.5 * 4 / 3 -> 4 batches of ceil(11 / 4) = 3 units -> 3, 3, 3, 2
    assertThat(sizes(BatchPlan.of(eleven, 3, 0, 4, 0))).containsExactly(3, 3, 3, 2);
    // little work: one batch of everything
    assertThat(sizes(BatchPlan.of(units(17, 1.0), 3, 0, 4, 0))).containsExactly(17);
    // much work: 10 batches while a batch stays under 600 s per core; 100 units -> 10 per batch -> 12 on 4 cores
    double cap = BatchPlan.MAX_SECONDS_PER_BATCH * BatchPlan.FLOPS_PER_CORE;
    assertThat(sizes(BatchPlan.of(equal(100, 10 * 4 * cap / 100), 4, 0, 4, 0)))
        .containsExactly(12, 12, 12, 12, 12, 12, 12, 12, 4);
    // beyond that, batches of at most 600 s per core: 40 such batches' worth -> 40 batches of 25 units
    assertThat(sizes(BatchPlan.of(equal(1000, 40 * 1 * cap / 1000), 1, 0, 4, 0))).hasSize(40).containsOnly(25);
    assertThat(BatchPlan.of(ListTodo.of(new double[0], new int[0]), 2, 0, 4, 0).size()).isZero();
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
    ListTodo todo = units(23, 1e9);
    // one batch; 4 tasks per core on 2 cores -> 8 partitions
    BatchPlan.Batch b = BatchPlan.of(todo, 2, 0, 4, 0).batch(0);
    assertThat(b.partitions()).hasSize(8);
    List<Long> sorted = new ArrayList<>();
    for (long u = 0; u < 23; u++) {
      sorted.add(u);
    }
    sorted.sort((x, y) -> Double.compare(todo.cost(y), todo.cost(x)));
    for (int p = 0; p < 8; p++) {
      List<Long> expected = new ArrayList<>();
      for (int i = p; i < sorted.size(); i += 8) {
        expected.add(sorted.get(i));
      }
      assertThat(list(b.partitions().get(p).units())).containsExactlyElementsOf(expected);
    }
    // an explicit partition count, and never more partitions than units
    assertThat(BatchPlan.of(todo, 2, 3, 4, 0).batch(0).partitions()).hasSize(3);
    ListTodo five = units(5, 1e9);
    assertThat(BatchPlan.of(five, 2, 0, 4, 0).batch(0).partitions()).hasSize(5);
    assertThat(BatchPlan.of(five, 2, 64, 4, 0).batch(0).partitions()).hasSize(5);
  }

  @Test
  void equalCostsKeepGridOrder() {
    BatchPlan.Batch b = BatchPlan.of(equal(6, 7.0), 1, 2, 4, 0).batch(0);
    assertThat(list(b.partitions().get(0).units())).containsExactly(0L, 2L, 4L);
    assertThat(list(b.partitions().get(1).units())).containsExactly(1L, 3L, 5L);
  }

  @Test
  void samePlanForTheSameInputs() {
    BatchPlan a = BatchPlan.of(units(40, 1e11), 3, 0, 4, 0);
    BatchPlan b = BatchPlan.of(units(40, 1e11), 3, 0, 4, 0);
    assertThat(a.size()).isGreaterThan(1).isEqualTo(b.size());
    for (int i = 0; i < a.size(); i++) {
      List<BatchPlan.Slice> x = a.batch(i).partitions();
      List<BatchPlan.Slice> y = b.batch(i).partitions();
      assertThat(x).hasSameSizeAs(y);
      for (int p = 0; p < x.size(); p++) {
        assertThat(x.get(p).units()).isEqualTo(y.get(p).units());
      }
    }
  }

  @Test
  void runsPerPartitionCountTheRuns() {
    ListTodo todo = ListTodo.of(new double[] {3, 2, 1}, new int[] {4, 1, 2});
    BatchPlan plan = BatchPlan.of(todo, 1, 2, 4, 0);
    BatchPlan.Batch b = plan.batch(0);
    // costs 3, 2, 1 dealt into 2 partitions: {unit 0, unit 2}, {unit 1}
    assertThat(b.runsPerPartition()).containsExactly(6, 1);
    assertThat(b.runCount()).isEqualTo(7).isEqualTo(plan.runCount());
  }

  @Test
  void badSettingsAreRefusedWithTheValues() {
    assertThatThrownBy(() -> BatchPlan.of(equal(0, 1), 0, 0, 4, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batch plan needs cores >= 1, partitions >= 0, tasksPerCore >= 1 and unitsPerBatch >= 0,"
            + " got 0, 0, 4, 0");
  }
}

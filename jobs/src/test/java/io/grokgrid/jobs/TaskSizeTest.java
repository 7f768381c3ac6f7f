package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.MemoryPlan;
import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import org.junit.jupiter.api.Test;

/** How many default tasks a batch's work fills at {@link SweepJob#MIN_TASK_SECONDS} each. */
class TaskSizeTest {
  private static final double TASK = SweepJob.MIN_TASK_SECONDS * BatchPlan.FLOPS_PER_CORE;

  @Test
  void aBatchIsCutIntoWholeTasksOfAtLeastTheMinimumWork() {
    assertThat(SweepJob.Run.tasksFitting(0)).isEqualTo(1);
    assertThat(SweepJob.Run.tasksFitting(0.99 * TASK)).isEqualTo(1);
    assertThat(SweepJob.Run.tasksFitting(2 * TASK)).isEqualTo(2);
    assertThat(SweepJob.Run.tasksFitting(2.99 * TASK)).isEqualTo(2);
    assertThat(SweepJob.Run.tasksFitting(1e30)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void manySmallsBatchesFillTwoTasksPerCore() {
    // bench many-small: 100 data sets of 100 runs, two batches of 50 on 2 cores; its estimated
    // work per core in a batch is 25 units x ~41 GFLOP, about 2.1 minimum tasks
    SweepSpec spec = SpecParser.parse(Bench.MANY_SMALL, "many-small");
    double work = new Lattice(spec, MemoryPlan.Budget.of(null)).plan().work(spec.replicates());
    double perCore = work / 2 / 2;
    assertThat(perCore / TASK).isBetween(2.0, 3.0);
    assertThat(SweepJob.Run.tasksFitting(perCore)).isEqualTo(2);
  }
}

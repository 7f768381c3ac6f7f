package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ETA from work, against hand-computed cases and replayed task timelines. */
class ProgressTest {
  /**
   * Replays a task timeline through {@link Progress.Rate} as the listener would feed it: batches
   * run one after another (a gap between them for the commit and the next job), each task on the
   * first free slot in partition order, and a task's duration is its units times the steady time
   * per unit plus a per-task overhead, times the slot's warm-up factor for its k-th task. Returns
   * the predicted end (elapsed + ETA) at the first task end at or past each fraction of the work,
   * over the actual end.
   *
   * @param batches the units of each task, per batch
   * @param warmup the slowdown factor of a slot's k-th task (1 beyond the array)
   */
  static Map<Double, Double> replay(List<int[]> batches, int slots, double secondsPerUnit,
      double overhead, double[] warmup, long seed, double... fractions) {
    Random noise = new Random(seed); // +-10% per task: a machine others share
    double totalWork = batches.stream().flatMapToInt(java.util.Arrays::stream).sum();
    List<double[]> ends = new ArrayList<>(); // {end time, work, duration}
    double t = 0;
    int[] tasksOnSlot = new int[slots];
    for (int[] batch : batches) {
      double[] free = new double[slots];
      java.util.Arrays.fill(free, t);
      for (int units : batch) {
        int slot = 0;
        for (int i = 1; i < slots; i++) {
          if (free[i] < free[slot]) {
            slot = i;
          }
        }
        int k = tasksOnSlot[slot]++;
        double factor = k < warmup.length ? warmup[k] : 1.0;
        double d = (units * secondsPerUnit + overhead) * factor * (0.9 + 0.2 * noise.nextDouble());
        free[slot] += d;
        ends.add(new double[] {free[slot], units, d});
      }
      t = java.util.Arrays.stream(free).max().orElse(t) + 0.3;
    }
    ends.sort((a, b) -> Double.compare(a[0], b[0]));
    double actualEnd = ends.get(ends.size() - 1)[0];
    Progress.Rate rate = new Progress.Rate(slots);
    Map<Double, Double> predicted = new LinkedHashMap<>();
    double done = 0;
    int next = 0;
    for (double[] e : ends) {
      rate.ended(e[1], e[2]);
      done += e[1];
      while (next < fractions.length && done >= fractions[next] * totalWork) {
        predicted.put(fractions[next++], (e[0] + rate.etaSeconds(totalWork - done)) / actualEnd);
      }
    }
    return predicted;
  }

  /** A batch of {@code units} equal units dealt round-robin into {@code parts} tasks (as BatchPlan). */
  static int[] dealt(int units, int parts) {
    int p = Math.min(units, parts);
    int[] sizes = new int[p];
    for (int s = 0; s < p; s++) {
      sizes[s] = (units - s + p - 1) / p;
    }
    return sizes;
  }

  /**
   * many-small's shape: 100 equal units (0.6 s each on a quiet core, 0.14 s of overhead per task)
   * in two batches of 50 on 2 slots; a slot's first task runs 1.7 times slower (JIT, native
   * libraries: what the +54% at 14% of the work the old estimate printed implies), its second
   * 1.15 and its third 1.05 times.
   */
  private static final double[] MANY_SMALL_WARMUP = {1.7, 1.15, 1.05};

  @Test
  void manySmallsEtaIsWithinThirtyPercentFromATenthOfTheWorkWithAFinelyCutFirstBatch() {
    // the plan before MIN_TASK_SECONDS: the first batch in FIRST_BATCH_SPLIT x 4 tasks per core,
    // the second in 4
    List<int[]> batches = List.of(
        dealt(50, SweepJob.FIRST_BATCH_SPLIT * SweepJob.TASKS_PER_CORE * 2),
        dealt(50, SweepJob.TASKS_PER_CORE * 2));
    for (long seed = 1; seed <= 20; seed++) {
      Map<Double, Double> p = replay(batches, 2, 0.6, 0.14, MANY_SMALL_WARMUP, seed, 0.10, 0.25, 0.50, 0.75);
      assertThat(p).hasSize(4);
      p.forEach((fraction, ratio) -> assertThat(ratio).as("predicted / actual end at %s of the work", fraction)
          .isBetween(0.7, 1.3));
    }
  }

  @Test
  void manySmallsPlanNowTradesTheEarlyEtaForFewerTasks() {
    // as SweepJob now plans it (tasks of at least MIN_TASK_SECONDS): 2 tasks per core in both
    // batches, 8 tasks instead of 40 (~10 CPU-s less). Until a slot's second task ends (~40% of
    // the work) only warm-up tasks are known; from half the work on the estimate is within 30%
    List<int[]> batches = List.of(dealt(50, 4), dealt(50, 4));
    for (long seed = 1; seed <= 20; seed++) {
      Map<Double, Double> p = replay(batches, 2, 0.6, 0.14, MANY_SMALL_WARMUP, seed, 0.50, 0.75);
      assertThat(p).hasSize(2);
      p.forEach((fraction, ratio) -> assertThat(ratio).as("predicted / actual end at %s of the work", fraction)
          .isBetween(0.7, 1.3));
    }
  }

  @Test
  void aCoarseFirstBatchLeavesOnlyWarmUpTasksAtATenthOfTheWork() {
    // the plan before the split: 8 tasks of 6-7 units per batch; at 10% only each slot's first
    // (slow) task has ended, and the estimate is far too long: why the first batch is cut finer
    List<int[]> batches = List.of(dealt(50, 8), dealt(50, 8));
    Map<Double, Double> p = replay(batches, 2, 0.6, 0.14, MANY_SMALL_WARMUP, 1, 0.10);
    assertThat(p.get(0.10)).isGreaterThan(1.3);
  }

  @Test
  void aSteadySweepOfEqualCostlyUnitsStaysAccurate() {
    // fig1-right's shape: 100 units of ~26 s in ten batches of 10 (the first one unit per task),
    // a first task per slot 1.1 times slower: the estimate is within 10% from a tenth on
    List<int[]> batches = new ArrayList<>();
    batches.add(dealt(10, SweepJob.FIRST_BATCH_SPLIT * SweepJob.TASKS_PER_CORE * 2));
    for (int b = 1; b < 10; b++) {
      batches.add(dealt(10, SweepJob.TASKS_PER_CORE * 2));
    }
    for (long seed = 1; seed <= 20; seed++) {
      Map<Double, Double> p = replay(batches, 2, 26.0, 0.2, new double[] {1.1}, seed, 0.10, 0.25, 0.50, 0.75);
      p.forEach((fraction, ratio) -> assertThat(ratio).as("predicted / actual end at %s of the work", fraction)
          .isBetween(0.85, 1.15));
    }
  }

  @Test
  void etaIsTheWorkLeftOverTheFinishedTasksRate() {
    // 70 units of work left; recent tasks worth 30 took 15 task-seconds on 2 slots: 4 per second
    // of wall time, 70 left -> 17.5 s, however long the start-up before them took
    assertThat(Progress.etaSeconds(70, 30, 15, 2)).isCloseTo(17.5, within(1e-12));
    // a costly unit counts for its work, not as one run: the same 30 done by one task in 15 s
    // or by ten tasks of 1.5 s each give the same rate (bursts of ends change nothing)
    assertThat(Progress.etaSeconds(70, 30, 15, 1)).isCloseTo(35.0, within(1e-12));
    assertThat(Progress.etaSeconds(0, 100, 40, 2)).isZero();
  }

  @Test
  void noEstimateBeforeATaskWithWorkEnds() {
    assertThat(Progress.etaSeconds(100, 0, 5, 2)).isNaN();
    assertThat(Progress.etaSeconds(100, 10, 0, 2)).isNaN();
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertThat(Progress.duration(59.4)).isEqualTo("59s");
    assertThat(Progress.duration(61)).isEqualTo("1m01s");
    assertThat(Progress.duration(3 * 3600 + 42 * 60)).isEqualTo("3h42m");
  }
}

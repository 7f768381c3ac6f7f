package io.grokgrid.jobs;

import io.grokgrid.jobs.spec.Grid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * How a sweep's pending units are cut into training batches and dealt into Spark partitions. No
 * Spark here: the plan is a pure function of the units, the core count and two settings, so the
 * same inputs always give the same batches (and {@code --resume} finds the same boundaries).
 *
 * <p>Rules: batches hold consecutive units in grid order; their size is chosen from the estimated
 * work (about 20 s per core at a conservative 60 GFLOP/s, at most {@link #MAX_BATCHES} batches)
 * and rounded up to a whole number of units per core, unless {@code unitsPerBatch} fixes it.
 * Inside a batch the units are sorted costliest first (longest processing time first, stable for
 * equal costs) and dealt round-robin into the partitions.
 *
 * @param batches the batches, in the order they are trained
 */
record BatchPlan(List<Batch> batches) {
  /** Most batches a sweep is cut into by default: each costs a Spark job and a commit. */
  static final int MAX_BATCHES = 10;
  /** Seconds of work per core a default batch aims at. */
  static final double SECONDS_PER_BATCH = 20.0;
  /** The flop rate per core the batch size assumes (a conservative one). */
  static final double FLOPS_PER_CORE = 60e9;

  BatchPlan {
    batches = List.copyOf(batches);
  }

  /**
   * One training batch: one Spark job writing one committed directory.
   *
   * @param partitions the units of each Spark partition, costliest first within the batch
   */
  record Batch(List<List<Grid.Unit>> partitions) {
    Batch {
      partitions = partitions.stream().map(List::copyOf).toList();
    }

    /** Runs in each partition (for the progress line). */
    int[] runsPerPartition() {
      int[] r = new int[partitions.size()];
      for (int p = 0; p < r.length; p++) {
        for (Grid.Unit u : partitions.get(p)) {
          r[p] += u.runCount();
        }
      }
      return r;
    }

    /** Runs in the batch. */
    long runCount() {
      long n = 0;
      for (int r : runsPerPartition()) {
        n += r;
      }
      return n;
    }
  }

  /**
   * Plans the batches.
   *
   * @param todo the pending units, in grid order
   * @param cores Spark's default parallelism (task slots), at least 1
   * @param partitions partitions per batch; 0 = {@code tasksPerCore} per core; never more than
   *     the batch has units
   * @param tasksPerCore default partitions per core
   * @param unitsPerBatch units per batch; 0 = chosen from the work
   */
  static BatchPlan of(List<Grid.Unit> todo, int cores, int partitions, int tasksPerCore,
      int unitsPerBatch) {
    if (cores < 1 || partitions < 0 || tasksPerCore < 1 || unitsPerBatch < 0) {
      throw new IllegalArgumentException("batch plan needs cores >= 1, partitions >= 0, tasksPerCore >= 1"
          + " and unitsPerBatch >= 0, got " + cores + ", " + partitions + ", " + tasksPerCore + ", " + unitsPerBatch);
    }
    int perBatch = unitsPerBatch > 0 ? unitsPerBatch : defaultUnitsPerBatch(todo, cores);
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from < todo.size(); from += perBatch) {
      List<Grid.Unit> batch = new ArrayList<>(todo.subList(from, Math.min(todo.size(), from + perBatch)));
      // costliest first, so the last tasks of a batch are short (longest processing time first)
      batch.sort(Comparator.comparingDouble(Grid.Unit::cost).reversed());
      // a few tasks per core, each writing one Parquet file: a task per unit would spend more on
      // its file, commit and scheduling than on training when units are small (many-small:
      // 0.14 s of overhead per 0.6 s unit); the cost-sorted round-robin deal keeps them even
      int parts = Math.min(batch.size(), partitions > 0 ? partitions : tasksPerCore * cores);
      List<List<Grid.Unit>> slices = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        slices.add(new ArrayList<>());
      }
      for (int i = 0; i < batch.size(); i++) {
        slices.get(i % parts).add(batch.get(i));
      }
      batches.add(new Batch(slices));
    }
    return new BatchPlan(batches);
  }

  /**
   * Units per batch chosen from the work: batches of about {@link #SECONDS_PER_BATCH} s per core,
   * at most {@link #MAX_BATCHES} of them, rounded up to a whole number of units per core so no core
   * idles at the end of a batch of equal units.
   */
  static int defaultUnitsPerBatch(List<Grid.Unit> todo, int cores) {
    double work = todo.stream().mapToDouble(Grid.Unit::cost).sum();
    int batches = (int) Math.max(1, Math.min(MAX_BATCHES,
        Math.ceil(work / (cores * SECONDS_PER_BATCH * FLOPS_PER_CORE))));
    int perBatch = (todo.size() + batches - 1) / batches;
    return Math.max(cores, (perBatch + cores - 1) / cores * cores);
  }

  /**
   * The units still to train: those with a run not in {@code stored}, each without its stored
   * runs (and without packs left empty), in the given order.
   */
  static List<Grid.Unit> pending(List<Grid.Unit> units, Set<String> stored) {
    List<Grid.Unit> todo = new ArrayList<>();
    for (Grid.Unit u : units) {
      if (!allStored(u, stored)) {
        todo.add(withoutStored(u, stored));
      }
    }
    return todo;
  }

  private static boolean allStored(Grid.Unit u, Set<String> stored) {
    for (Grid.Pack p : u.packs()) {
      for (Grid.RunPoint r : p.runs()) {
        if (!stored.contains(r.runId())) {
          return false;
        }
      }
    }
    return true;
  }

  private static Grid.Unit withoutStored(Grid.Unit u, Set<String> stored) {
    if (stored.isEmpty()) {
      return u;
    }
    List<Grid.Pack> packs = new ArrayList<>();
    for (Grid.Pack p : u.packs()) {
      List<Grid.RunPoint> keep = p.runs().stream().filter(r -> !stored.contains(r.runId())).toList();
      if (!keep.isEmpty()) {
        packs.add(new Grid.Pack(p.initSeed(), keep));
      }
    }
    return new Grid.Unit(u.datasetSeed(), u.data(), packs, u.cost());
  }
}

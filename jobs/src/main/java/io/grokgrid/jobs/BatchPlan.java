package io.grokgrid.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a sweep's pending units are cut into training batches and dealt into Spark partitions. No
 * Spark here: the plan is a pure function of the pending units, their costs, the core count and
 * two settings, so the same inputs always give the same batches (and {@code --resume} finds the
 * same boundaries). Units are indices (see {@link io.grokgrid.jobs.spec.Lattice}): the plan holds
 * one number per batch, and a batch's partitions are built when it is trained, so the driver
 * never holds more than one batch's unit indices.
 *
 * <p>Rules: batches hold consecutive pending units in grid order; their size is chosen from the
 * estimated work (about {@link #SECONDS_PER_BATCH} s per core at a conservative
 * {@link #FLOPS_PER_CORE}, at most {@link #MAX_BATCHES} batches unless a batch would then exceed
 * {@link #MAX_SECONDS_PER_BATCH} s per core) and rounded up to a whole number of units per core,
 * unless {@code unitsPerBatch} fixes it. Inside a batch the units are sorted costliest first
 * (longest processing time first, stable for equal costs) and dealt round-robin into the
 * partitions.
 *
 * @param todo the pending units
 * @param perBatch units per batch
 * @param parts partitions per batch (fewer in a batch with fewer units)
 * @param starts the first unit of each batch
 */
record BatchPlan(Todo todo, long perBatch, int parts, long[] starts) {
  /** Most batches a sweep is cut into by default: each costs a Spark job and a commit. */
  static final int MAX_BATCHES = 10;
  /** Seconds of work per core a default batch aims at. */
  static final double SECONDS_PER_BATCH = 20.0;
  /**
   * Most seconds of work per core in a default batch: a large sweep gets more than
   * {@link #MAX_BATCHES} batches rather than hours between two checkpoints.
   */
  static final double MAX_SECONDS_PER_BATCH = 600.0;
  /** The flop rate per core the batch size assumes (a conservative one). */
  static final double FLOPS_PER_CORE = 60e9;

  /** The pending units in grid order, as the plan reads them. */
  interface Todo {
    /** Pending units. */
    long count();

    /** Estimated flops of all pending units. */
    double work();

    /** The first pending unit {@code >= from}, or -1. */
    long next(long from);

    /** Estimated flops of pending unit {@code u}. */
    double cost(long u);

    /** Runs left in pending unit {@code u}. */
    int runs(long u);

    /** Stored run ids to skip in unit {@code u} (sorted), or null. */
    long[] skip(long u);
  }

  /**
   * One partition's share of a batch: units by index, in the order trained.
   *
   * @param units the unit indices
   * @param skip for each unit, the stored run ids to leave out, or null
   * @param runs the runs to train
   * @param work their estimated work (flops)
   */
  record Slice(long[] units, long[][] skip, long runs, double work) implements Serializable {}

  /**
   * One training batch: one Spark job writing one committed directory.
   *
   * @param partitions the units of each Spark partition, costliest first within the batch
   */
  record Batch(List<Slice> partitions) {
    Batch {
      partitions = List.copyOf(partitions);
    }

    /** Runs in each partition (for the progress line). */
    long[] runsPerPartition() {
      return partitions.stream().mapToLong(Slice::runs).toArray();
    }

    /** Estimated work of each partition (for the progress line). */
    double[] workPerPartition() {
      return partitions.stream().mapToDouble(Slice::work).toArray();
    }

    /** Runs in the batch. */
    long runCount() {
      return partitions.stream().mapToLong(Slice::runs).sum();
    }
  }

  /**
   * Plans the batches.
   *
   * @param todo the pending units
   * @param cores Spark's default parallelism (task slots), at least 1
   * @param partitions partitions per batch; 0 = {@code tasksPerCore} per core; never more than
   *     the batch has units
   * @param tasksPerCore default partitions per core
   * @param unitsPerBatch units per batch; 0 = chosen from the work
   */
  static BatchPlan of(Todo todo, int cores, int partitions, int tasksPerCore, int unitsPerBatch) {
    if (cores < 1 || partitions < 0 || tasksPerCore < 1 || unitsPerBatch < 0) {
      throw new IllegalArgumentException("batch plan needs cores >= 1, partitions >= 0, tasksPerCore >= 1"
          + " and unitsPerBatch >= 0, got " + cores + ", " + partitions + ", " + tasksPerCore + ", " + unitsPerBatch);
    }
    long perBatch = unitsPerBatch > 0 ? unitsPerBatch : defaultUnitsPerBatch(todo.count(), todo.work(), cores);
    long batches = (todo.count() + perBatch - 1) / perBatch;
    long[] starts = new long[Math.toIntExact(batches)];
    long i = 0;
    for (long u = todo.next(0); u >= 0; u = todo.next(u + 1)) {
      if (i % perBatch == 0) {
        starts[(int) (i / perBatch)] = u;
      }
      i++;
    }
    return new BatchPlan(todo, perBatch, partitions > 0 ? partitions : tasksPerCore * cores, starts);
  }

  /** Number of batches. */
  int size() {
    return starts.length;
  }

  /** Runs in all batches. */
  long runCount() {
    long n = 0;
    for (long u = todo.next(0); u >= 0; u = todo.next(u + 1)) {
      n += todo.runs(u);
    }
    return n;
  }

  /** Batch {@code b}: its units, costliest first, dealt round-robin into the partitions. */
  Batch batch(int b) {
    int n = (int) Math.min(perBatch, todo.count() - b * perBatch);
    long[] units = new long[n];
    long u = starts[b];
    for (int i = 0; i < n; i++, u = todo.next(u + 1)) {
      units[i] = u;
    }
    // costliest first, so the last tasks of a batch are short (longest processing time first),
    // stable: sort (cost descending, position) keys; costs are >= 0, so their float bits order them
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      int bits = Float.floatToIntBits((float) Math.max(0.0, todo.cost(units[i])));
      keys[i] = ((long) (Integer.MAX_VALUE - bits) << 32) | i;
    }
    Arrays.sort(keys);
    // a few tasks per core, each writing one Parquet file: a task per unit would spend more on
    // its file, commit and scheduling than on training when units are small (many-small:
    // 0.14 s of overhead per 0.6 s unit); the cost-sorted round-robin deal keeps them even
    int p = Math.min(n, parts);
    List<Slice> slices = new ArrayList<>(p);
    for (int s = 0; s < p; s++) {
      int size = (n - s + p - 1) / p;
      long[] mine = new long[size];
      long[][] skip = new long[size][];
      long runs = 0;
      double work = 0;
      for (int j = 0; j < size; j++) {
        long unit = units[(int) keys[s + j * p]];
        mine[j] = unit;
        skip[j] = todo.skip(unit);
        runs += todo.runs(unit);
        work += todo.cost(unit);
      }
      slices.add(new Slice(mine, skip, runs, work));
    }
    return new Batch(slices);
  }

  /**
   * Units per batch chosen from the work: batches of about {@link #SECONDS_PER_BATCH} s per core,
   * at most {@link #MAX_BATCHES} of them unless that exceeds {@link #MAX_SECONDS_PER_BATCH} s per
   * core, rounded up to a whole number of units per core so no core idles at the end of a batch
   * of equal units.
   */
  static long defaultUnitsPerBatch(long units, double work, int cores) {
    double perCore = cores * FLOPS_PER_CORE;
    long batches = (long) Math.max(1, Math.max(Math.min(MAX_BATCHES, Math.ceil(work / (perCore * SECONDS_PER_BATCH))),
        Math.ceil(work / (perCore * MAX_SECONDS_PER_BATCH))));
    long perBatch = (units + batches - 1) / batches;
    return Math.max(cores, (perBatch + cores - 1) / cores * cores);
  }
}

package io.grokgrid.jobs;

import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.MemoryPlan;
import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.vocab.SpecKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The sweep driver: expands a spec, trains its units on the executors in batches, and writes the
 * tables of the README's "Output tables" under the output directory. The pieces: {@link SweepDir} (the directory, its
 * batches, resume and {@code sweep.json}), {@link BatchPlan} (units into batches and partitions,
 * no Spark) and {@link TableWriter} (the tables from the committed batches).
 *
 * <p><b>Exactly once.</b> Each batch of units is one Spark job writing one Parquet directory
 * {@code <out>/_batches/batch-NNNNN} through Spark's commit protocol: a failed or retried task
 * leaves nothing, and a batch either has its {@code _SUCCESS} marker and all its rows, or is
 * discarded. A unit (one data set and every run on it) lies in exactly one batch. The tables
 * {@code runs}, {@code curves} and {@code grokking} are then cut from the committed batches and
 * {@code overfitting_cost} is derived from those, each rewritten whole, so a resumed sweep ends
 * with every run exactly once. The hidden {@code _batches} directory stays: it is what
 * {@code --resume} reads. Every batch row carries the grokgrid version that trained it, and a
 * resume over batches of another version is refused before anything is written.
 *
 * <p><b>One writer.</b> A run holds the directory's {@link Lease} from before it inspects the
 * directory until it returns or fails; a second writer is refused with the holder's pid and host.
 *
 * <p><b>Determinism.</b> A run's numbers depend only on its seeds and its pack, never on the
 * number of partitions or executors.
 */
public final class SweepJob {
  /** How to treat an existing output directory. */
  public enum Existing {
    REFUSE,
    RESUME,
    OVERWRITE
  }

  /**
   * @param out output directory URI or path
   * @param existing what to do if it exists
   * @param partitions Spark partitions per batch; 0 = {@link #TASKS_PER_CORE} per core (at most one
   *     per unit)
   * @param failFirstAttempt test hook, see {@link TrainTask}
   * @param unitsPerBatch data sets per batch (each batch is a {@code --resume} checkpoint); 0 =
   *     {@link #UNITS_PER_BATCH} or the work-based choice
   * @param specFile the spec file as the user named it, for the line that says how to go on after
   *     an interruption (null: unknown)
   */
  public record Options(String out, Existing existing, int partitions, boolean failFirstAttempt,
      int unitsPerBatch, String specFile) {
    public Options {
      if (unitsPerBatch < 0) {
        throw new IllegalArgumentException("--units-per-batch must be >= 0 (0: chosen from the work), got " + unitsPerBatch);
      }
    }

    /** Options with the batch size chosen from the work. */
    public Options(String out, Existing existing, int partitions, boolean failFirstAttempt) {
      this(out, existing, partitions, failFirstAttempt, 0, null);
    }
  }

  /**
   * What a sweep did.
   *
   * @param total runs in the spec
   * @param trained runs trained by this call
   * @param byStatus run counts by status over the whole output
   * @param trainMs wall time of the training jobs
   * @param tablesMs wall time of cutting and deriving the final tables
   */
  public record Summary(long total, long trained, Map<String, Long> byStatus, long trainMs,
      long tablesMs) {}

  /** Default tasks per core in a batch (Options.partitions = 0). */
  static final int TASKS_PER_CORE = 4;
  /** Runs per core up to which a level with under a second of work per core gets one task per core. */
  static final int SMALL_RUNS = 500;
  /** How many times more tasks the first batch of a level of several batches is cut into. */
  static final int FIRST_BATCH_SPLIT = 4;
  /**
   * Least estimated work of a default task, in seconds at {@link BatchPlan#FLOPS_PER_CORE}: a task
   * costs ~0.25 CPU-s beyond its training (its deserialization, Parquet writer, file and commit;
   * many-small: 40 tasks took ~10 CPU-s more than 4), so tasks are not cut finer than this, the
   * first batch's split included (~3% overhead at most).
   */
  static final double MIN_TASK_SECONDS = 8.0;
  /** Spark setting: data sets (units) per training batch, overriding the work-based choice. */
  public static final String UNITS_PER_BATCH = "spark.grokgrid.unitsPerBatch";

  private SweepJob() {}

  /** The project version (from the build). */
  public static String version() {
    try (InputStream in = SweepJob.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /**
   * Test hooks, package-private: none of them changes a number a run computes.
   *
   * @param unitsPerBatch units per batch (0: {@link #UNITS_PER_BATCH} or the work-based choice)
   * @param stopAfterBatches throw after this many batches committed by this call (-1: never), as
   *     a driver killed between two batches would stop
   * @param version the grokgrid version to write (null: {@link #version()})
   * @param afterBatch called after each batch this call commits, with the lease held
   */
  record Hooks(int unitsPerBatch, int stopAfterBatches, String version, Runnable afterBatch) {
    static final Hooks NONE = new Hooks(0, -1, null);

    Hooks(int unitsPerBatch, int stopAfterBatches, String version) {
      this(unitsPerBatch, stopAfterBatches, version, () -> { });
    }
  }

  /** Runs a sweep; progress lines go to {@code progressOut}. */
  public static Summary run(SparkSession spark, SweepSpec spec, Options opt, PrintStream progressOut) {
    return run(spark, spec, opt, progressOut, Hooks.NONE);
  }

  static Summary run(SparkSession spark, SweepSpec spec, Options opt, PrintStream progressOut, Hooks hooks) {
    String started = Instant.now().toString();
    String version = hooks.version() != null ? hooks.version() : version();
    SweepDir dir = SweepDir.open(spark, opt.out());
    // planned from counts and index ranges: the driver never holds every run; a refined sweep's
    // points live on its finest lattice
    Lattice lattice = new Lattice(spec.finest(), MemoryPlan.Budget.of(null));
    Lattice.Plan plan = lattice.plan();
    // one writer at a time: taken before the directory is inspected, so that a resume never
    // deletes the batch another writer is committing
    Lease lease = dir.lease(progressOut);
    boolean untouched = true;
    try {
      SweepDir.Stored stored = dir.prepare(spark, spec, opt.existing(), version, progressOut);
      untouched = false;
      Run run = new Run(spark, spec, opt, progressOut, hooks, dir, version, lease);
      if (spec.refine() == null) {
        Pending todo = Pending.of(lattice, plan, stored);
        run.planned.set(spec.runCount());
        run.kept.set(spec.runCount() - todo.runs());
        return run.train(started, () -> run.level(todo, todo.lattice(), 0, spec.runCount()));
      }
      return run.train(started, () -> RefineDriver.run(run, lattice, plan, stored));
    } finally {
      lease.release(untouched);
    }
  }

  /** One call's training: the levels it trains (one for a plain grid) through the same batches. */
  static final class Run {
    final SparkSession spark;
    final SweepSpec spec;
    final Options opt;
    final PrintStream out;
    final Hooks hooks;
    final SweepDir dir;
    final String version;
    final Lease lease;
    /** Runs of the levels started so far (the plain grid's runs), and of those stored. */
    final AtomicLong planned = new AtomicLong();
    final AtomicLong kept = new AtomicLong();
    private final AtomicInteger keptBatches;
    private int committed;
    private int next;
    private final int cores;
    private final int unitsPerBatch;

    Run(SparkSession spark, SweepSpec spec, Options opt, PrintStream out, Hooks hooks, SweepDir dir,
        String version, Lease lease) {
      this.spark = spark;
      this.spec = spec;
      this.opt = opt;
      this.out = out;
      this.hooks = hooks;
      this.dir = dir;
      this.version = version;
      this.lease = lease;
      this.keptBatches = new AtomicInteger(dir.nextBatchIndex());
      this.next = dir.nextBatchIndex();
      this.cores = Math.max(1, spark.sparkContext().defaultParallelism());
      // spark.grokgrid.unitsPerBatch (spark-submit --conf) overrides the work-based batch size:
      // smaller batches are finer --resume checkpoints, e.g. on preemptible clusters
      this.unitsPerBatch = hooks.unitsPerBatch() > 0 ? hooks.unitsPerBatch()
          : opt.unitsPerBatch() > 0 ? opt.unitsPerBatch()
          : spark.sparkContext().getConf().getInt(UNITS_PER_BATCH, 0);
    }

    /** The levels' training, then the tables, with the interruption handler installed. */
    Summary train(String started, java.util.function.LongSupplier levels) {
      dir.writeSweepJson(spark, spec, version, started, null, null);
      Interruption interruption = Interruption.install(() -> {
        spark.sparkContext().cancelAllJobs(); // the running batch aborts: nothing of it is committed
        try {
          dir.writeSweepJson(spark, spec, version, started, null, null, SpecKeys.INTERRUPTED);
        } finally {
          lease.release(false);
        }
        String again = opt.specFile() != null
            ? "grokgrid run " + opt.specFile() + " --out " + opt.out() + " --resume"
            : "the same command with --resume";
        out.println("grokgrid: interrupted after " + kept.get() + " of " + planned.get() + " runs ("
            + keptBatches.get() + (keptBatches.get() == 1 ? " batch" : " batches") + " kept); continue with: " + again);
        out.flush();
      });
      long trained;
      long trainStart = System.nanoTime();
      try {
        trained = levels.getAsLong();
      } catch (RuntimeException e) {
        interruption.close();
        throw e;
      }
      long tablesStart = System.nanoTime();
      Map<String, Long> byStatus;
      try {
        byStatus = TableWriter.write(spark, dir, spec, out);
        dir.writeSweepJson(spark, spec, version, started, Instant.now().toString(), byStatus);
      } finally {
        interruption.close();
      }
      long end = System.nanoTime();
      long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
      return new Summary(spec.refine() == null ? spec.runCount() : total, trained, byStatus,
          (tablesStart - trainStart) / 1_000_000, (end - tablesStart) / 1_000_000);
    }

    /**
     * {@link #TASKS_PER_CORE}, or one task per core for a level of at most {@link #SMALL_RUNS}
     * runs per core and under a second of estimated work per core: more tasks would balance
     * nothing there, and each costs a Parquet file, its commit and its scheduling.
     */
    static int tasksPerCore(double work, long runs, int cores) {
      boolean small = work < cores * BatchPlan.FLOPS_PER_CORE && runs <= (long) SMALL_RUNS * cores;
      return small ? 1 : TASKS_PER_CORE;
    }

    /** Tasks per core a batch's {@code workPerCore} flops fill at {@link #MIN_TASK_SECONDS} each, at least 1. */
    static int tasksFitting(double workPerCore) {
      double perTask = MIN_TASK_SECONDS * BatchPlan.FLOPS_PER_CORE;
      return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(workPerCore / perTask)));
    }

    /**
     * Trains the pending units of one level (a plain grid's only level) in batches, each one Spark
     * job committed through Spark's commit protocol; returns the runs trained.
     *
     * @param lattice the lattice the units come from (selected to the level's points when refined)
     * @param runs the runs of the level, stored ones included (for the progress line)
     */
    long level(BatchPlan.Todo todo, Lattice lattice, int level, long runs) {
      int tasksPerCore = tasksPerCore(todo.work(), runs, cores);
      BatchPlan plan = BatchPlan.of(todo, cores, opt.partitions(), tasksPerCore, unitsPerBatch);
      // no default task below MIN_TASK_SECONDS of work: the batches stay, their tasks get fewer
      int fit = tasksFitting(todo.work() / Math.max(1, todo.count()) * plan.perBatch() / cores);
      if (opt.partitions() == 0 && fit < tasksPerCore) {
        tasksPerCore = fit;
        plan = BatchPlan.of(todo, cores, 0, tasksPerCore, unitsPerBatch);
      }
      // the same batches, the first cut into FIRST_BATCH_SPLIT times as many tasks (at most one per
      // unit, none below MIN_TASK_SECONDS): the first task of each slot runs at JIT warm-up speed,
      // and with small first tasks the ETA has tasks after the warm-up to go on sooner
      int firstPerCore = Math.min(FIRST_BATCH_SPLIT * tasksPerCore, fit);
      BatchPlan first = plan.size() > 1 && opt.partitions() == 0 && firstPerCore > tasksPerCore
          ? BatchPlan.of(todo, cores, 0, firstPerCore, unitsPerBatch) : plan;
      long pendingRuns = plan.runCount();
      Progress progress = new Progress(out, runs, runs - pendingRuns, todo.work(), cores);
      spark.sparkContext().addSparkListener(progress);
      long trained = 0;
      try {
        int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
        TrainTask task = new TrainTask(lattice, taskCpus, version, opt.failFirstAttempt(), level);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (int b = 0; b < plan.size(); b++) {
          if (committed == hooks.stopAfterBatches()) {
            throw new IllegalStateException("test hook: stopped after " + committed + " batches");
          }
          BatchPlan.Batch batch = (b == 0 ? first : plan).batch(b);
          List<BatchPlan.Slice> slices = batch.partitions();
          progress.nextBatch(batch.runsPerPartition(), batch.workPerPartition());
          spark.sparkContext().setJobGroup(Progress.GROUP_PREFIX + next, "grokgrid batch " + next, false);
          JavaRDD<Row> rows = jsc.parallelize(slices, slices.size()).mapPartitions(task);
          spark.createDataFrame(rows, ResultRows.schema(spec)).write().mode(SaveMode.ErrorIfExists)
              .parquet(dir.batch(next).toString());
          spark.sparkContext().clearJobGroup();
          next++;
          committed++;
          trained += batch.runCount();
          kept.addAndGet(batch.runCount());
          keptBatches.incrementAndGet();
          hooks.afterBatch().run();
        }
      } finally {
        spark.sparkContext().removeSparkListener(progress);
      }
      progress.finish();
      return trained;
    }
  }
}

package io.grokgrid.jobs;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Runs done / total, work done, rate and ETA on the terminal, from Spark's task-end events of the
 * training jobs (job group {@value #GROUP_PREFIX}*). Each training task's partition carries a
 * known number of runs and its estimated work (the planner's cost model: flops of its runs and
 * the set-up of its data sets); a retried task counts once, when it succeeds.
 *
 * <p>The ETA is the work left over the work rate, not the runs left over the run rate: runs differ
 * in cost, and tasks of equal cost end in bursts (a rate between two ends is then meaningless).
 * The rate is the work of the last finished tasks (at most {@link #WINDOW} per slot) over their
 * summed durations (Spark's launch to finish times) times the task slots: the time before the
 * first task (the session, the plan) does not enter it, a burst of ends adds their work and their
 * durations alike, the window follows a machine whose load changes, and the first task of each
 * slot (which pays for the JIT and the native libraries' start) is left out once others ended
 * (see {@link Rate}). On a terminal the line is redrawn in place at most twice a second; otherwise a line
 * is printed every 15 seconds and when the work crosses 10%, 25%, 50% and 75%.
 */
final class Progress extends SparkListener {
  static final String GROUP_PREFIX = "grokgrid-train-";

  private final PrintStream out;
  private final long total;
  private final boolean tty;
  private final AtomicLong done = new AtomicLong();
  private final long alreadyDone;
  private final Set<Integer> trainingStages = ConcurrentHashMap.newKeySet();
  private volatile long[] runsPerPartition = new long[0];
  private volatile double[] workPerPartition = new double[0];
  private final double totalWork;
  private final java.util.concurrent.atomic.DoubleAdder doneWork = new java.util.concurrent.atomic.DoubleAdder();
  private final int slots;
  /** Finished tasks per slot the rate is measured over. */
  static final int WINDOW = 2;
  private final Rate rate;
  private int milestone;
  private static final double[] MILESTONES = {0.10, 0.25, 0.50, 0.75};
  private final long startNanos = System.nanoTime();
  private volatile long lastPrint;

  /**
   * @param total runs in the sweep
   * @param alreadyDone runs stored before this call
   * @param totalWork estimated work of the runs this call trains
   * @param slots task slots training at once (Spark's default parallelism)
   */
  Progress(PrintStream out, long total, long alreadyDone, double totalWork, int slots) {
    this.out = out;
    this.slots = Math.max(1, slots);
    this.rate = new Rate(this.slots);
    this.totalWork = totalWork;
    this.total = total;
    this.done.set(alreadyDone);
    this.alreadyDone = alreadyDone;
    this.tty = System.console() != null;
  }

  /** Sets how many runs each partition of the next training job holds. */
  void nextBatch(long[] runsPerPartition, double[] workPerPartition) {
    this.runsPerPartition = runsPerPartition.clone();
    this.workPerPartition = workPerPartition.clone();
  }

  long done() {
    return done.get();
  }

  @Override
  public void onJobStart(SparkListenerJobStart job) {
    String group = job.properties() == null ? null : job.properties().getProperty("spark.jobGroup.id");
    if (group != null && group.startsWith(GROUP_PREFIX)) {
      scala.jdk.javaapi.CollectionConverters.asJava(job.stageIds())
          .forEach(id -> trainingStages.add((Integer) id));
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (!trainingStages.contains(end.stageId()) || end.reason() != Success$.MODULE$) {
      return;
    }
    int idx = end.taskInfo().index();
    long[] rp = runsPerPartition;
    double[] wp = workPerPartition;
    if (idx >= 0 && idx < rp.length) {
      done.addAndGet(rp[idx]);
      doneWork.add(wp[idx]);
      double secs = Math.max(0, end.taskInfo().finishTime() - end.taskInfo().launchTime()) / 1e3;
      synchronized (this) {
        rate.ended(wp[idx], secs);
      }
      boolean crossed = false;
      synchronized (this) {
        while (milestone < MILESTONES.length && totalWork > 0 && doneWork.sum() >= MILESTONES[milestone] * totalWork) {
          milestone++;
          crossed = true;
        }
      }
      print(crossed && !tty);
    }
  }

  synchronized void print(boolean force) {
    long now = System.nanoTime();
    long gap = tty ? 500_000_000L : 15_000_000_000L;
    if (!force && now - lastPrint < gap) {
      return;
    }
    lastPrint = now;
    out.print((tty ? "\r" : "") + line(now) + (tty ? "   " : "\n"));
    out.flush();
  }

  /** Ends the progress line. */
  synchronized void finish() {
    if (tty) {
      out.print("\r" + line(System.nanoTime()) + "   \n");
    } else {
      out.println(line(System.nanoTime()));
    }
    out.flush();
  }

  private String line(long now) {
    double secs = Math.max(1e-9, (now - startNanos) / 1e9);
    long d = done.get();
    double rate = (d - alreadyDone) / secs;
    double w = doneWork.sum();
    String eta = d >= total ? "0s" : "?";
    if (d < total) {
      double left;
      synchronized (this) {
        left = this.rate.etaSeconds(Math.max(0.0, totalWork - w));
      }
      eta = Double.isNaN(left) ? "?" : duration(left);
    }
    return String.format(Locale.ROOT, "[grokgrid] %d/%d runs (%.1f%%), work %.0f%% done, %.2f runs/s, elapsed %s, ETA %s",
        d, total, total == 0 ? 100.0 : 100.0 * d / total, totalWork > 0 ? 100.0 * Math.min(1.0, w / totalWork) : 100.0,
        rate, duration(secs), eta);
  }

  /**
   * The work rate of finished training tasks, and the ETA from it; no Spark, so that recorded
   * task timelines can be replayed through it. Not thread-safe: {@link Progress} holds its lock.
   *
   * <p>The first task of each slot pays for the JIT and the native libraries' start (many-small:
   * about twice a later task's time on a quiet machine), so it is left out as soon as a later task
   * has ended; before that it is all there is. The rate is then the work of the last
   * {@link #WINDOW} tasks per slot over their summed durations, times the slots: a window short
   * enough to follow the speed-up that goes on for a few tasks after the first (the JIT's later
   * tiers), and a machine whose load changes. The planner helps (see
   * {@code SweepJob.Run#level}): a level's first batch is cut into smaller tasks, so that tasks after
   * the warm-up have ended well before a tenth of the work is done.
   */
  static final class Rate {
    private final int slots;
    private final java.util.ArrayDeque<double[]> recent = new java.util.ArrayDeque<>();
    private double recentWork;
    private double recentSeconds;
    private int finished;
    private double warmupWork;
    private double warmupSeconds;

    Rate(int slots) {
      this.slots = Math.max(1, slots);
    }

    /** A training task ended: its estimated work and its launch-to-finish seconds. */
    void ended(double work, double seconds) {
      if (++finished <= slots) {
        warmupWork += work;
        warmupSeconds += seconds;
        return;
      }
      recent.addLast(new double[] {work, seconds});
      recentWork += work;
      recentSeconds += seconds;
      while (recent.size() > WINDOW * slots) {
        double[] old = recent.removeFirst();
        recentWork -= old[0];
        recentSeconds -= old[1];
      }
    }

    /** Seconds to do {@code workLeft} at the current rate; NaN before a task with work ended. */
    double etaSeconds(double workLeft) {
      return recent.isEmpty() ? Progress.etaSeconds(workLeft, warmupWork, warmupSeconds, slots)
          : Progress.etaSeconds(workLeft, recentWork, recentSeconds, slots);
    }
  }

  /**
   * Seconds left: the work left over the rate of recently finished tasks, {@code slots} at a time.
   *
   * @param workLeft the work still to do
   * @param recentWork work of the recently finished tasks
   * @param recentSeconds their summed durations
   * @param slots tasks running at once
   * @return the estimate, or NaN before a task with work has finished
   */
  static double etaSeconds(double workLeft, double recentWork, double recentSeconds, int slots) {
    if (!(recentWork > 0) || !(recentSeconds > 0)) {
      return Double.NaN;
    }
    return workLeft / (recentWork / recentSeconds * slots);
  }

  static String duration(double secs) {
    long s = Math.round(secs);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}

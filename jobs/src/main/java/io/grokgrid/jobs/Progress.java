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
 * Runs done / total, rate and ETA on the terminal, from Spark's task-end events of the training
 * jobs (job group {@value #GROUP_PREFIX}*). Each training task's partition carries a known number
 * of runs; a retried task counts once, when it succeeds. On a terminal the line is redrawn in place
 * at most twice a second; otherwise a line is printed every 15 seconds.
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
  private final long startNanos = System.nanoTime();
  private volatile long lastPrint;

  Progress(PrintStream out, long total, long alreadyDone) {
    this.out = out;
    this.total = total;
    this.done.set(alreadyDone);
    this.alreadyDone = alreadyDone;
    this.tty = System.console() != null;
  }

  /** Sets how many runs each partition of the next training job holds. */
  void nextBatch(long[] runsPerPartition) {
    this.runsPerPartition = runsPerPartition.clone();
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
    if (idx >= 0 && idx < rp.length) {
      done.addAndGet(rp[idx]);
      print(false);
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
    String eta = rate > 0 && d < total ? duration((total - d) / rate) : d >= total ? "0s" : "?";
    return String.format(Locale.ROOT, "[grokgrid] %d/%d runs (%.1f%%), %.2f runs/s, elapsed %s, ETA %s",
        d, total, total == 0 ? 100.0 : 100.0 * d / total, rate, duration(secs), eta);
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

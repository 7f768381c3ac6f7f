package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's local retry mode: the first attempt of a training task fails, the retry succeeds. */
class RetryIT {
  static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2,2]", RetryIT.class.getSimpleName()); // 2 threads, each task may fail once
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aFailedFirstAttemptLeavesEachRunExactlyOnce() throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    java.util.concurrent.atomic.AtomicInteger failedAttempts = new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener counter = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
        if (end.taskInfo().failed()) {
          failedAttempts.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(counter);
    Path failing = tmp.resolve("failing");
    Path clean = tmp.resolve("clean");
    SweepJob.run(spark, TestSpecs.small(), new SweepJob.Options(failing.toString(), SweepJob.Existing.REFUSE, 2, true), quiet);
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().removeSparkListener(counter);
    assertThat(failedAttempts.get()).as("the injected failure happened").isGreaterThanOrEqualTo(1);
    SweepJob.run(spark, TestSpecs.small(), new SweepJob.Options(clean.toString(), SweepJob.Existing.REFUSE, 2, false), quiet);
    List<Row> runs = spark.read().parquet(failing.resolve("runs").toString()).drop("wall_ms").orderBy("run_id").collectAsList();
    assertThat(runs).hasSize(24);
    assertThat(runs.stream().map(r -> (String) r.getAs("run_id")).distinct().count()).isEqualTo(24);
    assertThat(runs).isEqualTo(spark.read().parquet(clean.resolve("runs").toString()).drop("wall_ms").orderBy("run_id").collectAsList());
    assertThat(spark.read().parquet(failing.resolve("curves").toString()).count())
        .isEqualTo(spark.read().parquet(clean.resolve("curves").toString()).count());
  }
}

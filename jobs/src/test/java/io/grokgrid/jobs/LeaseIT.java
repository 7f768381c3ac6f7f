package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.CURVES;
import static io.grokgrid.vocab.Columns.GROKKING;
import static io.grokgrid.vocab.Columns.RUNS;
import static io.grokgrid.vocab.Columns.RUN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per sweep directory, with two real writers: this JVM holds the lease while a second
 * JVM runs {@code grokgrid run --resume} on the same directory (a resume would delete the batch
 * the first is committing). And a lease left by a dead process is taken over.
 */
class LeaseIT {
  static final SweepSpec SPEC = TestSpecs.small();
  static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", LeaseIT.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** {@code grokgrid ARGS} in a new JVM on this JVM's class path; returns its exit status. */
  static int cliInAnotherJvm(Path stderr, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String flags = System.getProperty("grokgrid.sparkJvmFlags", "");
    cmd.addAll(Arrays.stream(flags.split("\\s+")).filter(s -> !s.isBlank()).toList());
    cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Cli.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile()).start();
    try {
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("second writer finished").isTrue();
      return p.exitValue();
    } finally {
      p.destroyForcibly();
    }
  }

  static void assertEveryRunOnce(Path out) {
    for (String table : List.of(RUNS, GROKKING)) {
      var t = spark.read().parquet(out.resolve(table).toString());
      assertThat(t.count()).as(table).isEqualTo(SPEC.runCount());
      assertThat(t.select(RUN_ID).distinct().count()).as(table).isEqualTo(SPEC.runCount());
    }
    var curves = spark.read().parquet(out.resolve(CURVES).toString());
    assertThat(curves.select(RUN_ID).distinct().count()).isEqualTo(SPEC.runCount());
    assertThat(curves.count()).isEqualTo(curves.select(RUN_ID, "step").distinct().count());
    assertThat(out.resolve(Lease.NAME)).as("released").doesNotExist();
  }

  @Test
  void aSecondWriterInAnotherJvmIsRefusedWithOneLineNamingTheHolder() throws Exception {
    Path out = tmp.resolve("two-writers");
    Path spec = Files.writeString(tmp.resolve("small.yaml"), TestSpecs.SMALL);
    CountDownLatch firstBatch = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    // the first writer pauses after its first committed batch until the second has given up
    SweepJob.Hooks hooks = new SweepJob.Hooks(1, -1, null, () -> {
      if (firstBatch.getCount() > 0) {
        firstBatch.countDown();
        try {
          secondDone.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    CompletableFuture<SweepJob.Summary> first = CompletableFuture.supplyAsync(() -> SweepJob.run(spark, SPEC,
        new SweepJob.Options(out.toString(), SweepJob.Existing.REFUSE, 0, false),
        new PrintStream(new ByteArrayOutputStream()), hooks));
    try {
      assertThat(firstBatch.await(3, TimeUnit.MINUTES)).as("first batch committed").isTrue();
      Lease.Holder holder = Lease.Holder.parse(Files.readString(out.resolve(Lease.NAME)));
      assertThat(holder.pid()).isEqualTo(ProcessHandle.current().pid());

      Path stderr = tmp.resolve("second.err");
      int code = cliInAnotherJvm(stderr, "run", spec.toString(), "--out", out.toString(), "--resume",
          "--master", "local[1]");
      List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("grokgrid:")).toList();
      assertThat(code).as(Files.readString(stderr)).isEqualTo(Cli.USER_ERROR);
      assertThat(lines).containsExactly("grokgrid: " + out + " is being written by pid " + holder.pid()
          + " on host " + holder.host() + " since " + holder.started() + " (lease " + out.resolve(Lease.NAME)
          + "); wait for it or, if that process is gone, run again");
      assertThat(out.resolve(SweepDir.BATCHES).resolve("batch-00000").resolve("_SUCCESS"))
          .as("the first writer's batch survives the refused resume").exists();
    } finally {
      secondDone.countDown();
    }
    SweepJob.Summary sum = first.get(5, TimeUnit.MINUTES);
    assertThat(sum.trained()).isEqualTo(SPEC.runCount());
    assertEveryRunOnce(out);
  }

  @Test
  void aLeaseLeftByADeadProcessIsTakenOverAndTheSweepCompletes() throws Exception {
    Path out = tmp.resolve("dead-holder");
    long pid = LeaseTest.deadPid();
    LeaseTest.writeLease(out, Lease.localHost(), pid, "2026-11-30T07:40:00Z");
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    SweepJob.Summary sum = SweepJob.run(spark, SPEC,
        new SweepJob.Options(out.toString(), SweepJob.Existing.REFUSE, 0, false),
        new PrintStream(messages, true, StandardCharsets.UTF_8));
    assertThat(messages.toString(StandardCharsets.UTF_8)).startsWith("grokgrid: taking over the stale lease "
        + out.resolve(Lease.NAME) + " of pid " + pid + " on host " + Lease.localHost()
        + " since 2026-11-30T07:40:00Z (that process is gone)" + System.lineSeparator());
    assertThat(sum.trained()).isEqualTo(SPEC.runCount());
    assertEveryRunOnce(out);
  }

  @Test
  void anUnwritableOutIsAUserErrorOfTheCommandLineNamingThePathAndTheReason() throws Exception {
    Path spec = Files.writeString(tmp.resolve("small-2.yaml"), TestSpecs.SMALL);
    Path file = Files.writeString(tmp.resolve("results"), "a file where a directory should be");
    Path stderr = tmp.resolve("unwritable.err");
    int code = cliInAnotherJvm(stderr, "run", spec.toString(), "--out", file.resolve("x").toString(),
        "--master", "local[1]");
    assertThat(code).as(Files.readString(stderr)).isEqualTo(Cli.USER_ERROR);
    assertThat(Files.readAllLines(stderr).stream().filter(l -> l.startsWith("grokgrid:")))
        .containsExactly("grokgrid: cannot write to " + file.resolve("x") + ": " + file + " is a file, not a directory");
  }
}

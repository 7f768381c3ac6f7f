package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.RUNS;
import static io.grokgrid.vocab.Columns.RUN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.vocab.SpecKeys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill says what happened: a real {@code grokgrid run} in a child JVM gets SIGTERM after its
 * second batch; it exits 143 with one line naming the runs and batches kept and how to go on,
 * {@code sweep.json} says interrupted, the lease is gone, and {@code --resume} then completes
 * with every run once.
 */
class InterruptIT {
  static final SweepSpec SPEC = TestSpecs.small();
  static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", InterruptIT.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void sigtermStopsCleanlyWithOneLineAndResumeCompletes() throws Exception {
    Path out = tmp.resolve("out");
    Path spec = Files.writeString(tmp.resolve("small.yaml"), TestSpecs.SMALL);
    Path stderr = tmp.resolve("run.err");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String flags = System.getProperty("grokgrid.sparkJvmFlags", "");
    cmd.addAll(Arrays.stream(flags.split("\\s+")).filter(s -> !s.isBlank()).toList());
    cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), Cli.class.getName(),
        "run", spec.toString(), "--out", out.toString(), "--master", "local[1]", "--units-per-batch", "1",
        "--pause-after-batches", "2"));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.readString(stderr).contains("test hook: paused after 2 batches")) {
        assertThat(p.isAlive()).as(Files.readString(stderr)).isTrue();
        assertThat(System.nanoTime()).as("paused within 3 minutes").isLessThan(deadline);
        Thread.sleep(200);
      }
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isEqualTo(143);
    // 6 data sets of 4 runs, one per batch: 2 batches, 8 runs kept
    List<String> said = err.lines().filter(l -> l.startsWith("grokgrid:")).toList();
    assertThat(said).containsExactly("grokgrid: interrupted after 8 of 24 runs (2 batches kept); continue with: "
        + "grokgrid run " + spec + " --out " + out + " --resume");
    assertThat(err).as("no stack trace").doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(Files.readString(out.resolve(SweepDir.SWEEP_JSON))).contains("\"" + SpecKeys.INTERRUPTED + "\"");
    assertThat(out.resolve(Lease.NAME)).as("lease released").doesNotExist();

    SweepJob.Summary sum = SweepJob.run(spark, SPEC, new SweepJob.Options(out.toString(), SweepJob.Existing.RESUME, 0,
        false), new PrintStream(new ByteArrayOutputStream()));
    assertThat(sum.trained()).isEqualTo(16);
    var runs = spark.read().parquet(out.resolve(RUNS).toString());
    assertThat(runs.count()).isEqualTo(SPEC.runCount());
    assertThat(runs.select(RUN_ID).distinct().count()).isEqualTo(SPEC.runCount());
    assertThat(Files.readString(out.resolve(SweepDir.SWEEP_JSON))).contains("\"" + SpecKeys.COMPLETE + "\"");
  }
}

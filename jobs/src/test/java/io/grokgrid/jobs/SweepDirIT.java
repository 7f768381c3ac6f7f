package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.CURVES;
import static io.grokgrid.vocab.Columns.RUNS;
import static io.grokgrid.vocab.Columns.RUN_ID;
import static io.grokgrid.vocab.Columns.WALL_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.jobs.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and foreign output directories: duplicate runs across batches heal on resume, a batch
 * with a truncated Parquet file is discarded and retrained, and --overwrite deletes nothing that
 * is not a grokgrid sweep.
 */
class SweepDirIT {
  /** 6 data sets of 4 runs: with one unit per batch, 6 batches. */
  static final SweepSpec SPEC = TestSpecs.small();
  static final int RUNS_PER_UNIT = 4;
  static SparkSession spark;
  @TempDir static Path tmp;
  final ByteArrayOutputStream messages = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", SweepDirIT.class.getSimpleName());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  SweepJob.Summary run(Path out, SweepJob.Existing mode) {
    return SweepJob.run(spark, SPEC, new SweepJob.Options(out.toString(), mode, 0, false),
        new PrintStream(messages, true, StandardCharsets.UTF_8), new SweepJob.Hooks(1, -1, null));
  }

  List<String> messageLines() {
    return messages.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("grokgrid:")).toList();
  }

  Path batch(Path out, int i) {
    return out.resolve(SweepDir.BATCHES).resolve(SweepDir.batchName(i));
  }

  @Test
  void duplicateRunsInCommittedBatchesAreKeptOnceFromTheLowestBatchAndReported() throws IOException {
    Path out = tmp.resolve("duplicates");
    run(out, SweepJob.Existing.REFUSE);
    long curveRows = spark.read().parquet(out.resolve(CURVES).toString()).count();
    // damage as an older version could leave it: batch 1's runs again in a later batch 6, with
    // other wall times so that the kept row can be told apart
    Map<String, Long> batch1 = wallMs(batch(out, 1));
    assertThat(batch1).hasSize(RUNS_PER_UNIT);
    spark.read().parquet(batch(out, 1).toString()).withColumn(WALL_MS, functions.lit(-1L))
        .write().mode(SaveMode.ErrorIfExists).parquet(batch(out, 6).toString());
    messages.reset();

    SweepJob.Summary sum = run(out, SweepJob.Existing.RESUME);

    assertThat(sum.trained()).isZero();
    assertThat(messageLines()).containsExactly("grokgrid: the batches under " + out.resolve(SweepDir.BATCHES)
        + " hold 4 duplicate run rows; keeping each run's row from the lowest batch");
    var runs = spark.read().parquet(out.resolve(RUNS).toString());
    assertThat(runs.count()).isEqualTo(SPEC.runCount());
    assertThat(runs.select(RUN_ID).distinct().count()).isEqualTo(SPEC.runCount());
    assertThat(wallMs(out.resolve(RUNS))).containsAllEntriesOf(batch1);
    assertThat(spark.read().parquet(out.resolve(CURVES).toString()).count()).isEqualTo(curveRows);
    assertThat(sum.byStatus().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(SPEC.runCount());
  }

  static Map<String, Long> wallMs(Path dir) {
    return spark.read().parquet(dir.toString()).select(RUN_ID, WALL_MS).collectAsList().stream()
        .collect(java.util.stream.Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
  }

  @Test
  void aTruncatedParquetFileDiscardsItsBatchOnResumeAndItsRunsAreTrainedAgain() throws IOException {
    Path out = tmp.resolve("truncated");
    run(out, SweepJob.Existing.REFUSE);
    Path part;
    try (Stream<Path> s = Files.list(batch(out, 2))) {
      part = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(part);
    Files.write(part, Arrays.copyOf(bytes, bytes.length / 2)); // its .crc no longer matches either
    messages.reset();

    SweepJob.Summary sum = run(out, SweepJob.Existing.RESUME);

    List<String> lines = messageLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("grokgrid: file:" + part + " is damaged (")
        .endsWith("); discarding batch-00002, its runs are trained again");
    assertThat(sum.trained()).isEqualTo(RUNS_PER_UNIT);
    var runs = spark.read().parquet(out.resolve(RUNS).toString());
    assertThat(runs.count()).isEqualTo(SPEC.runCount());
    assertThat(runs.select(RUN_ID).distinct().count()).isEqualTo(SPEC.runCount());
    assertThat(batch(out, 2)).doesNotExist();
    assertThat(batch(out, 6).resolve("_SUCCESS")).exists();
  }

  @Test
  void overwriteRefusesADirectoryThatIsNotASweepAndDeletesNothing() throws IOException {
    Path out = Files.createDirectories(tmp.resolve("thesis"));
    Files.writeString(out.resolve("chapter1.tex"), "\\chapter{Grokking}");
    Map<String, Long> before = SweepJobIT.listing(out);
    assertThatThrownBy(() -> run(out, SweepJob.Existing.OVERWRITE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refusing to overwrite " + out + ": it is not empty and has no sweep.json (not a grokgrid sweep);"
            + " delete it yourself or choose another --out");
    assertThat(SweepJobIT.listing(out)).isEqualTo(before);

    // an empty directory and a real sweep are overwritten as before
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThat(run(empty, SweepJob.Existing.OVERWRITE).trained()).isEqualTo(SPEC.runCount());
    assertThat(run(empty, SweepJob.Existing.OVERWRITE).trained()).isEqualTo(SPEC.runCount());
    assertThat(empty.resolve(Lease.NAME)).doesNotExist();
  }

  @Test
  void anOutputUnderARegularFileIsAUserErrorAndNothingIsWritten() throws IOException {
    Path file = Files.writeString(tmp.resolve("results"), "a file where a directory should be");
    assertThatThrownBy(() -> run(file.resolve("x"), SweepJob.Existing.REFUSE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot write to " + file.resolve("x") + ": " + file + " is a file, not a directory");
    assertThat(Files.readString(file)).isEqualTo("a file where a directory should be");
  }
}

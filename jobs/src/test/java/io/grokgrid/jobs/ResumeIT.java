package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.RUN_ID;
import static io.grokgrid.vocab.Columns.TABLES;
import static io.grokgrid.vocab.Columns.WALL_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.MemoryPlan;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} over a sweep stopped between batches: only the missing runs are trained, the
 * stored batches are kept as they are, and the tables end equal to those of an uninterrupted
 * run. A resume over batches of another grokgrid version is refused untouched.
 */
class ResumeIT {
  /** 6 data sets (2 noise rates x 3 replicates), 4 runs each: 6 batches of one unit. */
  static final SweepSpec SPEC = TestSpecs.small();
  static final int UNITS = 6;
  static final int RUNS_PER_UNIT = 4;
  static SparkSession spark;
  @TempDir static Path tmp;
  static Path uninterrupted;

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", ResumeIT.class.getSimpleName());
    assertThat(Grid.units(SPEC, MemoryPlan.Budget.of(null))).hasSize(UNITS)
        .allSatisfy(u -> assertThat(u.runCount()).isEqualTo(RUNS_PER_UNIT));
    // the reference: one uninterrupted run with the default (work-based) batches
    uninterrupted = tmp.resolve("uninterrupted");
    SweepJob.Summary sum = run(uninterrupted, SweepJob.Existing.REFUSE, SweepJob.Hooks.NONE);
    assertThat(sum.trained()).isEqualTo(SPEC.runCount());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static SweepJob.Summary run(Path out, SweepJob.Existing mode, SweepJob.Hooks hooks) {
    return SweepJob.run(spark, SPEC, new SweepJob.Options(out.toString(), mode, 0, false),
        new PrintStream(new ByteArrayOutputStream()), hooks);
  }

  static List<Path> batchDirs(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out.resolve(SweepDir.BATCHES))) {
      return s.sorted().toList();
    }
  }

  /** run_id -> wall_ms of the rows of some batch directories. */
  static Map<String, Long> wallMs(List<Path> batches) {
    Map<String, Long> m = new HashMap<>();
    String[] paths = batches.stream().map(Path::toString).toArray(String[]::new);
    for (Row r : spark.read().parquet(paths).select(RUN_ID, WALL_MS).collectAsList()) {
      assertThat(m.put(r.getString(0), r.getLong(1))).as("run once").isNull();
    }
    return m;
  }

  @Test
  void resumeTrainsExactlyTheMissingRunsAndEndsEqualToAnUninterruptedRun() throws IOException {
    Path out = tmp.resolve("resumed");
    // one unit per batch; the driver stops after 2 committed batches
    assertThatThrownBy(() -> run(out, SweepJob.Existing.REFUSE, new SweepJob.Hooks(1, 2, null)))
        .isInstanceOf(IllegalStateException.class).hasMessage("test hook: stopped after 2 batches");
    List<Path> kept = batchDirs(out);
    assertThat(kept).extracting(p -> p.getFileName().toString()).containsExactly("batch-00000", "batch-00001");
    assertThat(out.resolve("runs")).as("tables are written only at the end").doesNotExist();
    Map<String, Long> stored = wallMs(kept);
    assertThat(stored).hasSize(2 * RUNS_PER_UNIT);
    List<Map<String, Long>> keptListing = List.of(SweepJobIT.listing(kept.get(0)), SweepJobIT.listing(kept.get(1)));
    // and a third batch killed before its commit: its files, no _SUCCESS marker
    Path torn = out.resolve(SweepDir.BATCHES).resolve("batch-00002");
    Files.createDirectories(torn);
    try (Stream<Path> s = Files.list(kept.get(1))) {
      for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        Files.copy(f, torn.resolve(f.getFileName()));
      }
    }

    SweepJob.Summary sum = run(out, SweepJob.Existing.RESUME, new SweepJob.Hooks(1, -1, null));

    // (a) exactly the missing runs were trained, each in a new batch; the stored ones were not
    long missing = SPEC.runCount() - stored.size();
    assertThat(sum.trained()).isEqualTo(missing).isEqualTo((UNITS - 2) * RUNS_PER_UNIT);
    List<Path> after = batchDirs(out);
    assertThat(after).extracting(p -> p.getFileName().toString())
        .containsExactly("batch-00000", "batch-00001", "batch-00002", "batch-00003", "batch-00004", "batch-00005");
    Map<String, Long> added = wallMs(after.subList(2, after.size()));
    assertThat(added).hasSize((int) missing);
    Set<String> overlap = new HashSet<>(added.keySet());
    overlap.retainAll(stored.keySet());
    assertThat(overlap).as("no stored run trained again").isEmpty();
    assertThat(List.of(SweepJobIT.listing(after.get(0)), SweepJobIT.listing(after.get(1))))
        .as("the stored batches' files, sizes and times").isEqualTo(keptListing);
    Map<String, Long> finalWallMs = new HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("runs").toString()).select(RUN_ID, WALL_MS).collectAsList()) {
      finalWallMs.put(r.getString(0), r.getLong(1));
    }
    stored.forEach((id, ms) -> assertThat(finalWallMs).containsEntry(id, ms));

    // (b) every table equals the uninterrupted run's, row for row, but for wall times
    assertTablesEqual(uninterrupted, out);
    // nothing left: another resume trains nothing and changes no table
    assertThat(run(out, SweepJob.Existing.RESUME, SweepJob.Hooks.NONE).trained()).isZero();
    assertTablesEqual(uninterrupted, out);
  }

  static void assertTablesEqual(Path reference, Path out) {
    for (String table : TABLES) {
      Dataset<Row> a = spark.read().parquet(reference.resolve(table).toString()).drop(WALL_MS);
      Dataset<Row> b = spark.read().parquet(out.resolve(table).toString()).drop(WALL_MS);
      assertThat(b.columns()).as(table).containsExactlyInAnyOrder(a.columns());
      b = b.select(Arrays.stream(a.columns()).map(functions::col).toArray(Column[]::new));
      assertThat(a.count()).as(table).isPositive().isEqualTo(b.count());
      assertThat(a.exceptAll(b).count()).as(table + " rows only in the uninterrupted run").isZero();
      assertThat(b.exceptAll(a).count()).as(table + " rows only in the resumed run").isZero();
    }
  }

  @Test
  void resumeOverBatchesOfAnotherVersionIsRefusedUntouched() throws IOException {
    Path out = tmp.resolve("old-version");
    // batches as an older grokgrid would have written them: every row's engine_version is "0.0.1"
    assertThatThrownBy(() -> run(out, SweepJob.Existing.REFUSE, new SweepJob.Hooks(1, 2, "0.0.1")))
        .hasMessage("test hook: stopped after 2 batches");
    assertThat(spark.read().parquet(out.resolve(SweepDir.BATCHES).resolve("batch-00000").toString())
        .select("engine_version").distinct().collectAsList()).extracting(r -> r.getString(0)).containsExactly("0.0.1");
    // an uncommitted batch, which a resume would delete: it must survive the refusal
    Path torn = Files.createDirectories(out.resolve(SweepDir.BATCHES).resolve("batch-00002"));
    Files.writeString(torn.resolve("part-00000.parquet"), "torn");
    Map<String, Long> before = SweepJobIT.listing(out);

    assertThatThrownBy(() -> run(out, SweepJob.Existing.RESUME, SweepJob.Hooks.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot resume " + out + ": its batches were written by grokgrid 0.0.1 and this is grokgrid "
            + SweepJob.version() + "; use --overwrite or another --out");
    assertThat(SweepJobIT.listing(out)).isEqualTo(before);

    // the same version resumes
    SweepJob.Summary sum = run(out, SweepJob.Existing.RESUME, new SweepJob.Hooks(0, -1, "0.0.1"));
    assertThat(sum.trained()).isEqualTo(SPEC.runCount() - 2 * RUNS_PER_UNIT);
  }
}

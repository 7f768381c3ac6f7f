package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.PHASE;
import static io.grokgrid.vocab.Columns.REFINE_LEVEL;
import static io.grokgrid.vocab.Columns.RUN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.jobs.refine.MapAgreement;
import io.grokgrid.jobs.refine.RefineLattice;
import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.MemoryPlan;
import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refined sweeps end to end at small size (ridge regression, n = 20, p = 100, 2000 steps, where
 * step size x weight decay shows all four of Liu et al.'s phases): the refined map against the
 * full grid of its finest resolution, a one-axis threshold against a fine plain grid, and the
 * same points and numbers with 1 and 4 partitions and after interruptions and resumes.
 */
class RefineIT {
  /** 5 x 5 coarse points, 3 levels: a 33 x 33 finest lattice, 3 replicates. */
  static final String REFINED = """
      name: ridge-refined
      task: ridge
      seed: 11
      replicates: 3
      steps: 2000
      log_points: 30
      fixed: {n_train: 20, dim: 100, init_scale: 1.0, label_noise_std: 0.0}
      grid:
        step_size: {from: 0.03, to: 10.0, points: 5, scale: log}
        weight_decay: {from: 1.0e-5, to: 1.0e-1, points: 5, scale: log}
      refine: {axes: [step_size, weight_decay], by: phase, levels: 3}
      thresholds: {fit: 0.01, gen: 0.01}
      """;
  static final String FULL = REFINED.replace("name: ridge-refined", "name: ridge-full")
      .replace("points: 5", "points: 33").replace("refine: {axes: [step_size, weight_decay], by: phase, levels: 3}\n", "");

  static SparkSession spark;
  @TempDir static Path tmp;
  static SweepSpec refined;
  static Path refinedOut;
  static SweepJob.Summary refinedSum;
  static ByteArrayOutputStream refinedLog = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", RefineIT.class.getSimpleName());
    refined = SpecParser.parse(REFINED, "refined.yaml");
    refinedOut = tmp.resolve("refined-p1");
    refinedSum = SweepJob.run(spark, refined, new SweepJob.Options(refinedOut.toString(), SweepJob.Existing.REFUSE, 1, false),
        new PrintStream(refinedLog, true, StandardCharsets.UTF_8), SweepJob.Hooks.NONE);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static SweepJob.Summary run(SweepSpec spec, Path out, int partitions, SweepJob.Existing mode, SweepJob.Hooks hooks) {
    return SweepJob.run(spark, spec, new SweepJob.Options(out.toString(), mode, partitions, false),
        new PrintStream(new ByteArrayOutputStream()), hooks);
  }

  /** Majority outcome per finest grid point of a sweep's grokking table. */
  static Map<Long, String> majority(Path out, SweepSpec spec, String table, String column) {
    RefineDriver.Decoder decoder = new RefineDriver.Decoder(spec.finest(), new Lattice(spec.finest(), MemoryPlan.Budget.UNBOUNDED));
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    decoder.axes.forEach(a -> cols.add(org.apache.spark.sql.functions.col(a)));
    cols.add(org.apache.spark.sql.functions.col(column).cast("string"));
    Map<Long, List<String>> votes = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve(table).toString()).select(cols.toArray(new org.apache.spark.sql.Column[0]))
        .collectAsList()) {
      String v = r.isNullAt(decoder.axes.size()) ? "none" : r.getString(decoder.axes.size());
      votes.computeIfAbsent(decoder.point(r), k -> new ArrayList<>()).add(v);
    }
    Map<Long, String> m = new TreeMap<>();
    votes.forEach((g, v) -> m.put(g, MapAgreement.majority(v)));
    return m;
  }

  @Test
  void refinedMapGivesTheFullGridsPhaseAtAFractionOfItsRuns() {
    SweepSpec full = SpecParser.parse(FULL, "full.yaml");
    Path fullOut = tmp.resolve("full");
    run(full, fullOut, 0, SweepJob.Existing.REFUSE, SweepJob.Hooks.NONE);
    Map<Long, String> fullMap = majority(fullOut, full, "grokking", PHASE);
    Map<Long, String> refinedMap = majority(refinedOut, refined, "grokking", PHASE);
    assertThat(fullMap).hasSize(33 * 33);
    assertThat(new TreeSet<>(fullMap.values())).as("a map worth refining")
        .contains("comprehension", "grokking", "memorization");
    double agreement = MapAgreement.share(new RefineLattice(refined), refinedMap, fullMap);
    long refinedRuns = spark.read().parquet(refinedOut.resolve("runs").toString()).count();
    double share = (double) refinedRuns / full.runCount();
    System.out.printf("RefineIT: agreement %.4f with %d of %d runs (%.3f)%n", agreement, refinedRuns, full.runCount(), share);
    assertThat(agreement).isGreaterThanOrEqualTo(0.97);
    assertThat(share).isLessThanOrEqualTo(0.30);
    assertThat(refinedSum.byStatus().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(refinedRuns);
    // the refined sweep's runs are runs of the full grid: same ids, same seeds
    Set<String> fullIds = ids(fullOut);
    assertThat(fullIds).containsAll(ids(refinedOut));
    // every level was trained, and says so
    assertThat(spark.read().parquet(refinedOut.resolve("grokking").toString()).select(REFINE_LEVEL).distinct()
        .collectAsList()).extracting(r -> r.getInt(0)).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(spark.read().parquet(fullOut.resolve("runs").toString()).select(REFINE_LEVEL).distinct()
        .collectAsList()).extracting(r -> r.getInt(0)).containsExactly(0);
    String log = refinedLog.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("grokgrid: refine level 0 of 3: 25 points x 3 replicates = 75 runs (0 stored)")
        .contains("grokgrid: refine level 3 of 3:");
  }

  @Test
  void reportDrawsTheRefinedMapAtItsResolution() throws Exception {
    Path report = tmp.resolve("report");
    io.grokgrid.analysis.report.Report.write(spark, List.of(refinedOut.toString()),
        io.grokgrid.analysis.report.Report.Options.of(report));
    java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(report.resolve("phase_diagram.png").toFile());
    assertThat(png).isNotNull();
    long runs = spark.read().parquet(refinedOut.resolve("runs").toString()).count();
    String page = java.nio.file.Files.readString(report.resolve("index.html"));
    assertThat(page).contains(String.format(java.util.Locale.ROOT, "%d runs at %d evaluated points; a full 33 x 33 grid"
        + " of this resolution would take 3267 runs", runs, runs / 3));
  }

  static Set<String> ids(Path out) {
    return spark.read().parquet(out.resolve("runs").toString()).select(RUN_ID).collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  static void assertSameTables(Path a, Path b) {
    for (Compare.Table t : Compare.tables(spark, a.toString(), b.toString())) {
      assertThat(t.onlyA() + t.onlyB()).as(t.name() + " " + t.problem()).isZero();
      assertThat(t.problem()).as(t.name()).isNull();
      assertThat(t.rows()).as(t.name()).isPositive();
    }
  }

  @Test
  void samePointsAndNumbersWithFourPartitions() {
    Path out = tmp.resolve("refined-p4");
    run(refined, out, 4, SweepJob.Existing.REFUSE, SweepJob.Hooks.NONE);
    assertSameTables(refinedOut, out);
  }

  @Test
  void resumedMidLevelAndAtALevelBoundaryEndsEqualToAnUninterruptedRun() {
    // one data set per replicate and level: one unit per batch gives 3 batches a level
    for (int stopAfter : new int[] {1, 3, 4}) {
      Path out = tmp.resolve("interrupted-" + stopAfter);
      assertThatThrownBy(() -> run(refined, out, 0, SweepJob.Existing.REFUSE, new SweepJob.Hooks(1, stopAfter, null)))
          .isInstanceOf(IllegalStateException.class).hasMessage("test hook: stopped after " + stopAfter + " batches");
      long stored = spark.read().parquet(out.resolve(SweepDir.BATCHES).resolve("batch-*").toString()).count();
      assertThat(stored).isPositive();
      SweepJob.Summary resumed = run(refined, out, 0, SweepJob.Existing.RESUME, new SweepJob.Hooks(1, -1, null));
      assertThat(resumed.trained()).as("only the missing runs").isEqualTo(refinedSum.trained() - stored);
      assertSameTables(refinedOut, out);
    }
  }

  @Test
  void oneAxisFindsTheCriticalWeightDecayOfAFinePlainGrid() {
    // generalized by the end (final population loss below c = 0.01) from a critical weight decay on
    String oneAxis = """
        name: ridge-critical
        task: ridge
        seed: 12
        replicates: 3
        steps: 2000
        log_points: 30
        fixed: {n_train: 20, dim: 100, init_scale: 1.0, label_noise_std: 0.0, step_size: 1.0}
        grid:
          weight_decay: {from: 1.0e-5, to: 1.0e-1, points: 5, scale: log}
        refine: {axes: [weight_decay], by: test_loss, bins: [0.01], levels: 4}
        thresholds: {fit: 0.01, gen: 0.01}
        """;
    SweepSpec spec = SpecParser.parse(oneAxis, "critical.yaml");
    SweepSpec plain = SpecParser.parse(oneAxis.replace("points: 5", "points: 65")
        .replace("refine: {axes: [weight_decay], by: test_loss, bins: [0.01], levels: 4}\n", ""), "plain.yaml");
    Path out = tmp.resolve("critical");
    Path plainOut = tmp.resolve("critical-plain");
    run(spec, out, 0, SweepJob.Existing.REFUSE, SweepJob.Hooks.NONE);
    run(plain, plainOut, 0, SweepJob.Existing.REFUSE, SweepJob.Hooks.NONE);
    Map<Long, String> fine = binned(majorityValues(plainOut, plain));
    Map<Long, String> ref = binned(majorityValues(out, spec));
    // the plain grid has one threshold: a last point above c and a first point below it
    List<Long> changes = new ArrayList<>();
    for (long g = 1; g < 65; g++) {
      if (!fine.get(g).equals(fine.get(g - 1))) {
        changes.add(g);
      }
    }
    assertThat(changes).as("one threshold inside the range").hasSize(1);
    long critical = changes.get(0);
    // the refinement evaluated both sides of it, on neighbouring finest points, with the plain grid's outcomes
    assertThat(ref).containsEntry(critical, fine.get(critical)).containsEntry(critical - 1, fine.get(critical - 1));
    assertThat(ref).hasSize(5 + 4); // 5 coarse points, then one point a level in the one cell that disagrees
  }

  /** Majority bin of the final test loss per finest point (bins: below 0.01, not below). */
  static Map<Long, List<String>> majorityValues(Path out, SweepSpec spec) {
    RefineDriver.Decoder decoder = new RefineDriver.Decoder(spec.finest(), new Lattice(spec.finest(), MemoryPlan.Budget.UNBOUNDED));
    Map<Long, List<String>> votes = new TreeMap<>();
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    decoder.axes.forEach(a -> cols.add(org.apache.spark.sql.functions.col(a)));
    cols.add(org.apache.spark.sql.functions.col("test_loss"));
    for (Row r : spark.read().parquet(out.resolve("runs").toString()).select(cols.toArray(new org.apache.spark.sql.Column[0]))
        .collectAsList()) {
      votes.computeIfAbsent(decoder.point(r), k -> new ArrayList<>()).add(r.getDouble(decoder.axes.size()) < 0.01 ? "below" : "above");
    }
    return votes;
  }

  static Map<Long, String> binned(Map<Long, List<String>> votes) {
    Map<Long, String> m = new TreeMap<>();
    votes.forEach((g, v) -> m.put(g, MapAgreement.majority(v)));
    return m;
  }
}

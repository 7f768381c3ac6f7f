package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.engine.LogSchedule;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end in local[2]: spec in, tables out, checked against values recomputed here. */
class SweepJobIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static Path reference;
  static final SweepSpec SPEC = TestSpecs.small();

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", SweepJobIT.class.getSimpleName());
    reference = tmp.resolve("reference");
    run(reference, SweepJob.Existing.REFUSE, 0);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static SweepJob.Summary run(Path out, SweepJob.Existing mode, int partitions) {
    return SweepJob.run(spark, SPEC, new SweepJob.Options(out.toString(), mode, partitions, false),
        new PrintStream(new ByteArrayOutputStream()));
  }

  /** run_id -> every column but wall_ms, as text (exact: doubles print round-trip). */
  static Map<String, String> runs(Path out) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve("runs").toString()).drop("wall_ms").collectAsList()) {
      assertThat(m.put(r.getAs("run_id"), r.toString())).as("run_id once").isNull();
    }
    return m;
  }

  /** (run_id, step) -> metrics as text. */
  static Map<String, String> curves(Path out) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve("curves").toString()).collectAsList()) {
      assertThat(m.put(r.getAs("run_id") + "@" + r.getAs("step"), r.toString())).isNull();
    }
    return m;
  }

  @Test
  void tablesHaveOneRowPerRunAndTheScheduleOfCurvePoints() {
    Map<String, String> runs = runs(reference);
    assertThat(runs).hasSize((int) SPEC.runCount()).hasSize(24);
    int points = LogSchedule.of(SPEC.steps(), SPEC.logPoints()).length;
    List<Row> statuses = spark.read().parquet(reference.resolve("runs").toString())
        .select("status", "steps_done").collectAsList();
    long expectedCurveRows = 0;
    for (Row r : statuses) {
      assertThat(r.getString(0)).isEqualTo("ok");
      expectedCurveRows += points;
    }
    assertThat(curves(reference)).hasSize((int) expectedCurveRows);
    assertThat(spark.read().parquet(reference.resolve("grokking").toString()).count()).isEqualTo(24);
    // 2 noise rates x 2 step sizes, each a group over weight decay
    assertThat(spark.read().parquet(reference.resolve("overfitting_cost").toString()).count()).isEqualTo(4);
    assertThat(reference.resolve("sweep.json")).exists();
  }

  @Test
  void grokkingRowsAgreeWithTheCurves() {
    Map<String, List<Row>> byRun = new HashMap<>();
    for (Row r : spark.read().parquet(reference.resolve("curves").toString()).orderBy("run_id", "step").collectAsList()) {
      byRun.computeIfAbsent(r.getAs("run_id"), k -> new ArrayList<>()).add(r);
    }
    for (Row g : spark.read().parquet(reference.resolve("grokking").toString()).collectAsList()) {
      List<Row> c = byRun.get((String) g.getAs("run_id"));
      // independent recomputation: plain loops over the stored curve
      Integer tFit = null;
      for (int i = c.size() - 1; i >= 0 && (double) c.get(i).getAs("train_acc") >= 1.0; i--) {
        tFit = c.get(i).getAs("step");
      }
      Integer tGen = null;
      for (Row p : c) {
        if ((double) p.getAs("test_acc") >= 0.95) {
          tGen = p.getAs("step");
          break;
        }
      }
      assertThat((Integer) g.getAs("t_fit")).isEqualTo(tFit);
      assertThat((Integer) g.getAs("t_gen")).isEqualTo(tGen);
      String phase = tFit == null ? "confusion" : tGen == null ? "memorization"
          : tGen >= 10 * Math.max(tFit, 1) ? "grokking" : "comprehension";
      assertThat((String) g.getAs("phase")).isEqualTo(phase);
      assertThat((Boolean) g.getAs("grokked")).isEqualTo(phase.equals("grokking"));
      assertThat((Integer) g.getAs("delay")).isEqualTo(tFit != null && tGen != null ? tGen - tFit : null);
    }
    // the phases are not all the same: the grid spans fast and slow runs
    assertThat(spark.read().parquet(reference.resolve("grokking").toString()).select("phase").distinct().count())
        .isGreaterThan(1);
  }

  @Test
  void costRowsAgreeWithTheRuns() {
    // mean noisy-label risk per (noise_rate, step_size, weight_decay), over replicates
    Map<String, double[]> sums = new HashMap<>();
    for (Row r : spark.read().parquet(reference.resolve("runs").toString()).collectAsList()) {
      String key = r.getAs("noise_rate") + "|" + r.getAs("step_size") + "|" + r.getAs("weight_decay");
      double[] s = sums.computeIfAbsent(key, k -> new double[2]);
      s[0] += 1.0 - (double) r.getAs("test_acc_noisy");
      s[1] += 1;
    }
    for (Row c : spark.read().parquet(reference.resolve("overfitting_cost").toString()).collectAsList()) {
      String group = c.getAs("noise_rate") + "|" + c.getAs("step_size") + "|";
      double[] at0 = sums.get(group + 0.0);
      double[] at5 = sums.get(group + 0.5);
      double interp = at0[0] / at0[1];
      double best = Math.min(interp, at5[0] / at5[1]);
      // means of 3 risks in [0, 1], summed here and by Spark in possibly different orders: they
      // differ by a few roundings, ~1e-16 each; 1e-12 is far above that and far below 1/120,
      // the smallest step between two such means (risks are multiples of 1/n_test = 1/40)
      assertThat((double) c.getAs("risk_interp")).isCloseTo(interp, org.assertj.core.data.Offset.offset(1e-12));
      assertThat((double) c.getAs("risk_best")).isCloseTo(best, org.assertj.core.data.Offset.offset(1e-12));
      double cost = best == 0 ? 1.0 : interp / best;
      // a ratio of two such means with best >= 1/120 and interp <= 1: relative error at most
      // ~1e-15 * 120 per mean, so about 3e-11 absolute at the largest cost (120); 1e-9 covers it
      assertThat((double) c.getAs("cost")).isCloseTo(cost, org.assertj.core.data.Offset.offset(1e-9));
      assertThat((Integer) c.getAs("replicates")).isEqualTo(3);
      assertThat((double) c.getAs("bayes_risk")).isEqualTo((double) c.getAs("noise_rate"));
    }
  }

  /**
   * The small way (runs, grokking and overfitting_cost cut on the driver, curves exploded by Spark
   * from the batch files) and the large way (every table by Spark) write the same rows.
   */
  @Test
  void theSmallAndTheLargeWayWriteTheSameTables() throws IOException {
    Path large = tmp.resolve("large-way");
    try (Stream<Path> files = Files.walk(reference)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = large.resolve(reference.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    SweepDir dir = SweepDir.open(spark, large.toString());
    TableWriter.distributed(spark, dir, SPEC, dir.committedBatches(), new PrintStream(new ByteArrayOutputStream()));
    for (Compare.Table t : Compare.tables(spark, reference.toString(), large.toString())) {
      assertThat(t.equal()).as(t.toString()).isTrue();
      assertThat(t.rows()).as(t.name()).isPositive();
    }
  }

  @Test
  void sameNumbersWithOneOrFourPartitions() {
    Path one = tmp.resolve("p1");
    Path four = tmp.resolve("p4");
    run(one, SweepJob.Existing.REFUSE, 1);
    run(four, SweepJob.Existing.REFUSE, 4);
    assertThat(runs(one)).isEqualTo(runs(reference)).isEqualTo(runs(four));
    assertThat(curves(one)).isEqualTo(curves(reference)).isEqualTo(curves(four));
  }

  @Test
  void refusesAnExistingOutputAndTouchesNothing() throws IOException {
    Map<String, Long> before = listing(reference);
    assertThatThrownBy(() -> run(reference, SweepJob.Existing.REFUSE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output directory already exists: " + reference
            + " (use --resume to add the missing runs, or --overwrite to replace it)");
    assertThat(listing(reference)).isEqualTo(before);
  }

  @Test
  void overwriteReplaces() {
    Path out = tmp.resolve("overwrite");
    run(out, SweepJob.Existing.REFUSE, 0);
    SweepJob.Summary sum = run(out, SweepJob.Existing.OVERWRITE, 0);
    assertThat(sum.trained()).isEqualTo(24);
    assertThat(runs(out)).isEqualTo(runs(reference));
  }

  static Map<String, Long> listing(Path dir) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        m.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis() ^ (Files.isDirectory(p) ? 0 : Files.size(p)));
      }
    }
    return m;
  }
}

package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.CURVES;
import static io.grokgrid.vocab.Columns.GROKKING;
import static io.grokgrid.vocab.Columns.OVERFITTING_COST;
import static io.grokgrid.vocab.Columns.RUNS;
import static io.grokgrid.vocab.Columns.RUN_ID;
import static io.grokgrid.vocab.Columns.TEST_ACC;
import static io.grokgrid.vocab.Columns.WALL_MS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.engine.LogSchedule;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grokgrid compare} through the command line: two runs of one spec are equal whatever their
 * wall times; a changed, a missing and a reshaped table are each reported on their line.
 */
class CompareIT {
  static final SweepSpec SPEC = TestSpecs.small();
  static SparkSession spark;
  @TempDir static Path tmp;
  static Path a;
  static Path b;
  static Path changed;
  static Path slower;
  static String removedRun;
  static String alteredRun;

  @BeforeAll
  static void sweeps() throws IOException {
    spark = Sessions.local("local[2]", CompareIT.class.getSimpleName());
    a = sweep("a");
    b = sweep("b");
    List<String> ids = spark.read().parquet(a.resolve(RUNS).toString()).select(RUN_ID).orderBy(RUN_ID)
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    removedRun = ids.get(0);
    alteredRun = ids.get(1);

    // A with one run removed, one run's test_acc changed, an extra grokking column and no
    // overfitting_cost
    changed = tmp.resolve("changed");
    Dataset<Row> runs = spark.read().parquet(a.resolve(RUNS).toString());
    runs.filter(col(RUN_ID).notEqual(removedRun))
        .withColumn(TEST_ACC, when(col(RUN_ID).equalTo(alteredRun), col(TEST_ACC).plus(0.5)).otherwise(col(TEST_ACC)))
        .write().parquet(changed.resolve(RUNS).toString());
    copyTree(a.resolve(CURVES), changed.resolve(CURVES));
    spark.read().parquet(a.resolve(GROKKING).toString()).withColumn("extra", lit(1))
        .write().parquet(changed.resolve(GROKKING).toString());

    // A with every wall time 1 s longer: nothing else differs
    slower = tmp.resolve("slower");
    runs.withColumn(WALL_MS, col(WALL_MS).plus(1000L)).write().parquet(slower.resolve(RUNS).toString());
    for (String t : List.of(CURVES, GROKKING, OVERFITTING_COST)) {
      copyTree(a.resolve(t), slower.resolve(t));
    }
  }

  @AfterAll
  static void stop() {
    spark.stop(); // the CLI calls have stopped it already if they ran; stopping twice is harmless
  }

  static Path sweep(String name) {
    Path out = tmp.resolve(name);
    SweepJob.run(spark, SPEC, new SweepJob.Options(out.toString(), SweepJob.Existing.REFUSE, 0, false),
        new PrintStream(new ByteArrayOutputStream()));
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  static CliIT.Result compare(Path x, Path y) {
    return CliIT.cli("compare", x.toString(), y.toString(), "--master", "local[2]");
  }

  static String lines(String... lines) {
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }

  static long curveRows() {
    return SPEC.runCount() * LogSchedule.of(SPEC.steps(), SPEC.logPoints()).length;
  }

  @Test
  void twoRunsOfOneSpecAreEqualWhateverTheirWallTimes() {
    CliIT.Result same = compare(a, b);
    assertThat(same.code()).as(same.err()).isZero();
    // 24 runs; 2 noise rates x 2 step sizes, each a group over weight decay: 4 cost rows
    String equal = lines("runs: equal (24 rows)", "curves: equal (" + curveRows() + " rows)",
        "grokking: equal (24 rows)", "overfitting_cost: equal (4 rows)");
    assertThat(same.out()).isEqualTo(equal);
    CliIT.Result slowerOnly = compare(a, slower);
    assertThat(slowerOnly.code()).as(slowerOnly.err()).isZero();
    assertThat(slowerOnly.out()).isEqualTo(equal);
  }

  @Test
  void eachDifferingTableIsReportedOnItsLine() {
    CliIT.Result r = compare(a, changed);
    assertThat(r.code()).as(r.err()).isEqualTo(1);
    // the removed run and the altered run's old row are only in A, its new row only in B
    assertThat(r.out()).isEqualTo(lines("runs: 2 rows only in A, 1 only in B",
        "curves: equal (" + curveRows() + " rows)", "grokking: columns differ (only in B: extra)",
        "overfitting_cost: missing in B"));
    CliIT.Result back = compare(changed, a);
    assertThat(back.code()).isEqualTo(1);
    assertThat(back.out()).isEqualTo(lines("runs: 1 row only in A, 2 only in B",
        "curves: equal (" + curveRows() + " rows)", "grokking: columns differ (only in A: extra)",
        "overfitting_cost: missing in A"));
  }

  @Test
  void aMissingDirectoryIsAUserError() {
    Path none = tmp.resolve("no-such-sweep");
    CliIT.Result r = compare(a, none);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("grokgrid: no such sweep directory: " + none + System.lineSeparator());
  }
}

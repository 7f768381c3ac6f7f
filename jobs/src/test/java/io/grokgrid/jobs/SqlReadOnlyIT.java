package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.CliIT.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grokgrid sql} is read-only unless {@code --allow-writes} (decided on Spark's parsed
 * plan), and a damaged table file is named. One sweep, run once, is shared read-only; the
 * tests that damage or write use their own copies and directories.
 */
class SqlReadOnlyIT {
  @TempDir static Path shared;
  static Path sweep;

  @BeforeAll
  static void runOnce() throws IOException {
    Path spec = shared.resolve("small.yaml");
    Files.writeString(spec, TestSpecs.SMALL);
    sweep = shared.resolve("out");
    Result run = CliIT.cli("run", spec.toString(), "--out", sweep.toString(), "--master", "local[2]");
    assertThat(run.code()).as(run.err()).isZero();
  }

  static Result sql(String... args) {
    String[] all = Stream.concat(Stream.of("sql"), Stream.concat(Stream.of(args),
        Stream.of("--master", "local[2]", "--format", "csv"))).toArray(String[]::new);
    return CliIT.cli(all);
  }

  /** Every file under {@code dir} with its size and modification time. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        files.put(dir.relativize(p).toString(), a.size() + "@" + a.lastModifiedTime().toMillis());
      }
    }
    return files;
  }

  @Test
  void insertOverwriteDirectoryOverTheRunsIsRefusedAndTheTableUntouched() throws IOException {
    Map<String, String> before = snapshot(sweep);
    Result r = sql(sweep.toString(),
        "INSERT OVERWRITE DIRECTORY '" + sweep.resolve("runs") + "' USING parquet SELECT 1 AS x");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("grokgrid: sql is read-only: INSERT OVERWRITE DIRECTORY writes;"
        + " use --allow-writes if you mean it\n");
    assertThat(r.out()).isEmpty();
    assertThat(snapshot(sweep)).isEqualTo(before);
    Result count = sql(sweep.toString(), "SELECT count(*) AS n FROM runs");
    assertThat(count.out()).as(count.err()).isEqualTo("n\r\n24\r\n");
  }

  @Test
  void catalogChangesAndWritesInsideWithAreRefused() throws IOException {
    Map<String, String> before = snapshot(sweep);
    assertThat(sql(sweep.toString(), "CREATE TABLE t (x INT) USING parquet").err())
        .isEqualTo("grokgrid: sql is read-only: CREATE TABLE is not a query; use --allow-writes if you mean it\n");
    assertThat(sql(sweep.toString(), "DROP VIEW runs").err())
        .isEqualTo("grokgrid: sql is read-only: DROP VIEW is not a query; use --allow-writes if you mean it\n");
    assertThat(sql(sweep.toString(), "DROP TABLE IF EXISTS runs").err())
        .startsWith("grokgrid: sql is read-only: DROP TABLE is not a query;");
    assertThat(sql(sweep.toString(), "CACHE TABLE runs").err())
        .startsWith("grokgrid: sql is read-only: CACHE TABLE is not a query;");
    Result cte = sql(sweep.toString(), "WITH r AS (SELECT * FROM runs) INSERT INTO TABLE runs SELECT * FROM r");
    assertThat(cte.code()).isEqualTo(2);
    assertThat(cte.err()).startsWith("grokgrid: sql is read-only: INSERT INTO writes;");
    assertThat(snapshot(sweep)).isEqualTo(before);
  }

  @Test
  void queriesStillRun() {
    Result select = sql(sweep.toString(), "WITH g AS (SELECT phase FROM grokking) SELECT count(*) AS n FROM g");
    assertThat(select.out()).as(select.err()).isEqualTo("n\r\n24\r\n");
    Result path = sql(sweep.toString(), "SELECT count(*) AS n FROM parquet.`" + sweep.resolve("runs") + "`;");
    assertThat(path.out()).as(path.err()).isEqualTo("n\r\n24\r\n");
    Result show = sql(sweep.toString(), "SHOW TABLES");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains(",runs,true");
    Result describe = sql(sweep.toString(), "DESCRIBE runs");
    assertThat(describe.code()).as(describe.err()).isZero();
    assertThat(describe.out()).contains("run_id,string,");
    Result explain = sql(sweep.toString(), "EXPLAIN SELECT count(*) FROM runs");
    assertThat(explain.code()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("Physical Plan");
  }

  @Test
  void allowWritesLetsAWriteThrough(@TempDir Path tmp) throws IOException {
    Path target = tmp.resolve("export");
    Result r = sql(sweep.toString(), "INSERT OVERWRITE DIRECTORY '" + target + "' USING parquet"
        + " SELECT run_id FROM runs", "--allow-writes");
    assertThat(r.code()).as(r.err()).isZero();
    try (Stream<Path> files = Files.list(target)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"));
    }
    Result back = sql(sweep.toString(), "SELECT count(*) AS n FROM parquet.`" + target + "`");
    assertThat(back.out()).as(back.err()).isEqualTo("n\r\n24\r\n");
  }

  @Test
  void truncatedTableFileIsNamedWithWhatToDo(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("copy");
    SweepFiles.copy(sweep, copy);
    Path damaged = SweepFiles.truncateFirstRunsFile(copy);
    Result r = sql(copy.toString(), "SELECT count(*) AS n FROM runs");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("grokgrid: damaged table file ")
        .contains(damaged.getFileName().toString(), "truncated", "--resume")
        .doesNotContain("awaitResult", "\tat ")
        .endsWith("\n")
        .hasLineCount(1);
  }
}

package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user meets it: exit codes, one-line errors, run then sql. */
class CliIT {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Cli.execute(args, o, e);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badSpecIsOneLineAndExitTwo() throws IOException {
    Path spec = tmp.resolve("bad.yaml");
    Files.writeString(spec, TestSpecs.SMALL.replace("noise_rate: [0.0, 0.2]", "noise_rate: [0.0, 0.5]"));
    Result r = cli("validate", spec.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("grokgrid: noise_rate must be in [0, 0.5), got 0.5" + System.lineSeparator());
    Result run = cli("run", spec.toString(), "--out", tmp.resolve("never").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(tmp.resolve("never")).doesNotExist();
  }

  @Test
  void unreachableOrMalformedMasterIsRefusedAtOnce() throws IOException {
    Path spec = tmp.resolve("small.yaml");
    Files.writeString(spec, TestSpecs.SMALL);
    // port 1 on the loopback: nothing listens there, the connection is refused at once. This
    // message comes only from the reachability check, which runs before any Spark context is
    // built (Spark's own registration retries would end in "did not accept this application")
    Result r = cli("run", spec.toString(), "--master", "spark://127.0.0.1:1", "--out", tmp.resolve("never").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("grokgrid: no Spark master answers at spark://127.0.0.1:1"
        + " (start one, e.g. cluster-configs/local-cluster start, or check --master)");
    assertThat(tmp.resolve("never")).doesNotExist();
    Result noPort = cli("run", spec.toString(), "--master", "spark://127.0.0.1", "--out", tmp.resolve("never").toString());
    assertThat(noPort.code()).isEqualTo(2);
    assertThat(noPort.err().strip()).isEqualTo(
        "grokgrid: --master must be spark://HOST:PORT[,HOST:PORT...], got spark://127.0.0.1");
  }

  @Test
  void unknownOptionAndMissingFileAreUserErrors() {
    Result r = cli("run", "x.yaml", "--bogus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("grokgrid: Unknown option: '--bogus'");
    Result m = cli("validate", "no-such.yaml");
    assertThat(m.code()).isEqualTo(2);
    assertThat(m.err().strip()).isEqualTo("grokgrid: spec file not found: no-such.yaml");
    Result both = cli("run", "x.yaml", "--resume", "--overwrite");
    assertThat(both.err().strip()).isEqualTo("grokgrid: --resume and --overwrite exclude each other; pick one");
  }

  @Test
  void validatePrintsThePlan() throws IOException {
    Path spec = tmp.resolve("small.yaml");
    Files.writeString(spec, TestSpecs.SMALL);
    Result r = cli("validate", spec.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("spec ok: small (task xor-clusters, seed 5)")
        .contains("runs: 8 grid points x 3 replicates = 24 runs, 40 steps each")
        .contains("data sets: 6; packs (runs trained together): 6");
  }

  @Test
  void runThenSqlThenRefuse() throws IOException {
    Path spec = tmp.resolve("small.yaml");
    Files.writeString(spec, TestSpecs.SMALL);
    Path out = tmp.resolve("out");
    Result run = cli("run", spec.toString(), "--out", out.toString(), "--master", "local[2]");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).contains("[grokgrid] 24/24 runs (100.0%)");
    assertThat(run.out()).contains("wrote " + out + ": 24 runs (24 trained now), by status {ok=24}");

    Result sql = cli("sql", out.toString(), "SELECT count(*) AS n, count(DISTINCT run_id) AS ids FROM runs",
        "--format", "csv", "--master", "local[2]");
    assertThat(sql.code()).as(sql.err()).isZero();
    assertThat(sql.out()).isEqualTo("n,ids\r\n24,24\r\n");

    Result badQuery = cli("sql", out.toString(), "SELECT nope FROM runs", "--master", "local[2]");
    assertThat(badQuery.code()).isEqualTo(2);
    assertThat(badQuery.err()).startsWith("grokgrid: ").doesNotContain("\tat ");

    Result again = cli("run", spec.toString(), "--out", out.toString(), "--master", "local[2]");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("output directory already exists: " + out);
  }
}

package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.analysis.QueryOutput;
import io.grokgrid.jobs.CliIT.Result;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell of {@code grokgrid sql DIR...} driven through its standard input: queries, commands,
 * multi-line statements, errors and refusals that keep it alive, and a long query cancelled the
 * way Ctrl-C cancels it. One small sweep and one session (local[2], no UI) for the class; the
 * last test goes through the command line, which stops the session when the shell ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SqlShellIT {
  @TempDir static Path tmp;
  static SparkSession spark;
  static Path sweep;
  static final SqlShell.Settings TABLE = new SqlShell.Settings(QueryOutput.TABLE, 1000, false);
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
  final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", SqlShellIT.class.getSimpleName());
    sweep = tmp.resolve("out");
    SweepJob.run(spark, TestSpecs.small(), new SweepJob.Options(sweep.toString(), SweepJob.Existing.REFUSE, 0, false),
        new PrintStream(OutputStream.nullOutputStream()));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  static InputStream input(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void aScriptedSession() throws Exception {
    Path written = tmp.resolve("written");
    String script = String.join("\n",
        "SELECT count(*) AS n FROM runs;",
        "\\tables",
        "\\schema runs",
        "\\format csv",
        "SELECT run_id",
        "  FROM runs -- a comment; not the end",
        "  ORDER BY run_id",
        "  LIMIT 2;",
        "SELECT no_such_column FROM runs;",
        "SELEC 1;",
        "INSERT OVERWRITE DIRECTORY '" + written + "' USING parquet SELECT 1 AS x;",
        "SELECT 1 AS one; SELECT 'a;b' AS two;",
        "\\format",
        "\\schema nope",
        "\\bogus",
        "\\format json",
        "SELECT phase, count(*) AS n FROM grokking GROUP BY phase ORDER BY phase LIMIT 1;",
        "\\q",
        "SELECT 3 AS never;", "");
    int code = SqlShell.open(spark, List.of(sweep.toString()), TABLE, input(script), o, e);
    assertThat(code).isZero();
    String out = out();
    String err = err();
    // the table format keeps its layout; its footer gets the latency
    assertThat(out).startsWith(" n\n--\n24\n(1 row, ").containsPattern("\\(1 row, \\d+\\.\\d\\d s\\)\n");
    assertThat(out).contains("runs (", "curves (", "grokking (", "overfitting_cost (");
    assertThat(out).containsPattern("\nrun_id +string\n");
    // csv: data on standard output, the row count and latency on the error stream
    assertThat(out).containsPattern("run_id\r\n[^\r\n]+\r\n[^\r\n]+\r\none\r\n1\r\ntwo\r\na;b\r\ncsv\n");
    assertThat(err).containsPattern("\\(2 rows, \\d+\\.\\d\\d s\\)\n");
    assertThat(err).containsPattern("grokgrid: \\[UNRESOLVED_COLUMN[^\n]*no_such_column[^\n]*\n");
    assertThat(err).containsPattern("grokgrid: \\[PARSE_SYNTAX_ERROR][^\n]*\n");
    assertThat(err).contains("grokgrid: sql is read-only: INSERT OVERWRITE DIRECTORY writes;"
        + " use --allow-writes if you mean it\n");
    assertThat(written).doesNotExist();
    assertThat(err).contains("grokgrid: no table nope; the tables are runs, curves, grokking, overfitting_cost\n",
        "grokgrid: unknown command \\bogus; \\help lists the commands\n");
    assertThat(out).containsPattern("\\{\"phase\":\"[a-z_]+\",\"n\":\\d+}\n$");
    assertThat(out + err).doesNotContain("never", "\tat ");
    // every error is one line: the error stream holds only "grokgrid: ..." and "(N rows, T s)" lines
    assertThat(err.lines()).allMatch(l -> l.startsWith("grokgrid: ") || l.matches("\\(\\d+ rows?, \\d+\\.\\d\\d s\\)"));
  }

  @Test
  @Order(2)
  void ctrlCCancelsALongQueryAndTheShellAnswersTheNext() throws Exception {
    SqlShell shell = new SqlShell(spark, List.of(sweep.toString()), TABLE, o, e);
    PipedOutputStream typing = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(typing);
    AtomicInteger code = new AtomicInteger(-1);
    Thread t = new Thread(() -> {
      try {
        code.set(shell.runPlain(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))));
      } catch (Exception x) {
        x.printStackTrace(e);
      }
    });
    t.start();
    // 1e13 pairs: far longer than any test may wait
    typing.write("SELECT count(*) AS n FROM range(0, 100000000) a CROSS JOIN range(0, 100000) b;\n"
        .getBytes(StandardCharsets.UTF_8));
    typing.flush();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (spark.sparkContext().statusTracker().getJobIdsForGroup(shell.group()).length == 0) {
      assertThat(System.nanoTime()).as("the long query started").isLessThan(deadline);
      Thread.sleep(50);
    }
    Thread.sleep(500);
    long t0 = System.nanoTime();
    assertThat(shell.cancel()).as("a statement was running").isTrue(); // what the SIGINT handler calls
    typing.write("SELECT 42 AS answer;\n\\q\n".getBytes(StandardCharsets.UTF_8));
    typing.flush();
    t.join(120_000);
    assertThat(t.isAlive()).isFalse();
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(code.get()).isZero();
    assertThat(err()).containsPattern("^cancelled \\(\\d+\\.\\d\\d s\\)\n");
    assertThat(out()).startsWith("answer\n------\n    42\n(1 row, ");
    assertThat(seconds).as("cancel and the next answer").isLessThan(60);
    assertThat(shell.cancel()).as("nothing runs any more").isFalse();
    typing.close();
  }

  @Test
  @Order(3)
  void completionOffersTablesColumnsAndKeywords() {
    SqlShell shell = new SqlShell(spark, List.of(sweep.toString()), TABLE, o, e);
    List<String> all = shell.candidates("").stream().map(Candidate::value).toList();
    assertThat(all).contains("runs", "curves", "run_id", "step_size", "phase", "SELECT", "GROUP BY");
    List<String> dotted = shell.candidates("runs.").stream().map(Candidate::value).toList();
    assertThat(dotted).contains("runs.run_id", "runs.step_size").allMatch(c -> c.startsWith("runs."));
    assertThat(shell.candidates("\\").stream().map(Candidate::value).toList())
        .containsExactly("\\tables", "\\schema", "\\format", "\\help", "\\q");
  }

  @Test
  @Order(4)
  void aDamagedTableFileIsNamedAndTheShellGoesOn() throws Exception {
    Path copy = tmp.resolve("copy");
    SweepFiles.copy(sweep, copy);
    SqlShell shell = new SqlShell(spark, List.of(copy.toString()), TABLE, o, e);
    Path damaged = SweepFiles.truncateFirstRunsFile(copy);
    assertThat(shell.execute("SELECT sum(wall_ms) FROM runs")).isFalse();
    assertThat(err()).startsWith("grokgrid: damaged table file ").contains(damaged.getFileName().toString(), "--resume")
        .hasLineCount(1);
    assertThat(shell.execute("SELECT 7 AS seven")).isTrue();
    assertThat(out()).startsWith("seven\n-----\n    7\n(1 row, ");
  }

  @Test
  @Order(5)
  void theCommandLineOpensTheShellWithoutAQuery() {
    InputStream stdin = System.in;
    Result r;
    try {
      System.setIn(input("SELECT count(*) AS n\nFROM runs;\n"));
      r = CliIT.cli("sql", sweep.toString(), "--master", "local[2]", "--format", "csv");
    } finally {
      System.setIn(stdin);
    }
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("n\r\n24\r\n");
    assertThat(r.err()).containsPattern("\\(1 row, \\d+\\.\\d\\d s\\)\n");
  }
}

package io.grokgrid.jobs;

import io.grokgrid.analysis.QueryOutput;
import io.grokgrid.analysis.ReadOnlySql;
import io.grokgrid.analysis.Views;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.MemoryPlan;
import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.jobs.spec.TaskCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The {@code grokgrid} command line: {@code run}, {@code validate}, {@code sql}, {@code report},
 * {@code compare}, {@code bench}. The same verbs work through {@code spark-submit} on the cluster
 * jar (the master then comes from spark-submit).
 *
 * <p>Exit status: 0 on success; 2 with a one-line reason on stderr for a user error (bad spec,
 * bad option, existing output, bad query, missing directory); 1 for an internal error, and for
 * {@code compare} when the directories differ (as {@code diff} does).
 */
@Command(name = "grokgrid", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
    description = "Sweeps of small two-layer ReLU networks on Spark: grokking and the cost of overfitting.",
    subcommands = {Cli.Run.class, Cli.Validate.class, Cli.Sql.class, Cli.ReportCommand.class,
        Cli.CompareCommand.class, Cli.BenchCommand.class})
public final class Cli implements Callable<Integer> {
  static final int USER_ERROR = 2;

  private final PrintStream out;
  private final PrintStream err;

  Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(err);
    return USER_ERROR;
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs the CLI and returns its exit status (for tests). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Cli(out, err));
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable t = e;
      if (t instanceof IllegalArgumentException || isAnalysisError(t)) {
        err.println("grokgrid: " + oneLine(t.getMessage()));
        return USER_ERROR;
      }
      boolean verbose = parsed.hasMatchedOption("--verbose");
      if (Interruption.happened()) {
        return INTERRUPTED; // the sweep's shutdown hook has said what was kept
      }
      if (stoppedContext(t)) {
        // Spark's shutdown hook stopped the context under a running command
        err.println("grokgrid: interrupted (the Spark context was shut down); committed batches are kept,"
            + " run the same command with --resume to train the rest");
        return INTERRUPTED;
      }
      err.println("grokgrid: internal error: " + t.getClass().getName() + ": " + oneLine(t.getMessage())
          + (verbose ? "" : " (run with --verbose for the stack trace)"));
      if (verbose) {
        t.printStackTrace(err);
      }
      return 1;
    });
    cl.setParameterExceptionHandler((e, a) -> {
      err.println("grokgrid: " + oneLine(e.getMessage()) + " (see 'grokgrid "
          + e.getCommandLine().getCommandName() + " --help')");
      return USER_ERROR;
    });
    return cl.execute(args);
  }

  /** Exit status of a command interrupted by a signal (128 + SIGINT, as shells report it). */
  static final int INTERRUPTED = 130;

  private static boolean stoppedContext(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().contains("because SparkContext was shut down")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAnalysisError(Throwable t) {
    // unresolved columns, syntax errors and the like: the query's fault, not ours
    return t instanceof org.apache.spark.sql.AnalysisException;
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int i = t.indexOf('\n');
    return i < 0 ? t : t.substring(0, i).strip();
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"grokgrid " + SweepJob.version()};
    }
  }

  /** Options every Spark-using verb has. */
  static class SparkOptions {
    @CommandLine.ParentCommand
    Cli parent;

    @Option(names = "--master", description = "Spark master URL (default: local[*], or spark-submit's)")
    String master;

    @Option(names = "--verbose", description = "Spark's INFO logging and full stack traces")
    boolean verbose;

    SparkSession session(String app) {
      return Sessions.forCli(master, app, verbose);
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a sweep and write its tables (runs, curves, grokking, overfitting_cost).")
  static final class Run extends SparkOptions implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC.yaml")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory or URI (default: results/<name>)")
    String out;

    @Option(names = "--resume", description = "keep stored runs, train the missing ones, rebuild the tables")
    boolean resume;

    @Option(names = "--overwrite", description = "replace an existing output directory")
    boolean overwrite;

    @Option(names = "--partitions", description = "Spark partitions per batch (default: up to 4 per core, none with under ~8 s of estimated work, at most one per data set)")
    int partitions;

    @Option(names = "--units-per-batch", paramLabel = "N", description = "data sets per batch; each batch is a"
        + " checkpoint of --resume (default: chosen from the estimated work, about 20 s per core)")
    int unitsPerBatch;

    /** Test hook: after this many committed batches, wait to be killed (-1: never). */
    @Option(names = "--pause-after-batches", hidden = true, defaultValue = "-1")
    int pauseAfterBatches;

    @Option(names = "--fail-first-attempt", hidden = true)
    boolean failFirstAttempt;

    @Override
    public Integer call() {
      if (resume && overwrite) {
        throw new IllegalArgumentException("--resume and --overwrite exclude each other; pick one");
      }
      SweepSpec s = SpecParser.read(spec);
      String dir = out != null ? out : "results/" + s.name();
      long t0 = System.nanoTime();
      MemoryPlan.check(s, MemoryPlan.Budget.of(master));
      SparkSession spark = session("grokgrid " + s.name());
      try {
        SweepJob.Existing mode = resume ? SweepJob.Existing.RESUME
            : overwrite ? SweepJob.Existing.OVERWRITE : SweepJob.Existing.REFUSE;
        parent.err.printf(Locale.ROOT, "[grokgrid] sweep %s: %d runs on %s -> %s%n", s.name(),
            s.runCount(), spark.sparkContext().master(), dir);
        int[] batches = {0};
        SweepJob.Hooks hooks = new SweepJob.Hooks(0, -1, null, () -> {
          if (++batches[0] == pauseAfterBatches) {
            parent.err.println("[grokgrid] test hook: paused after " + pauseAfterBatches + " batches");
            parent.err.flush();
            try {
              Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
        SweepJob.Summary sum = SweepJob.run(spark, s,
            new SweepJob.Options(dir, mode, partitions, failFirstAttempt, unitsPerBatch, spec.toString()),
            parent.err, hooks);
        parent.out.printf(Locale.ROOT, "wrote %s: %d runs (%d trained now), by status %s, in %s"
            + " (training %s, tables %s)%n", dir, sum.total(), sum.trained(), sum.byStatus(),
            Progress.duration((System.nanoTime() - t0) / 1e9), Progress.duration(sum.trainMs() / 1e3),
            Progress.duration(sum.tablesMs() / 1e3));
        parent.out.printf(Locale.ROOT, "query it: grokgrid sql %s \"SELECT phase, count(*) FROM grokking GROUP BY phase\"%n", dir);
      } finally {
        spark.stop();
      }
      return 0;
    }
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a spec and print the plan, without running anything.")
  static final class Validate implements Callable<Integer> {
    @CommandLine.ParentCommand
    Cli parent;

    @Parameters(index = "0", paramLabel = "SPEC.yaml")
    Path spec;

    @Override
    public Integer call() {
      SweepSpec s = SpecParser.read(spec);
      parent.out.print(plan(s));
      return 0;
    }
  }

  /** The plan text of {@code validate}. */
  static String plan(SweepSpec s) {
    MemoryPlan.Budget budget = MemoryPlan.Budget.of(null);
    Lattice lattice = new Lattice(s, budget);
    Lattice.Plan plan = lattice.plan();
    int logs = LogSchedule.of(s.steps(), s.logPoints()).length;
    double flops = plan.work(s.replicates());
    Map<String, Long> forms = plan.forms();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "spec ok: %s (task %s, seed %d)%n", s.name(), s.task(), s.seed()));
    b.append(String.format(Locale.ROOT, "runs: %d grid points x %d replicates = %d runs, %d steps each, %d logged points%n",
        s.gridPoints(), s.replicates(), s.runCount(), s.steps(), logs));
    s.grid().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  axis  %-13s %s%n", k,
        v.stream().map(x -> String.valueOf(s.plain(k, x))).toList())));
    s.fixed().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  fixed %-13s %s%n", k, s.plain(k, v))));
    b.append(String.format(Locale.ROOT, "data sets: %d; packs (runs trained together): %d; forms: %s%n",
        lattice.units(), plan.packs(), forms));
    b.append(String.format(Locale.ROOT, "estimated work: %.3g flop (about %s at 30 GFLOP/s per core on %d cores)%n",
        flops, Progress.duration(flops / 30e9 / Runtime.getRuntime().availableProcessors()),
        Runtime.getRuntime().availableProcessors()));
    if (!s.metrics().isEmpty()) {
      // the share of the optional metrics in a run's work, at the first grid point
      Map<String, Double> first = lattice.point(0);
      io.grokgrid.engine.Recipe recipe = TaskCatalog.entry(s.task());
      double with = recipe.family(first, s.precision(), s.form(), s.metrics()).runCost(s.steps(), logs);
      double without = recipe.family(first, s.precision(), s.form(), List.of()).runCost(s.steps(), logs);
      b.append(String.format(Locale.ROOT, "metrics: %s (about %.0f%% of a run's work at the first grid point;"
          + " metrics: [] records none)%n", s.metrics(), with > 0 ? 100.0 * (with - without) / with : 0.0));
    }
    MemoryUse mem = plan.largest();
    b.append(String.format(Locale.ROOT, "memory: largest pack ~%s per task (heap %s, off-heap %s; %s);"
        + " a task has heap %s, off-heap %s (%s)%n", MemoryPlan.size(mem.totalBytes()),
        MemoryPlan.size(mem.heapBytes()), MemoryPlan.size(mem.offHeapBytes()), mem.largest(),
        MemoryPlan.size(budget.heapBytes()), MemoryPlan.size(budget.offHeapBytes()), budget.where()));
    if (s.refine() != null) {
      b.append(refinePlan(s));
    }
    b.append(String.format(Locale.ROOT, "output: results/%s (default)%n", s.name()));
    return b.toString();
  }

  /** The refinement lines of {@code validate}: level 0 (the runs above) and the worst case. */
  static String refinePlan(SweepSpec s) {
    io.grokgrid.jobs.spec.Refine r = s.refine();
    SweepSpec finest = s.finest();
    StringBuilder lattice = new StringBuilder();
    for (String a : r.axes()) {
      lattice.append(lattice.length() == 0 ? "" : " x ").append(finest.grid().get(a).size());
    }
    long worst = r.maxRuns() > 0 ? Math.min(r.maxRuns(), finest.runCount()) : finest.runCount();
    return String.format(Locale.ROOT, "refine: %s by %s%s, %d levels, finest lattice %s (spacing 1/%d of level 0's)%n"
        + "  level 0: %d runs (the grid above); worst case: %d runs (%s)%n",
        r.axes(), r.by(), r.binned() ? " in bins " + r.bins() : "", r.levels(), lattice, 1 << r.levels(),
        s.runCount(), worst, worst == finest.runCount()
            ? "every cell split at every level: the full grid of the finest lattice"
            : "refine.max_runs; the full grid of the finest lattice has " + finest.runCount());
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Speed benchmark: one JSON line per case (see docs/performance.md).")
  static final class BenchCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    Cli parent;

    @Parameters(paramLabel = "CASE", arity = "0..*",
        description = "mask-kernel, fig1-right-primal-step, many-small, many-small-1core, scaling, fig1-right (default: all, in that order)")
    List<String> cases = new ArrayList<>();

    @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default: ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--sweeps", defaultValue = "sweeps", description = "directory of the ready specs")
    Path sweeps;

    @Override
    public Integer call() throws IOException {
      Configurator.setRootLevel(Level.WARN);
      List<String> run = cases.isEmpty()
          ? Bench.CASES : cases;
      return Bench.run(run, sweeps, master, parent.out);
    }
  }

  @Command(name = "sql", mixinStandardHelpOptions = true,
      description = "Spark SQL over sweep directories: views runs, curves, grokking, overfitting_cost."
          + " Without a query (and without --file) it opens a shell on one Spark session.")
  static final class Sql extends SparkOptions implements Callable<Integer> {
    @Parameters(paramLabel = "DIR... [QUERY]", arity = "1..*",
        description = "one or more sweep directories, then the query (unless --file); the last argument"
            + " is the query if it holds a blank and is no directory. Without a query: a shell")
    List<String> args = new ArrayList<>();

    @Option(names = "--file", paramLabel = "Q.sql", description = "read the query from a file")
    Path file;

    @Option(names = "--format", defaultValue = QueryOutput.TABLE, description = "table, csv or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--limit", defaultValue = "1000", description = "most rows printed in table format (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--allow-writes", description = "also run statements that write or change the catalog"
        + " (INSERT, CREATE, DROP, CACHE, ...); without it only queries run")
    boolean allowWrites;

    @Override
    public Integer call() throws Exception {
      List<String> dirs = new ArrayList<>(args);
      String query = null;
      if (file != null) {
        query = Files.readString(file, StandardCharsets.UTF_8);
      } else if (SqlShell.isQuery(dirs.get(dirs.size() - 1))) {
        if (dirs.size() < 2) {
          throw new IllegalArgumentException("sql needs at least one sweep directory and a query, got " + dirs);
        }
        query = dirs.remove(dirs.size() - 1);
      }
      if (!QueryOutput.FORMATS.contains(format)) {
        throw new IllegalArgumentException("format must be one of " + QueryOutput.FORMATS + ", got " + format);
      }
      SparkSession spark = session("grokgrid sql");
      if (!verbose) {
        // a failed read ends in one line naming the file (below); Spark's task-failure logs would
        // print the same failure as pages of stack traces first
        Configurator.setLevel("org.apache.spark.executor.Executor", Level.OFF);
        Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.OFF);
      }
      try {
        if (query == null) {
          return SqlShell.open(spark, dirs, new SqlShell.Settings(format, limit, allowWrites),
              System.in, parent.out, parent.err);
        }
        query = query.strip().replaceAll(";\\s*$", "");
        if (!allowWrites) {
          ReadOnlySql.check(spark, query); // before the views: nothing is read, nothing written
        }
        try {
          Views.register(spark, dirs);
          int max = format.equals(QueryOutput.TABLE) ? limit : Integer.MAX_VALUE;
          parent.out.print(QueryOutput.format(spark.sql(query), format, max));
        } catch (IllegalArgumentException e) {
          throw e;
        } catch (Exception e) { // SparkException, or an AnalysisException when no footer could be read
          throw damagedOr(spark, dirs, e);
        }
        parent.out.flush();
      } finally {
        spark.stop();
      }
      return 0;
    }

    /**
     * Spark reports a truncated Parquet file as "Exception thrown in awaitResult", naming no file:
     * on a failed read, look at the tables' files and name the damaged one instead. The one-shot
     * query and the shell ({@link SqlShell}) both end a failed read here.
     */
    static Exception damagedOr(SparkSession spark, List<String> dirs, Exception e) {
      List<String> damaged;
      try {
        damaged = Views.damagedFiles(spark, dirs);
      } catch (RuntimeException again) {
        e.addSuppressed(again);
        return e;
      }
      if (damaged.isEmpty()) {
        return e;
      }
      return new IllegalArgumentException("damaged table file " + damaged.get(0)
          + (damaged.size() > 1 ? " and " + (damaged.size() - 1) + " more" : "")
          + "; rebuild the tables from the stored batches with 'grokgrid run SPEC.yaml --out DIR --resume',"
          + " or re-run the sweep with --overwrite");
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = "Compare the tables of two sweep directories row for row (wall_ms ignored);"
          + " exit 0 if all four are equal, 1 if not.")
  static final class CompareCommand extends SparkOptions implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR_A")
    String a;

    @Parameters(index = "1", paramLabel = "DIR_B")
    String b;

    @Override
    public Integer call() {
      SparkSession spark = session("grokgrid compare");
      try {
        List<Compare.Table> tables = Compare.tables(spark, a, b);
        tables.forEach(t -> parent.out.println(t.line()));
        parent.out.flush();
        return tables.stream().allMatch(Compare.Table::equal) ? 0 : 1;
      } finally {
        spark.stop();
      }
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "PNG charts and one offline index.html with interactive learning curves; several DIRs are compared side by side.")
  static final class ReportCommand extends SparkOptions implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "one or more sweep directories")
    List<String> dirs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "REPORT_DIR", description = "report directory (default: DIR/report)")
    Path out;

    @Option(names = "--axes", paramLabel = "X,Y", description = "phase diagram axes (default: step_size,weight_decay)")
    String axes;

    @Option(names = "--filter", paramLabel = "PREDICATE", description = "Spark SQL predicate on runs columns, e.g. \"noise_rate = 0.05\"")
    String filter;

    @Override
    public Integer call() throws IOException {
      Path dir = out != null ? out : io.grokgrid.analysis.report.Report.defaultOut(dirs.get(0));
      io.grokgrid.analysis.report.Report.Options options = new io.grokgrid.analysis.report.Report.Options(dir,
          axes == null ? null : io.grokgrid.analysis.report.Report.Options.parseAxes(axes), filter,
          io.grokgrid.analysis.report.Report.DEFAULT_MAX_CURVE_PANELS);
      SparkSession spark = session("grokgrid report");
      try {
        io.grokgrid.analysis.report.Report.Result r = io.grokgrid.analysis.report.Report.write(spark, dirs, options);
        parent.out.printf(Locale.ROOT, "wrote %s (%d charts)%n", r.index(), r.images().size());
        r.explained().forEach((chart, why) -> parent.out.printf(Locale.ROOT, "  not drawn: %s: %s%n", chart, why));
      } finally {
        spark.stop();
      }
      return 0;
    }
  }
}

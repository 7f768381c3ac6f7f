package io.grokgrid.jobs;

import io.grokgrid.analysis.QueryOutput;
import io.grokgrid.analysis.ReadOnlySql;
import io.grokgrid.analysis.Views;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Signals;

/**
 * The shell of {@code grokgrid sql DIR...} without a query: one Spark session, the sweep
 * directories' views registered once, then statements ending in {@code ;} (over several lines
 * if need be) and backslash commands ({@code \tables}, {@code \schema TABLE},
 * {@code \format table|csv|json}, {@code \help}, {@code \q}) until {@code \q} or end of input.
 *
 * <p>On a terminal it reads with JLine (line editing, history in {@code ~/.grokgrid_history},
 * completion of table and column names and SQL keywords); otherwise (input from a pipe or a
 * file) it reads plain lines with no prompt, so a script can drive it.
 *
 * <p>Each statement obeys the one-shot {@code sql}'s rules: read-only unless
 * {@code --allow-writes} ({@link ReadOnlySql#check}), printed by {@link QueryOutput} (with
 * {@code --limit} in table format), a damaged table file named
 * ({@link Cli.Sql#damagedOr}). A failing statement prints one line and the shell goes on. Each
 * result ends with its row count and latency, {@code (12 rows, 0.08 s)}: in the table's footer,
 * or on the error stream for csv and json (so that their standard output stays data).
 *
 * <p>Statements run under a Spark job group; {@link #cancel} cancels it. Ctrl-C calls it while a
 * statement runs; at the prompt Ctrl-C drops the line being typed and Ctrl-D (end of input)
 * quits.
 */
final class SqlShell {
  /** The one-shot {@code sql}'s options that the shell keeps. */
  record Settings(String format, int limit, boolean allowWrites) {}

  static final String PROMPT = "grokgrid> ";
  static final String CONTINUATION = "       -> ";

  static final String HELP = String.join("\n",
      "Statements end with ';' and may span lines. Commands:",
      "  \\tables                 the views (the sweep tables)",
      "  \\schema TABLE           a view's columns and types",
      "  \\format table|csv|json  output format (now: %s)",
      "  \\help                   this text",
      "  \\q                      quit (also Ctrl-D)",
      "Ctrl-C cancels a running statement; Tab completes table and column names.", "");

  /** The SQL words offered by completion, besides table and column names. */
  static final List<String> KEYWORDS = List.of("SELECT", "DISTINCT", "FROM", "WHERE", "GROUP BY",
      "HAVING", "ORDER BY", "LIMIT", "OFFSET", "AS", "AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE",
      "RLIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "JOIN", "INNER", "LEFT", "RIGHT",
      "FULL", "OUTER", "CROSS", "SEMI", "ANTI", "ON", "USING", "UNION", "ALL", "INTERSECT", "EXCEPT",
      "WITH", "ASC", "DESC", "NULLS", "FIRST", "LAST", "OVER", "PARTITION BY", "ROWS", "RANGE",
      "LATERAL VIEW", "EXPLODE", "CAST", "TRUE", "FALSE", "SHOW TABLES", "DESCRIBE", "EXPLAIN",
      "count", "sum", "avg", "min", "max", "median", "percentile", "percentile_approx", "stddev",
      "variance", "collect_list", "collect_set", "array_agg", "first", "last", "round", "log10",
      "ln", "exp", "pow", "abs", "coalesce", "if", "size", "element_at", "transform", "filter",
      "aggregate", "array_max", "array_min", "concat", "format_number", "row_number", "rank",
      "dense_rank", "lag", "lead", "ntile", "approx_count_distinct", "corr", "covar_samp");

  static final List<String> COMMANDS = List.of("\\tables", "\\schema", "\\format", "\\help", "\\q");

  private final SparkSession spark;
  private final List<String> dirs;
  private final boolean allowWrites;
  private final int limit;
  private final PrintStream out;
  private final PrintStream err;
  private String format;
  /** The registered views and their schemas, in registration order. */
  private final Map<String, StructType> views = new LinkedHashMap<>();
  /** This shell's Spark job group: its statements' jobs, which {@link #cancel} cancels. */
  private final String group;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private static final AtomicLong SHELLS = new AtomicLong();

  /**
   * A shell over {@code dirs}: registers their views at once.
   *
   * @throws IllegalArgumentException if a directory is missing or not a sweep directory, or a
   *     table file is damaged (named)
   */
  SqlShell(SparkSession spark, List<String> dirs, Settings settings, PrintStream out, PrintStream err) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.dirs = List.copyOf(dirs);
    this.allowWrites = settings.allowWrites();
    this.limit = settings.limit();
    this.format = settings.format();
    this.out = out;
    this.err = err;
    this.group = "grokgrid-sql-shell-" + SHELLS.incrementAndGet();
    spark.sparkContext().addSparkListener(new LateJobs());
    if (!QueryOutput.FORMATS.contains(format)) {
      throw new IllegalArgumentException("format must be one of " + QueryOutput.FORMATS + ", got " + format);
    }
    List<String> names;
    try {
      names = Views.register(spark, this.dirs);
      for (String name : names) {
        views.put(name, spark.table(name).schema());
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) { // an unreadable footer
      throw asUnchecked(Cli.Sql.damagedOr(spark, this.dirs, e));
    }
  }

  /**
   * Whether a command-line argument of {@code sql} is a query rather than a sweep directory:
   * it holds a blank (every statement worth running has two words) and is no local directory.
   */
  static boolean isQuery(String arg) {
    if (arg.strip().isEmpty() || arg.chars().noneMatch(Character::isWhitespace)) {
      return false;
    }
    try {
      return !Files.isDirectory(Path.of(arg));
    } catch (RuntimeException e) { // not a path at all
      return true;
    }
  }

  /**
   * Runs a shell on standard input: with JLine on a terminal (both {@code System.in} and
   * {@code System.out} one), else on plain lines. Ctrl-C (SIGINT) cancels a running statement;
   * with plain lines, Ctrl-C while no statement runs quits with status 130.
   *
   * @return the exit status: 0
   */
  static int open(SparkSession spark, List<String> dirs, Settings settings, InputStream in, PrintStream out,
      PrintStream err) throws IOException {
    SqlShell shell = new SqlShell(spark, dirs, settings, out, err);
    shell.warmUp();
    if (in == System.in && System.console() != null) {
      try (Terminal terminal = TerminalBuilder.builder().system(true).nativeSignals(true).build()) {
        if (!Terminal.TYPE_DUMB.equals(terminal.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) {
          terminal.handle(Terminal.Signal.INT, signal -> shell.cancel());
          return shell.runTerminal(terminal, Path.of(System.getProperty("user.home"), ".grokgrid_history"));
        }
      }
    }
    Object previous = Signals.register("INT", () -> {
      if (!shell.cancel()) {
        err.println();
        err.flush();
        System.exit(Cli.INTERRUPTED);
      }
    });
    try {
      return shell.runPlain(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } finally {
      Signals.unregister("INT", previous);
    }
  }

  /**
   * Runs one small aggregation over the first view and drops its result: the first Spark job of
   * a JVM loads and compiles most of what any query needs (seconds on a busy machine), and that
   * belongs to the start-up, not to the first statement's latency. A failure is left for the
   * first statement to report.
   */
  void warmUp() {
    if (views.isEmpty()) {
      return;
    }
    // one grouped, sorted aggregate per view: the scans, hash aggregation and sort are compiled
    // (Spark's code generation and the JIT) before the first statement rather than during it
    for (Map.Entry<String, StructType> v : views.entrySet()) {
      try {
        String[] fields = v.getValue().fieldNames();
        String column = "`" + fields[Math.min(4, fields.length - 1)].replace("`", "``") + "`";
        QueryOutput.format(spark.sql("SELECT " + column + " AS k, count(*) AS n, count(DISTINCT `"
            + fields[0].replace("`", "``") + "`) AS d FROM " + v.getKey() + " GROUP BY 1 ORDER BY 1"),
            QueryOutput.CSV, 5);
      } catch (Exception e) {
        // reported by the statement that meets it
      }
    }
  }

  /** The Spark job group this shell's statements run in. */
  String group() {
    return group;
  }

  /**
   * Cancels the running statement, if one runs (what Ctrl-C does): cancels this shell's job
   * group; the statement then ends with one line, {@code cancelled}, and the shell goes on.
   *
   * @return whether a statement was running
   */
  boolean cancel() {
    if (!running.get()) {
      return false;
    }
    cancelled.set(true);
    // a statement may be between two of its jobs (planning, a broadcast done, the next stage
    // not yet submitted): then the listener below cancels the next job as it starts
    org.apache.spark.SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    for (int id : tracker.getJobIdsForGroup(group)) {
      org.apache.spark.SparkJobInfo info = tracker.getJobInfo(id).getOrElse(() -> null);
      if (info != null && info.status() == org.apache.spark.JobExecutionStatus.RUNNING) {
        spark.sparkContext().cancelJobGroup(group);
        break;
      }
    }
    return true;
  }

  /** Cancels a job of this shell's group that starts after {@link #cancel}, while its statement runs. */
  private final class LateJobs extends org.apache.spark.scheduler.SparkListener {
    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
      java.util.Properties p = start.properties();
      // "spark.jobGroup.id": SparkContext.SPARK_JOB_GROUP_ID, which is private to Spark
      if (cancelled.get() && running.get() && p != null && group.equals(p.getProperty("spark.jobGroup.id"))) {
        spark.sparkContext().cancelJob(start.jobId());
      }
    }
  }

  /** Reads plain lines (no prompt, no editing) until {@code \q} or end of input. */
  int runPlain(BufferedReader in) throws IOException {
    StringBuilder pending = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      if (!Split.hasCode(pending.toString()) && line.strip().startsWith("\\")) {
        pending.setLength(0);
        if (!command(line.strip())) {
          return 0;
        }
        continue;
      }
      pending.append(line).append('\n');
      Split split = split(pending.toString());
      for (String statement : split.statements()) {
        execute(statement);
      }
      pending.setLength(0);
      pending.append(split.rest());
    }
    if (Split.hasCode(pending.toString())) {
      err.println("grokgrid: ignored at end of input (no ';'): " + Cli.oneLine(pending.toString()));
    }
    return 0;
  }

  /** Reads with JLine on {@code terminal} until {@code \q} or Ctrl-D. */
  int runTerminal(Terminal terminal, Path history) {
    LineReader reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("grokgrid")
        .parser(new StatementParser())
        .completer(completer())
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION)
        .variable(LineReader.BLINK_MATCHING_PAREN, 0)
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is SQL's, not history's
        .option(LineReader.Option.CASE_INSENSITIVE, true)
        .option(LineReader.Option.HISTORY_IGNORE_SPACE, false)
        .build();
    out.printf(Locale.ROOT, "grokgrid sql on %s: %s. Statements end with ';'; \\help for commands, Ctrl-D quits.%n",
        String.join(", ", dirs), views.isEmpty() ? "no tables" : "tables " + String.join(", ", views.keySet()));
    out.flush();
    while (true) {
      String text;
      try {
        text = reader.readLine(PROMPT);
      } catch (UserInterruptException e) {
        continue; // Ctrl-C at the prompt: drop the line, stay
      } catch (EndOfFileException e) {
        return 0;
      }
      if (text.strip().startsWith("\\")) {
        if (!command(text.strip())) {
          return 0;
        }
        continue;
      }
      for (String statement : split(text).statements()) {
        execute(statement);
      }
    }
  }

  /**
   * Runs one statement (without its {@code ;}) and prints its result, or one line saying why
   * not; never throws for the statement's fault.
   *
   * @return whether it succeeded
   */
  boolean execute(String statement) {
    long t0 = System.nanoTime();
    cancelled.set(false);
    running.set(true);
    spark.sparkContext().setJobGroup(group, Cli.oneLine(statement), true);
    try {
      if (!allowWrites) {
        ReadOnlySql.check(spark, statement);
      }
      int max = format.equals(QueryOutput.TABLE) ? limit : Integer.MAX_VALUE;
      QueryOutput.Text result;
      try {
        result = QueryOutput.formatted(spark.sql(statement), format, max);
      } catch (Exception e) { // SparkException, or an AnalysisException when no footer could be read
        throw e instanceof IllegalArgumentException || cancelled.get() ? e : Cli.Sql.damagedOr(spark, dirs, e);
      }
      running.set(false);
      double seconds = (System.nanoTime() - t0) / 1e9;
      String rows = result.rows() + (result.rows() == 1 ? " row" : " rows");
      if (format.equals(QueryOutput.TABLE)) {
        // the table's own footer, "(N rows)" or "(N rows shown; more omitted)", with the latency
        String text = result.text();
        int end = text.lastIndexOf(')');
        out.print(text.substring(0, end) + String.format(Locale.ROOT, ", %.2f s", seconds) + text.substring(end));
      } else {
        out.print(result.text());
        out.flush();
        err.printf(Locale.ROOT, "(%s%s, %.2f s)%n", rows, result.truncated() ? " shown" : "", seconds);
      }
      out.flush();
      return true;
    } catch (Exception e) {
      running.set(false);
      out.flush();
      if (cancelled.get()) {
        err.printf(Locale.ROOT, "cancelled (%.2f s)%n", (System.nanoTime() - t0) / 1e9);
      } else {
        err.println("grokgrid: " + Cli.oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
      }
      err.flush();
      return false;
    } finally {
      running.set(false);
      spark.sparkContext().clearJobGroup();
    }
  }

  /**
   * Runs a backslash command; one line on the error stream for a bad one.
   *
   * @return false to quit
   */
  boolean command(String line) {
    String[] words = line.strip().split("\\s+");
    String name = words[0];
    String arg = words.length > 1 ? words[1].replaceAll(";$", "") : null;
    switch (name.replaceAll(";$", "")) {
      case "\\q", "\\quit", "\\exit" -> {
        return false;
      }
      case "\\tables", "\\dt" -> views.forEach((view, schema) ->
          out.printf(Locale.ROOT, "%s (%d columns)%n", view, schema.size()));
      case "\\schema", "\\d" -> {
        if (arg == null) {
          err.println("grokgrid: \\schema needs a table: one of " + String.join(", ", views.keySet()));
        } else {
          StructType schema = views.get(arg.toLowerCase(Locale.ROOT));
          if (schema == null) {
            err.println("grokgrid: no table " + arg + "; the tables are " + String.join(", ", views.keySet()));
          } else {
            int width = 0;
            for (StructField f : schema.fields()) {
              width = Math.max(width, f.name().length());
            }
            for (StructField f : schema.fields()) {
              out.printf(Locale.ROOT, "%-" + width + "s  %s%n", f.name(), f.dataType().simpleString());
            }
          }
        }
      }
      case "\\format" -> {
        if (arg == null) {
          out.println(format);
        } else if (QueryOutput.FORMATS.contains(arg.toLowerCase(Locale.ROOT))) {
          format = arg.toLowerCase(Locale.ROOT);
        } else {
          err.println("grokgrid: format must be one of " + QueryOutput.FORMATS + ", got " + arg);
        }
      }
      case "\\help", "\\h", "\\?" -> out.print(String.format(Locale.ROOT, HELP, format));
      default -> err.println("grokgrid: unknown command " + name + "; \\help lists the commands");
    }
    out.flush();
    err.flush();
    return true;
  }

  /** The current output format. */
  String format() {
    return format;
  }

  private static RuntimeException asUnchecked(Exception e) {
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }

  // ---- statements -------------------------------------------------------------------------

  /**
   * Complete statements (without their {@code ;}) and the text after the last one;
   * {@code restHasCode}: whether that text holds more than blanks and comments (a statement
   * begun, or an open quote or comment).
   */
  record Split(List<String> statements, String rest, boolean restHasCode) {
    /** Whether {@code text} holds more than blanks and closed comments. */
    static boolean hasCode(String text) {
      return split(text).restHasCode();
    }
  }

  /**
   * Cuts {@code text} at the semicolons outside quotes ({@code '...'}, {@code "..."},
   * {@code `...`}, with backslash escapes in the first two) and comments ({@code -- ...} to the
   * end of the line, {@code /* ... *}{@code /}, nested). Empty statements are dropped.
   */
  static Split split(String text) {
    List<String> statements = new ArrayList<>();
    int start = 0;
    int depth = 0; // block comment nesting
    char quote = 0;
    boolean lineComment = false;
    boolean code = false; // anything but blanks and comments since start
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (lineComment) {
        lineComment = c != '\n';
      } else if (depth > 0) {
        if (c == '*' && next == '/') {
          depth--;
          i++;
        } else if (c == '/' && next == '*') {
          depth++;
          i++;
        }
      } else if (quote != 0) {
        if (c == '\\' && quote != '`') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '-' && next == '-') {
        lineComment = true;
        i++;
      } else if (c == '/' && next == '*') {
        depth = 1;
        i++;
      } else if (c == ';') {
        if (code) {
          statements.add(text.substring(start, i).strip());
        }
        start = i + 1;
        code = false;
      } else {
        if (c == '\'' || c == '"' || c == '`') {
          quote = c;
        }
        code |= !Character.isWhitespace(c);
      }
    }
    return new Split(statements, text.substring(start), code || depth > 0);
  }

  /**
   * JLine's parser: a line is accepted when it is a backslash command or its statements are
   * complete (the text after the last {@code ;} is blank), else JLine asks for another line;
   * for completion, the word is the identifier (with dots) before the cursor.
   */
  static final class StatementParser implements Parser {
    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
      if (context == ParseContext.ACCEPT_LINE && !line.strip().startsWith("\\")
          && split(line).restHasCode()) {
        throw new EOFError(-1, -1, "the statement goes on until ';'", ";");
      }
      int begin = cursor;
      while (begin > 0 && isWordChar(line.charAt(begin - 1))) {
        begin--;
      }
      return new Word(line, cursor, begin);
    }

    private static boolean isWordChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '\\';
    }
  }

  /** The word under the cursor, for completion. */
  private record Word(String line, int cursor, int begin) implements CompletingParsedLine {
    @Override
    public String word() {
      return line.substring(begin, cursor);
    }

    @Override
    public int wordCursor() {
      return cursor - begin;
    }

    @Override
    public int wordIndex() {
      return 0;
    }

    @Override
    public List<String> words() {
      return List.of(word());
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate;
    }

    @Override
    public int rawWordCursor() {
      return wordCursor();
    }

    @Override
    public int rawWordLength() {
      return cursor - begin;
    }
  }

  /**
   * Completion: after {@code TABLE.}, that table's columns; else the tables, every table's
   * columns, SQL keywords and common functions, and the backslash commands.
   */
  Completer completer() {
    return (reader, line, candidates) -> candidates.addAll(candidates(line.word()));
  }

  /** The completion candidates for the word {@code word} (JLine keeps those it starts). */
  List<Candidate> candidates(String word) {
    List<Candidate> list = new ArrayList<>();
    int dot = word.lastIndexOf('.');
    if (dot > 0) {
      String table = word.substring(0, dot);
      StructType schema = views.get(table.toLowerCase(Locale.ROOT));
      if (schema != null) {
        for (String column : schema.fieldNames()) {
          list.add(new Candidate(table + "." + column, column, "columns", null, null, null, true));
        }
      }
      return list;
    }
    if (word.startsWith("\\")) {
      COMMANDS.forEach(c -> list.add(new Candidate(c, c, "commands", null, null, null, true)));
      return list;
    }
    views.keySet().forEach(t -> list.add(new Candidate(t, t, "tables", null, null, null, true)));
    TreeSet<String> columns = new TreeSet<>();
    views.values().forEach(s -> columns.addAll(List.of(s.fieldNames())));
    columns.forEach(c -> list.add(new Candidate(c, c, "columns", null, null, null, true)));
    KEYWORDS.forEach(k -> list.add(new Candidate(k, k, "keywords", null, null, null, true)));
    return list;
  }
}

package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grokgrid.analysis.DerivedTables;
import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The sweep driver: expands a spec, trains its units on the executors in batches, and writes the
 * tables of SPEC.md under the output directory.
 *
 * <p><b>Exactly once.</b> Each batch of units is one Spark job writing one Parquet directory
 * {@code <out>/_batches/batch-NNNNN} through Spark's commit protocol: a failed or retried task
 * leaves nothing, and a batch either has its {@code _SUCCESS} marker and all its rows, or is
 * discarded. A unit (one data set and every run on it) lies in exactly one batch. The tables
 * {@code runs}, {@code curves} and {@code grokking} are then cut from the committed batches and
 * {@code overfitting_cost} is derived from those, each rewritten whole, so a resumed sweep ends
 * with every run exactly once. The hidden {@code _batches} directory stays: it is what
 * {@code --resume} reads.
 *
 * <p><b>Determinism.</b> A run's numbers depend only on its seeds and its pack, never on the
 * number of partitions or executors.
 */
public final class SweepJob {
  /** How to treat an existing output directory. */
  public enum Existing {
    REFUSE,
    RESUME,
    OVERWRITE
  }

  /**
   * @param out output directory URI or path
   * @param existing what to do if it exists
   * @param partitions Spark partitions per batch; 0 = {@link #TASKS_PER_CORE} per core (at most one
   *     per unit)
   * @param failFirstAttempt test hook, see {@link TrainTask}
   */
  public record Options(String out, Existing existing, int partitions, boolean failFirstAttempt) {}

  /**
   * What a sweep did.
   *
   * @param total runs in the spec
   * @param trained runs trained by this call
   * @param byStatus run counts by status over the whole output
   * @param trainMs wall time of the training jobs
   * @param tablesMs wall time of cutting and deriving the final tables
   */
  public record Summary(long total, long trained, Map<String, Long> byStatus, long trainMs,
      long tablesMs) {}

  static final String BATCHES = "_batches";
  /** Default tasks per core in a batch (Options.partitions = 0). */
  static final int TASKS_PER_CORE = 4;
  static final String SWEEP_JSON = "sweep.json";
  /** Spark setting: data sets (units) per training batch, overriding the work-based choice. */
  public static final String UNITS_PER_BATCH = "spark.grokgrid.unitsPerBatch";

  private SweepJob() {}

  /** The project version (from the build). */
  public static String version() {
    try (InputStream in = SweepJob.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Runs a sweep; progress lines go to {@code progressOut}. */
  public static Summary run(SparkSession spark, SweepSpec spec, Options opt, PrintStream progressOut) {
    String started = Instant.now().toString();
    Path out = new Path(opt.out());
    FileSystem fs = fileSystem(spark, out);
    List<Grid.RunPoint> runs = Grid.expand(spec);
    Set<String> stored = prepareOutput(spark, fs, out, spec, opt.existing());

    List<Grid.Unit> todo = new ArrayList<>();
    for (Grid.Unit u : Grid.units(spec, runs)) {
      if (!allStored(u, stored)) {
        todo.add(withoutStored(u, stored));
      }
    }
    writeSweepJson(fs, out, spec, started, null, null, spark);

    long already = runs.stream().filter(r -> stored.contains(r.runId())).count();
    Progress progress = new Progress(progressOut, runs.size(), already);
    spark.sparkContext().addSparkListener(progress);
    long trained = 0;
    long trainStart = System.nanoTime();
    try {
      int next = nextBatchIndex(fs, out);
      int cores = Math.max(1, spark.sparkContext().defaultParallelism());
      // batches of about 20 s of work per core at a conservative 60 GFLOP/s, at most 10 of them:
      // each batch costs a Spark job and a commit, and is the unit of --resume
      double work = todo.stream().mapToDouble(Grid.Unit::cost).sum();
      int batches = (int) Math.max(1, Math.min(10, Math.ceil(work / (cores * 20.0 * 60e9))));
      int perBatch = (todo.size() + batches - 1) / Math.max(1, batches);
      // a whole number of units per core, so no core idles at the end of a batch of equal units
      perBatch = Math.max(cores, (perBatch + cores - 1) / cores * cores);
      // spark.grokgrid.unitsPerBatch (spark-submit --conf) overrides: smaller batches are finer
      // --resume checkpoints, e.g. on preemptible clusters
      int fixedPerBatch = spark.sparkContext().getConf().getInt(UNITS_PER_BATCH, 0);
      if (fixedPerBatch > 0) {
        perBatch = fixedPerBatch;
      }
      int taskCpus = spark.sparkContext().getConf().getInt("spark.task.cpus", 1);
      TrainTask task = new TrainTask(spec, taskCpus, version(), opt.failFirstAttempt());
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      for (int from = 0; from < todo.size(); from += perBatch) {
        List<Grid.Unit> batch = new ArrayList<>(todo.subList(from, Math.min(todo.size(), from + perBatch)));
        // costliest first, so the last tasks of a batch are short (longest processing time first)
        batch.sort(Comparator.comparingDouble(Grid.Unit::cost).reversed());
        // a few tasks per core, each writing one Parquet file: a task per unit would spend more on
        // its file, commit and scheduling than on training when units are small (many-small:
        // 0.14 s of overhead per 0.6 s unit); the cost-sorted round-robin deal keeps them even
        int parts = Math.min(batch.size(),
            opt.partitions() > 0 ? opt.partitions() : TASKS_PER_CORE * cores);
        // one list per partition, dealt round-robin from the cost-sorted batch
        List<List<Grid.Unit>> slices = new ArrayList<>();
        int[] runsPerPart = new int[parts];
        for (int p = 0; p < parts; p++) {
          slices.add(new ArrayList<>());
        }
        for (int i = 0; i < batch.size(); i++) {
          slices.get(i % parts).add(batch.get(i));
          runsPerPart[i % parts] += batch.get(i).runCount();
        }
        progress.nextBatch(runsPerPart);
        spark.sparkContext().setJobGroup(Progress.GROUP_PREFIX + next, "grokgrid batch " + next, false);
        JavaRDD<Row> rows = jsc.parallelize(slices, parts).mapPartitions(task);
        Path dir = new Path(new Path(out, BATCHES), String.format(Locale.ROOT, "batch-%05d", next));
        spark.createDataFrame(rows, ResultRows.schema(spec)).write().mode(SaveMode.ErrorIfExists)
            .parquet(dir.toString());
        spark.sparkContext().clearJobGroup();
        next++;
        for (Grid.Unit u : batch) {
          trained += u.runCount();
        }
      }
    } finally {
      spark.sparkContext().removeSparkListener(progress);
    }
    progress.finish();
    long tablesStart = System.nanoTime();
    Map<String, Long> byStatus = finalizeTables(spark, fs, out, spec);
    writeSweepJson(fs, out, spec, started, Instant.now().toString(), byStatus, spark);
    long end = System.nanoTime();
    return new Summary(runs.size(), trained, byStatus, (tablesStart - trainStart) / 1_000_000,
        (end - tablesStart) / 1_000_000);
  }

  private static boolean allStored(Grid.Unit u, Set<String> stored) {
    for (Grid.Pack p : u.packs()) {
      for (Grid.RunPoint r : p.runs()) {
        if (!stored.contains(r.runId())) {
          return false;
        }
      }
    }
    return true;
  }

  private static Grid.Unit withoutStored(Grid.Unit u, Set<String> stored) {
    if (stored.isEmpty()) {
      return u;
    }
    List<Grid.Pack> packs = new ArrayList<>();
    for (Grid.Pack p : u.packs()) {
      List<Grid.RunPoint> keep = p.runs().stream().filter(r -> !stored.contains(r.runId())).toList();
      if (!keep.isEmpty()) {
        packs.add(new Grid.Pack(p.initSeed(), keep));
      }
    }
    return new Grid.Unit(u.datasetSeed(), u.data(), packs, u.cost());
  }

  /**
   * Checks the output directory against the mode; returns the run ids already stored (resume).
   * Nothing is deleted unless the mode is OVERWRITE, and nothing at all on a refusal.
   */
  private static Set<String> prepareOutput(SparkSession spark, FileSystem fs, Path out,
      SweepSpec spec, Existing mode) {
    try {
      boolean exists = fs.exists(out) && (!fs.getFileStatus(out).isDirectory() || fs.listStatus(out).length > 0);
      if (!exists) {
        return Set.of();
      }
      if (mode == Existing.REFUSE) {
        throw new IllegalArgumentException("output directory already exists: " + out
            + " (use --resume to add the missing runs, or --overwrite to replace it)");
      }
      if (mode == Existing.OVERWRITE) {
        fs.delete(out, true);
        return Set.of();
      }
      Path json = new Path(out, SWEEP_JSON);
      if (!fs.exists(json)) {
        throw new IllegalArgumentException("cannot resume: " + out + " has no " + SWEEP_JSON
            + " (not a grokgrid sweep); use --overwrite or another --out");
      }
      checkResumable(readSpec(fs, json), spec, out);
      Set<String> ids = new HashSet<>();
      List<String> done = committedBatches(fs, out);
      for (FileStatus st : listBatches(fs, out)) {
        if (!done.contains(st.getPath().toString())) {
          fs.delete(st.getPath(), true); // an interrupted batch: committed nothing
        }
      }
      if (!done.isEmpty()) {
        for (Row r : spark.read().parquet(done.toArray(new String[0])).select(RUN_ID).collectAsList()) {
          ids.add(r.getString(0));
        }
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect output directory " + out, e);
    }
  }

  private static void checkResumable(SweepSpec stored, SweepSpec now, Path out) {
    Map<String, Object> a = new LinkedHashMap<>(stored.toMap());
    Map<String, Object> b = new LinkedHashMap<>(now.toMap());
    // a resume may extend the grid or add replicates; anything else changes the runs' meaning
    for (String k : List.of("grid", "replicates", "fixed")) {
      a.remove(k);
      b.remove(k);
    }
    for (String k : a.keySet()) {
      if (!String.valueOf(a.get(k)).equals(String.valueOf(b.get(k)))) {
        throw new IllegalArgumentException("cannot resume " + out + ": the spec's " + k + " ("
            + b.get(k) + ") differs from the stored sweep's (" + a.get(k) + "); use --overwrite or another --out");
      }
    }
  }

  private static SweepSpec readSpec(FileSystem fs, Path json) throws IOException {
    try (InputStream in = fs.open(json)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = new ObjectMapper().readValue(in, Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) m.get("spec");
      return SpecParser.fromMap(spec, json.toString());
    }
  }

  private static FileStatus[] listBatches(FileSystem fs, Path out) throws IOException {
    Path dir = new Path(out, BATCHES);
    return fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0];
  }

  /** Batch directories with a _SUCCESS marker, fully qualified. */
  static List<String> committedBatches(FileSystem fs, Path out) throws IOException {
    List<String> done = new ArrayList<>();
    for (FileStatus st : listBatches(fs, out)) {
      if (st.isDirectory() && fs.exists(new Path(st.getPath(), "_SUCCESS"))) {
        done.add(st.getPath().toString());
      }
    }
    done.sort(null);
    return done;
  }

  private static int nextBatchIndex(FileSystem fs, Path out) {
    try {
      int next = 0;
      for (FileStatus st : listBatches(fs, out)) {
        String name = st.getPath().getName();
        if (name.startsWith("batch-")) {
          next = Math.max(next, Integer.parseInt(name.substring(6)) + 1);
        }
      }
      return next;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + new Path(out, BATCHES), e);
    }
  }

  /** Cuts runs, curves and grokking from the committed batches and derives overfitting_cost. */
  private static Map<String, Long> finalizeTables(SparkSession spark, FileSystem fs, Path out, SweepSpec spec) {
    try {
      List<String> done = committedBatches(fs, out);
      if (done.isEmpty()) {
        return Map.of();
      }
      Dataset<Row> all = spark.read().schema(ResultRows.schema(spec)).parquet(done.toArray(new String[0]));
      int files = (int) Math.min(16, spec.runCount() / 200_000 + 1);
      String runsDir = new Path(out, RUNS).toString();
      String curvesDir = new Path(out, CURVES).toString();
      all.select(cols(ResultRows.runColumns(spec))).coalesce(files)
          .write().mode(SaveMode.Overwrite).parquet(runsDir);
      all.select(cols(ResultRows.grokkingColumns(spec))).coalesce(files)
          .write().mode(SaveMode.Overwrite).parquet(new Path(out, GROKKING).toString());
      List<Column> zipped = new ArrayList<>();
      zipped.add(functions.col(ResultRows.CURVE + "." + STEP).as(STEP));
      for (String m : ResultRows.curveMetrics(spec)) {
        zipped.add(functions.col(ResultRows.CURVE + "." + m).as(m));
      }
      List<String> curveOut = new ArrayList<>(List.of(SWEEP, RUN_ID, STEP));
      curveOut.addAll(ResultRows.curveMetrics(spec));
      all.select(functions.col(SWEEP), functions.col(RUN_ID),
              functions.explode(functions.arrays_zip(zipped.toArray(new Column[0]))).as("p"))
          .select(functions.col(SWEEP), functions.col(RUN_ID), functions.col("p.*"))
          .select(cols(curveOut)).coalesce(files)
          .write().mode(SaveMode.Overwrite).parquet(curvesDir);
      Dataset<Row> runs = spark.read().parquet(runsDir);
      Dataset<Row> curves = spark.read().parquet(curvesDir);
      DerivedTables.overfittingCost(runs, curves, new RegimeCuts(spec.benignCut(), spec.catastrophicCut()))
          .coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(out, OVERFITTING_COST).toString());
      Map<String, Long> byStatus = new LinkedHashMap<>();
      for (Row r : runs.groupBy(STATUS).count().orderBy(STATUS).collectAsList()) {
        byStatus.put(r.getString(0), r.getLong(1));
      }
      return byStatus;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tables under " + out, e);
    }
  }

  private static Column[] cols(List<String> names) {
    return names.stream().map(functions::col).toArray(Column[]::new);
  }

  private static void writeSweepJson(FileSystem fs, Path out, SweepSpec spec, String started,
      String finished, Map<String, Long> byStatus, SparkSession spark) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spec", spec.toMap());
    m.put("grokgrid_version", version());
    m.put("spark_version", spark.version());
    m.put("master", spark.sparkContext().master());
    m.put("runs", spec.runCount());
    m.put("started_at", started);
    m.put("finished_at", finished);
    m.put("state", finished == null ? "running" : "complete");
    m.put("counts_by_status", byStatus == null ? Map.of() : byStatus);
    try {
      fs.mkdirs(out);
      Path tmp = new Path(out, "." + SWEEP_JSON + ".tmp");
      try (OutputStream os = fs.create(tmp, true)) {
        os.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
      }
      Path dst = new Path(out, SWEEP_JSON);
      fs.delete(dst, false);
      fs.rename(tmp, dst);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + new Path(out, SWEEP_JSON), e);
    }
  }

  private static FileSystem fileSystem(SparkSession spark, Path out) {
    try {
      return out.getFileSystem(spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + out, e);
    }
  }
}

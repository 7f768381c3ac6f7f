package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.CURVES;
import static io.grokgrid.vocab.Columns.GROKKING;
import static io.grokgrid.vocab.Columns.OVERFITTING_COST;
import static io.grokgrid.vocab.Columns.RUNS;
import static io.grokgrid.vocab.Columns.RUN_ID;
import static io.grokgrid.vocab.Columns.STATUS;
import static io.grokgrid.vocab.Columns.STEP;
import static io.grokgrid.vocab.Columns.SWEEP;
import static io.grokgrid.vocab.Columns.TEST_ACC_NOISY;

import io.grokgrid.analysis.DerivedTables;
import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a sweep's tables from its committed batches: {@code runs}, {@code grokking} and
 * {@code curves} (the batch rows' curve struct of arrays, one row per logged step) are cut from
 * them, and {@code overfitting_cost} is derived from the runs and curves. Each table is
 * rewritten whole, so a resumed sweep ends with every stored run exactly once.
 *
 * <p>Two ways, same rows: a small sweep (at most {@link #DRIVER_RUNS} stored runs and
 * {@link #DRIVER_CURVE_POINTS} curve points) reads its batches without their curve arrays in one
 * Spark job, cuts runs and grokking and derives {@code overfitting_cost} on the driver
 * ({@link DerivedTables#overfittingCostOnDriver}, the same numbers bit for bit; regression
 * families, whose regime needs Spark's least-squares slopes, still derive it with Spark SQL, over
 * the written tables) and writes the tables at once: those three one file each, curves by one
 * Spark job over the batch files (a file per core). A larger sweep's tables are cut and derived
 * by Spark end to end. The small way exists because a sweep of a few hundred runs spent about
 * as long in the twenty Spark jobs of the large way (each planned, compiled and scheduled)
 * as in its training.
 */
final class TableWriter {
  /** Runs per output file of runs, curves and grokking (at most {@link #MAX_FILES} files). */
  static final long RUNS_PER_FILE = 200_000;
  static final int MAX_FILES = 16;
  /** The small way's limits: stored runs, and curve points (runs x (log_points + 12)). */
  static final long DRIVER_RUNS = 50_000;
  static final long DRIVER_CURVE_POINTS = 1_000_000;

  private TableWriter() {}

  /**
   * Writes the four tables; returns the run counts by status (empty, and nothing written, when no
   * batch is committed).
   */
  static Map<String, Long> write(SparkSession spark, SweepDir dir, SweepSpec spec, PrintStream messages) {
    List<String> done = dir.committedBatches();
    if (done.isEmpty()) {
      return Map.of();
    }
    long rows = dir.committedRows(spark, DRIVER_RUNS);
    // log_points plus steps 0..10 and the last at most
    long pointsPerRun = spec.logPoints() + 12L;
    if (rows <= DRIVER_RUNS && rows * pointsPerRun <= DRIVER_CURVE_POINTS) {
      return onDriver(spark, dir, spec, done, messages);
    }
    return distributed(spark, dir, spec, done, messages);
  }

  /** The large way: every table cut and derived by Spark, nothing collected. */
  static Map<String, Long> distributed(SparkSession spark, SweepDir dir, SweepSpec spec,
      List<String> done, PrintStream messages) {
    Dataset<Row> all = onceEach(
        spark.read().schema(ResultRows.schema(spec)).parquet(done.toArray(new String[0])), dir, messages);
    int files = (int) Math.min(MAX_FILES, spec.runCount() / RUNS_PER_FILE + 1);
    String runsDir = dir.table(RUNS).toString();
    String curvesDir = dir.table(CURVES).toString();
    all.select(cols(ResultRows.runColumns(spec))).coalesce(files)
        .write().mode(SaveMode.Overwrite).parquet(runsDir);
    all.select(cols(ResultRows.grokkingColumns(spec))).coalesce(files)
        .write().mode(SaveMode.Overwrite).parquet(dir.table(GROKKING).toString());
    curveRows(all, spec).coalesce(files).write().mode(SaveMode.Overwrite).parquet(curvesDir);
    Dataset<Row> runs = spark.read().parquet(runsDir);
    Dataset<Row> curves = spark.read().parquet(curvesDir);
    DerivedTables.overfittingCost(runs, curves, new RegimeCuts(spec.benignCut(), spec.catastrophicCut()))
        .coalesce(1).write().mode(SaveMode.Overwrite).parquet(dir.table(OVERFITTING_COST).toString());
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (Row r : runs.groupBy(STATUS).count().orderBy(STATUS).collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
    }
    return byStatus;
  }

  /**
   * The small way: one Spark job reads the batch rows to the driver without their curves (but the
   * steps and noisy test accuracies {@code overfitting_cost} reads); the driver keeps each run
   * once (as {@link #onceEach}), cuts runs and grokking, counts the statuses and derives
   * {@code overfitting_cost} ({@link DerivedTables#overfittingCostOnDriver}); then the tables are
   * written concurrently, runs, grokking and overfitting_cost one file each from the driver's rows,
   * curves by one Spark job that zips and explodes the batch files' curve arrays ({@link
   * #curveRows}, a file per core). Curves are the bulk of a sweep's numbers (log points times
   * metrics per run): collected and written from the driver as rows they took longer than the
   * rest of the tables together (many-small: ~6 of ~12 s).
   */
  private static Map<String, Long> onDriver(SparkSession spark, SweepDir dir, SweepSpec spec,
      List<String> done, PrintStream messages) {
    Dataset<Row> batches = spark.read().schema(ResultRows.schema(spec)).parquet(done.toArray(new String[0]));
    List<String> costArrays = new ArrayList<>(List.of(STEP));
    if (ResultRows.curveMetrics(spec).contains(TEST_ACC_NOISY)) {
      costArrays.add(TEST_ACC_NOISY);
    }
    Dataset<Row> narrow = batches.withColumn(ResultRows.CURVE, narrowCurve(costArrays))
        .withColumn(FILE, functions.col("_metadata.file_path"));
    StructType schema = narrow.schema();
    List<Row> batchRows = new ArrayList<>(narrow.collectAsList());
    int fileAt = schema.fieldIndex(FILE);
    int idAt = schema.fieldIndex(RUN_ID);
    // as onceEach: of duplicate rows (damaged directories only), the one in the lowest file
    batchRows.sort(Comparator.comparing(r -> r.getString(fileAt)));
    Map<String, Row> once = new LinkedHashMap<>();
    for (Row r : batchRows) {
      once.putIfAbsent(r.getString(idAt), r);
    }
    boolean duplicates = batchRows.size() != once.size();
    reportDuplicates(batchRows.size() - once.size(), dir, messages);

    List<String> runColumns = ResultRows.runColumns(spec);
    List<String> grokkingColumns = ResultRows.grokkingColumns(spec);
    StructType runsSchema = project(schema, runColumns);
    StructType grokkingSchema = project(schema, grokkingColumns);
    StructType costCurvesSchema = curvesSchema(schema, costArrays.subList(1, costArrays.size()));
    int[] runsAt = indices(schema, runColumns);
    int[] grokkingAt = indices(schema, grokkingColumns);
    List<Row> runs = new ArrayList<>(once.size());
    List<Row> grokking = new ArrayList<>(once.size());
    List<Row> costCurves = new ArrayList<>();
    Map<String, Long> byStatus = new TreeMap<>();
    int statusAt = schema.fieldIndex(STATUS);
    for (Row r : once.values()) {
      runs.add(pick(r, runsAt));
      grokking.add(pick(r, grokkingAt));
      addCurveRows(r, schema, costArrays, costCurves);
      byStatus.merge(r.getString(statusAt), 1L, Long::sum);
    }

    RegimeCuts cuts = new RegimeCuts(spec.benignCut(), spec.catastrophicCut());
    List<Row> costRows = DerivedTables.overfittingCostOnDriver(runsSchema, runs, costCurvesSchema, costCurves, cuts);
    String runsDir = dir.table(RUNS).toString();
    String curvesDir = dir.table(CURVES).toString();
    String costDir = dir.table(OVERFITTING_COST).toString();
    int files = (int) Math.max(1, Math.min(MAX_FILES, spark.sparkContext().defaultParallelism()));
    List<Runnable> writes = new ArrayList<>(List.of(
        () -> writeOneFile(spark.createDataFrame(runs, runsSchema), runsDir),
        () -> writeOneFile(spark.createDataFrame(grokking, grokkingSchema), dir.table(GROKKING).toString()),
        () -> curveRows(duplicates ? firstOfEach(batches) : batches, spec).coalesce(files)
            .write().mode(SaveMode.Overwrite).parquet(curvesDir)));
    if (costRows != null) {
      writes.add(() -> writeOneFile(spark.createDataFrame(costRows,
          DerivedTables.overfittingCostSchema(runsSchema, DataTypes.IntegerType)), costDir));
    }
    inParallel(writes);
    if (costRows == null) {
      // regression families: Spark's least-squares slopes, over the tables just written
      writeOneFile(DerivedTables.overfittingCost(spark.read().parquet(runsDir), spark.read().parquet(curvesDir), cuts),
          costDir);
    }
    return new LinkedHashMap<>(byStatus);
  }

  /**
   * The batch rows' curve struct narrowed to the driver's needs: the named arrays, and
   * {@link #CURVE_ROWS}, the number of curve rows {@link #curveRows} makes of the run: the step
   * array's length (-1, none, if it is null). {@link ResultRows} writes every curve array with the
   * step array's length (a metric the family does not define: that many nulls; a failed run: all
   * empty), so that is the longest array's length that {@code arrays_zip} gives, and reading the step array alone spares the driver's job the
   * decoding of every metric array (many-small: 10 arrays of 500,000 values).
   */
  private static Column narrowCurve(List<String> keep) {
    Column step = functions.col(ResultRows.CURVE + "." + STEP);
    List<Column> fields = new ArrayList<>();
    for (String a : keep) {
      fields.add(functions.col(ResultRows.CURVE + "." + a).as(a));
    }
    fields.add(functions.when(step.isNull(), functions.lit(-1)).otherwise(functions.size(step)).as(CURVE_ROWS));
    return functions.struct(fields.toArray(new Column[0]));
  }

  /** The narrowed curve's row count field (see {@link #narrowCurve}). */
  static final String CURVE_ROWS = "_rows";

  /** The batch file column the small way reads beside each row. */
  private static final String FILE = "_file";

  private static void writeOneFile(Dataset<Row> table, String path) {
    table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
  }

  /**
   * Runs the writes on their own threads (Spark schedules concurrent jobs of one session), so the
   * driver plans one while another's task runs; waits for all, then rethrows the first failure.
   */
  static void inParallel(List<Runnable> writes) {
    ExecutorService pool = Executors.newFixedThreadPool(writes.size(), r -> {
      Thread t = new Thread(r, "grokgrid-table-writer");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Runnable w : writes) {
        running.add(pool.submit(w));
      }
      RuntimeException first = null;
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof Error err) {
            throw err;
          }
          if (first == null) {
            first = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing the tables", e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The named fields of a batch row schema, in the given order, all nullable (as read back). */
  private static StructType project(StructType schema, List<String> names) {
    List<StructField> f = new ArrayList<>();
    for (String n : names) {
      StructField s = schema.apply(n);
      f.add(DataTypes.createStructField(n, s.dataType(), true));
    }
    return DataTypes.createStructType(f);
  }

  private static int[] indices(StructType schema, List<String> names) {
    return names.stream().mapToInt(schema::fieldIndex).toArray();
  }

  private static Row pick(Row r, int[] at) {
    Object[] v = new Object[at.length];
    for (int i = 0; i < at.length; i++) {
      v[i] = r.get(at[i]);
    }
    return RowFactory.create(v);
  }

  /** sweep, run_id, step and the curve metrics, all nullable: the schema of {@link #curveRows}. */
  static StructType curvesSchema(StructType batchSchema, SweepSpec spec) {
    return curvesSchema(batchSchema, ResultRows.curveMetrics(spec));
  }

  /** sweep, run_id, step and the given metrics, all nullable. */
  private static StructType curvesSchema(StructType batchSchema, List<String> metrics) {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(SWEEP, batchSchema.apply(SWEEP).dataType(), true));
    f.add(DataTypes.createStructField(RUN_ID, batchSchema.apply(RUN_ID).dataType(), true));
    f.add(DataTypes.createStructField(STEP, DataTypes.IntegerType, true));
    for (String m : metrics) {
      f.add(DataTypes.createStructField(m, DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(f);
  }

  /**
   * The curve rows of one batch row, as {@link #curveRows} makes them with {@code arrays_zip} and
   * {@code explode}, restricted to the named arrays ({@code step} first): none if any of the
   * run's curve arrays is null, else one per index up to the longest of them, a shorter array's
   * missing entries null. The row's curve struct is either whole or narrowed by
   * {@link #narrowCurve}, whose {@link #CURVE_ROWS} field holds that count.
   */
  static void addCurveRows(Row batchRow, StructType batchSchema, List<String> arrays, List<Row> out) {
    Row curve = batchRow.getStruct(batchSchema.fieldIndex(ResultRows.CURVE));
    // field positions from the schema: a row need not carry its own
    StructType curveType = (StructType) batchSchema.apply(ResultRows.CURVE).dataType();
    boolean narrowed = Arrays.asList(curveType.fieldNames()).contains(CURVE_ROWS);
    int length = narrowed ? curve.getInt(curveType.fieldIndex(CURVE_ROWS)) : 0;
    if (!narrowed) {
      for (String a : curveType.fieldNames()) {
        int at = curveType.fieldIndex(a);
        if (curve.isNullAt(at)) {
          return;
        }
        length = Math.max(length, curve.getList(at).size());
      }
    } else if (length < 0) {
      return;
    }
    List<List<Object>> values = new ArrayList<>();
    for (String a : arrays) {
      values.add(curve.getList(curveType.fieldIndex(a)));
    }
    Object sweep = batchRow.get(batchSchema.fieldIndex(SWEEP));
    Object runId = batchRow.get(batchSchema.fieldIndex(RUN_ID));
    for (int k = 0; k < length; k++) {
      Object[] v = new Object[2 + values.size()];
      v[0] = sweep;
      v[1] = runId;
      for (int i = 0; i < values.size(); i++) {
        List<Object> a = values.get(i);
        v[2 + i] = k < a.size() ? a.get(k) : null;
      }
      out.add(RowFactory.create(v));
    }
  }

  private static void reportDuplicates(long extra, SweepDir dir, PrintStream messages) {
    if (extra == 0) {
      return;
    }
    messages.println("grokgrid: the batches under " + new org.apache.hadoop.fs.Path(dir.path(), SweepDir.BATCHES)
        + " hold " + extra + " duplicate run row" + (extra == 1 ? "" : "s") + "; keeping each run's row from the"
        + " lowest batch");
  }

  /**
   * The batch rows with every run id once. A batch holds each of its runs once and a unit lies in
   * one batch, so duplicates come only from directories damaged by older versions (two writers,
   * or a resume that retrained a stored run); of those the row in the first file in path order
   * (the lowest batch name) is kept, and the count is reported, so a {@code --resume} heals the
   * tables. The check reads only the run_id column.
   */
  static Dataset<Row> onceEach(Dataset<Row> rows, SweepDir dir, PrintStream messages) {
    long extra = rows.count() - rows.select(RUN_ID).distinct().count();
    if (extra == 0) {
      return rows;
    }
    reportDuplicates(extra, dir, messages);
    return firstOfEach(rows);
  }

  /** Of rows with the same run id, the one in the first file in path order (the lowest batch). */
  private static Dataset<Row> firstOfEach(Dataset<Row> rows) {
    String rank = "_rank";
    WindowSpec w = Window.partitionBy(RUN_ID).orderBy(functions.col(FILE));
    return rows.withColumn(FILE, functions.col("_metadata.file_path"))
        .withColumn(rank, functions.row_number().over(w))
        .filter(functions.col(rank).equalTo(1)).drop(FILE, rank);
  }

  /** sweep, run_id, step and the curve metrics: the batch rows' curve arrays zipped and exploded. */
  private static Dataset<Row> curveRows(Dataset<Row> batches, SweepSpec spec) {
    List<Column> zipped = new ArrayList<>();
    zipped.add(functions.col(ResultRows.CURVE + "." + STEP).as(STEP));
    for (String m : ResultRows.curveMetrics(spec)) {
      zipped.add(functions.col(ResultRows.CURVE + "." + m).as(m));
    }
    List<String> curveOut = new ArrayList<>(List.of(SWEEP, RUN_ID, STEP));
    curveOut.addAll(ResultRows.curveMetrics(spec));
    return batches.select(functions.col(SWEEP), functions.col(RUN_ID),
            functions.explode(functions.arrays_zip(zipped.toArray(new Column[0]))).as("p"))
        .select(functions.col(SWEEP), functions.col(RUN_ID), functions.col("p.*"))
        .select(cols(curveOut));
  }

  private static Column[] cols(List<String> names) {
    return names.stream().map(functions::col).toArray(Column[]::new);
  }
}

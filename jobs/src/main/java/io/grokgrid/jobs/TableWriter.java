package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.CURVES;
import static io.grokgrid.vocab.Columns.GROKKING;
import static io.grokgrid.vocab.Columns.OVERFITTING_COST;
import static io.grokgrid.vocab.Columns.RUNS;
import static io.grokgrid.vocab.Columns.RUN_ID;
import static io.grokgrid.vocab.Columns.STATUS;
import static io.grokgrid.vocab.Columns.STEP;
import static io.grokgrid.vocab.Columns.SWEEP;

import io.grokgrid.analysis.DerivedTables;
import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * Writes a sweep's tables from its committed batches: {@code runs}, {@code grokking} and
 * {@code curves} (the batch rows' curve struct of arrays, one row per logged step) are cut from
 * them, and {@code overfitting_cost} is derived from the written runs and curves. Each table is
 * rewritten whole, so a resumed sweep ends with every stored run exactly once.
 */
final class TableWriter {
  /** Runs per output file of runs, curves and grokking (at most {@link #MAX_FILES} files). */
  static final long RUNS_PER_FILE = 200_000;
  static final int MAX_FILES = 16;

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
    messages.println("grokgrid: the batches under " + new org.apache.hadoop.fs.Path(dir.path(), SweepDir.BATCHES)
        + " hold " + extra + " duplicate run row" + (extra == 1 ? "" : "s") + "; keeping each run's row from the"
        + " lowest batch");
    String file = "_file";
    String rank = "_rank";
    WindowSpec w = Window.partitionBy(RUN_ID).orderBy(functions.col(file));
    return rows.withColumn(file, functions.col("_metadata.file_path"))
        .withColumn(rank, functions.row_number().over(w))
        .filter(functions.col(rank).equalTo(1)).drop(file, rank);
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

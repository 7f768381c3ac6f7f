package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.*;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Grokking;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.RunResult;
import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.jobs.spec.TaskCatalog;
import io.grokgrid.vocab.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The row a training task emits per run: every {@code runs} column, the grokking columns, and the
 * curve as a struct of arrays. This is the schema of the committed batches under
 * {@code <out>/_batches/}, from which {@code runs}, {@code curves} and {@code grokking} are cut.
 * Regression families have no accuracies: those values (and their curve array entries) are null.
 * A family's theory columns (ridge's Eq. (8) bounds) follow the grokking columns.
 */
final class ResultRows {
  private ResultRows() {}

  /** The struct column holding a run's curve. */
  static final String CURVE = "curve";

  /**
   * The curve metric columns of a spec's task: the standard ones every table has
   * ({@link io.grokgrid.vocab.Columns#STANDARD_METRICS}), then the others its family declares, in
   * the family's order.
   */
  static List<String> curveMetrics(SweepSpec spec) {
    List<String> m = new ArrayList<>(STANDARD_METRICS);
    for (String name : TaskCatalog.entry(spec.task()).metrics()) {
      if (!m.contains(name)) {
        m.add(name);
      }
    }
    return m;
  }

  /** The values of the metrics of {@link #curveMetrics}, in order; null for one not recorded. */
  private static double[][] metricArrays(SweepSpec spec, Curve c) {
    List<String> names = curveMetrics(spec);
    double[][] out = new double[names.size()][];
    for (int i = 0; i < names.size(); i++) {
      out[i] = c.values(names.get(i));
    }
    return out;
  }

  /** Columns of {@code runs}, in order, for a spec's task. */
  static List<String> runColumns(SweepSpec spec) {
    List<String> c = new ArrayList<>(List.of(SWEEP, RUN_ID, TASK, REPLICATE));
    spec.params().forEach(d -> c.add(d.name()));
    c.addAll(List.of(STATUS, STATUS_DETAIL, STEPS, STEPS_DONE));
    c.addAll(curveMetrics(spec));
    c.addAll(List.of(T_FIT, T_GEN, WALL_MS, FORM, PRECISION, PACK_SIZE,
        DATASET_SEED, INIT_SEED, ENGINE_VERSION, REFINE_LEVEL));
    return c;
  }

  /** Columns of {@code grokking}, in order. */
  static List<String> grokkingColumns(SweepSpec spec) {
    List<String> c = new ArrayList<>(List.of(SWEEP, RUN_ID, TASK, REPLICATE));
    spec.params().forEach(d -> c.add(d.name()));
    c.addAll(List.of(T_FIT, T_GEN, T_GEN_SUSTAINED, DELAY, PHASE, GROKKED));
    c.addAll(TaskCatalog.entry(spec.task()).theoryColumns());
    c.add(REFINE_LEVEL);
    return c;
  }

  static StructType schema(SweepSpec spec) {
    List<StructField> f = new ArrayList<>();
    f.add(field(SWEEP, DataTypes.StringType, false));
    f.add(field(RUN_ID, DataTypes.StringType, false));
    f.add(field(TASK, DataTypes.StringType, false));
    f.add(field(REPLICATE, DataTypes.IntegerType, false));
    for (ParamDef d : spec.params()) {
      f.add(field(d.name(), d.isChoice() ? DataTypes.StringType
          : d.integer() ? DataTypes.IntegerType : DataTypes.DoubleType, false));
    }
    f.add(field(STATUS, DataTypes.StringType, false));
    f.add(field(STATUS_DETAIL, DataTypes.StringType, false));
    f.add(field(STEPS, DataTypes.IntegerType, false));
    f.add(field(STEPS_DONE, DataTypes.IntegerType, false));
    for (String m : curveMetrics(spec)) {
      f.add(field(m, DataTypes.DoubleType, true));
    }
    f.add(field(T_FIT, DataTypes.IntegerType, true));
    f.add(field(T_GEN, DataTypes.IntegerType, true));
    f.add(field(T_GEN_SUSTAINED, DataTypes.IntegerType, true));
    f.add(field(DELAY, DataTypes.IntegerType, true));
    f.add(field(PHASE, DataTypes.StringType, true));
    f.add(field(GROKKED, DataTypes.BooleanType, true));
    for (String t : TaskCatalog.entry(spec.task()).theoryColumns()) {
      f.add(field(t, DataTypes.DoubleType, true));
    }
    f.add(field(WALL_MS, DataTypes.LongType, false));
    f.add(field(FORM, DataTypes.StringType, true));
    f.add(field(PRECISION, DataTypes.StringType, false));
    f.add(field(PACK_SIZE, DataTypes.IntegerType, false));
    f.add(field(DATASET_SEED, DataTypes.LongType, false));
    f.add(field(INIT_SEED, DataTypes.LongType, false));
    f.add(field(ENGINE_VERSION, DataTypes.StringType, false));
    f.add(field(REFINE_LEVEL, DataTypes.IntegerType, false));
    List<StructField> curve = new ArrayList<>();
    curve.add(field(STEP, DataTypes.createArrayType(DataTypes.IntegerType, false), false));
    for (String m : curveMetrics(spec)) {
      curve.add(field(m, DataTypes.createArrayType(DataTypes.DoubleType, true), false));
    }
    f.add(field(CURVE, DataTypes.createStructType(curve), false));
    return DataTypes.createStructType(f);
  }

  private static StructField field(String name, DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  /**
   * One run's row.
   *
   * @param result null for a run whose pack failed (then {@code failure} says why)
   * @param level the refinement level that added the run's grid point (0 for a plain grid)
   */
  static Row row(SweepSpec spec, Grid.RunPoint run, RunResult result, String failure,
      Grokking g, Map<String, Double> theory, Form form, String precision, int packSize,
      long wallMs, String version, int level) {
    List<Object> v = new ArrayList<>();
    v.add(spec.name());
    v.add(run.runId());
    v.add(spec.task());
    v.add(run.replicate());
    for (ParamDef d : spec.params()) {
      double x = run.params().get(d.name());
      v.add(d.isChoice() ? (Object) d.label(x) : d.integer() ? (Object) (int) x : (Object) x);
    }
    Curve c = result == null ? null : result.curve();
    boolean hasPoint = c != null && c.length() > 0;
    v.add(result == null ? Values.FAILED : result.status());
    v.add(result == null ? failure : result.detail());
    v.add(spec.steps());
    v.add(result == null ? 0 : result.stepsDone());
    double[][] metrics = hasPoint ? metricArrays(spec, c) : null;
    int metricCount = curveMetrics(spec).size();
    for (int i = 0; i < metricCount; i++) {
      v.add(hasPoint && metrics[i] != null ? (Object) metrics[i][c.last()] : null);
    }
    v.add(g == null ? null : g.tFit());
    v.add(g == null ? null : g.tGen());
    v.add(g == null ? null : g.tGenSustained());
    v.add(g == null ? null : g.delay());
    v.add(g == null ? null : g.phase());
    v.add(g == null ? null : g.grokked());
    for (String t : TaskCatalog.entry(spec.task()).theoryColumns()) {
      v.add(theory == null ? null : theory.get(t));
    }
    v.add(wallMs);
    v.add(form == null ? null : form.label());
    v.add(precision);
    v.add(packSize);
    v.add(run.datasetSeed());
    v.add(run.initSeed());
    v.add(version);
    v.add(level);
    List<Object> curve = new ArrayList<>();
    curve.add(c == null ? new int[0] : c.steps());
    for (int i = 0; i < metricCount; i++) {
      // a metric the family does not define: one null per logged step, so arrays_zip still pairs
      curve.add(c == null || metrics == null ? new double[0]
          : metrics[i] != null ? metrics[i] : new Double[c.length()]);
    }
    v.add(RowFactory.create(curve.toArray()));
    return RowFactory.create(v.toArray());
  }
}

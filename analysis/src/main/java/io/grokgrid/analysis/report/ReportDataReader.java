package io.grokgrid.analysis.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokgrid.analysis.DerivedTables;
import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.RunRow;
import io.grokgrid.analysis.report.ReportData.SpectralPoint;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.SpecKeys;
import io.grokgrid.vocab.Values;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The Spark side of {@link Report}: reads {@code sweep.json}, narrows the registered views to
 * the {@code --filter} selection, and reads them onto the driver as {@link ReportData} (the
 * curves reduced to percentiles over replicates in Spark). Nothing after it touches Spark.
 */
final class ReportDataReader {
  private ReportDataReader() {}

  /**
   * The regime cuts of the first sweep's spec, each defaulting to {@link RegimeCuts#DEFAULTS}.
   *
   * @param spec the spec, or null
   */
  static RegimeCuts cuts(JsonNode spec) {
    RegimeCuts cuts = RegimeCuts.DEFAULTS;
    if (spec != null && spec.has(SpecKeys.REGIME_CUTS)) {
      cuts = new RegimeCuts(spec.path(SpecKeys.REGIME_CUTS).path(Values.BENIGN).asDouble(cuts.benign()),
          spec.path(SpecKeys.REGIME_CUTS).path(Values.CATASTROPHIC).asDouble(cuts.catastrophic()));
    }
    return cuts;
  }

  /** The {@code sweep.json} of each directory that has one, in directory order. */
  static List<JsonNode> readSweepJsons(SparkSession spark, List<String> dirs) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String dir : dirs) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir, SpecKeys.SWEEP_JSON);
      try {
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
          continue;
        }
        try (InputStream in = fs.open(p)) {
          out.add(mapper.readTree(in));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * Narrows the registered views to the runs the filter selects: {@code runs} by the predicate,
   * {@code curves} and {@code grokking} to those runs, {@code overfitting_cost} recomputed from
   * them (without a filter the stored table stays, or is computed if a sweep lacks it).
   */
  static void select(SparkSession spark, String filter, RegimeCuts cuts,
      List<String> dirs) {
    Dataset<Row> runs = spark.table(Columns.RUNS);
    if (filter != null) {
      runs = runs.where(filter);
    }
    if (runs.isEmpty()) {
      throw new IllegalArgumentException(filter != null
          ? "--filter " + filter + " selects no run of " + String.join(", ", dirs)
          : "no runs in " + String.join(", ", dirs));
    }
    boolean hasCurves = spark.catalog().tableExists(Columns.CURVES);
    boolean hasGrokking = spark.catalog().tableExists(Columns.GROKKING);
    boolean hasCost = spark.catalog().tableExists(Columns.OVERFITTING_COST);
    if (filter == null && hasCost) {
      return;
    }
    Dataset<Row> ids = runs.select(Columns.SWEEP, Columns.RUN_ID);
    String[] on = {Columns.SWEEP, Columns.RUN_ID};
    Dataset<Row> curves = hasCurves
        ? spark.table(Columns.CURVES).join(ids, scalaSeq(on), "left_semi") : null;
    Dataset<Row> grokking = hasGrokking
        ? spark.table(Columns.GROKKING).join(ids, scalaSeq(on), "left_semi") : null;
    Dataset<Row> cost = curves == null ? null : DerivedTables.overfittingCost(runs, curves, cuts);
    runs.createOrReplaceTempView(Columns.RUNS);
    if (curves != null) {
      curves.createOrReplaceTempView(Columns.CURVES);
    }
    if (grokking != null) {
      grokking.createOrReplaceTempView(Columns.GROKKING);
    }
    if (cost != null) {
      cost.createOrReplaceTempView(Columns.OVERFITTING_COST);
    }
  }

  private static scala.collection.immutable.Seq<String> scalaSeq(String[] names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(names)).toList();
  }

  /**
   * Reads the (selected) views onto the driver.
   *
   * @param spec the first sweep's spec (thresholds), or null for the defaults
   */
  static ReportData read(SparkSession spark, JsonNode spec, RegimeCuts cuts) {
    Dataset<Row> runs = spark.table(Columns.RUNS);
    List<String> params = DerivedTables.parameterColumns(runs);
    Dataset<Row> joined = runs;
    boolean hasGrokking = spark.catalog().tableExists(Columns.GROKKING);
    if (hasGrokking) {
      Dataset<Row> g = spark.table(Columns.GROKKING);
      List<String> gc = Arrays.asList(g.columns());
      List<String> pick = new ArrayList<>(List.of(Columns.SWEEP, Columns.RUN_ID));
      for (String c : List.of(Columns.DELAY, Columns.PHASE)) {
        if (gc.contains(c)) {
          pick.add(c);
        }
      }
      joined = runs.join(g.select(pick.stream().map(ReportDataReader::col).toArray(
          org.apache.spark.sql.Column[]::new)), scalaSeq(new String[] {Columns.SWEEP,
          Columns.RUN_ID}), "left_outer");
    }
    List<String> columns = Arrays.asList(joined.columns());
    List<Row> rows = joined.collectAsList();

    Set<Object> sweeps = new TreeSet<>(Fmt.VALUE_ORDER);
    Map<String, Set<Object>> values = new LinkedHashMap<>();
    for (String p : params) {
      values.put(p, new TreeSet<>(Fmt.VALUE_ORDER));
    }
    for (Row r : rows) {
      sweeps.add(r.getAs(Columns.SWEEP));
      for (String p : params) {
        values.get(p).add(r.getAs(p));
      }
    }
    List<String> axes = new ArrayList<>();
    Map<String, Object> fixed = new LinkedHashMap<>();
    if (sweeps.size() > 1) {
      axes.add(Columns.SWEEP);
    }
    for (String p : params) {
      if (values.get(p).size() > 1) {
        axes.add(p);
      } else {
        fixed.put(p, values.get(p).iterator().next());
      }
    }
    List<RunRow> runRows = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> pv = new LinkedHashMap<>();
      pv.put(Columns.SWEEP, r.getAs(Columns.SWEEP));
      for (String p : params) {
        pv.put(p, r.getAs(p));
      }
      List<Object> key = new ArrayList<>();
      for (String a : axes) {
        key.add(pv.get(a));
      }
      Map<String, Double> finals = new LinkedHashMap<>();
      for (String m : FINAL_METRICS) {
        Double v = columns.contains(m) ? finite(r.getAs(m)) : null;
        if (v != null) {
          finals.put(m, v);
        }
      }
      runRows.add(new RunRow(key, pv, r.getAs(Columns.STATUS), intOrNull(r, columns,
          Columns.T_FIT), intOrNull(r, columns, Columns.T_GEN), intOrNull(r, columns,
          Columns.DELAY), columns.contains(Columns.PHASE) ? r.getAs(Columns.PHASE) : null,
          finals));
    }
    runRows.sort((a, b) -> Fmt.KEY_ORDER.compare(a.key(), b.key()));

    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    Map<List<Object>, List<SpectralPoint>> spectral = new TreeMap<>(Fmt.KEY_ORDER);
    if (spark.catalog().tableExists(Columns.CURVES)) {
      curves = curves(spark, axes);
      spectral = spectral(spark, axes);
    }

    List<String> costColumns = new ArrayList<>();
    List<Map<String, Object>> cost = new ArrayList<>();
    if (spark.catalog().tableExists(Columns.OVERFITTING_COST)) {
      Dataset<Row> c = spark.table(Columns.OVERFITTING_COST);
      costColumns.addAll(Arrays.asList(c.columns()));
      for (Row r : c.collectAsList()) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : costColumns) {
          m.put(name, r.getAs(name));
        }
        cost.add(m);
      }
      List<String> order = new ArrayList<>(axes);
      order.retainAll(costColumns);
      cost.sort((a, b) -> {
        List<Object> ka = new ArrayList<>();
        List<Object> kb = new ArrayList<>();
        for (String o : order) {
          ka.add(a.get(o));
          kb.add(b.get(o));
        }
        return Fmt.KEY_ORDER.compare(ka, kb);
      });
    }

    List<Map<String, Object>> theoryCost = new ArrayList<>();
    if (hasGrokking && Arrays.asList(spark.table(Columns.GROKKING).columns())
        .contains(Columns.EF_COST)) {
      List<String> key = new ArrayList<>(List.of(Columns.SWEEP));
      for (String p : params) {
        if (!p.equals(Columns.WEIGHT_DECAY)) {
          key.add(p);
        }
      }
      Dataset<Row> t = spark.table(Columns.GROKKING)
          .groupBy(key.stream().map(ReportDataReader::col).toArray(org.apache.spark.sql.Column[]::new))
          .agg(org.apache.spark.sql.functions.avg(col(Columns.EF_COST)).as(Columns.EF_COST));
      for (Row r : t.collectAsList()) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : key) {
          m.put(k, r.getAs(k));
        }
        m.put(Columns.EF_COST, r.getAs(Columns.EF_COST));
        theoryCost.add(m);
      }
    }

    Set<Object> names = new LinkedHashSet<>(sweeps);
    String title = String.join(" + ", names.stream().map(String::valueOf).toList());
    JsonNode th = spec == null ? null : spec.path(SpecKeys.THRESHOLDS);
    double fit = th == null ? 1.0 : th.path(SpecKeys.FIT).asDouble(1.0);
    double gen = th == null ? 0.95 : th.path(SpecKeys.GEN).asDouble(0.95);
    double ratio = th == null ? 10 : th.path(SpecKeys.GROK_RATIO).asDouble(10);
    // a refined sweep's map is drawn at its resolution only when it is reported alone
    RefinedMap.Lattice refined = names.size() == 1 ? RefinedMap.of(spec) : null;
    return new ReportData(title, params, axes, fixed, runRows, curves, costColumns, cost, fit,
        gen, ratio, cuts, theoryCost, refined, spectral);
  }

  /** Percentiles over replicates of each grid point's curves, per logged step, in Spark. */
  private static Map<List<Object>, List<CurvePoint>> curves(SparkSession spark,
      List<String> axes) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String a : axes) {
      sql.append("r.").append(quote(a)).append(", ");
    }
    sql.append("c.").append(Columns.STEP).append(", count(*) AS n");
    List<String> metrics = List.of(Columns.TRAIN_ACC, Columns.TEST_ACC, Columns.TRAIN_LOSS,
        Columns.TEST_LOSS);
    for (String m : metrics) {
      // NaN and infinities (a diverging run's last points) carry no percentile
      sql.append(", percentile(CASE WHEN isnan(c.").append(m).append(") OR abs(c.").append(m)
          .append(") = double('infinity') THEN NULL ELSE c.").append(m)
          .append(" END, array(0.2, 0.5, 0.8)) AS ").append(m);
    }
    sql.append(" FROM ").append(Columns.CURVES).append(" c JOIN ").append(Columns.RUNS)
        .append(" r ON c.").append(Columns.SWEEP).append(" = r.").append(Columns.SWEEP)
        .append(" AND c.").append(Columns.RUN_ID).append(" = r.").append(Columns.RUN_ID)
        .append(" GROUP BY ");
    for (String a : axes) {
      sql.append("r.").append(quote(a)).append(", ");
    }
    sql.append("c.").append(Columns.STEP);
    Map<List<Object>, List<CurvePoint>> out = new TreeMap<>(Fmt.KEY_ORDER);
    for (Row r : spark.sql(sql.toString()).collectAsList()) {
      List<Object> key = new ArrayList<>();
      for (int i = 0; i < axes.size(); i++) {
        key.add(r.get(i));
      }
      int k = axes.size();
      out.computeIfAbsent(key, x -> new ArrayList<>()).add(new CurvePoint(r.getInt(k),
          (int) r.getLong(k + 1), quantiles(r, k + 2), quantiles(r, k + 3), quantiles(r, k + 4),
          quantiles(r, k + 5)));
    }
    for (List<CurvePoint> c : out.values()) {
      c.sort((a, b) -> Integer.compare(a.step(), b.step()));
    }
    return out;
  }

  /** Final metrics of {@code runs} the report draws (robustness), when the table has them. */
  static final List<String> FINAL_METRICS = List.of(Columns.FLIP_RADIUS,
      Columns.GRAD_ORTH_SHARE);

  /**
   * Percentiles over replicates of each grid point's stable and effective rank per logged step,
   * in Spark, over the steps where a replicate recorded either; empty when {@code curves} has
   * neither column (a sweep written before the metrics, or a family without them) or only nulls.
   */
  private static Map<List<Object>, List<SpectralPoint>> spectral(SparkSession spark,
      List<String> axes) {
    Map<List<Object>, List<SpectralPoint>> out = new TreeMap<>(Fmt.KEY_ORDER);
    List<String> have = Arrays.asList(spark.table(Columns.CURVES).columns());
    List<String> metrics = List.of(Columns.STABLE_RANK, Columns.EFFECTIVE_RANK);
    if (metrics.stream().noneMatch(have::contains)) {
      return out;
    }
    StringBuilder keys = new StringBuilder();
    for (String a : axes) {
      keys.append("r.").append(quote(a)).append(", ");
    }
    StringBuilder sql = new StringBuilder("SELECT ").append(keys).append("c.")
        .append(Columns.STEP).append(", count(*) AS n");
    List<String> finite = new ArrayList<>();
    for (String m : metrics) {
      if (!have.contains(m)) {
        sql.append(", CAST(NULL AS ARRAY<DOUBLE>) AS ").append(m);
        continue;
      }
      String v = "CASE WHEN isnan(c." + m + ") OR abs(c." + m + ") = double('infinity') THEN "
          + "NULL ELSE c." + m + " END";
      finite.add(v + " IS NOT NULL");
      sql.append(", percentile(").append(v).append(", array(0.2, 0.5, 0.8)) AS ").append(m);
    }
    sql.append(" FROM ").append(Columns.CURVES).append(" c JOIN ").append(Columns.RUNS)
        .append(" r ON c.").append(Columns.SWEEP).append(" = r.").append(Columns.SWEEP)
        .append(" AND c.").append(Columns.RUN_ID).append(" = r.").append(Columns.RUN_ID)
        .append(" WHERE ").append(String.join(" OR ", finite))
        .append(" GROUP BY ").append(keys).append("c.").append(Columns.STEP);
    int k = axes.size();
    for (Row r : spark.sql(sql.toString()).collectAsList()) {
      List<Object> key = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        key.add(r.get(i));
      }
      out.computeIfAbsent(key, x -> new ArrayList<>()).add(new SpectralPoint(r.getInt(k),
          (int) r.getLong(k + 1), quantiles(r, k + 2), quantiles(r, k + 3)));
    }
    for (List<SpectralPoint> c : out.values()) {
      c.sort((a, b) -> Integer.compare(a.step(), b.step()));
    }
    return out;
  }

  /** A number's value when finite, else null (also for null). */
  private static Double finite(Object v) {
    if (!(v instanceof Number)) {
      return null;
    }
    double d = ((Number) v).doubleValue();
    return Double.isFinite(d) ? d : null;
  }

  private static double[] quantiles(Row r, int i) {
    if (r.isNullAt(i)) {
      return null;
    }
    List<Object> q = r.getList(i);
    if (q.size() != 3 || q.contains(null)) {
      return null;
    }
    return new double[] {((Number) q.get(0)).doubleValue(), ((Number) q.get(1)).doubleValue(),
        ((Number) q.get(2)).doubleValue()};
  }

  private static Integer intOrNull(Row r, List<String> columns, String name) {
    if (!columns.contains(name)) {
      return null;
    }
    Object v = r.getAs(name);
    return v == null ? null : ((Number) v).intValue();
  }

  private static org.apache.spark.sql.Column col(String name) {
    return functions.col(quote(name));
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}

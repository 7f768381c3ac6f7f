package io.grokgrid.analysis.report;

import io.grokgrid.vocab.Values;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokgrid.vocab.Columns;
import io.grokgrid.analysis.DerivedTables;
import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.Views;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.analysis.report.ReportData.RunRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * {@code grokgrid report}: PNG charts and one static {@code index.html} over one or more sweep
 * directories. The page needs no network (inline CSS, relative image paths).
 *
 * <p>Reads only the Parquet tables (column names from {@link Columns}) and {@code sweep.json};
 * registers the views of {@link Views} (narrowed to the {@code --filter} selection), reduces the
 * curves to percentiles over replicates in Spark and draws on the driver. A chart the data
 * cannot make is replaced on the page by the reason, never by a failure.
 */
public final class Report {
  private Report() {}

  /** The page's file name inside the report directory. */
  public static final String INDEX = "index.html";

  /** The phase diagram's default axes: step size x weight decay, as in Liu et al. (2022). */
  public static final List<String> DEFAULT_AXES = List.of(Columns.STEP_SIZE,
      Columns.WEIGHT_DECAY);

  /** Most learning-curve panels drawn when the grid is too large for one chart per point. */
  public static final int DEFAULT_MAX_CURVE_PANELS = 64;

  /** Names of the files this report writes (and removes from an earlier report in place). */
  private static final List<String> OWN_PREFIXES = List.of("learning_curves_", "phase_diagram",
      "delay_map", "cost_vs_noise_rate", "grokking_time");

  /**
   * What to report.
   *
   * @param out the report directory (a local path), created if missing
   * @param axes the phase diagram's two axes (parameter columns), or null for
   *     {@link #DEFAULT_AXES}
   * @param filter a Spark SQL predicate over {@code runs} columns selecting the runs reported
   *     (every table follows the selection), or null for all runs
   * @param maxCurvePanels most learning-curve panels drawn, at least 1
   */
  public record Options(Path out, List<String> axes, String filter, int maxCurvePanels) {
    /** Checks the axes (two distinct names) and the panel cap. */
    public Options {
      Objects.requireNonNull(out, "out");
      if (axes != null) {
        if (axes.size() != 2 || axes.get(0).isBlank() || axes.get(1).isBlank()
            || axes.get(0).equals(axes.get(1))) {
          throw new IllegalArgumentException("--axes must name two different parameter columns "
              + "as x,y (e.g. step_size,weight_decay), got " + String.join(",", axes));
        }
        axes = List.copyOf(axes);
      }
      if (filter != null && filter.isBlank()) {
        filter = null;
      }
      if (maxCurvePanels < 1) {
        throw new IllegalArgumentException("maxCurvePanels must be >= 1, got " + maxCurvePanels);
      }
    }

    /** Default axes, no filter, the default panel cap. */
    public static Options of(Path out) {
      return new Options(out, null, null, DEFAULT_MAX_CURVE_PANELS);
    }

    /**
     * Reads {@code x,y}.
     *
     * @throws IllegalArgumentException naming the text when it is not two names
     */
    public static List<String> parseAxes(String text) {
      String[] parts = text.split(",", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException("--axes must name two different parameter columns "
            + "as x,y (e.g. step_size,weight_decay), got " + text);
      }
      return List.of(parts[0].strip(), parts[1].strip());
    }
  }

  /**
   * The default report directory: {@code report/} inside the (first) sweep directory, which
   * must then be a local path; a sweep on another file system needs an explicit {@code --out}.
   *
   * @throws IllegalArgumentException for a URI with a scheme other than {@code file}
   */
  public static Path defaultOut(String sweepDir) {
    java.net.URI uri = new org.apache.hadoop.fs.Path(sweepDir).toUri();
    if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
      throw new IllegalArgumentException("the report is written to a local directory; give --out "
          + "for a sweep on " + uri.getScheme() + ": " + sweepDir);
    }
    return Path.of(uri.getPath()).resolve("report");
  }

  /**
   * What was written.
   *
   * @param index the page
   * @param images every PNG written, in page order
   * @param explained headings of the charts that could not be drawn, with the reason
   */
  public record Result(Path index, List<Path> images, Map<String, String> explained) {}

  /**
   * Writes the report of the sweeps in {@code dirs}.
   *
   * @param spark the session (its temporary views {@code runs}, {@code curves},
   *     {@code grokking}, {@code overfitting_cost} are replaced by the selection's)
   * @param dirs sweep output directories (as {@link Views#register})
   * @param options output directory, axes, filter
   * @return the files written
   * @throws IllegalArgumentException for a directory that is not a sweep, axes that are not
   *     parameter columns, or a filter that selects no run
   * @throws org.apache.spark.sql.AnalysisException (unchecked) for a filter Spark cannot parse
   *     or resolve
   */
  public static Result write(SparkSession spark, List<String> dirs, Options options)
      throws IOException {
    // JFreeChart draws with AWT; no display is needed or wanted
    System.setProperty("java.awt.headless", "true");
    Views.register(spark, dirs);
    List<JsonNode> sweepJsons = readSweepJsons(spark, dirs);
    JsonNode spec = sweepJsons.isEmpty() ? null : sweepJsons.get(0).path("spec");
    RegimeCuts cuts = RegimeCuts.DEFAULTS;
    if (spec != null && spec.has("regime_cuts")) {
      cuts = new RegimeCuts(spec.path("regime_cuts").path(Values.BENIGN).asDouble(cuts.benign()),
          spec.path("regime_cuts").path(Values.CATASTROPHIC).asDouble(cuts.catastrophic()));
    }
    select(spark, options.filter(), cuts, dirs);
    ReportData data = gather(spark, spec, cuts);
    List<String> axes = options.axes() != null ? options.axes() : DEFAULT_AXES;
    if (options.axes() != null) {
      for (String a : axes) {
        if (!data.params.contains(a)) {
          throw new IllegalArgumentException("--axes names " + a + ", which is not a parameter "
              + "column of runs; parameter columns: " + data.params);
        }
      }
    }

    Path out = options.out();
    Files.createDirectories(out);
    removeOwnFiles(out);
    List<Figure> figures = new ArrayList<>();
    figures.add(safely(LearningCurvesChart.ID, LearningCurvesChart.HEADING,
        () -> LearningCurvesChart.figure(data, out, options.maxCurvePanels())));
    List<Figure> phases;
    try {
      phases = PhaseDiagramChart.figures(data, out, axes);
    } catch (RuntimeException e) {
      phases = List.of(failed(PhaseDiagramChart.ID, PhaseDiagramChart.HEADING, e),
          Figure.missing(DelayMapChart.ID, DelayMapChart.HEADING, "See the phase diagram."));
    }
    figures.addAll(phases);
    figures.add(safely(CostChart.ID, CostChart.HEADING, () -> CostChart.figure(data, out)));
    List<GrokkingTimeChart.FitRow> fits = new ArrayList<>();
    figures.add(safely(GrokkingTimeChart.ID, GrokkingTimeChart.HEADING, () -> {
      GrokkingTimeChart.Times times = GrokkingTimeChart.compute(data);
      Figure f = GrokkingTimeChart.draw(data, times, out);
      fits.addAll(times.fitRows());
      return f;
    }));

    String html = Page.html(data, dirs, sweepJsons, options.filter(), axes, figures, fits);
    Path index = out.resolve(INDEX);
    Files.writeString(index, html, StandardCharsets.UTF_8);
    List<Path> images = new ArrayList<>();
    Map<String, String> explained = new LinkedHashMap<>();
    for (Figure f : figures) {
      f.files().forEach(name -> images.add(out.resolve(name)));
      if (f.missing() != null) {
        explained.put(f.heading(), f.missing());
      }
    }
    return new Result(index, List.copyOf(images), explained);
  }

  private interface Draw {
    Figure draw() throws IOException;
  }

  /** A chart whose drawing fails unexpectedly becomes an explained gap, not a failed report. */
  private static Figure safely(String id, String heading, Draw draw) throws IOException {
    try {
      return draw.draw();
    } catch (RuntimeException e) {
      return failed(id, heading, e);
    }
  }

  private static Figure failed(String id, String heading, RuntimeException e) {
    return Figure.missing(id, heading, "This chart could not be drawn (" + e.getClass()
        .getSimpleName() + ": " + e.getMessage() + "); the tables below still hold the numbers.");
  }

  private static void removeOwnFiles(Path out) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(out, "*.png")) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (OWN_PREFIXES.stream().anyMatch(name::startsWith)) {
          Files.delete(p);
        }
      }
    }
  }

  private static List<JsonNode> readSweepJsons(SparkSession spark, List<String> dirs) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    for (String dir : dirs) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir, "sweep.json");
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
  private static void select(SparkSession spark, String filter, RegimeCuts cuts,
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

  private static ReportData gather(SparkSession spark, JsonNode spec, RegimeCuts cuts) {
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
      joined = runs.join(g.select(pick.stream().map(Report::col).toArray(
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
      runRows.add(new RunRow(key, pv, r.getAs(Columns.STATUS), intOrNull(r, columns,
          Columns.T_FIT), intOrNull(r, columns, Columns.T_GEN), intOrNull(r, columns,
          Columns.DELAY), columns.contains(Columns.PHASE) ? r.getAs(Columns.PHASE) : null));
    }
    runRows.sort((a, b) -> Fmt.KEY_ORDER.compare(a.key(), b.key()));

    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    if (spark.catalog().tableExists(Columns.CURVES)) {
      curves = curves(spark, axes);
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

    Set<Object> names = new LinkedHashSet<>(sweeps);
    String title = String.join(" + ", names.stream().map(String::valueOf).toList());
    JsonNode th = spec == null ? null : spec.path("thresholds");
    double fit = th == null ? 1.0 : th.path("fit").asDouble(1.0);
    double gen = th == null ? 0.95 : th.path("gen").asDouble(0.95);
    double ratio = th == null ? 10 : th.path("grok_ratio").asDouble(10);
    return new ReportData(title, params, axes, fixed, runRows, curves, costColumns, cost, fit,
        gen, ratio, cuts);
  }

  /** Percentiles over replicates of each grid point's curves, per logged step, in Spark. */
  private static Map<List<Object>, List<CurvePoint>> curves(SparkSession spark,
      List<String> axes) {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String a : axes) {
      sql.append("r.").append(quote(a)).append(", ");
    }
    sql.append("c.step, count(*) AS n");
    List<String> metrics = List.of(Columns.TRAIN_ACC, Columns.TEST_ACC, Columns.TRAIN_LOSS,
        Columns.TEST_LOSS);
    for (String m : metrics) {
      // NaN and infinities (a diverging run's last points) carry no percentile
      sql.append(", percentile(CASE WHEN isnan(c.").append(m).append(") OR abs(c.").append(m)
          .append(") = double('infinity') THEN NULL ELSE c.").append(m)
          .append(" END, array(0.2, 0.5, 0.8)) AS ").append(m);
    }
    sql.append(" FROM ").append(Columns.CURVES).append(" c JOIN ").append(Columns.RUNS)
        .append(" r ON c.sweep = r.sweep AND c.run_id = r.run_id GROUP BY ");
    for (String a : axes) {
      sql.append("r.").append(quote(a)).append(", ");
    }
    sql.append("c.step");
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

package io.grokgrid.analysis.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import io.grokgrid.vocab.Columns;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The page's interactive learning curves: small multiples of the median train and clean test
 * curves with their 20-80% band (one axis per row, one per column, a third by colour, the
 * remaining axes as sheets chosen from a menu), a tooltip naming the grid point, its run count
 * and the values, a switch to the individual runs, and a zoom on the log-step axis. Several
 * sweeps reported together ({@code grokgrid report A B}) share the panels, one colour per sweep.
 *
 * <p>The charts are drawn in the browser by Apache ECharts, bundled from Maven Central as the
 * WebJar {@code org.webjars.npm:echarts} and copied next to {@code index.html}, so the page
 * opens from {@code file://} with no network. ECharts rather than Vega-Lite: it is one
 * self-contained script with no dependencies (Vega-Lite needs vega, vega-lite and vega-embed in
 * matching versions, and no Vega WebJar is in the package list this build may use), it is an Apache top-level
 * project released several times a year, and it has log axes, axis tooltips and custom series
 * (the band polygon works on a log y axis, where stacked areas do not).
 *
 * <p>The data embedded in the page are the report's aggregates ({@link ReportData#curves}: the
 * percentiles over replicates computed in Spark), plus, for the individual-runs view, each run's
 * curve read from the {@code curves} view of the selection, at most {@link #RUNS_PER_POINT} runs
 * per grid point and {@link #MAX_RUN_ROWS} curve rows in all so that the page stays small.
 */
final class InteractiveCurves {
  private InteractiveCurves() {}

  static final String ID = "explore";
  static final String HEADING = "Learning curves to explore";

  /** The library's file name inside the report directory. */
  static final String SCRIPT = "echarts.min.js";

  /** Runs per grid point embedded for the individual-runs view (the lowest replicates). */
  static final int RUNS_PER_POINT = 20;

  /** Most per-run curve rows embedded in the page, about 40 bytes each. */
  static final int MAX_RUN_ROWS = 200_000;

  /** The id of the {@code <script type="application/json">} element holding the data. */
  static final String DATA_ELEMENT = "gg-curves";

  private static final String WEBJAR_POM =
      "META-INF/maven/org.webjars.npm/echarts/pom.properties";

  /**
   * Which axis goes where: {@code sweep} (when several sweeps are compared) takes the colour,
   * the other axes in order the rows, the columns and the colour; the rest become sheets.
   *
   * @param row axis whose values are the rows of the panel grid, or null (one row)
   * @param col axis whose values are the columns, or null (one column)
   * @param colour axis whose values are told apart by colour, or null (train and test coloured)
   * @param sheets the remaining axes; each combination of their values is one sheet
   */
  record Layout(String row, String col, String colour, List<String> sheets) {
    static Layout of(List<String> axes) {
      List<String> rest = new ArrayList<>(axes);
      String colour = null;
      if (rest.remove(Columns.SWEEP)) {
        colour = Columns.SWEEP;
      }
      String row = rest.isEmpty() ? null : rest.remove(0);
      String col = rest.isEmpty() ? null : rest.remove(0);
      if (colour == null && !rest.isEmpty()) {
        colour = rest.remove(0);
      }
      return new Layout(row, col, colour, List.copyOf(rest));
    }
  }

  /**
   * One run's curve for the individual-runs view.
   *
   * @param key values of {@link ReportData#axes}
   * @param runId the run
   * @param steps logged steps from 1 on, ascending
   * @param train train accuracy (or loss) at each step, NaN where not finite
   * @param test clean test accuracy (or loss), likewise
   */
  record RunCurve(List<Object> key, String runId, int[] steps, double[] train, double[] test) {}

  /**
   * The runs embedded for the individual-runs view.
   *
   * @param curves the runs' curves, by grid point then replicate
   * @param total runs at grid points with a curve
   */
  record Runs(List<RunCurve> curves, long total) {}

  /** Whether the curves are accuracies (else losses, a regression task), as the PNGs decide. */
  static boolean accuracy(ReportData d) {
    for (List<CurvePoint> curve : d.curves.values()) {
      for (CurvePoint c : curve) {
        if (c.trainAcc() != null || c.testAcc() != null) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Reads the individual runs' curves of the selection from the {@code runs} and {@code curves}
   * views: the {@link #RUNS_PER_POINT} lowest replicates of each grid point, fewer per point if
   * the whole would pass {@link #MAX_RUN_ROWS} rows.
   */
  static Runs readRuns(SparkSession spark, List<String> axes, boolean accuracy) {
    if (!spark.catalog().tableExists(Columns.CURVES)) {
      return new Runs(List.of(), 0);
    }
    String train = accuracy ? Columns.TRAIN_ACC : Columns.TRAIN_LOSS;
    String test = accuracy ? Columns.TEST_ACC : Columns.TEST_LOSS;
    StringBuilder keys = new StringBuilder();
    for (String a : axes) {
      keys.append("r.").append(quote(a)).append(", ");
    }
    String partition = axes.isEmpty() ? "" : "PARTITION BY " + keys.substring(0,
        keys.length() - 2);
    String ranked = "SELECT " + keys + "r." + Columns.SWEEP + " AS sweep_, r." + Columns.RUN_ID
        + " AS run_id_, row_number() OVER (" + partition + " ORDER BY r." + Columns.REPLICATE
        + ", r." + Columns.SWEEP + ", r." + Columns.RUN_ID + ") AS rank_ FROM " + Columns.RUNS
        + " r";
    spark.sql(ranked).createOrReplaceTempView("gg_ranked_runs");
    long total = spark.sql("SELECT count(*) FROM gg_ranked_runs").first().getLong(0);
    Row longest = spark.sql("SELECT max(n) FROM (SELECT count(*) AS n FROM " + Columns.CURVES
        + " GROUP BY " + Columns.SWEEP + ", " + Columns.RUN_ID + ")").first();
    long rowsPerRun = longest.isNullAt(0) ? 1 : Math.max(1, longest.getLong(0));
    long points = Math.max(1, spark.sql("SELECT count(DISTINCT " + (axes.isEmpty() ? "1"
        : String.join(", ", axes.stream().map(InteractiveCurves::quote).toList()))
        + ") FROM gg_ranked_runs").first().getLong(0));
    long perPoint = Math.max(1, Math.min(RUNS_PER_POINT, MAX_RUN_ROWS / (rowsPerRun * points)));
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String a : axes) {
      sql.append("r.").append(quote(a)).append(", ");
    }
    sql.append("r.run_id_, c.").append(Columns.STEP).append(", c.").append(train)
        .append(", c.").append(test).append(" FROM gg_ranked_runs r JOIN ")
        .append(Columns.CURVES).append(" c ON c.").append(Columns.SWEEP).append(" = r.sweep_ AND c.")
        .append(Columns.RUN_ID).append(" = r.run_id_ WHERE r.rank_ <= ").append(perPoint)
        .append(" AND c.").append(Columns.STEP).append(" >= 1 ORDER BY ");
    for (String a : axes) {
      sql.append("r.").append(quote(a)).append(", ");
    }
    sql.append("r.rank_, c.").append(Columns.STEP);
    List<Row> rows = spark.sql(sql.toString()).collectAsList();
    spark.catalog().dropTempView("gg_ranked_runs");
    List<RunCurve> out = new ArrayList<>();
    int k = axes.size();
    int i = 0;
    while (i < rows.size()) {
      String id = rows.get(i).getString(k);
      List<Object> key = new ArrayList<>();
      for (int a = 0; a < k; a++) {
        key.add(rows.get(i).get(a));
      }
      int j = i;
      while (j < rows.size() && rows.get(j).getString(k).equals(id)) {
        j++;
      }
      int[] steps = new int[j - i];
      double[] tr = new double[j - i];
      double[] te = new double[j - i];
      for (int m = i; m < j; m++) {
        Row r = rows.get(m);
        steps[m - i] = r.getInt(k + 1);
        tr[m - i] = finite(r, k + 2);
        te[m - i] = finite(r, k + 3);
      }
      out.add(new RunCurve(key, id, steps, tr, te));
      i = j;
    }
    return new Runs(out, total);
  }

  /**
   * The data the page's script draws, as JSON: the layout, one entry per grid point with a
   * curve (its axis values as labels, run count per step and the 20/50/80th percentiles of
   * train and test from step 1 on) and the embedded individual runs.
   */
  static ObjectNode model(ReportData d, Runs runs) {
    ObjectMapper json = new ObjectMapper();
    boolean accuracy = accuracy(d);
    Layout layout = Layout.of(d.axes);
    ObjectNode m = json.createObjectNode();
    m.put("title", d.title);
    m.put("fixed", d.fixedText());
    m.put("metric", accuracy ? "accuracy" : "loss");
    m.put("threshold", d.genThreshold);
    ArrayNode axes = m.putArray("axes");
    d.axes.forEach(axes::add);
    ObjectNode l = m.putObject("layout");
    l.put("row", layout.row());
    l.put("col", layout.col());
    l.put("colour", layout.colour());
    ArrayNode sheets = l.putArray("sheets");
    layout.sheets().forEach(sheets::add);
    int lastStep = 1;
    ArrayNode points = m.putArray("points");
    Map<List<Object>, Integer> index = new TreeMap<>(Fmt.KEY_ORDER);
    for (Map.Entry<List<Object>, List<CurvePoint>> e : d.curves.entrySet()) {
      ObjectNode p = json.createObjectNode();
      ArrayNode labels = p.putArray("labels");
      e.getKey().forEach(v -> labels.add(Fmt.num(v)));
      p.put("label", d.axes.isEmpty() ? "the single grid point"
          : Fmt.assignments(d.axes, e.getKey()));
      ArrayNode steps = p.putArray("steps");
      ArrayNode n = p.putArray("runs");
      ArrayNode train = p.putArray("train");
      ArrayNode test = p.putArray("test");
      for (CurvePoint c : e.getValue()) {
        if (c.step() < 1) {
          continue;
        }
        steps.add(c.step());
        n.add(c.runs());
        band(train, accuracy ? c.trainAcc() : c.trainLoss());
        band(test, accuracy ? c.testAcc() : c.testLoss());
        lastStep = Math.max(lastStep, c.step());
      }
      if (steps.isEmpty()) {
        continue;
      }
      index.put(e.getKey(), points.size());
      points.add(p);
    }
    m.put("lastStep", lastStep);
    ArrayNode rs = m.putArray("runs");
    int embedded = 0;
    for (RunCurve r : runs.curves()) {
      Integer point = index.get(r.key());
      if (point == null) {
        continue;
      }
      ObjectNode o = rs.addObject();
      o.put("point", point);
      o.put("id", r.runId());
      ArrayNode s = o.putArray("steps");
      ArrayNode tr = o.putArray("train");
      ArrayNode te = o.putArray("test");
      for (int i = 0; i < r.steps().length; i++) {
        s.add(r.steps()[i]);
        value(tr, r.train()[i]);
        value(te, r.test()[i]);
      }
      embedded++;
    }
    m.put("runsNote", embedded == runs.total() ? "all " + embedded + " runs"
        : String.format(Locale.ROOT, "%d of %d runs (the lowest replicates of each grid point, "
            + "to keep the page small)", embedded, runs.total()));
    return m;
  }

  private static void band(ArrayNode out, double[] q) {
    if (q == null) {
      out.addNull();
    } else {
      ArrayNode a = out.addArray();
      for (double v : q) {
        value(a, v);
      }
    }
  }

  private static void value(ArrayNode out, double v) {
    if (Double.isFinite(v)) {
      out.add(v);
    } else {
      out.addNull();
    }
  }

  private static double finite(Row r, int i) {
    if (r.isNullAt(i)) {
      return Double.NaN;
    }
    double v = ((Number) r.get(i)).doubleValue();
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /**
   * The page's section: controls, the panel grid, the library's script tag, the data and the
   * drawing script. Everything is inline but the library, which {@link #copyLibrary} puts next
   * to the page.
   */
  static String section(ObjectNode model) {
    if (model.get("points").isEmpty()) {
      return "<h2 id=\"" + ID + "\">" + HEADING + "</h2>\n<p class=\"missing\">No learning "
          + "curves to explore: the selected runs have no curve rows after step 0.</p>\n";
    }
    String data;
    try {
      // "</" would end the script element early; "<\/" is the same JSON string
      data = new ObjectMapper().writeValueAsString(model).replace("</", "<\\/");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the curves as JSON: " + e.getMessage(), e);
    }
    StringBuilder b = new StringBuilder();
    b.append("<h2 id=\"").append(ID).append("\">").append(HEADING).append("</h2>\n");
    b.append("<p class=\"caption\">Median train accuracy on the noisy labels (dashed) and clean "
        + "test accuracy (solid) over replicates against the step (log scale), with the 20-80% "
        + "band; losses for tasks without accuracies. Hover a panel for the grid point, its run "
        + "count and the values; switch to the individual runs; drag the sliders to zoom on "
        + "the steps. Drawn in the browser with Apache ECharts (" + SCRIPT + ", next to this "
        + "page); the PNG charts below hold the same medians.</p>\n");
    b.append("<div id=\"gg-explore\" class=\"gg-explore\"><noscript>Scripts are off: the PNG "
        + "charts below show the same curves.</noscript></div>\n");
    b.append("<script src=\"").append(SCRIPT).append("\"></script>\n");
    b.append("<script type=\"application/json\" id=\"").append(DATA_ELEMENT).append("\">")
        .append(data).append("</script>\n");
    b.append("<style>\n").append(resource("explore.css")).append("</style>\n");
    b.append("<script>\n").append(resource("explore.js")).append("</script>\n");
    return b.toString();
  }

  /** Copies the library's minified script from the WebJar on the classpath to {@code dir}. */
  static Path copyLibrary(Path dir) throws IOException {
    String path = "META-INF/resources/webjars/echarts/" + libraryVersion() + "/dist/echarts.min.js";
    Path target = dir.resolve(SCRIPT);
    try (InputStream in = InteractiveCurves.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the ECharts WebJar is not on the classpath: " + path);
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  /** The ECharts version of the WebJar on the classpath (the pom pins it). */
  static String libraryVersion() {
    try (InputStream in = InteractiveCurves.class.getClassLoader()
        .getResourceAsStream(WEBJAR_POM)) {
      if (in == null) {
        throw new IllegalStateException("the ECharts WebJar is not on the classpath: "
            + WEBJAR_POM);
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = InteractiveCurves.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}

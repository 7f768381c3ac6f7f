package io.grokgrid.analysis.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grokgrid.analysis.report.ReportData.RunRow;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.SpecKeys;
import io.grokgrid.vocab.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report's {@code index.html}: self-contained (inline CSS, images and the one chart library
 * by relative path, inline scripts and data), so it renders from a file system or an archive
 * with no network.
 */
final class Page {
  private Page() {}

  /** Most rows of a table on the page; the canned queries give the rest. */
  static final int MAX_TABLE_ROWS = 500;

  private static final String CSS = """
      body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
             margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; line-height: 1.45; }
      h1 { font-size: 1.6em; margin-bottom: 0.2em; }
      h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
      nav a { margin-right: 1em; }
      table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
      th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
      th { background: #f2f2f2; }
      td.text, th.text { text-align: left; }
      pre { background: #f7f7f7; border: 1px solid #e2e2e2; padding: 0.8em; overflow-x: auto;
            font-size: 0.85em; }
      img { max-width: 100%; height: auto; border: 1px solid #e2e2e2; margin: 0.5em 0; }
      .caption { color: #444; max-width: 60em; }
      .missing { background: #fff7e0; border-left: 4px solid #e0a800; padding: 0.6em 0.9em;
                 max-width: 60em; }
      .meta { color: #555; font-size: 0.9em; }
      """;

  static String html(ReportData d, List<String> dirs, List<JsonNode> sweepJsons, String filter,
      List<String> axes, List<Figure> figures, List<GrokkingTimeChart.FitRow> fits) {
    return html(d, dirs, sweepJsons, filter, axes, figures, fits, "");
  }

  /**
   * The page with {@code explore}, an HTML section drawn in the browser (see
   * {@link InteractiveCurves}), before the PNG charts; "" for none.
   */
  static String html(ReportData d, List<String> dirs, List<JsonNode> sweepJsons, String filter,
      List<String> axes, List<Figure> figures, List<GrokkingTimeChart.FitRow> fits,
      String explore) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>grokgrid report: ").append(Fmt.html(d.title)).append("</title>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    b.append("<h1>grokgrid report: ").append(Fmt.html(d.title)).append("</h1>\n");
    b.append("<p class=\"meta\">Sweep director").append(dirs.size() == 1 ? "y" : "ies")
        .append(": ").append(Fmt.html(String.join(", ", dirs))).append(". Selection: ")
        .append(filter == null ? "all runs" : "runs where <code>" + Fmt.html(filter) + "</code>")
        .append(" (").append(d.runs.size()).append(d.runs.size() == 1 ? " run" : " runs")
        .append(").</p>\n");
    b.append("<nav><a href=\"#spec\">Spec</a><a href=\"#status\">Runs by status</a>");
    if (!explore.isEmpty()) {
      b.append("<a href=\"#").append(InteractiveCurves.ID).append("\">")
          .append(InteractiveCurves.HEADING).append("</a>");
    }
    for (Figure f : figures) {
      b.append("<a href=\"#").append(f.id()).append("\">").append(Fmt.html(f.heading()))
          .append("</a>");
    }
    b.append("<a href=\"#phase-table\">Phase table</a><a href=\"#cost-table\">Cost table</a>")
        .append("</nav>\n");

    // spec
    b.append("<h2 id=\"spec\">Spec</h2>\n");
    b.append("<p>Axes (parameters with several values among the selected runs): ")
        .append(d.axes.isEmpty() ? "none (a single grid point)" : Fmt.html(String.join(", ",
            d.axes))).append(".<br>Fixed: ")
        .append(d.fixed.isEmpty() ? "none" : Fmt.html(Fmt.assignments(
            new ArrayList<>(d.fixed.keySet()), new ArrayList<>(d.fixed.values()))))
        .append(".</p>\n");
    ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (sweepJsons.isEmpty()) {
      b.append("<p class=\"missing\">No sweep.json in the sweep director")
          .append(dirs.size() == 1 ? "y" : "ies").append("; default thresholds assumed.</p>\n");
    }
    for (JsonNode j : sweepJsons) {
      b.append("<table>\n");
      for (String k : SpecKeys.SHOWN) {
        if (j.has(k)) {
          b.append("<tr><th class=\"text\">").append(k).append("</th><td class=\"text\">")
              .append(Fmt.html(j.get(k).asText())).append("</td></tr>\n");
        }
      }
      if (j.has(SpecKeys.COUNTS_BY_STATUS)) {
        b.append("<tr><th class=\"text\">counts_by_status</th><td class=\"text\">")
            .append(Fmt.html(j.get(SpecKeys.COUNTS_BY_STATUS).toString())).append("</td></tr>\n");
      }
      b.append("</table>\n");
      try {
        b.append("<pre>").append(Fmt.html(pretty.writeValueAsString(j.path(SpecKeys.SPEC))))
            .append("</pre>\n");
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        b.append("<pre>").append(Fmt.html(j.path(SpecKeys.SPEC).toString())).append("</pre>\n");
      }
    }

    // counts by status
    b.append("<h2 id=\"status\">Runs by status</h2>\n");
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byPhase = new TreeMap<>();
    for (RunRow r : d.runs) {
      byStatus.merge(String.valueOf(r.status()), 1, Integer::sum);
      byPhase.merge(r.phase() == null ? "(none)" : r.phase(), 1, Integer::sum);
    }
    b.append("<table><tr><th class=\"text\">").append(Columns.STATUS)
        .append("</th><th>runs</th></tr>\n");
    byStatus.forEach((k, v) -> b.append("<tr><td class=\"text\">").append(Fmt.html(k))
        .append("</td><td>").append(v).append("</td></tr>\n"));
    b.append("<tr><th class=\"text\">total</th><th>").append(d.runs.size())
        .append("</th></tr></table>\n");
    b.append("<table><tr><th class=\"text\">").append(Columns.PHASE)
        .append("</th><th>runs</th></tr>\n");
    byPhase.forEach((k, v) -> b.append("<tr><td class=\"text\">").append(Fmt.html(k))
        .append("</td><td>").append(v).append("</td></tr>\n"));
    b.append("</table>\n");

    // charts: the interactive ones first, then the PNGs
    b.append(explore);
    for (Figure f : figures) {
      b.append("<h2 id=\"").append(f.id()).append("\">").append(Fmt.html(f.heading()))
          .append("</h2>\n");
      if (f.missing() != null) {
        b.append("<p class=\"missing\">").append(Fmt.html(f.missing())).append("</p>\n");
        continue;
      }
      b.append("<p class=\"caption\">").append(Fmt.html(f.caption())).append("</p>\n");
      for (String n : f.notes()) {
        b.append("<p class=\"missing\">").append(Fmt.html(n)).append("</p>\n");
      }
      for (String file : f.files()) {
        b.append("<a href=\"").append(Fmt.html(file)).append("\"><img src=\"")
            .append(Fmt.html(file)).append("\" alt=\"").append(Fmt.html(f.heading()))
            .append("\" width=\"").append(f.width()).append("\" height=\"").append(f.height())
            .append("\"></a>\n");
      }
      if (f.id().equals(GrokkingTimeChart.ID) && !fits.isEmpty()) {
        b.append("<table><tr><th class=\"text\">series</th><th>grid points</th>")
            .append("<th>slope</th><th>intercept (log10 steps)</th></tr>\n");
        for (GrokkingTimeChart.FitRow row : fits) {
          b.append("<tr><td class=\"text\">").append(Fmt.html(row.series())).append("</td>");
          for (String cell : fitCells(row)) {
            b.append("<td>").append(Fmt.html(cell)).append("</td>");
          }
          b.append("</tr>\n");
        }
        b.append("</table>\n");
      }
    }

    phaseTable(b, d);
    costTable(b, d);
    b.append("<p class=\"meta\">Made by <code>grokgrid report</code>. The same numbers from SQL: "
        + "<code>grokgrid sql --file analysis/sql/phase_table.sql DIR</code> (also "
        + "median_delay_by_axis.sql, cost_by_noise_rate.sql).</p>\n");
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  /** Grid points, slope and intercept (3 decimals) of a fit-table row; n/a without a fit. */
  static List<String> fitCells(GrokkingTimeChart.FitRow row) {
    GrokkingTimeChart.Fit fit = row.fit();
    return List.of(String.valueOf(row.gridPoints()),
        fit == null ? "n/a" : String.format(Locale.ROOT, "%.3f", fit.slope()),
        fit == null ? "n/a" : String.format(Locale.ROOT, "%.3f", fit.intercept()));
  }

  private static void phaseTable(StringBuilder b, ReportData d) {
    b.append("<h2 id=\"phase-table\">Phase table</h2>\n");
    b.append("<p class=\"caption\">Per grid point: runs, runs not " + Values.OK + ", runs per "
        + "phase, and medians over the runs where defined of " + Columns.T_FIT + ", "
        + Columns.T_GEN + " and " + Columns.DELAY + " = " + Columns.T_GEN + " - " + Columns.T_FIT
        + " (steps).</p>\n");
    Map<List<Object>, List<RunRow>> points = new TreeMap<>(Fmt.KEY_ORDER);
    for (RunRow r : d.runs) {
      points.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
    }
    b.append("<table><tr>");
    for (String a : d.axes) {
      b.append("<th>").append(Fmt.html(a)).append("</th>");
    }
    b.append("<th>runs</th><th>not ").append(Values.OK).append("</th>");
    for (String p : Values.PHASES) {
      b.append("<th>").append(p).append("</th>");
    }
    for (String m : List.of(Columns.T_FIT, Columns.T_GEN, Columns.DELAY)) {
      b.append("<th>median ").append(m).append("</th>");
    }
    b.append("</tr>\n");
    int shown = 0;
    for (Map.Entry<List<Object>, List<RunRow>> e : points.entrySet()) {
      if (shown++ >= MAX_TABLE_ROWS) {
        break;
      }
      b.append("<tr>");
      for (Object v : e.getKey()) {
        b.append("<td>").append(Fmt.html(Fmt.num(v))).append("</td>");
      }
      List<RunRow> runs = e.getValue();
      int notOk = 0;
      int[] phases = new int[Values.PHASES.size()];
      List<Double> fit = new ArrayList<>();
      List<Double> gen = new ArrayList<>();
      List<Double> delay = new ArrayList<>();
      for (RunRow r : runs) {
        notOk += Values.OK.equals(r.status()) ? 0 : 1;
        int k = r.phase() == null ? -1 : Values.PHASES.indexOf(r.phase());
        if (k >= 0) {
          phases[k]++;
        }
        if (r.tFit() != null) {
          fit.add((double) r.tFit());
        }
        if (r.tGen() != null) {
          gen.add((double) r.tGen());
        }
        if (r.delay() != null) {
          delay.add((double) r.delay());
        }
      }
      b.append("<td>").append(runs.size()).append("</td><td>").append(notOk).append("</td>");
      for (int p : phases) {
        b.append("<td>").append(p).append("</td>");
      }
      for (List<Double> m : List.of(fit, gen, delay)) {
        b.append("<td>").append(m.isEmpty() ? "" : Fmt.num(ReportData.median(m))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
    if (points.size() > MAX_TABLE_ROWS) {
      b.append(String.format(Locale.ROOT, "<p class=\"missing\">%d of %d grid points shown.</p>%n",
          MAX_TABLE_ROWS, points.size()));
    }
  }

  private static void costTable(StringBuilder b, ReportData d) {
    b.append("<h2 id=\"cost-table\">Cost table</h2>\n");
    if (d.cost.isEmpty()) {
      b.append("<p class=\"missing\">No ").append(Columns.OVERFITTING_COST)
          .append(" rows for the selected runs.</p>\n");
      return;
    }
    b.append("<p class=\"caption\">The " + Columns.OVERFITTING_COST + " table of the selected "
        + "runs (one row per group of runs differing only in " + Columns.WEIGHT_DECAY + " and "
        + Columns.REPLICATE + "); risks are averaged over replicates.</p>\n");
    List<String> show = new ArrayList<>();
    for (String c : d.costColumns) {
      boolean constantKey = (c.equals(Columns.SWEEP) || c.equals(Columns.TASK)
          || d.fixed.containsKey(c)) && !d.axes.contains(c);
      if (!constantKey) {
        show.add(c);
      }
    }
    b.append("<table><tr>");
    for (String c : show) {
      b.append("<th>").append(Fmt.html(c)).append("</th>");
    }
    b.append("</tr>\n");
    int shown = 0;
    for (Map<String, Object> row : d.cost) {
      if (shown++ >= MAX_TABLE_ROWS) {
        break;
      }
      b.append("<tr>");
      for (String c : show) {
        Object v = row.get(c);
        boolean text = v instanceof String;
        b.append(text ? "<td class=\"text\">" : "<td>").append(v == null ? ""
            : Fmt.html(Fmt.num(v))).append("</td>");
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }
}

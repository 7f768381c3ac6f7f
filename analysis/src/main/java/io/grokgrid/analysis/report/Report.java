package io.grokgrid.analysis.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.Views;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.SpecKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * {@code grokgrid report}: PNG charts and one static {@code index.html} over one or more sweep
 * directories. The page needs no network (inline CSS, scripts and data; relative paths to the
 * images and to the chart library, which is copied next to it).
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

  /** The start of the message for --axes that are not two names; the value follows. */
  private static final String AXES_RULE = "--axes must name two different parameter columns "
      + "as x,y (e.g. " + Columns.STEP_SIZE + "," + Columns.WEIGHT_DECAY + "), got ";

  /** Names of the files this report writes (and removes from an earlier report in place). */
  private static final List<String> OWN_PREFIXES = List.of("learning_curves_", "phase_diagram",
      "delay_map", "cost_vs_noise_rate", "cost_vs_n.png", "grokking_time",
      SpectralDynamicsChart.FILE_PREFIX, RobustnessChart.FILE);

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
          throw new IllegalArgumentException(AXES_RULE + String.join(",", axes));
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
        throw new IllegalArgumentException(AXES_RULE + text);
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
    List<JsonNode> sweepJsons = ReportDataReader.readSweepJsons(spark, dirs);
    JsonNode spec = sweepJsons.isEmpty() ? null : sweepJsons.get(0).path(SpecKeys.SPEC);
    RegimeCuts cuts = ReportDataReader.cuts(spec);
    ReportDataReader.select(spark, options.filter(), cuts, dirs);
    ReportData data = ReportDataReader.read(spark, spec, cuts);
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
    if (CostVsNChart.applies(data)) {
      figures.add(safely(CostVsNChart.ID, CostVsNChart.HEADING,
          () -> CostVsNChart.figure(data, out)));
    }
    List<GrokkingTimeChart.FitRow> fits = new ArrayList<>();
    figures.add(safely(GrokkingTimeChart.ID, GrokkingTimeChart.HEADING, () -> {
      GrokkingTimeChart.Times times = GrokkingTimeChart.compute(data);
      Figure f = GrokkingTimeChart.draw(data, times, out);
      fits.addAll(times.fitRows());
      return f;
    }));
    // the implicit-bias metrics are optional: their sections appear only where they are recorded
    if (SpectralDynamicsChart.applies(data)) {
      figures.add(safely(SpectralDynamicsChart.ID, SpectralDynamicsChart.HEADING,
          () -> SpectralDynamicsChart.figure(data, out)));
    }
    if (RobustnessChart.applies(data)) {
      figures.add(safely(RobustnessChart.ID, RobustnessChart.HEADING,
          () -> RobustnessChart.figure(data, out)));
    }

    String explore = explore(spark, data, out);
    String html = Page.html(data, dirs, sweepJsons, options.filter(), axes, figures, fits,
        explore);
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

  /**
   * The interactive learning curves' section, with the chart library copied next to the page;
   * when they cannot be made, a sentence saying why (the PNGs still show the curves).
   */
  private static String explore(SparkSession spark, ReportData data, Path out)
      throws IOException {
    try {
      InteractiveCurves.copyLibrary(out);
      InteractiveCurves.Runs runs = InteractiveCurves.readRuns(spark, data.axes,
          InteractiveCurves.accuracy(data));
      return InteractiveCurves.section(InteractiveCurves.model(data, runs));
    } catch (RuntimeException e) {
      return "<h2 id=\"" + InteractiveCurves.ID + "\">" + InteractiveCurves.HEADING + "</h2>\n"
          + "<p class=\"missing\">" + Fmt.html(failed(InteractiveCurves.ID,
          InteractiveCurves.HEADING, e).missing()) + "</p>\n";
    }
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
}

package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokgrid.analysis.RegimeCuts;
import io.grokgrid.analysis.report.InteractiveCurves.Layout;
import io.grokgrid.analysis.report.InteractiveCurves.RunCurve;
import io.grokgrid.analysis.report.InteractiveCurves.Runs;
import io.grokgrid.analysis.report.ReportData.CurvePoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive curves' layout, embedded data and page section, without Spark or a browser. */
class InteractiveCurvesTest {
  @Test
  void layoutPutsAxesOnRowsColumnsColourThenSheets() {
    assertThat(Layout.of(List.of("a", "b", "c", "d", "e")))
        .isEqualTo(new Layout("a", "b", "c", List.of("d", "e")));
    assertThat(Layout.of(List.of("a"))).isEqualTo(new Layout("a", null, null, List.of()));
    assertThat(Layout.of(List.of())).isEqualTo(new Layout(null, null, null, List.of()));
  }

  @Test
  void comparedSweepsTakeTheColourAndKeepRowsAndColumns() {
    assertThat(Layout.of(List.of("sweep", "x", "y", "z")))
        .isEqualTo(new Layout("x", "y", "sweep", List.of("z")));
    assertThat(Layout.of(List.of("sweep"))).isEqualTo(new Layout(null, null, "sweep", List.of()));
  }

  @Test
  void modelEmbedsThePercentilesFromStepOneWithRunCounts() {
    ReportData d = ChartTestSupport.twoByTwo();
    ObjectNode m = InteractiveCurves.model(d, new Runs(List.of(), 12));

    assertThat(m.get("metric").asText()).isEqualTo("accuracy");
    assertThat(m.get("threshold").asDouble()).isEqualTo(0.95);
    assertThat(m.get("layout").get("row").asText()).isEqualTo("step_size");
    assertThat(m.get("layout").get("col").asText()).isEqualTo("weight_decay");
    assertThat(m.get("layout").get("colour").isNull()).isTrue();
    JsonNode points = m.get("points");
    assertThat(points).hasSize(4);
    int i = 0;
    for (Map.Entry<List<Object>, List<CurvePoint>> e : d.curves.entrySet()) {
      JsonNode p = points.get(i++);
      assertThat(p.get("label").asText()).isEqualTo(Fmt.assignments(d.axes, e.getKey()));
      List<CurvePoint> fromOne = e.getValue().stream().filter(c -> c.step() >= 1).toList();
      assertThat(p.get("steps")).hasSize(fromOne.size());
      for (int k = 0; k < fromOne.size(); k++) {
        CurvePoint c = fromOne.get(k);
        assertThat(p.get("steps").get(k).asInt()).isEqualTo(c.step());
        assertThat(p.get("runs").get(k).asInt()).isEqualTo(c.runs());
        for (int q = 0; q < 3; q++) {
          assertThat(p.get("train").get(k).get(q).asDouble()).isEqualTo(c.trainAcc()[q]);
          assertThat(p.get("test").get(k).get(q).asDouble()).isEqualTo(c.testAcc()[q]);
        }
      }
    }
    assertThat(m.get("lastStep").asInt()).isEqualTo(1000);
    assertThat(m.get("runsNote").asText()).startsWith("0 of 12 runs");
  }

  @Test
  void lossTaskEmbedsLossesAndRunsKeepTheirGridPoint() {
    Map<List<Object>, List<CurvePoint>> curves = new TreeMap<>(Fmt.KEY_ORDER);
    curves.put(List.of(0.01, 0.0), ChartTestSupport.curve(false));
    ReportData d = ChartTestSupport.data(List.of(ChartTestSupport.run(0.01, 0.0, "ok", null,
        null, null)), List.of("step_size", "weight_decay"), curves, List.of());
    RunCurve r = new RunCurve(List.of(0.01, 0.0), "r1", new int[] {1, 2},
        new double[] {0.5, Double.NaN}, new double[] {0.25, 0.125});
    RunCurve elsewhere = new RunCurve(List.of(0.1, 0.0), "r2", new int[] {1},
        new double[] {1}, new double[] {1});

    ObjectNode m = InteractiveCurves.model(d, new Runs(List.of(r, elsewhere), 2));

    assertThat(m.get("metric").asText()).isEqualTo("loss");
    assertThat(m.get("points").get(0).get("test").get(0).get(1).asDouble()).isEqualTo(1.0);
    JsonNode runs = m.get("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("point").asInt()).isZero();
    assertThat(runs.get(0).get("id").asText()).isEqualTo("r1");
    assertThat(runs.get(0).get("train").toString()).isEqualTo("[0.5,null]");
    assertThat(runs.get(0).get("test").toString()).isEqualTo("[0.25,0.125]");
    assertThat(m.get("runsNote").asText()).startsWith("1 of 2 runs");
  }

  @Test
  void sectionEmbedsTheDataVerbatimAndLoadsNothingFromTheNetwork() throws Exception {
    ReportData base = ChartTestSupport.twoByTwo();
    ReportData d = new ReportData("a</script><b>", base.params, base.axes, base.fixed,
        base.runs, base.curves, base.costColumns, base.cost, 1.0, 0.95, 10,
        RegimeCuts.DEFAULTS);
    ObjectNode m = InteractiveCurves.model(d, new Runs(List.of(), 0));

    String html = InteractiveCurves.section(m);

    Matcher data = Pattern.compile("<script type=\"application/json\" id=\"gg-curves\">(.*?)"
        + "</script>", Pattern.DOTALL).matcher(html);
    assertThat(data.find()).isTrue();
    assertThat(new ObjectMapper().readTree(data.group(1))).isEqualTo(m);
    assertThat(html).contains("<script src=\"echarts.min.js\"></script>");
    Matcher refs = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    while (refs.find()) {
      assertThat(refs.group(1)).doesNotContain("//").doesNotStartWith("http");
    }
    assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://");
  }

  @Test
  void sectionExplainsWhenNoGridPointHasACurve() {
    ReportData d = ChartTestSupport.data(List.of(ChartTestSupport.run(0.01, 0.0, "diverged",
        null, null, null)), List.of(), new TreeMap<>(Fmt.KEY_ORDER), List.of());

    String html = InteractiveCurves.section(InteractiveCurves.model(d, new Runs(List.of(), 1)));

    assertThat(html).contains("class=\"missing\">No learning curves to explore")
        .doesNotContain("<script");
  }

  @Test
  void copiesTheLibraryOfThePinnedVersion(@TempDir Path dir) throws Exception {
    Path js = InteractiveCurves.copyLibrary(dir);

    assertThat(js.getFileName().toString()).isEqualTo(InteractiveCurves.SCRIPT);
    String text = Files.readString(js, StandardCharsets.UTF_8);
    assertThat(text.length()).isGreaterThan(500_000);
    assertThat(text).contains("\"" + InteractiveCurves.libraryVersion() + "\"");
    assertThat(InteractiveCurves.libraryVersion()).matches("\\d+\\.\\d+\\.\\d+");
  }
}

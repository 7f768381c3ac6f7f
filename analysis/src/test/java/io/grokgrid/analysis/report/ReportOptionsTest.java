package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's options: axes, panel cap, default directory; messages name the value. */
class ReportOptionsTest {
  @Test
  void axesAreTwoDifferentNames() {
    assertThat(Report.Options.parseAxes(" noise_rate , width")).containsExactly("noise_rate",
        "width");
    assertThatThrownBy(() -> Report.Options.parseAxes("a,b,c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--axes must name two different parameter columns as x,y (e.g. "
            + "step_size,weight_decay), got a,b,c");
    assertThatThrownBy(() -> new Report.Options(Path.of("r"), List.of("width", "width"), null, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--axes must name two different parameter columns as x,y (e.g. "
            + "step_size,weight_decay), got width,width");
    assertThatThrownBy(() -> new Report.Options(Path.of("r"), null, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCurvePanels must be >= 1, got 0");
    assertThat(new Report.Options(Path.of("r"), null, "  ", 1).filter()).isNull();
  }

  @Test
  void defaultDirectoryIsReportInsideALocalSweep() {
    assertThat(Report.defaultOut("results/quickstart"))
        .isEqualTo(Path.of("results/quickstart/report"));
    assertThat(Report.defaultOut("file:/tmp/sweep")).isEqualTo(Path.of("/tmp/sweep/report"));
    assertThatThrownBy(() -> Report.defaultOut("hdfs://nn/sweeps/a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the report is written to a local directory; give --out for a sweep on "
            + "hdfs: hdfs://nn/sweeps/a");
  }
}

package io.grokgrid.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.engine.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

class SpecParserTest {
  static final String GOOD = """
      name: xor-small
      task: xor-clusters
      seed: 7
      replicates: 3
      steps: 50
      log_points: 20
      fixed:
        n_train: 20
        n_test: 30
        init_scale: 1.0e-15
      grid:
        noise_rate: [0.0, 0.1]
        width: [8, 16]
        dim: [100]
        step_size: [1e-12, 1.0e-10]
        weight_decay: [0, 0.01]
      thresholds: {fit: 1.0, gen: 0.9}
      """;

  @Test
  void parsesEveryField() {
    SweepSpec s = SpecParser.parse(GOOD, "good.yaml");
    assertThat(s.name()).isEqualTo("xor-small");
    assertThat(s.seed()).isEqualTo(7L);
    assertThat(s.replicates()).isEqualTo(3);
    assertThat(s.steps()).isEqualTo(50);
    assertThat(s.logPoints()).isEqualTo(20);
    assertThat(s.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(s.form()).isEqualTo("auto");
    assertThat(s.fixed()).containsEntry("n_train", 20.0).containsEntry("init_scale", 1e-15);
    assertThat(s.grid().keySet()).containsExactly("noise_rate", "width", "dim", "step_size", "weight_decay");
    assertThat(s.grid().get("step_size")).containsExactly(1e-12, 1e-10);
    assertThat(s.thresholds().gen()).isEqualTo(0.9);
    assertThat(s.thresholds().grokRatio()).isEqualTo(10.0);
    assertThat(s.gridPoints()).isEqualTo(16);
    assertThat(s.runCount()).isEqualTo(48);
  }

  @Test
  void roundTripsThroughItsMapAndYaml() {
    SweepSpec s = SpecParser.parse(GOOD, "good.yaml");
    assertThat(SpecParser.fromMap(s.toMap(), "map")).isEqualTo(s);
    String yaml = new Dump(DumpSettings.builder().build()).dumpToString(s.toMap());
    assertThat(SpecParser.parse(yaml, "dumped")).isEqualTo(s);
  }

  @Test
  void shippedSweepsParse() throws IOException {
    Path dir = Path.of("..", "sweeps");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> specs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(specs).isNotEmpty();
      for (Path p : specs) {
        SweepSpec s = SpecParser.read(p);
        assertThat(p.getFileName().toString()).isEqualTo(s.name() + ".yaml");
      }
    }
  }

  static Stream<Path> badSpecs() throws IOException {
    return Files.list(Path.of("src", "test", "resources", "bad-specs")).sorted();
  }

  /**
   * Each file's first line is "# expect: <the message, or its start>": refused when parsed, or
   * (a run too large for a task) by the memory plan {@code validate} and {@code run} make for
   * this JVM's local master.
   */
  @ParameterizedTest
  @MethodSource("badSpecs")
  void badSpecGivesItsMessage(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String expect = text.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");
    assertThatThrownBy(() -> MemoryPlan.check(SpecParser.parse(text, file.getFileName().toString()),
        MemoryPlan.Budget.of(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("\n")
        .contains(expect);
  }

  @Test
  void missingFileIsAUserError() {
    assertThatThrownBy(() -> SpecParser.read(Path.of("no/such/spec.yaml")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec file not found: no/such/spec.yaml");
  }

  @Test
  void binarySpecFileIsNamedAsNotText(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("spec.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xff, (byte) 0xfe, 0, 1});
    assertThatThrownBy(() -> SpecParser.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec file " + file + " is not UTF-8 text (a binary file?); a spec is a YAML text file");
  }

  @Test
  void integerTooWideForAnIntIsReportedAsWritten() {
    String grid = GOOD.replace("width: [8, 16]", "width: [8, 1e12]");
    assertThatThrownBy(() -> SpecParser.parse(grid, "wide.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grid.width[1] must be an integer <= 2147483647, got 1000000000000");
    String steps = GOOD.replace("steps: 50", "steps: 4294967346"); // 2^32 + 50 would wrap to 50
    assertThatThrownBy(() -> SpecParser.parse(steps, "steps.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("steps must be an integer <= 2147483647, got 4294967346");
  }

  @Test
  void suggestsNearestKeyOnlyWhenClose() {
    assertThat(Suggest.didYouMean("widht", List.of("width", "dim"))).isEqualTo(" (did you mean 'width'?)");
    assertThat(Suggest.didYouMean("zzzzzz", List.of("width", "dim"))).isEmpty();
    assertThat(Suggest.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggest.distance("ab", "ba")).isEqualTo(1);
  }
}

package io.grokgrid.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MemoryUse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The planner without Spark: budgets, refusals of runs that cannot fit, packs split to fit. */
class MemoryPlanTest {
  private static final double GB = 1024.0 * 1024 * 1024;

  private static String xor(String dim, String width) {
    return """
        name: big
        task: xor-clusters
        seed: 1
        replicates: 1
        steps: 1000
        log_points: 50
        metrics: []
        fixed: {n_train: 200, n_test: 200, dim: %s, width: %s, step_size: 0.1}
        """.formatted(dim, width);
  }

  /** The three specs: each refused with its sizes, estimate and largest parts. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "1.0e8|1000|n_train=200, n_test=200, dim=100000000 with width=1000 needs ~224 GB per task (X + W0 chunks;"
          + " heap 75 GB, off-heap 149 GB) and overflows an int size (n_train x dim = 20000000000 > 2^31 - 1)",
      "1.0e7|1000|n_train=200, n_test=200, dim=10000000 with width=1000 needs ~22 GB per task (X + W0 chunks;"
          + " heap 7.5 GB, off-heap 15 GB), a task has",
      "1.0e5|1.0e7|n_train=200, n_test=200, dim=100000 with width=10000000 needs ~"})
  void refusesRunsThatCannotFit(String dim, String width, String expect) {
    // an int overflow already when parsed; a run too large for this JVM's tasks when planned
    assertThatThrownBy(() -> MemoryPlan.check(SpecParser.parse(xor(dim, width), "big.yaml"), MemoryPlan.Budget.of(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("\n")
        .startsWith(expect)
        .contains("lower n_train/n_test/dim/width or raise GROKGRID_OFFHEAP");
  }

  @Test
  void widthTenMillionOverflowsAW0Chunk() {
    assertThatThrownBy(() -> SpecParser.parse(xor("1.0e5", "1.0e7"), "big.yaml"))
        .hasMessageContaining("overflows an int size (width x 1024 (a W0 chunk) = 10240000000 > 2^31 - 1)");
  }

  @Test
  void refusesAgainstTheGivenBudget() {
    SweepSpec s = SpecParser.parse(xor("40000", "100"), "ok.yaml");
    MemoryPlan.check(s, new MemoryPlan.Budget(GB, GB, "test"));
    assertThatThrownBy(() -> MemoryPlan.check(s, new MemoryPlan.Budget(1e6, 1e6, "tiny")))
        .hasMessageStartingWith("n_train=200, n_test=200, dim=40000 with width=100 needs ~")
        .hasMessageContaining("a task has ~1.9 MB (heap 977 KB, off-heap 977 KB; tiny)");
  }

  /** A pack of 20 runs that does not fit is split into packs of the most runs that do. */
  @Test
  void shrinksPacksKeepingEveryRunsIdAndSeeds() {
    SweepSpec s = SpecParser.parse("""
        name: shrink
        task: xor-clusters
        seed: 1
        replicates: 1
        steps: 1000
        log_points: 50
        fixed: {n_train: 200, n_test: 200, dim: 40000, width: 100, weight_decay: 0}
        grid: {step_size: [%s]}
        """.formatted(String.join(", ", IntStream.rangeClosed(1, 20)
            .mapToObj(i -> i + ".0e-3").toList())), "shrink.yaml");
    List<Grid.RunPoint> runs = Grid.expand(s);
    MemoryPlan.Budget ample = new MemoryPlan.Budget(1e15, 1e15, "ample");
    List<Grid.Unit> whole = Grid.units(s, ample);
    assertThat(whole).hasSize(1);
    assertThat(whole.get(0).packs()).hasSize(1);
    // the default (this JVM's) budget leaves a pack that fits as it is
    assertThat(Grid.units(s, MemoryPlan.Budget.of(null))).isEqualTo(whole);

    Family<?> f = TaskCatalog.family(s, runs.get(0).params());
    int logs = LogSchedule.of(s.steps(), s.logPoints()).length;
    MemoryUse five = f.memory(5, s.steps(), logs);
    assertThat(f.memory(6, s.steps(), logs).offHeapBytes()).isGreaterThan(five.offHeapBytes());
    MemoryPlan.Budget tight = new MemoryPlan.Budget(five.heapBytes(), five.offHeapBytes(), "tight");
    List<Grid.Unit> split = Grid.units(s, tight);
    assertThat(split).hasSize(1);
    List<Grid.Pack> packs = split.get(0).packs();
    assertThat(packs).hasSize(4).allSatisfy(p -> assertThat(p.runs()).hasSize(5));
    assertThat(packs.stream().flatMap(p -> p.runs().stream()).toList())
        .isEqualTo(whole.get(0).packs().get(0).runs());
    assertThat(packs).allSatisfy(p -> assertThat(p.initSeed()).isEqualTo(runs.get(0).initSeed()));
    assertThat(split.get(0).cost()).isEqualTo(whole.get(0).cost());
    assertThat(MemoryPlan.largestPack(s, tight).totalBytes()).isEqualTo(five.totalBytes());
  }

  /**
   * The shipped sweeps fit bin/grokgrid's defaults (2g heap, 4g off-heap) on 16 slots: their packs
   * are the ones the row bound alone makes, so they write the same numbers as before.
   */
  @Test
  void shippedSweepsKeepTheirPacks() throws IOException {
    Properties p = new Properties();
    p.setProperty(MemoryPlan.MAX_BYTES, "4g");
    MemoryPlan.Budget defaults = MemoryPlan.Budget.of("local[16]", p, 2L << 30, 16);
    MemoryPlan.Budget ample = new MemoryPlan.Budget(1e18, 1e18, "ample");
    try (Stream<Path> files = Files.list(Path.of("..", "sweeps"))) {
      for (Path f : files.filter(x -> x.toString().endsWith(".yaml")).sorted().toList()) {
        SweepSpec s = SpecParser.read(f);
        List<Grid.RunPoint> runs = Grid.expand(s);
        MemoryPlan.check(s, defaults);
        assertThat(Grid.units(s, defaults)).as(f.toString()).isEqualTo(Grid.units(s, ample));
      }
    }
  }

  @Test
  void localBudgetIsThisJvmsPerSlot() {
    Properties p = new Properties();
    p.setProperty(MemoryPlan.MAX_BYTES, "4g");
    MemoryPlan.Budget b = MemoryPlan.Budget.of("local[2]", p, (long) (2 * GB), 8);
    assertThat(b.heapBytes()).isEqualTo(GB);
    assertThat(b.offHeapBytes()).isEqualTo(2 * GB);
    assertThat(b.where()).isEqualTo("local[2]: 2 slots, heap 2.0 GB, off-heap 4.0 GB");
    // local[*]: every processor a slot; no off-heap limit set: JavaCPP's default, the heap
    MemoryPlan.Budget star = MemoryPlan.Budget.of("local[*]", new Properties(), (long) (2 * GB), 8);
    assertThat(star.heapBytes()).isEqualTo(GB / 4);
    assertThat(star.offHeapBytes()).isEqualTo(GB / 4);
    assertThat(MemoryPlan.Budget.of("local", new Properties(), 1024, 8).heapBytes()).isEqualTo(1024);
  }

  @Test
  void clusterBudgetIsTheExecutorsPerSlot() {
    Properties p = new Properties();
    p.setProperty("spark.executor.memory", "8g");
    p.setProperty("spark.executor.cores", "4");
    p.setProperty("spark.executor.extraJavaOptions", "-XX:+UseG1GC -Dorg.bytedeco.javacpp.maxbytes=16G");
    MemoryPlan.Budget b = MemoryPlan.Budget.of("spark://h:7077", p, 1, 1);
    assertThat(b.heapBytes()).isEqualTo(2 * GB);
    assertThat(b.offHeapBytes()).isEqualTo(4 * GB);
    // Spark's defaults: 1g, one core, off-heap as the heap
    MemoryPlan.Budget d = MemoryPlan.Budget.of("yarn", new Properties(), 1, 1);
    assertThat(d.heapBytes()).isEqualTo(GB);
    assertThat(d.offHeapBytes()).isEqualTo(GB);
  }

  @Test
  void sizesParseAndPrint() {
    assertThat(MemoryPlan.bytes("512m", "k")).isEqualTo(512.0 * 1024 * 1024);
    assertThat(MemoryPlan.bytes("3G", "k")).isEqualTo(3 * GB);
    assertThat(MemoryPlan.bytes("1024", "k")).isEqualTo(1024);
    assertThatThrownBy(() -> MemoryPlan.bytes("lots", "spark.executor.memory"))
        .hasMessage("spark.executor.memory must be a size such as 4g or 512m, got lots");
    assertThat(MemoryPlan.size(400 * GB)).isEqualTo("400 GB");
    assertThat(MemoryPlan.size(2 * GB)).isEqualTo("2.0 GB");
  }
}

package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.CliIT.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code validate} prints the memory estimate; a spec whose run cannot fit is refused before Spark. */
class ValidateMemoryIT {
  @TempDir Path tmp;

  @Test
  void validatePrintsTheLargestPacksEstimateAndTheBudget() throws IOException {
    Path spec = tmp.resolve("small.yaml");
    Files.writeString(spec, TestSpecs.SMALL);
    Result r = CliIT.cli("validate", spec.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("memory: largest pack ~[0-9.]+ [KMG]?B per task \\(heap [0-9.]+ [KMG]?B,"
        + " off-heap [0-9.]+ [KMG]?B; [a-zA-Z0-9 +-]+\\); a task has heap [0-9.]+ [KMG]?B, off-heap [0-9.]+ [KMG]?B"
        + " \\(local\\[\\*]: \\d+ slots, heap [0-9.]+ [KMG]?B, off-heap [0-9.]+ [KMG]?B\\)");
  }

  @Test
  void aRunThatCannotFitIsRefusedInOneLineBeforeSpark() throws IOException {
    Path spec = tmp.resolve("big.yaml");
    Files.writeString(spec, """
        name: big
        task: xor-clusters
        seed: 1
        replicates: 1
        steps: 1000
        log_points: 50
        metrics: []
        fixed: {n_train: 200, n_test: 200, dim: 1.0e7, width: 1000, step_size: 0.1}
        """);
    Result v = CliIT.cli("validate", spec.toString());
    assertThat(v.code()).isEqualTo(2);
    assertThat(v.err()).startsWith("grokgrid: n_train=200, n_test=200, dim=10000000 with width=1000 needs ~22 GB"
        + " per task (X + W0 chunks; heap 7.5 GB, off-heap 15 GB), a task has ~")
        .endsWith("spark.executor.memory" + System.lineSeparator());
    assertThat(v.err().strip()).doesNotContain("\n");
    Result run = CliIT.cli("run", spec.toString(), "--out", tmp.resolve("never").toString());
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(v.err());
    assertThat(tmp.resolve("never")).doesNotExist();
  }
}

package io.grokgrid.jobs;

import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;

/** Small specs the tests share (Spark sessions: {@link Sessions#local}). */
final class TestSpecs {
  private TestSpecs() {}

  /** 2 step sizes x 2 weight decays x 2 noise rates x 3 replicates = 24 runs, a second or two. */
  static final String SMALL = """
      name: small
      task: xor-clusters
      seed: 5
      replicates: 3
      steps: 40
      log_points: 20
      fixed: {n_train: 20, n_test: 40, dim: 300, width: 16, init_scale: 1.0e-6}
      grid:
        noise_rate: [0.0, 0.2]
        step_size: [1.0e-3, 1.0e-1]
        weight_decay: [0.0, 0.5]
      """;

  static SweepSpec small() {
    return SpecParser.parse(SMALL, "small.yaml");
  }
}

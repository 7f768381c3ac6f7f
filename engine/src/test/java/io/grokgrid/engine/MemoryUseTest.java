package io.grokgrid.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each family's memory estimate: its largest structure against a closed-form count. */
class MemoryUseTest {

  /** The family of {@code task} with defaults, then {@code set} (key, value, key, value, ...). */
  static Family<?> family(String task, Precision precision, String form, Object... set) {
    Recipe r = Recipes.of(task);
    Map<String, Double> p = new HashMap<>();
    for (ParamDef d : r.params()) {
      p.put(d.name(), d.defaultValue());
    }
    p.put(Columns.STEP_SIZE, 0.1);
    for (int i = 0; i < set.length; i += 2) {
      p.put((String) set[i], ((Number) set[i + 1]).doubleValue());
    }
    // the training's memory; the optional metrics' part is checked on its own below
    return r.family(p, precision, form, java.util.List.of());
  }

  static MemoryUse.Part part(MemoryUse u, String name) {
    return u.parts().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void netDualHoldsXOffHeapAndOneTrainingPartInJava() {
    // xor-clusters, dim 1e8, width 1000, n = n_test = 200, float32: X is (200 + 200) x 1e8 floats
    Family<?> f = family(Tasks.XOR_CLUSTERS, Precision.FLOAT32, "dual", Columns.N_TRAIN, 200,
        Columns.N_TEST, 200, Columns.DIM, 1e8, Columns.WIDTH, 1000, Columns.SIGNAL, 1.0);
    MemoryUse u = f.memory(1, 1000, 50);
    assertThat(f.form(1000, 50)).isEqualTo(Form.DUAL);
    MemoryUse.Part x = part(u, "X");
    assertThat(x.offHeapBytes()).isEqualTo(400.0 * 1e8 * 4);
    assertThat(x.heapBytes()).isEqualTo((200.0 * 1e8 + 1e8) * 4);
    assertThat(part(u, "Gram").offHeapBytes()).isEqualTo(200.0 * 400 * 4);
    assertThat(u.overflow()).isEqualTo("n_train x dim = 20000000000");
    assertThat(u.largest()).isEqualTo("X + W0 chunks");
    assertThat(u.totalBytes()).isEqualTo(u.heapBytes() + u.offHeapBytes());
  }

  /**
   * The default spectral metrics add float64 m x m matrices (K, K^+ n x n; W0 W0^T and its
   * projection, one run's G, H and copies: 9 m^2; V, G V m x n_t; the routes' m x n copies) and
   * W0 W0^T in the pack's type off-heap; none of it without optional metrics.
   */
  @Test
  void netMetricsAddTheirGramsToThePlan() {
    Recipe r = Recipes.of(Tasks.XOR_CLUSTERS);
    Map<String, Double> p = new HashMap<>();
    for (ParamDef d : r.params()) {
      p.put(d.name(), d.defaultValue());
    }
    p.putAll(Map.of(Columns.STEP_SIZE, 0.1, Columns.N_TRAIN, 200.0, Columns.N_TEST, 100.0,
        Columns.DIM, 40000.0, Columns.WIDTH, 1000.0, Columns.SIGNAL, 1.0));
    MemoryUse u = r.family(p, Precision.FLOAT32, "dual").memory(1, 1000, 50);
    MemoryUse.Part m = part(u, "implicit-bias metrics");
    assertThat(m.heapBytes()).isEqualTo((4.0 * 200 * 200 + 9.0 * 1000 * 1000 + 4.0 * 1000 * 100
        + 6.0 * 1000 * 200) * 8);
    assertThat(part(u, "W0 W0^T").offHeapBytes()).isEqualTo(1000.0 * 1000 * 4);
    MemoryUse none = r.family(p, Precision.FLOAT32, "dual", java.util.List.of()).memory(1, 1000, 50);
    assertThat(none.parts()).noneMatch(x -> x.name().equals("implicit-bias metrics"));
    assertThat(none.totalBytes()).isLessThan(u.totalBytes());
  }

  @Test
  void netMaskFormHoldsItsStateInJava() {
    // auto picks the mask form here (float32, width 1000); n = 200 pads to 208 columns
    Family<?> f = family(Tasks.XOR_CLUSTERS, Precision.FLOAT32, "auto", Columns.N_TRAIN, 200,
        Columns.N_TEST, 200, Columns.DIM, 40000, Columns.WIDTH, 1000, Columns.SIGNAL, 1.0);
    assertThat(f.form(1000, 50)).isEqualTo(Form.DUAL_MASK);
    int k = 2;
    MemoryUse.Part mask = part(f.memory(k, 1000, 50), "mask state");
    // per run P and C (m x 208 floats) and two bit arrays (m x 208 bits), the carried product
    // (R m x 208, diag(g) K n x 208, two rows of 208, m floats and a third bit array); the tables
    // (50 groups x 16 patterns x 64 floats) once; off-heap C and Q for the logged steps and P0
    assertThat(mask.heapBytes()).isEqualTo((k * (2.0 * 1000 * 208 + 1000 * 208 / 16.0)
        + k * ((1000 + 200 + 2) * 208 + 1000 + 1000 * 208 / 32.0) + 50 * 16 * 64) * 4);
    assertThat(mask.offHeapBytes()).isEqualTo((k * 1000.0 * (200 + 2 * 200) + 1000 * 200) * 4);
  }

  @Test
  void netPrimalStacksW0PerRun() {
    int k = 3;
    int m = 10;
    int p = 50;
    Family<?> f = family(Tasks.XOR_CLUSTERS, Precision.FLOAT64, "primal", Columns.N_TRAIN, 100,
        Columns.N_TEST, 60, Columns.DIM, p, Columns.WIDTH, m, Columns.SIGNAL, 1.0);
    MemoryUse u = f.memory(k, 100, 20);
    // W (k m x p) as a tile and its copy, and the pre-activations k m x (n + n_test)
    assertThat(part(u, "primal state").offHeapBytes()).isEqualTo((2.0 * k * m * p + k * m * 160) * 8);
    assertThat(part(u, "W0 chunks").offHeapBytes()).isEqualTo((double) m * p * 8);
    assertThat(part(u, "passes").heapBytes()).isEqualTo((k * m * (2.0 * 100 + 60) + 3.0 * k * 160) * 8);
    assertThat(u.overflow()).isNull();
    // one run keeps W0 itself as its state
    assertThat(part(f.memory(1, 100, 20), "primal state").offHeapBytes()).isEqualTo(m * 160.0 * 8);
  }

  @Test
  void netWidthOverflowsAChunk() {
    Family<?> f = family(Tasks.XOR_CLUSTERS, Precision.FLOAT32, "auto", Columns.N_TRAIN, 200,
        Columns.N_TEST, 200, Columns.DIM, 1e5, Columns.WIDTH, 1e7, Columns.SIGNAL, 1.0);
    assertThat(f.memory(1, 1000, 50).overflow()).isEqualTo("width x 1024 (a W0 chunk) = 10240000000");
  }

  @Test
  void ridgeHoldsXAndTheEigendecompositionInJava() {
    Family<?> f = family(Tasks.RIDGE, Precision.FLOAT64, "dual", Columns.N_TRAIN, 300, Columns.DIM, 2000);
    MemoryUse u = f.memory(4, 100, 20);
    assertThat(part(u, "X").heapBytes()).isEqualTo((300.0 * 2000 + 4 * 300) * 8);
    assertThat(part(u, "eigendecomposition").heapBytes()).isEqualTo((4.0 * 300 * 300 + 8 * 300) * 8);
    assertThat(u.offHeapBytes()).isZero();
    // runs train one after the other: the pack's size does not matter
    assertThat(f.memory(1, 100, 20)).isEqualTo(u);
  }

  @Test
  void modularCountsPairsParametersAndAdamMoments() {
    int q = 97;
    int m = 128;
    Family<?> f = family(Tasks.MODULAR_ADDITION, Precision.FLOAT64, "auto", Columns.MODULUS, q,
        Columns.WIDTH, m);
    MemoryUse u = f.memory(2, 100, 20);
    // W1 (m x 2q) and W2 (q x m) for the initialization, the run, its gradient and two moments
    assertThat(part(u, "parameters and moments").heapBytes()).isEqualTo(5.0 * 3 * q * m * 8);
    int pairs = q * q;
    assertThat(part(u, "pairs").heapBytes()).isEqualTo((pairs + 3.0 * pairs) * 4);
    assertThat(part(u, "passes").offHeapBytes()).isEqualTo((2.0 * pairs * (m + q) + 4.0 * q * m) * 8);
  }

  @Test
  void univariateIsSmall() {
    Family<?> f = family(Tasks.UNIVARIATE_REGRESSION, Precision.FLOAT64, "auto", Columns.WIDTH, 256);
    MemoryUse u = f.memory(8, 100, 20);
    assertThat(part(u, "network").heapBytes()).isEqualTo(8.0 * 256 * 8);
    assertThat(u.totalBytes()).isLessThan(1e6);
  }
}

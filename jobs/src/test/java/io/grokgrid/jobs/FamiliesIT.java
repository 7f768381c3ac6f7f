package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The families end to end in local[2]: every table filled, checked against the curves. */
class FamiliesIT {
  static SparkSession spark;
  @TempDir static Path tmp;

  static final SweepSpec RIDGE = SpecParser.parse("""
      name: ridge-small
      task: ridge
      seed: 3
      replicates: 2
      steps: 4000
      log_points: 200
      fixed: {n_train: 20, dim: 200, init_scale: 1.0, step_size: 1.0}
      grid:
        weight_decay: [0.0, 2.0e-3, 5.0e-3]
      """, "ridge-small.yaml");

  static final SweepSpec GM = SpecParser.parse("""
      name: gm-small
      task: gaussian-mixture
      seed: 3
      replicates: 2
      steps: 60
      log_points: 20
      fixed: {n_train: 10, n_test: 50, signal: 5.0, noise_rate: 0.1, width: 8, init_scale: 1.0e-6, step_size: 0.05}
      grid:
        dim: [5, 500]
        leak: [0.0, 0.1]
        weight_decay: [0.0, 0.1]
      """, "gm-small.yaml");

  static final SweepSpec CLUSTERS = SpecParser.parse("""
      name: clusters-small
      task: clusters
      seed: 3
      replicates: 2
      steps: 60
      log_points: 20
      fixed: {n_train: 20, n_test: 50, dim: 200, signal: 8.0, noise_rate: 0.1, width: 8, init_scale: 1.0e-4, step_size: 0.1}
      grid:
        clusters: [2, 4]
        weight_decay: [0.0, 0.1]
      """, "clusters-small.yaml");

  static final SweepSpec SUBSPACE = SpecParser.parse("""
      name: subspace-small
      task: subspace
      seed: 3
      replicates: 2
      steps: 60
      log_points: 20
      fixed: {n_train: 20, n_test: 50, dim: 100, signal: 3.0, width: 8, step_size: 0.2, leak: 0.1}
      grid:
        subspace_dim: [2, 5]
        init_scale: [1.0e-4, 1.0e-2]
        weight_decay: [0.0, 0.1]
      """, "subspace-small.yaml");

  static final SweepSpec MOD = SpecParser.parse("""
      name: mod-small
      task: modular-addition
      seed: 3
      replicates: 1
      steps: 40
      log_points: 10
      fixed: {modulus: 7, train_fraction: 0.6, width: 16, step_size: 0.01}
      grid:
        optimizer: [adamw, gd]
        weight_decay: [0.0, 1.0]
      thresholds: {fit: 1.0, gen: 0.9}
      """, "mod-small.yaml");

  static final SweepSpec UNI = SpecParser.parse("""
      name: uni-small
      task: univariate-regression
      seed: 3
      replicates: 2
      steps: 300
      log_points: 10
      fixed: {n_train: 8, n_test: 100, width: 16, init_scale: 4.0, step_size: 0.005}
      grid:
        knots: [data, uniform]
        weight_decay: [0.0, 0.01]
      """, "uni-small.yaml");

  static final SweepSpec KRR = SpecParser.parse("""
      name: krr-small
      task: kernel-ridge
      seed: 3
      replicates: 2
      steps: 0
      log_points: 2
      fixed: {target: noise, label_noise_std: 1.0, decay: 2.0, exp_rate: 0.1}
      grid:
        spectrum: [power, exp, log]
        n_train: [20, 40]
        weight_decay: [0.0, 1.0e-2, 1.0, 1.0e2, 1.0e6]
      """, "krr-small.yaml");

  static final SweepSpec KRR_GAUSS = SpecParser.parse("""
      name: krr-gauss-small
      task: kernel-ridge
      seed: 3
      replicates: 2
      steps: 0
      log_points: 2
      fixed: {design: gaussian-kernel, dim: 3, n_train: 30, n_test: 200, bandwidth: 2.0,
              bandwidth_exponent: 0.5, label_noise_std: 0.5}
      grid:
        weight_decay: [0.0, 1.0e-2, 1.0]
      """, "krr-gauss-small.yaml");

  /** p < n: the primal form, dense and by the mask kernel (float32). */
  static final String XOR_PRIMAL = """
      name: xor-%s
      task: xor-clusters
      seed: 3
      replicates: 2
      steps: 60
      log_points: 20
      form: %s
      fixed: {n_train: 60, n_test: 50, dim: 20, signal: 4.0, noise_rate: 0.1, width: 40, init_scale: 1.0e-3}
      grid:
        step_size: [0.05, 0.2]
      """;
  static final SweepSpec PRIMAL = SpecParser.parse(XOR_PRIMAL.formatted("primal", "primal"), "xor-primal.yaml");
  static final SweepSpec PRIMAL_MASK = SpecParser.parse(XOR_PRIMAL.formatted("primal-mask", "primal-mask"),
      "xor-primal-mask.yaml");

  @BeforeAll
  static void start() {
    spark = Sessions.local("local[2]", FamiliesIT.class.getSimpleName());
    for (SweepSpec s : List.of(RIDGE, GM, CLUSTERS, SUBSPACE, MOD, UNI, KRR, KRR_GAUSS, PRIMAL, PRIMAL_MASK)) {
      SweepJob.run(spark, s, new SweepJob.Options(tmp.resolve(s.name()).toString(),
          SweepJob.Existing.REFUSE, 0, false), new PrintStream(new ByteArrayOutputStream()));
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static List<Row> table(SweepSpec s, String name) {
    return spark.read().parquet(tmp.resolve(s.name()).resolve(name).toString()).collectAsList();
  }

  static Map<String, List<Row>> curvesByRun(SweepSpec s) {
    Map<String, List<Row>> byRun = new HashMap<>();
    for (Row r : spark.read().parquet(tmp.resolve(s.name()).resolve("curves").toString())
        .orderBy("run_id", "step").collectAsList()) {
      byRun.computeIfAbsent(r.getAs("run_id"), k -> new ArrayList<>()).add(r);
    }
    return byRun;
  }

  /** t_fit from the stored curves, as the grokking table must have it (accuracy criterion 1.0). */
  static void tFitFromCurves(SweepSpec s) {
    Map<String, List<Row>> curves = curvesByRun(s);
    for (Row g : table(s, "grokking")) {
      List<Row> c = curves.get((String) g.getAs("run_id"));
      assertThat(c).hasSize(io.grokgrid.engine.LogSchedule.of(s.steps(), s.logPoints()).length);
      Integer tFit = null;
      for (int i = c.size() - 1; i >= 0 && (double) c.get(i).getAs("train_acc") >= 1.0; i--) {
        tFit = c.get(i).getAs("step");
      }
      assertThat((Integer) g.getAs("t_fit")).isEqualTo(tFit);
    }
  }

  /**
   * clusters: k is a data parameter (its own column; runs with another k see other data), the
   * weight decays of one data set share data and init; plain ReLU by default (leak column 0).
   */
  @Test
  void clustersTablesCarryTheClusterCountAsData() {
    List<Row> runs = table(CLUSTERS, "runs");
    assertThat(runs).hasSize(8);
    for (Row r : runs) {
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      assertThat((String) r.getAs("task")).isEqualTo("clusters");
      assertThat((double) r.getAs("leak")).isEqualTo(0.0);
      assertThat((double) r.getAs("test_acc")).isBetween(0.0, 1.0);
    }
    assertThat(runs.stream().map(r -> ((Number) r.getAs("clusters")).intValue()).distinct().sorted())
        .containsExactly(2, 4);
    // 2 k x 2 replicates data sets, each shared by its 2 weight decays
    assertThat(runs.stream().map(r -> (Long) r.getAs("dataset_seed")).distinct()).hasSize(4);
    for (Row a : runs) {
      for (Row b : runs) {
        boolean sameData = ((Number) a.getAs("clusters")).intValue() == ((Number) b.getAs("clusters")).intValue()
            && (int) a.getAs("replicate") == (int) b.getAs("replicate");
        assertThat(a.getAs("dataset_seed").equals(b.getAs("dataset_seed"))).isEqualTo(sameData);
      }
    }
    tFitFromCurves(CLUSTERS);
    assertThat(table(CLUSTERS, "overfitting_cost")).hasSize(2); // one group per k, over weight decay
  }

  /**
   * subspace: subspace_dim enters the data seed, init_scale only the init seed (the Melamed et
   * al. grid over init_scale x weight_decay runs on one data set per subspace_dim and replicate).
   */
  @Test
  void subspaceTablesShareDataAcrossInitScales() {
    List<Row> runs = table(SUBSPACE, "runs");
    assertThat(runs).hasSize(16);
    for (Row r : runs) {
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      assertThat((double) r.getAs("leak")).isEqualTo(0.1);
    }
    assertThat(runs.stream().map(r -> ((Number) r.getAs("subspace_dim")).intValue()).distinct().sorted())
        .containsExactly(2, 5);
    assertThat(runs.stream().map(r -> (Long) r.getAs("dataset_seed")).distinct()).hasSize(4);
    assertThat(runs.stream().map(r -> (Long) r.getAs("init_seed")).distinct()).hasSize(8);
    tFitFromCurves(SUBSPACE);
    assertThat(table(SUBSPACE, "overfitting_cost")).hasSize(4); // subspace_dim x init_scale
  }

  @Test
  void modularAdditionStoresTheOptimizerAsTextAndGrokkingFromItsCurves() {
    List<Row> runs = table(MOD, "runs");
    assertThat(runs).hasSize(4);
    assertThat(runs.stream().map(r -> (String) r.getAs("optimizer")).distinct().sorted())
        .containsExactly("adamw", "gd");
    assertThat(runs.stream().map(r -> (String) r.getAs("run_id")).distinct()).hasSize(4);
    // common random numbers: the optimizer is a model choice, so every run shares data and init
    assertThat(runs.stream().map(r -> (Long) r.getAs("init_seed")).distinct()).hasSize(1);
    Map<String, List<Row>> curves = curvesByRun(MOD);
    for (Row g : table(MOD, "grokking")) {
      List<Row> c = curves.get((String) g.getAs("run_id"));
      assertThat(c).hasSize(io.grokgrid.engine.LogSchedule.of(40, 10).length);
      // t_fit: first logged step from which train accuracy stays >= 1.0
      Integer tFit = null;
      for (int i = c.size() - 1; i >= 0 && (double) c.get(i).getAs("train_acc") >= 1.0; i--) {
        tFit = c.get(i).getAs("step");
      }
      assertThat((Integer) g.getAs("t_fit")).isEqualTo(tFit);
    }
    for (Row r : runs) {
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      assertThat((double) r.getAs("test_acc")).isBetween(0.0, 1.0);
    }
  }

  @Test
  void univariateRegressionRecordsBothLossesAndTheirCosts() {
    List<Row> runs = table(UNI, "runs");
    assertThat(runs).hasSize(8);
    for (Row r : runs) {
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      assertThat(r.isNullAt(r.fieldIndex("train_acc"))).isTrue();
      // mean absolute error <= root mean squared error (Jensen)
      assertThat((double) r.getAs("test_loss_l1"))
          .isLessThanOrEqualTo(Math.sqrt((double) r.getAs("test_loss")) + 1e-12);
      assertThat((String) r.getAs("knots")).isIn("data", "uniform");
    }
    List<Row> cost = table(UNI, "overfitting_cost");
    assertThat(cost).hasSize(2);
    for (Row c : cost) {
      assertThat((double) c.getAs("cost")).isGreaterThanOrEqualTo(1.0);
      assertThat((double) c.getAs("cost_l1")).isGreaterThanOrEqualTo(1.0);
    }
  }

  /**
   * kernel-ridge: one curve point per run, the interpolant (weight_decay 0) fits its training
   * labels (MSE ~ (n eps cond)^2, far below 1e-12 at these sizes), overfitting_cost groups over
   * the deltas, and the grokking table carries the eigenframework's columns (one ef_cost per group,
   * above 1; null in the Gaussian-kernel design).
   */
  @Test
  void kernelRidgeGroupsOverDeltaAndCarriesTheEigenframework() {
    List<Row> runs = table(KRR, "runs");
    assertThat(runs).hasSize(60);
    for (Row r : runs) {
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      assertThat(r.isNullAt(r.fieldIndex("train_acc"))).isTrue();
      assertThat((String) r.getAs("spectrum")).isIn("power", "exp", "log");
      assertThat((double) r.getAs("exp_rate")).isEqualTo(0.1);
      assertThat((double) r.getAs("kernel_rank")).isEqualTo(((Number) r.getAs("n_train")).doubleValue());
      if ((double) r.getAs("weight_decay") == 0.0) {
        assertThat((double) r.getAs("train_loss")).isLessThan(1e-12);
      }
    }
    Map<String, List<Row>> curves = curvesByRun(KRR);
    assertThat(curves).hasSize(60);
    for (List<Row> c : curves.values()) {
      assertThat(c).hasSize(1);
      assertThat((int) c.get(0).getAs("step")).isEqualTo(0);
    }
    List<Row> cost = table(KRR, "overfitting_cost");
    assertThat(cost).hasSize(6);
    for (Row c : cost) {
      assertThat((int) c.getAs("replicates")).isEqualTo(2);
      assertThat((double) c.getAs("cost")).isGreaterThan(1.0);
      // pure noise: the best delta is the largest, whose predictor is ~0 (risk ~ sigma^2 = 1)
      assertThat((double) c.getAs("best_weight_decay")).isEqualTo(1.0e6);
      assertThat((double) c.getAs("risk_best")).isCloseTo(1.0, withinPercentage(1));
    }
    Map<String, Double> efCost = new HashMap<>();
    for (Row g : table(KRR, "grokking")) {
      assertThat((double) g.getAs("ef_kappa")).isPositive();
      assertThat((double) g.getAs("ef_risk")).isGreaterThanOrEqualTo(1.0);
      double ef = g.getAs("ef_cost");
      assertThat(ef).isGreaterThan(1.0);
      Double before = efCost.put(g.getAs("spectrum") + "/" + g.getAs("n_train"), ef);
      if (before != null) {
        assertThat(ef).isEqualTo(before);
      }
    }
    assertThat(efCost).hasSize(6);
    for (Row g : table(KRR_GAUSS, "grokking")) {
      assertThat(g.isNullAt(g.fieldIndex("ef_cost"))).isTrue();
    }
    List<Row> gaussCost = table(KRR_GAUSS, "overfitting_cost");
    assertThat(gaussCost).hasSize(1);
    assertThat((double) gaussCost.get(0).getAs("cost")).isGreaterThanOrEqualTo(1.0);
  }

  /**
   * form: primal-mask trains through Spark like the dense primal form, records its form, and
   * gives the same accuracies at every logged step and losses within float32 rounding (the
   * engine's ReferenceImplementationTest bounds the difference; 1e-4 relative here).
   */
  @Test
  void primalMaskFormMatchesTheDensePrimalForm() {
    Map<String, Row> dense = new HashMap<>();
    for (Row r : table(PRIMAL, "runs")) {
      assertThat((String) r.getAs("form")).isEqualTo("primal");
      dense.put(r.getAs("replicate") + "/" + r.getAs("step_size"), r);
    }
    List<Row> mask = table(PRIMAL_MASK, "runs");
    assertThat(mask).hasSize(4);
    for (Row r : mask) {
      assertThat((String) r.getAs("form")).isEqualTo("primal-mask");
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      Row d = dense.get(r.getAs("replicate") + "/" + r.getAs("step_size"));
      assertThat((double) r.getAs("train_acc")).isEqualTo((double) d.getAs("train_acc"));
      assertThat((double) r.getAs("test_acc")).isEqualTo((double) d.getAs("test_acc"));
      assertThat((double) r.getAs("train_loss")).isCloseTo((double) d.getAs("train_loss"),
          withinPercentage(1e-2));
    }
    // the runs learn, so the accuracies compared take several values
    assertThat(mask.stream().mapToDouble(r -> r.getAs("train_acc")).max().orElseThrow()).isGreaterThan(0.8);
  }

  @Test
  void ridgeTablesUseLossCriteriaAndCarryTheBounds() {
    List<Row> runs = table(RIDGE, "runs");
    assertThat(runs).hasSize(6);
    for (Row r : runs) {
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      assertThat((String) r.getAs("form")).isEqualTo("dual");
      assertThat((String) r.getAs("precision")).isEqualTo("float64");
      assertThat(r.isNullAt(r.fieldIndex("train_acc"))).isTrue();
      assertThat(r.isNullAt(r.fieldIndex("test_acc_noisy"))).isTrue();
      assertThat((double) r.getAs("test_loss")).isPositive();
      // population L1 and half-MSE of the same Gaussian error: l1 = sqrt(2 v / pi), loss = v / 2.
      // The engine computes both from the same v; recomputing v from the stored loss adds a
      // few roundings, so the two l1 values agree to a few ulps (relative ~1e-15): 1e-12 relative
      double v = 2 * (double) r.getAs("test_loss");
      assertThat((double) r.getAs("test_loss_l1")).isCloseTo(Math.sqrt(2 * v / Math.PI), withinPercentage(1e-10));
    }
    Map<String, List<Row>> curves = curvesByRun(RIDGE);
    List<Row> grokking = table(RIDGE, "grokking");
    assertThat(grokking).hasSize(6);
    int grokked = 0;
    for (Row g : grokking) {
      List<Row> c = curves.get((String) g.getAs("run_id"));
      assertThat(c.get(0).isNullAt(c.get(0).fieldIndex("train_acc"))).isTrue();
      // independent recomputation with eps = c = 0.01 (the regression defaults)
      Integer tFit = null;
      for (int i = c.size() - 1; i >= 0 && (double) c.get(i).getAs("train_loss") <= 0.01; i--) {
        tFit = c.get(i).getAs("step");
      }
      Integer tGen = null;
      for (Row p : c) {
        if ((double) p.getAs("test_loss") <= 0.01) {
          tGen = p.getAs("step");
          break;
        }
      }
      assertThat((Integer) g.getAs("t_fit")).isEqualTo(tFit).isNotNull();
      assertThat((Integer) g.getAs("t_gen")).isEqualTo(tGen);
      double decay = g.getAs("weight_decay");
      if (decay == 0.0) {
        assertThat(tGen).as("no weight decay: theta's orthogonal part never decays").isNull();
        assertThat(g.isNullAt(g.fieldIndex("t_gen_bound"))).isTrue();
      } else {
        assertThat(tGen).isNotNull();
        assertThat((double) tGen).isGreaterThanOrEqualTo((double) g.getAs("t_gen_bound"));
        grokked += "grokking".equals(g.getAs("phase")) ? 1 : 0;
      }
      assertThat((double) tFit).isLessThanOrEqualTo((double) g.getAs("t_fit_bound"));
    }
    assertThat(grokked).isPositive();
    // cost of overfitting on the population loss (test MSE / 2 on noisy targets)
    List<Row> cost = table(RIDGE, "overfitting_cost");
    assertThat(cost).hasSize(1);
    double interp = runs.stream().filter(r -> (double) r.getAs("weight_decay") == 0.0)
        .mapToDouble(r -> r.getAs("test_loss")).average().orElseThrow();
    // a mean of 2 losses: Spark's plain sum and Java's compensated average differ by at most a
    // rounding or two (relative ~1e-16), whatever the losses' scale: 1e-12 relative
    assertThat((double) cost.get(0).getAs("risk_interp")).isCloseTo(interp, withinPercentage(1e-10));
    assertThat((double) cost.get(0).getAs("cost")).isGreaterThan(10.0);
    double interpL1 = runs.stream().filter(r -> (double) r.getAs("weight_decay") == 0.0)
        .mapToDouble(r -> r.getAs("test_loss_l1")).average().orElseThrow();
    assertThat((double) cost.get(0).getAs("risk_interp_l1")).isCloseTo(interpL1, withinPercentage(1e-10));
    assertThat((double) cost.get(0).getAs("cost_l1")).isGreaterThan(1.0);
    // the curves carry the L1 loss at every step; xor-like families do not have the column
    assertThat(spark.read().parquet(tmp.resolve(RIDGE.name()).resolve("curves").toString()).columns())
        .contains("test_loss_l1");
    assertThat(spark.read().parquet(tmp.resolve(GM.name()).resolve("curves").toString()).columns())
        .doesNotContain("test_loss_l1");
  }

  @Test
  void gaussianMixtureTablesUseAccuracyCriteria() {
    List<Row> runs = table(GM, "runs");
    assertThat(runs).hasSize(16);
    Map<String, List<Row>> curves = curvesByRun(GM);
    for (Row g : table(GM, "grokking")) {
      List<Row> c = curves.get((String) g.getAs("run_id"));
      Integer tFit = null;
      for (int i = c.size() - 1; i >= 0 && (double) c.get(i).getAs("train_acc") >= 1.0; i--) {
        tFit = c.get(i).getAs("step");
      }
      assertThat((Integer) g.getAs("t_fit")).isEqualTo(tFit);
    }
    for (Row r : runs) {
      assertThat((String) r.getAs("status")).isEqualTo("ok");
      assertThat((String) r.getAs("precision")).isEqualTo("float32");
      assertThat(r.isNullAt(r.fieldIndex("train_acc"))).isFalse();
    }
    // the leak changes the numbers; it is a column of its own
    assertThat(runs.stream().map(r -> (double) r.getAs("leak")).distinct()).containsExactlyInAnyOrder(0.0, 0.1);
    assertThat(table(GM, "overfitting_cost")).hasSize(4); // dim x leak, each over weight decay
  }
}

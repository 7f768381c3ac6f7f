package io.grokgrid.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.vocab.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DerivedTables#overfittingCost} against a plain-Java implementation of the same
 * definition, on a small synthetic sweep with a diverged and a failed run, null metrics, a null
 * parameter value, a group without weight decay 0, ties, and a regression task.
 */
class DerivedTablesIT {
  /**
   * Spark and the Java model sum at most three risks in [0, 1] in possibly different orders;
   * the results differ by a few ulps (about 1e-16 each), and the cost ratios (at most ~3) by a
   * few more. 1e-13 is far above that and far below any difference the fixture could hide.
   */
  private static final double TOLERANCE = 1e-13;

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(DerivedTablesIT.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** One run of the synthetic sweep; only the fields the table reads vary, the rest is fixed. */
  record Run(String id, String task, int replicate, double noiseRate, int width, Double initScale,
      double weightDecay, String status, Double testLoss, Double testAccNoisy) {}

  /** One logged step of a run's curve. */
  record Point(String runId, int step, Double testLoss, Double testAccNoisy) {}

  private static final String XOR = "xor-clusters";

  private static Run ok(String id, int replicate, double noise, int width, Double init,
      double decay, double testAccNoisy) {
    return new Run(id, XOR, replicate, noise, width, init, decay, "ok", 0.5, testAccNoisy);
  }

  /** The fixture sweep; comments give each group's hand-computed outcome. */
  private static List<Run> runs() {
    List<Run> runs = new ArrayList<>();
    // A (eta 1/8, width 10, init 1e-3): risks at decay 0 are 1/2, 3/8, 1/4 (mean 3/8); decays
    // 0.01 and 0.1 tie at mean 1/6 (sums are exact in binary), so best is 0.01; decay 1 is worse.
    // Replicate 3 at decay 0 diverged and must not count. cost 2.25, excess 2/3: tempered.
    runs.add(ok("a0r0", 0, 0.125, 10, 1e-3, 0.0, 0.5));
    runs.add(ok("a0r1", 1, 0.125, 10, 1e-3, 0.0, 0.625));
    runs.add(ok("a0r2", 2, 0.125, 10, 1e-3, 0.0, 0.75));
    runs.add(new Run("a0r3", XOR, 3, 0.125, 10, 1e-3, 0.0, "diverged", Double.NaN, Double.NaN));
    runs.add(ok("a1r0", 0, 0.125, 10, 1e-3, 0.01, 0.875));
    runs.add(ok("a1r1", 1, 0.125, 10, 1e-3, 0.01, 0.75));
    runs.add(ok("a1r2", 2, 0.125, 10, 1e-3, 0.01, 0.875));
    runs.add(ok("a2r0", 0, 0.125, 10, 1e-3, 0.1, 0.75));
    runs.add(ok("a2r1", 1, 0.125, 10, 1e-3, 0.1, 0.875));
    runs.add(ok("a2r2", 2, 0.125, 10, 1e-3, 0.1, 0.875));
    runs.add(ok("a3r0", 0, 0.125, 10, 1e-3, 1.0, 0.5));
    runs.add(ok("a3r1", 1, 0.125, 10, 1e-3, 1.0, 0.5));
    runs.add(ok("a3r2", 2, 0.125, 10, 1e-3, 1.0, 0.5));
    // B (width 20): no decay-0 run, so no risk_interp, cost or regime; a failed run with null
    // metrics at decay 0.1. Best: decay 0.1 at 0.2 (vs 0.21875 at 0.01).
    runs.add(ok("b1r0", 0, 0.125, 20, 1e-3, 0.01, 0.75));
    runs.add(ok("b1r1", 1, 0.125, 20, 1e-3, 0.01, 0.8125));
    runs.add(ok("b2r0", 0, 0.125, 20, 1e-3, 0.1, 0.8));
    runs.add(new Run("b2r1", XOR, 1, 0.125, 20, 1e-3, 0.1, "failed", null, null));
    // C (eta 0): every risk 0, so cost 1 by convention, best decay 0 (tie), benign.
    runs.add(ok("c0r0", 0, 0.0, 10, 1e-3, 0.0, 1.0));
    runs.add(ok("c0r1", 1, 0.0, 10, 1e-3, 0.0, 1.0));
    runs.add(ok("c1r0", 0, 0.0, 10, 1e-3, 0.1, 1.0));
    runs.add(ok("c1r1", 1, 0.0, 10, 1e-3, 0.1, 1.0));
    // D (init_scale null, as a union of sweeps leaves it): interpolation near chance,
    // excess ~0.93: catastrophic. Must not be mixed up with A, which differs only in init_scale.
    runs.add(ok("d0r0", 0, 0.125, 10, null, 0.0, 0.53));
    runs.add(ok("d0r1", 1, 0.125, 10, null, 0.0, 0.527));
    runs.add(ok("d0r2", 2, 0.125, 10, null, 0.0, 0.519));
    runs.add(ok("d1r0", 0, 0.125, 10, null, 0.1, 0.81));
    runs.add(ok("d1r1", 1, 0.125, 10, null, 0.1, 0.79));
    runs.add(ok("d1r2", 2, 0.125, 10, null, 0.1, 0.8));
    // R (ridge, a regression task): risk is test_loss, accuracies are null, no Bayes risk.
    runs.add(new Run("r0r0", "ridge", 0, 0.0, 1, 1.0, 0.0, "ok", 0.3, null));
    runs.add(new Run("r0r1", "ridge", 1, 0.0, 1, 1.0, 0.0, "ok", 0.5, null));
    runs.add(new Run("r1r0", "ridge", 0, 0.0, 1, 1.0, 1e-4, "ok", 0.2, null));
    runs.add(new Run("r1r1", "ridge", 1, 0.0, 1, 1.0, 1e-4, "ok", 0.25, null));
    return runs;
  }

  private static List<Point> curves() {
    List<Point> points = new ArrayList<>();
    // A at decay 0: mean risk 1/6 at steps 2 and 4 (tie: earliest, step 2)
    int[] stepsA = {0, 1, 2, 4, 8};
    double[][] accA = {
        {0.5, 0.5, 0.75, 0.75, 0.5},
        {0.5, 0.625, 0.875, 0.875, 0.625},
        {0.5, 0.75, 0.875, 0.875, 0.75}};
    for (int r = 0; r < 3; r++) {
      for (int s = 0; s < stepsA.length; s++) {
        points.add(new Point("a0r" + r, stepsA[s], 0.5, accA[r][s]));
      }
    }
    // the diverged run and a decay-0.01 run look perfect; neither may count
    for (int step : stepsA) {
      points.add(new Point("a0r3", step, 0.0, 1.0));
      points.add(new Point("a1r0", step, 0.0, 1.0));
    }
    for (int r = 0; r < 2; r++) {
      for (int step = 0; step < 3; step++) {
        points.add(new Point("c0r" + r, step, 0.0, 1.0));
      }
    }
    // D at decay 0: best at step 1 (mean risk ~0.403)
    double[][] accD = {{0.5, 0.61, 0.53}, {0.5, 0.6, 0.527}, {0.5, 0.58, 0.519}};
    int[] stepsD = {0, 1, 3};
    for (int r = 0; r < 3; r++) {
      for (int s = 0; s < stepsD.length; s++) {
        points.add(new Point("d0r" + r, stepsD[s], 0.5, accD[r][s]));
      }
    }
    // R at decay 0: test loss 1 then 0.2 / 0.3, best 0.25 at step 1
    points.add(new Point("r0r0", 0, 1.0, null));
    points.add(new Point("r0r0", 1, 0.2, null));
    points.add(new Point("r0r1", 0, 1.0, null));
    points.add(new Point("r0r1", 1, 0.3, null));
    return points;
  }

  // ---- Spark frames in the schema of a sweep --------------------------------------------

  private static final StructType RUNS_SCHEMA = schema(
      Columns.SWEEP, DataTypes.StringType, Columns.RUN_ID, DataTypes.StringType,
      Columns.TASK, DataTypes.StringType, Columns.REPLICATE, DataTypes.IntegerType,
      Columns.NOISE_RATE, DataTypes.DoubleType, Columns.WIDTH, DataTypes.IntegerType,
      Columns.DIM, DataTypes.IntegerType, Columns.N_TRAIN, DataTypes.IntegerType,
      Columns.N_TEST, DataTypes.IntegerType, Columns.SIGNAL, DataTypes.DoubleType,
      Columns.STEP_SIZE, DataTypes.DoubleType, Columns.WEIGHT_DECAY, DataTypes.DoubleType,
      Columns.INIT_SCALE, DataTypes.DoubleType, Columns.STATUS, DataTypes.StringType,
      Columns.STATUS_DETAIL, DataTypes.StringType, Columns.STEPS, DataTypes.IntegerType,
      Columns.STEPS_DONE, DataTypes.IntegerType, Columns.TRAIN_LOSS, DataTypes.DoubleType,
      Columns.TRAIN_ACC, DataTypes.DoubleType, Columns.TEST_LOSS, DataTypes.DoubleType,
      Columns.TEST_ACC, DataTypes.DoubleType, Columns.TEST_ACC_NOISY, DataTypes.DoubleType,
      Columns.WEIGHT_NORM, DataTypes.DoubleType, Columns.T_FIT, DataTypes.IntegerType,
      Columns.T_GEN, DataTypes.IntegerType, Columns.WALL_MS, DataTypes.LongType,
      Columns.FORM, DataTypes.StringType, Columns.PRECISION, DataTypes.StringType,
      Columns.PACK_SIZE, DataTypes.IntegerType, Columns.DATASET_SEED, DataTypes.LongType,
      Columns.INIT_SEED, DataTypes.LongType, Columns.ENGINE_VERSION, DataTypes.StringType);

  private static final StructType CURVES_SCHEMA = schema(
      Columns.SWEEP, DataTypes.StringType, Columns.RUN_ID, DataTypes.StringType,
      Columns.STEP, DataTypes.IntegerType, Columns.TRAIN_LOSS, DataTypes.DoubleType,
      Columns.TRAIN_ACC, DataTypes.DoubleType, Columns.TEST_LOSS, DataTypes.DoubleType,
      Columns.TEST_ACC, DataTypes.DoubleType, Columns.TEST_ACC_NOISY, DataTypes.DoubleType,
      Columns.WEIGHT_NORM, DataTypes.DoubleType);

  private static StructType schema(Object... namesAndTypes) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      fields.add(DataTypes.createStructField((String) namesAndTypes[i],
          (DataType) namesAndTypes[i + 1], true));
    }
    return DataTypes.createStructType(fields);
  }

  private static Dataset<Row> runsFrame(List<Run> runs) {
    List<Row> rows = new ArrayList<>();
    for (Run r : runs) {
      boolean ok = r.status().equals("ok");
      rows.add(RowFactory.create("s", r.id(), r.task(), r.replicate(), r.noiseRate(), r.width(),
          40, 20, 20, 3.0, 0.1, r.weightDecay(), r.initScale(), r.status(),
          ok ? null : "stopped: " + r.status(), 8, ok ? 8 : 3,
          ok ? 0.01 : null, ok ? 1.0 : null, r.testLoss(), ok ? 0.9 : null, r.testAccNoisy(),
          1.5, ok ? 2 : null, null, 10L, "primal", "double", 1, 11L, 12L, "test"));
    }
    return spark.createDataFrame(rows, RUNS_SCHEMA);
  }

  private static Dataset<Row> curvesFrame(List<Point> points) {
    List<Row> rows = new ArrayList<>();
    for (Point p : points) {
      rows.add(RowFactory.create("s", p.runId(), p.step(), 0.1, 1.0, p.testLoss(), 0.9,
          p.testAccNoisy(), 1.0));
    }
    return spark.createDataFrame(rows, CURVES_SCHEMA);
  }

  // ---- the definition, in plain Java ----------------------------------------------------

  /** One expected output row; nulls where the table has nulls. */
  record Expected(int replicates, Double riskInterp, Double riskBest, Double bestWeightDecay,
      Double cost, Double riskBestEarlyStop, Integer bestStopStep, Double costEarlyStop,
      Double bayesRisk, String regime) {}

  private static boolean regression(String task) {
    return task.equals("ridge") || task.equals("univariate-regression");
  }

  private static Double risk(String task, Double testLoss, Double testAccNoisy) {
    if (regression(task)) {
      return testLoss;
    }
    return testAccNoisy == null ? null : 1 - testAccNoisy;
  }

  /** Key of a group: task, noise_rate, width, init_scale (the only parameters that vary). */
  private static List<Object> key(String task, Object noise, Object width, Object init) {
    return Arrays.asList(task, noise, width, init);
  }

  private static Map<List<Object>, Expected> model(List<Run> runs, List<Point> points,
      RegimeCuts cuts, double chance) {
    Map<List<Object>, List<Run>> groups = new LinkedHashMap<>();
    for (Run r : runs) {
      if (r.status().equals("ok")) {
        groups.computeIfAbsent(key(r.task(), r.noiseRate(), r.width(), r.initScale()),
            k -> new ArrayList<>()).add(r);
      }
    }
    Map<List<Object>, Expected> expected = new HashMap<>();
    for (Map.Entry<List<Object>, List<Run>> group : groups.entrySet()) {
      List<Run> members = group.getValue();
      Set<Integer> replicates = new LinkedHashSet<>();
      TreeMap<Double, List<Double>> byDecay = new TreeMap<>();
      Set<String> interpolating = new LinkedHashSet<>();
      for (Run r : members) {
        replicates.add(r.replicate());
        Double risk = risk(r.task(), r.testLoss(), r.testAccNoisy());
        List<Double> risks = byDecay.computeIfAbsent(r.weightDecay(), d -> new ArrayList<>());
        if (risk != null) {
          risks.add(risk);
        }
        if (r.weightDecay() == 0.0) {
          interpolating.add(r.id());
        }
      }
      Double riskInterp = byDecay.containsKey(0.0) ? mean(byDecay.get(0.0)) : null;
      Double riskBest = null;
      Double bestDecay = null;
      for (Map.Entry<Double, List<Double>> e : byDecay.entrySet()) {
        Double m = mean(e.getValue());
        if (m != null && (riskBest == null || m < riskBest)) {
          riskBest = m;
          bestDecay = e.getKey();
        }
      }
      String task = members.get(0).task();
      TreeMap<Integer, List<Double>> byStep = new TreeMap<>();
      for (Point p : points) {
        if (interpolating.contains(p.runId())) {
          Double risk = risk(task, p.testLoss(), p.testAccNoisy());
          List<Double> risks = byStep.computeIfAbsent(p.step(), s -> new ArrayList<>());
          if (risk != null) {
            risks.add(risk);
          }
        }
      }
      Double riskEarly = null;
      Integer bestStep = null;
      for (Map.Entry<Integer, List<Double>> e : byStep.entrySet()) {
        Double m = mean(e.getValue());
        if (m != null && (riskEarly == null || m < riskEarly)) {
          riskEarly = m;
          bestStep = e.getKey();
        }
      }
      Double bayes = regression(task) ? null : members.get(0).noiseRate();
      String regime = null;
      if (riskInterp != null && bayes != null) {
        double excess = (riskInterp - bayes) / (chance - bayes);
        regime = excess <= cuts.benign() ? "benign"
            : excess >= cuts.catastrophic() ? "catastrophic" : "tempered";
      }
      expected.put(group.getKey(), new Expected(replicates.size(), riskInterp, riskBest,
          bestDecay, ratio(riskInterp, riskBest), riskEarly, bestStep,
          ratio(riskInterp, riskEarly), bayes, regime));
    }
    return expected;
  }

  private static Double mean(List<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.size();
  }

  private static Double ratio(Double numerator, Double denominator) {
    if (numerator == null || denominator == null) {
      return null;
    }
    if (denominator == 0) {
      return numerator == 0 ? 1.0 : Double.POSITIVE_INFINITY;
    }
    return numerator / denominator;
  }

  // ---- comparison -------------------------------------------------------------------------

  private static Map<List<Object>, Row> byKey(Dataset<Row> table) {
    Map<List<Object>, Row> rows = new HashMap<>();
    for (Row row : table.collectAsList()) {
      List<Object> key = key(row.getAs(Columns.TASK), row.getAs(Columns.NOISE_RATE),
          row.getAs(Columns.WIDTH), row.getAs(Columns.INIT_SCALE));
      assertThat(rows.put(key, row)).as("one row per group, key %s", key).isNull();
    }
    return rows;
  }

  private static void assertMatches(Map<List<Object>, Row> actual,
      Map<List<Object>, Expected> expected) {
    assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<List<Object>, Expected> e : expected.entrySet()) {
      Row row = actual.get(e.getKey());
      Expected x = e.getValue();
      String at = "group " + e.getKey() + ", column ";
      assertThat((Integer) row.getAs(Columns.REPLICATES)).as(at + Columns.REPLICATES)
          .isEqualTo(x.replicates());
      assertClose(row, Columns.RISK_INTERP, x.riskInterp(), at);
      assertClose(row, Columns.RISK_BEST, x.riskBest(), at);
      assertThat((Double) row.getAs(Columns.BEST_WEIGHT_DECAY)).as(at + Columns.BEST_WEIGHT_DECAY)
          .isEqualTo(x.bestWeightDecay());
      assertClose(row, Columns.COST, x.cost(), at);
      assertClose(row, Columns.RISK_BEST_EARLY_STOP, x.riskBestEarlyStop(), at);
      assertThat((Integer) row.getAs(Columns.BEST_STOP_STEP)).as(at + Columns.BEST_STOP_STEP)
          .isEqualTo(x.bestStopStep());
      assertClose(row, Columns.COST_EARLY_STOP, x.costEarlyStop(), at);
      assertClose(row, Columns.BAYES_RISK, x.bayesRisk(), at);
      assertThat((String) row.getAs(Columns.REGIME)).as(at + Columns.REGIME)
          .isEqualTo(x.regime());
    }
  }

  private static void assertClose(Row row, String column, Double expected, String at) {
    Double actual = row.getAs(column);
    if (expected == null) {
      assertThat(actual).as(at + column).isNull();
    } else {
      assertThat(actual).as(at + column).isNotNull();
      assertThat(actual).as(at + column).isCloseTo(expected, within(TOLERANCE));
    }
  }

  // ---- tests ------------------------------------------------------------------------------

  @Test
  void matchesThePlainJavaDefinition() {
    Dataset<Row> table = DerivedTables.overfittingCost(runsFrame(runs()), curvesFrame(curves()),
        RegimeCuts.DEFAULTS);
    assertMatches(byKey(table), model(runs(), curves(), RegimeCuts.DEFAULTS, 0.5));
  }

  @Test
  void handComputedValuesOfTheFixture() {
    Map<List<Object>, Row> rows = byKey(DerivedTables.overfittingCost(runsFrame(runs()),
        curvesFrame(curves()), RegimeCuts.DEFAULTS));
    Row a = rows.get(key(XOR, 0.125, 10, 1e-3));
    assertThat((Integer) a.getAs(Columns.REPLICATES)).isEqualTo(3);
    assertThat((Double) a.getAs(Columns.RISK_INTERP)).isEqualTo(0.375);
    assertThat((Double) a.getAs(Columns.BEST_WEIGHT_DECAY)).isEqualTo(0.01);
    assertThat((Double) a.getAs(Columns.COST)).isCloseTo(2.25, within(TOLERANCE));
    assertThat((Integer) a.getAs(Columns.BEST_STOP_STEP)).isEqualTo(2);
    assertThat((String) a.getAs(Columns.REGIME)).isEqualTo("tempered");

    Row b = rows.get(key(XOR, 0.125, 20, 1e-3));
    assertThat((Integer) b.getAs(Columns.REPLICATES)).isEqualTo(2);
    assertThat(b.<Object>getAs(Columns.RISK_INTERP)).isNull();
    assertThat(b.<Object>getAs(Columns.COST)).isNull();
    assertThat((Double) b.getAs(Columns.BEST_WEIGHT_DECAY)).isEqualTo(0.1);
    assertThat(b.<Object>getAs(Columns.RISK_BEST_EARLY_STOP)).isNull();
    assertThat(b.<Object>getAs(Columns.REGIME)).isNull();

    Row c = rows.get(key(XOR, 0.0, 10, 1e-3));
    assertThat((Double) c.getAs(Columns.COST)).isEqualTo(1.0);
    assertThat((Double) c.getAs(Columns.COST_EARLY_STOP)).isEqualTo(1.0);
    assertThat((Double) c.getAs(Columns.BEST_WEIGHT_DECAY)).isEqualTo(0.0);
    assertThat((Integer) c.getAs(Columns.BEST_STOP_STEP)).isEqualTo(0);
    assertThat((String) c.getAs(Columns.REGIME)).isEqualTo("benign");

    Row d = rows.get(key(XOR, 0.125, 10, null));
    assertThat((Integer) d.getAs(Columns.BEST_STOP_STEP)).isEqualTo(1);
    assertThat((String) d.getAs(Columns.REGIME)).isEqualTo("catastrophic");

    Row r = rows.get(key("ridge", 0.0, 1, 1.0));
    assertThat((Double) r.getAs(Columns.RISK_INTERP)).isCloseTo(0.4, within(TOLERANCE));
    assertThat((Double) r.getAs(Columns.COST_EARLY_STOP)).isCloseTo(1.6, within(TOLERANCE));
    assertThat(r.<Object>getAs(Columns.BAYES_RISK)).isNull();
    assertThat(r.<Object>getAs(Columns.REGIME)).isNull();
  }

  @Test
  void outputColumnsAreTheGroupKeyThenTheMetrics() {
    Dataset<Row> table = DerivedTables.overfittingCost(runsFrame(runs()), curvesFrame(curves()),
        RegimeCuts.DEFAULTS);
    assertThat(table.columns()).containsExactly(Columns.SWEEP, Columns.TASK, Columns.NOISE_RATE,
        Columns.WIDTH, Columns.DIM, Columns.N_TRAIN, Columns.N_TEST, Columns.SIGNAL,
        Columns.STEP_SIZE, Columns.INIT_SCALE, Columns.REPLICATES, Columns.RISK_INTERP,
        Columns.RISK_BEST, Columns.BEST_WEIGHT_DECAY, Columns.COST, Columns.RISK_BEST_EARLY_STOP,
        Columns.BEST_STOP_STEP, Columns.COST_EARLY_STOP, Columns.BAYES_RISK, Columns.REGIME);
  }

  @Test
  void regimeCutsAreInclusiveAndConfigurable() {
    // eta 1/4: excess = (risk - 1/4) / (1/4), exact in binary: 0.25, 0.5, 0.75
    List<Run> runs = List.of(
        ok("x1", 0, 0.25, 1, 1.0, 0.0, 1 - 0.3125),
        ok("x2", 0, 0.25, 2, 1.0, 0.0, 1 - 0.375),
        ok("x3", 0, 0.25, 3, 1.0, 0.0, 1 - 0.4375));
    RegimeCuts cuts = new RegimeCuts(0.25, 0.75);
    Map<List<Object>, Row> custom = byKey(
        DerivedTables.overfittingCost(runsFrame(runs), curvesFrame(List.of()), cuts));
    assertMatches(custom, model(runs, List.of(), cuts, 0.5));
    assertThat((String) custom.get(key(XOR, 0.25, 1, 1.0)).getAs(Columns.REGIME))
        .isEqualTo("benign");
    assertThat((String) custom.get(key(XOR, 0.25, 2, 1.0)).getAs(Columns.REGIME))
        .isEqualTo("tempered");
    assertThat((String) custom.get(key(XOR, 0.25, 3, 1.0)).getAs(Columns.REGIME))
        .isEqualTo("catastrophic");

    Map<List<Object>, Row> defaults = byKey(DerivedTables.overfittingCost(runsFrame(runs),
        curvesFrame(List.of()), RegimeCuts.DEFAULTS));
    assertMatches(defaults, model(runs, List.of(), RegimeCuts.DEFAULTS, 0.5));
    for (Row row : defaults.values()) {
      assertThat((String) row.getAs(Columns.REGIME)).isEqualTo("tempered");
    }
  }

  @Test
  void modularAdditionMeasuresExcessAgainstChanceOverItsClasses() {
    // q = 5 classes: chance risk 0.8, so risk 1/2 at eta 0.1 is excess 4/7 (tempered); against
    // the binary chance 0.5 it would be 1 (catastrophic)
    List<Run> runs = List.of(
        new Run("m0", "modular-addition", 0, 0.1, 64, 1.0, 0.0, "ok", 2.0, 0.5),
        new Run("m1", "modular-addition", 0, 0.1, 64, 1.0, 1.0, "ok", 0.5, 0.875));
    // a parameter column sits between replicate and status, as in every runs table
    Dataset<Row> added = runsFrame(runs).withColumn(Columns.MODULUS, functions.lit(5));
    List<String> order = new java.util.ArrayList<>(List.of(added.columns()));
    order.remove(Columns.MODULUS);
    order.add(order.indexOf(Columns.REPLICATE) + 1, Columns.MODULUS);
    Dataset<Row> withModulus = added.selectExpr(order.toArray(new String[0]));
    Dataset<Row> table = DerivedTables.overfittingCost(withModulus, curvesFrame(List.of()),
        RegimeCuts.DEFAULTS);
    assertThat(table.columns()).contains(Columns.MODULUS);
    Map<List<Object>, Row> rows = byKey(table);
    assertMatches(rows, model(runs, List.of(), RegimeCuts.DEFAULTS, 0.8));
    assertThat((String) rows.get(key("modular-addition", 0.1, 64, 1.0)).getAs(Columns.REGIME))
        .isEqualTo("tempered");
  }

  /**
   * Regression regimes from the growth of the cost with n_train (README, "Output tables"), default
   * cuts: four n-series (width 1..4) at n = 100, 400, 1600 with risk_best = 1 at weight_decay 1.
   * Width 1: cost = n / 100, log-log slope 1 >= 0.9, catastrophic. Width 2: cost 2 at every n,
   * slopes 0, tempered. Width 3: cost = 1 + 10 / sqrt(n), so cost - 1 has slope -1/2 <= -0.1,
   * benign. Width 4: only weight_decay 0 (cost 1 by construction, nothing tuned): null. The
   * xor-clusters series next to them keeps its excess-risk regime whatever its n.
   */
  @Test
  void regressionRegimeFollowsTheGrowthOfTheCostWithN() {
    List<Run> runs = new ArrayList<>();
    StringBuilder nOf = new StringBuilder("CASE");
    int[] ns = {100, 400, 1600};
    for (int w = 1; w <= 4; w++) {
      for (int n : ns) {
        double interp = w == 1 ? n / 100.0 : w == 2 ? 2.0 : w == 3 ? 1.0 + 10.0 / Math.sqrt(n) : 1.5;
        String id = "k" + w + "n" + n;
        runs.add(new Run(id + "d0", "kernel-ridge", 0, 0.0, w, 1.0, 0.0, "ok", interp, null));
        nOf.append(" WHEN run_id LIKE '").append(id).append("d%' THEN ").append(n);
        if (w != 4) {
          runs.add(new Run(id + "d1", "kernel-ridge", 0, 0.0, w, 1.0, 1.0, "ok", 1.0, null));
        }
      }
    }
    for (int n : ns) {
      runs.add(new Run("x" + n + "d0", XOR, 0, 0.1, 9, 1.0, 0.0, "ok", 0.5, 0.8));
      runs.add(new Run("x" + n + "d1", XOR, 0, 0.1, 9, 1.0, 1.0, "ok", 0.5, 0.9));
      nOf.append(" WHEN run_id LIKE 'x").append(n).append("d%' THEN ").append(n);
    }
    nOf.append(" END");
    Dataset<Row> frame = runsFrame(runs).withColumn(Columns.N_TRAIN,
        functions.expr(nOf.toString()).cast(DataTypes.IntegerType));
    Map<String, String> regimes = new HashMap<>();
    for (Row r : DerivedTables.overfittingCost(frame, curvesFrame(List.of()), RegimeCuts.DEFAULTS)
        .collectAsList()) {
      String k = r.getAs(Columns.TASK) + "/" + r.getAs(Columns.WIDTH) + "/" + r.getAs(Columns.N_TRAIN);
      regimes.put(k, r.getAs(Columns.REGIME));
    }
    for (int n : ns) {
      assertThat(regimes.get("kernel-ridge/1/" + n)).isEqualTo("catastrophic");
      assertThat(regimes.get("kernel-ridge/2/" + n)).isEqualTo("tempered");
      assertThat(regimes.get("kernel-ridge/3/" + n)).isEqualTo("benign");
      assertThat(regimes).containsEntry("kernel-ridge/4/" + n, null);
      // risk 0.2 at eta 0.1: excess 0.25, tempered
      assertThat(regimes.get(XOR + "/9/" + n)).isEqualTo("tempered");
    }
  }

  @Test
  void aMissingColumnIsNamed() {
    Dataset<Row> runs = runsFrame(runs()).drop(Columns.WEIGHT_DECAY);
    assertThatThrownBy(() -> DerivedTables.overfittingCost(runs, curvesFrame(curves()),
        RegimeCuts.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("runs table has no column weight_decay; its columns are "
            + "[sweep, run_id, task, replicate, noise_rate,");
    Dataset<Row> curves = curvesFrame(curves()).drop(Columns.STEP);
    assertThatThrownBy(() -> DerivedTables.overfittingCost(runsFrame(runs()), curves,
        RegimeCuts.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("curves table has no column step; its columns are [sweep, run_id, "
            + "train_loss, train_acc, test_loss, test_acc, test_acc_noisy, weight_norm]");
  }

  @Test
  void parameterColumnsAreThoseBetweenReplicateAndStatus() {
    assertThat(DerivedTables.parameterColumns(runsFrame(List.of()))).containsExactly(
        Columns.NOISE_RATE, Columns.WIDTH, Columns.DIM, Columns.N_TRAIN, Columns.N_TEST,
        Columns.SIGNAL, Columns.STEP_SIZE, Columns.WEIGHT_DECAY, Columns.INIT_SCALE);
  }

  /**
   * The replicate mean must not depend on the order rows reach the aggregate. Values 1e16, 1 and
   * -1e16 make float addition order-dependent (an ulp of 1e16 is 2, so 1e16 + 1 rounds back to
   * 1e16 while 1 + 1 + 1e16 does not); the expected value is the ascending-order sum computed here
   * in plain Java, and every partitioning and row order must give exactly that.
   */
  @Test
  void meanIsTheAscendingOrderSumWhateverThePartitioning() {
    double[] values = {1e16, 1.0, -1e16, 1.0, 3.0, 1.0, 1e16, -1e16, 1.0};
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double sum = 0.0;
    for (double v : sorted) {
      sum += v;
    }
    double expected = sum / values.length;
    List<Row> rows = new ArrayList<>();
    for (double v : values) {
      rows.add(RowFactory.create(v));
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("x", DataTypes.DoubleType, true)));
    Set<Double> seen = new LinkedHashSet<>();
    for (int parts : new int[] {1, 2, 3, 9}) {
      for (boolean reversed : new boolean[] {false, true}) {
        List<Row> ordered = new ArrayList<>(rows);
        if (reversed) {
          java.util.Collections.reverse(ordered);
        }
        Dataset<Row> frame = spark.createDataFrame(ordered, schema).repartition(parts);
        seen.add(frame.agg(DerivedTables.mean("x")).first().getDouble(0));
      }
    }
    assertThat(seen).containsExactly(expected);
    // no values: null, as avg gives
    Dataset<Row> empty = spark.createDataFrame(List.of(RowFactory.create((Object) null)), schema);
    assertThat(empty.agg(DerivedTables.mean("x")).first().isNullAt(0)).isTrue();
  }
}

package io.grokgrid.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link DerivedTables#overfittingCost} with an L1 test loss: the _l1 columns, computed by hand. */
class CostPerLossIT {
  /**
   * The expected values are means of two losses of at most 6, or ratios (at most 4) of such
   * means, written here as decimals: both sides are within a few roundings of the exact value,
   * i.e. a few times 2^-52 * 6, about 1e-15. 1e-12 is far above that and far below 0.1, the
   * smallest gap between two of the expected values (1.0 and 1.1).
   */
  static final double TOLERANCE = 1e-12;

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(CostPerLossIT.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static final StructType RUNS = DataTypes.createStructType(List.of(
      DataTypes.createStructField("sweep", DataTypes.StringType, false),
      DataTypes.createStructField("run_id", DataTypes.StringType, false),
      DataTypes.createStructField("task", DataTypes.StringType, false),
      DataTypes.createStructField("replicate", DataTypes.IntegerType, false),
      DataTypes.createStructField("n_train", DataTypes.IntegerType, false),
      DataTypes.createStructField("weight_decay", DataTypes.DoubleType, false),
      DataTypes.createStructField("status", DataTypes.StringType, false),
      DataTypes.createStructField("test_loss", DataTypes.DoubleType, true),
      DataTypes.createStructField("test_acc_noisy", DataTypes.DoubleType, true),
      DataTypes.createStructField("test_loss_l1", DataTypes.DoubleType, true)));

  static final StructType CURVES = DataTypes.createStructType(List.of(
      DataTypes.createStructField("sweep", DataTypes.StringType, false),
      DataTypes.createStructField("run_id", DataTypes.StringType, false),
      DataTypes.createStructField("step", DataTypes.IntegerType, false),
      DataTypes.createStructField("test_loss", DataTypes.DoubleType, true),
      DataTypes.createStructField("test_acc_noisy", DataTypes.DoubleType, true),
      DataTypes.createStructField("test_loss_l1", DataTypes.DoubleType, true)));

  private static Row run(String id, int rep, int n, double decay, double l2, double l1) {
    return RowFactory.create("s", id, "ridge", rep, n, decay, "ok", l2, null, l1);
  }

  @Test
  void l1ColumnsUseTheL1Loss() {
    // n = 10: L2 risk is best at decay 0.1, L1 risk at decay 0 (so the two costs differ)
    Dataset<Row> runs = spark.createDataFrame(List.of(
        run("a", 0, 10, 0.0, 4.0, 1.0), run("b", 1, 10, 0.0, 6.0, 1.2),
        run("c", 0, 10, 0.1, 1.0, 1.5), run("d", 1, 10, 0.1, 2.0, 1.7),
        run("e", 0, 20, 0.0, 3.0, 2.0), run("f", 0, 20, 0.1, 3.0, 1.0)), RUNS);
    Dataset<Row> curves = spark.createDataFrame(List.of(
        RowFactory.create("s", "a", 0, 8.0, null, 0.5), RowFactory.create("s", "a", 5, 4.0, null, 1.0),
        RowFactory.create("s", "b", 0, 2.0, null, 0.7), RowFactory.create("s", "b", 5, 6.0, null, 1.2),
        RowFactory.create("s", "e", 0, 3.0, null, 2.0)), CURVES);
    List<Row> rows = DerivedTables.overfittingCost(runs, curves, RegimeCuts.DEFAULTS)
        .orderBy("n_train").collectAsList();
    assertThat(rows).hasSize(2);
    Row ten = rows.get(0);
    // L2: interp mean(4, 6) = 5, best mean(1, 2) = 1.5 at 0.1, cost 5 / 1.5
    assertThat((double) ten.getAs("risk_interp")).isEqualTo(5.0);
    assertThat((double) ten.getAs("cost")).isCloseTo(5.0 / 1.5, offset(TOLERANCE));
    // L1: interp mean(1.0, 1.2) = 1.1, best is the interpolator itself: cost 1
    assertThat((double) ten.getAs("risk_interp_l1")).isCloseTo(1.1, offset(TOLERANCE));
    assertThat((double) ten.getAs("risk_best_l1")).isCloseTo(1.1, offset(TOLERANCE));
    assertThat((double) ten.getAs("best_weight_decay_l1")).isEqualTo(0.0);
    assertThat((double) ten.getAs("cost_l1")).isCloseTo(1.0, offset(TOLERANCE));
    // early stop, L1: step 0 mean(0.5, 0.7) = 0.6 beats step 5 mean(1.0, 1.2) = 1.1
    assertThat((double) ten.getAs("risk_best_early_stop_l1")).isCloseTo(0.6, offset(TOLERANCE));
    assertThat((int) ten.getAs("best_stop_step_l1")).isZero();
    assertThat((double) ten.getAs("cost_early_stop_l1")).isCloseTo(1.1 / 0.6, offset(TOLERANCE));
    // and L2's early stop: step 0 mean(8, 2) = 5 ties step 5 mean(4, 6) = 5: the earliest
    assertThat((int) ten.getAs("best_stop_step")).isZero();
    Row twenty = rows.get(1);
    assertThat((double) twenty.getAs("cost")).isCloseTo(1.0, offset(TOLERANCE));
    assertThat((double) twenty.getAs("cost_l1")).isCloseTo(2.0, offset(TOLERANCE));
  }

  @Test
  void tablesWithoutL1HaveNoL1Columns() {
    Dataset<Row> runs = spark.createDataFrame(List.of(run("a", 0, 10, 0.0, 4.0, 1.0)), RUNS)
        .drop("test_loss_l1");
    Dataset<Row> curves = spark.createDataFrame(List.<Row>of(), CURVES).drop("test_loss_l1");
    assertThat(DerivedTables.overfittingCost(runs, curves, RegimeCuts.DEFAULTS).columns())
        .doesNotContain("cost_l1").contains("cost");
  }
}

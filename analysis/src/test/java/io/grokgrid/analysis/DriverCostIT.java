package io.grokgrid.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.vocab.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link DerivedTables#overfittingCostOnDriver} gives {@link DerivedTables#overfittingCost}'s rows
 * bit for bit (compared with Spark's EXCEPT ALL, which tells -0.0 from 0.0 and NaN from a number
 * apart only where Spark itself would) and its schema, on a seeded random classification sweep
 * built to hit the edges: ties of risks and of steps (accuracies are multiples of 1/8), null and
 * NaN accuracies, weight decay -0.0 beside 0.0, diverged and failed runs, a null parameter value,
 * groups without a decay-0 run, two sweeps, and modular-addition's chance level.
 */
class DriverCostIT {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.start(DriverCostIT.class);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final StructType RUNS = schema(
      Columns.SWEEP, DataTypes.StringType, Columns.RUN_ID, DataTypes.StringType,
      Columns.TASK, DataTypes.StringType, Columns.REPLICATE, DataTypes.IntegerType,
      Columns.NOISE_RATE, DataTypes.DoubleType, Columns.WIDTH, DataTypes.IntegerType,
      Columns.MODULUS, DataTypes.IntegerType, Columns.N_TRAIN, DataTypes.IntegerType,
      Columns.WEIGHT_DECAY, DataTypes.DoubleType, Columns.STATUS, DataTypes.StringType,
      Columns.TEST_LOSS, DataTypes.DoubleType, Columns.TEST_ACC_NOISY, DataTypes.DoubleType);

  private static final StructType CURVES = schema(
      Columns.SWEEP, DataTypes.StringType, Columns.RUN_ID, DataTypes.StringType,
      Columns.STEP, DataTypes.IntegerType, Columns.TEST_LOSS, DataTypes.DoubleType,
      Columns.TEST_ACC_NOISY, DataTypes.DoubleType);

  private static StructType schema(Object... namesAndTypes) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      fields.add(DataTypes.createStructField((String) namesAndTypes[i], (DataType) namesAndTypes[i + 1], true));
    }
    return DataTypes.createStructType(fields);
  }

  /** An accuracy: a multiple of 1/8 (ties), sometimes null or NaN. */
  private static Double accuracy(Random rnd) {
    int u = rnd.nextInt(40);
    return u == 0 ? null : u == 1 ? Double.NaN : rnd.nextInt(9) / 8.0;
  }

  @Test
  void sameRowsAndSchemaAsSparkOnARandomSweepFullOfEdges() {
    Random rnd = new Random(20261130L);
    List<Row> runs = new ArrayList<>();
    List<Row> curves = new ArrayList<>();
    String[] statuses = {"ok", "ok", "ok", "ok", "ok", "ok", "diverged", "failed"};
    double[] decays = {0.0, -0.0, 1e-3, 1e-2, 0.1};
    int id = 0;
    for (String sweep : new String[] {"s1", "s2"}) {
      for (String task : new String[] {"xor-clusters", "modular-addition"}) {
        for (double noise : new double[] {0.0, 0.125, 0.25}) {
          for (Integer width : new Integer[] {10, 20, null}) {
            Integer modulus = task.equals("modular-addition") ? (width == null ? 7 : 2 + width / 10) : null;
            for (double decay : decays) {
              if (width != null && width == 20 && decay == 0.0) {
                continue; // a group without the interpolating runs
              }
              for (int replicate = 0; replicate < 3; replicate++) {
                String runId = "r" + id++;
                String status = statuses[rnd.nextInt(statuses.length)];
                runs.add(RowFactory.create(sweep, runId, task, replicate, noise, width, modulus, 40,
                    rnd.nextInt(30) == 0 ? null : decay, status, 0.5, accuracy(rnd)));
                for (int step = 0; step < 6; step++) {
                  curves.add(RowFactory.create(sweep, runId, step, 0.5, accuracy(rnd)));
                }
              }
            }
          }
        }
      }
    }
    RegimeCuts cuts = RegimeCuts.DEFAULTS;
    Dataset<Row> runsFrame = spark.createDataFrame(runs, RUNS);
    Dataset<Row> curvesFrame = spark.createDataFrame(curves, CURVES);
    Dataset<Row> bySpark = DerivedTables.overfittingCost(runsFrame, curvesFrame, cuts);
    List<Row> onDriver = DerivedTables.overfittingCostOnDriver(RUNS, runs, CURVES, curves, cuts);

    assertThat(onDriver).isNotNull();
    StructType driverSchema = DerivedTables.overfittingCostSchema(RUNS, DataTypes.IntegerType);
    assertThat(driverSchema).isEqualTo(bySpark.schema());
    Dataset<Row> driverFrame = spark.createDataFrame(onDriver, driverSchema);
    long rows = bySpark.count();
    assertThat(rows).isEqualTo(36); // 2 sweeps x 2 tasks x 3 noise rates x 3 widths
    assertThat(onDriver).hasSize((int) rows);
    assertThat(bySpark.exceptAll(driverFrame).count()).isZero();
    assertThat(driverFrame.exceptAll(bySpark).count()).isZero();
    // the fixture reaches regimes, a null one, and groups without interpolating runs
    assertThat(driverFrame.select(Columns.REGIME).distinct().count()).isGreaterThanOrEqualTo(3); // null and two or more
    assertThat(driverFrame.filter(Columns.RISK_INTERP + " IS NULL").count()).isPositive();
  }

  @Test
  void regressionRowsAreLeftToSpark() {
    List<Row> runs = List.of(RowFactory.create("s", "r0", "ridge", 0, 0.0, 1, null, 40, 0.0, "ok", 0.3, null));
    List<Row> curves = List.of(RowFactory.create("s", "r0", 0, 0.3, null));
    assertThat(DerivedTables.overfittingCostOnDriver(RUNS, runs, CURVES, curves, RegimeCuts.DEFAULTS)).isNull();
  }
}

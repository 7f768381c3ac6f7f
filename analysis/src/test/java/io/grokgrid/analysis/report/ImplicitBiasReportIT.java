package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.analysis.Views;
import io.grokgrid.analysis.report.ReportData.SpectralPoint;
import io.grokgrid.vocab.Columns;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's implicit-bias charts on small synthetic sweeps written as Parquet: the spectral
 * percentiles Spark computes against a plain-Java percentile of the same rows (nulls and NaN
 * left out), the final metrics read per run, both charts drawn and listed on the page, and no
 * section where the columns are absent or null throughout.
 */
class ImplicitBiasReportIT {
  /** Spark's percentile and the plain-Java one interpolate the same two values in double. */
  private static final double TOLERANCE = 1e-12;

  private static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().appName(ImplicitBiasReportIT.class.getSimpleName())
        .master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final int[] STEPS = {0, 1, 2, 4, 8, 16, 32};
  private static final int REPLICATES = 4;

  /** Stable rank of a run at a step: falling with the step, distinct per run. */
  static Double stableRank(int k, double init, int rep, int step) {
    if (rep == 1 && step == 4) {
      return null; // not recorded there
    }
    if (rep == 2 && step == 8) {
      return Double.NaN; // a non-finite value carries no percentile
    }
    return 1 + 50.0 / (1 + step * (1 + 0.3 * rep)) + k * 0.01 + init * 100;
  }

  static double effectiveRank(int k, double init, int rep, int step) {
    return 3 * stableRank(k, init, 0, step) + 0.7 * rep;
  }

  static double flipRadius(int k, double init, int rep) {
    return (1 + 0.1 * rep) / Math.sqrt(k) + init;
  }

  /**
   * clusters {4, 16} x init_scale {1e-3, 1e-2}, {@link #REPLICATES} runs each, logged at
   * {@link #STEPS}; the metric columns present when {@code metrics}, null throughout when
   * {@code nulls}.
   */
  private static Path sweep(String name, boolean metrics, boolean nulls) {
    Path dir = tmp.resolve(name);
    List<Row> runs = new ArrayList<>();
    List<Row> curves = new ArrayList<>();
    for (int k : new int[] {4, 16}) {
      for (double init : new double[] {1e-3, 1e-2}) {
        for (int rep = 0; rep < REPLICATES; rep++) {
          String id = name + "-" + k + "-" + init + "-" + rep;
          List<Object> run = new ArrayList<>(List.of(name, id, "clusters", rep, k, init, 0.1,
              0.0, 0.0, "ok", 0.3, 0.9, 0.95, 0.95));
          if (metrics) {
            run.add(nulls ? null : flipRadius(k, init, rep));
            run.add(nulls ? null : 0.5 - init);
          }
          runs.add(RowFactory.create(run.toArray()));
          for (int s : STEPS) {
            double acc = Math.min(1.0, 0.5 + s / 40.0 + 0.01 * rep);
            List<Object> c = new ArrayList<>(List.of(name, id, s, 1 - acc, acc, 1 - acc, acc,
                acc));
            if (metrics) {
              c.add(nulls ? null : stableRank(k, init, rep, s));
              c.add(nulls ? null : effectiveRank(k, init, rep, s));
            }
            curves.add(RowFactory.create(c.toArray()));
          }
        }
      }
    }
    List<Object> runColumns = new ArrayList<>(List.of(Columns.SWEEP, DataTypes.StringType,
        Columns.RUN_ID, DataTypes.StringType, Columns.TASK, DataTypes.StringType,
        Columns.REPLICATE, DataTypes.IntegerType, Columns.CLUSTERS, DataTypes.IntegerType,
        Columns.INIT_SCALE, DataTypes.DoubleType, Columns.STEP_SIZE, DataTypes.DoubleType,
        Columns.NOISE_RATE, DataTypes.DoubleType, Columns.WEIGHT_DECAY, DataTypes.DoubleType,
        Columns.STATUS, DataTypes.StringType, Columns.TEST_LOSS, DataTypes.DoubleType,
        Columns.TRAIN_ACC, DataTypes.DoubleType, Columns.TEST_ACC, DataTypes.DoubleType,
        Columns.TEST_ACC_NOISY, DataTypes.DoubleType));
    List<Object> curveColumns = new ArrayList<>(List.of(Columns.SWEEP, DataTypes.StringType,
        Columns.RUN_ID, DataTypes.StringType, Columns.STEP, DataTypes.IntegerType,
        Columns.TRAIN_LOSS, DataTypes.DoubleType, Columns.TRAIN_ACC, DataTypes.DoubleType,
        Columns.TEST_LOSS, DataTypes.DoubleType, Columns.TEST_ACC, DataTypes.DoubleType,
        Columns.TEST_ACC_NOISY, DataTypes.DoubleType));
    if (metrics) {
      runColumns.addAll(List.of(Columns.FLIP_RADIUS, DataTypes.DoubleType,
          Columns.GRAD_ORTH_SHARE, DataTypes.DoubleType));
      curveColumns.addAll(List.of(Columns.STABLE_RANK, DataTypes.DoubleType,
          Columns.EFFECTIVE_RANK, DataTypes.DoubleType));
    }
    write(dir.resolve(Columns.RUNS), runs, runColumns);
    write(dir.resolve(Columns.CURVES), curves, curveColumns);
    return dir;
  }

  private static void write(Path dir, List<Row> rows, List<Object> columns) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < columns.size(); i += 2) {
      fields.add(DataTypes.createStructField((String) columns.get(i),
          (DataType) columns.get(i + 1), true));
    }
    spark.createDataFrame(rows, DataTypes.createStructType(fields)).coalesce(1).write()
        .parquet(dir.toString());
  }

  /** Linear interpolation between order statistics, as Spark's {@code percentile}. */
  private static double percentile(List<Double> values, double p) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double pos = p * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }

  private static ReportData read(Path dir) {
    Views.register(spark, List.of(dir.toString()));
    ReportDataReader.select(spark, null, ReportDataReader.cuts(null), List.of(dir.toString()));
    return ReportDataReader.read(spark, null, ReportDataReader.cuts(null));
  }

  @Test
  void spectralPercentilesAndFinalMetricsMatchAPlainComputation() {
    ReportData d = read(sweep("metrics", true, false));
    assertThat(d.axes).containsExactly(Columns.CLUSTERS, Columns.INIT_SCALE);
    assertThat(d.spectral).hasSize(4);
    for (Map.Entry<List<Object>, List<SpectralPoint>> e : d.spectral.entrySet()) {
      int k = ((Number) e.getKey().get(0)).intValue();
      double init = ((Number) e.getKey().get(1)).doubleValue();
      assertThat(e.getValue()).extracting(SpectralPoint::step).containsExactly(0, 1, 2, 4, 8,
          16, 32);
      for (SpectralPoint p : e.getValue()) {
        List<Double> stable = new ArrayList<>();
        List<Double> effective = new ArrayList<>();
        for (int rep = 0; rep < REPLICATES; rep++) {
          Double s = stableRank(k, init, rep, p.step());
          if (s != null && !s.isNaN()) {
            stable.add(s);
          }
          effective.add(effectiveRank(k, init, rep, p.step()));
        }
        // a run counts where either rank is finite: the effective rank always is
        assertThat(p.runs()).as("runs at step " + p.step()).isEqualTo(REPLICATES);
        for (int i = 0; i < 3; i++) {
          double q = new double[] {0.2, 0.5, 0.8}[i];
          assertThat(p.stableRank()[i]).as(k + " " + init + " step " + p.step())
              .isCloseTo(percentile(stable, q), within(TOLERANCE * 100));
          assertThat(p.effectiveRank()[i]).isCloseTo(percentile(effective, q),
              within(TOLERANCE * 1000));
        }
      }
    }
    assertThat(d.runs).hasSize(16).allSatisfy(r -> {
      int k = ((Number) r.params().get(Columns.CLUSTERS)).intValue();
      double init = ((Number) r.params().get(Columns.INIT_SCALE)).doubleValue();
      assertThat(r.finals()).containsOnlyKeys(Columns.FLIP_RADIUS, Columns.GRAD_ORTH_SHARE);
      assertThat(r.finals().get(Columns.GRAD_ORTH_SHARE)).isEqualTo(0.5 - init);
      boolean found = false;
      for (int rep = 0; rep < REPLICATES; rep++) {
        found |= r.finals().get(Columns.FLIP_RADIUS) == flipRadius(k, init, rep);
      }
      assertThat(found).isTrue();
    });
  }

  @Test
  void pageListsBothChartsWhereRecordedAndNeitherElsewhere() throws IOException {
    Path out = tmp.resolve("report-metrics");
    Report.Result r = Report.write(spark, List.of(sweep("page", true, false).toString()),
        Report.Options.of(out));
    String html = Files.readString(r.index(), StandardCharsets.UTF_8);
    for (String file : List.of("spectral_dynamics_01.png", "robustness.png")) {
      assertThat(r.images()).contains(out.resolve(file));
      BufferedImage img = ImageIO.read(out.resolve(file).toFile());
      assertThat(img).as(file).isNotNull();
      assertThat(html).contains("<img src=\"" + file + "\" alt=\"");
    }
    assertThat(html).contains("<h2 id=\"spectral-dynamics\">Spectral dynamics</h2>")
        .contains("<h2 id=\"robustness\">Robustness</h2>")
        .contains("<a href=\"#spectral-dynamics\">").contains("<a href=\"#robustness\">")
        .contains("Robustness of the trained networks against clusters")
        .doesNotContain("could not be drawn");
    // axes clusters, init_scale: colour by the second, one panel per value of the first
    assertThat(html).contains("one panel per value of clusters");

    for (boolean nulls : new boolean[] {false, true}) {
      String name = nulls ? "nulls" : "absent";
      Path o = tmp.resolve("report-" + name);
      Report.Result n = Report.write(spark, List.of(sweep(name, nulls, nulls).toString()),
          Report.Options.of(o));
      String page = Files.readString(n.index(), StandardCharsets.UTF_8);
      assertThat(page).as(name).doesNotContain("spectral-dynamics").doesNotContain(
          "id=\"robustness\"");
      assertThat(n.images()).as(name).noneMatch(p -> p.getFileName().toString()
          .startsWith("spectral_dynamics_") || p.getFileName().toString().equals(
              "robustness.png"));
      assertThat(n.explained()).as(name).doesNotContainKeys("Spectral dynamics", "Robustness");
    }
  }
}

package io.grokgrid.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokgrid.vocab.Columns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's interactive learning curves on small synthetic sweeps written as Parquet: the
 * embedded percentiles against a plain-Java percentile of the same rows, the cap on embedded
 * runs, two sweeps compared with one colour per sweep, and, where Debian's {@code chromium} is
 * installed, the page loaded headless from {@code file://} with the network cut off.
 */
class ExploreReportIT {
  /**
   * Spark's {@code percentile} and the Java model interpolate the same two sorted values in
   * double; they differ by at most a few ulps of numbers below 1.
   */
  private static final double TOLERANCE = 1e-12;

  private static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().appName(ExploreReportIT.class.getSimpleName())
        .master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final int[] STEPS = {0, 1, 2, 4, 8, 16, 32};

  /** Train accuracy of a run at a step: distinct per (width, step size, replicate, step). */
  private static double trainAcc(int width, double stepSize, int replicate, int step) {
    return Math.min(1.0, 0.5 + step * stepSize * (1 + replicate * 0.37) / (width / 8.0) / 10);
  }

  /** Test accuracy: below train accuracy, lower for the wider net. */
  private static double testAcc(int width, double stepSize, int replicate, int step) {
    return 0.8 * trainAcc(width, stepSize, replicate, step) + 0.01 * ((replicate * 7) % 5);
  }

  /**
   * A sweep over width {8, 16} x step_size {0.1, 1.0} with {@code replicates} runs per point,
   * each logged at {@link #STEPS}; {@code shift} tells two sweeps apart.
   */
  private static Path sweep(String name, int replicates, double shift) {
    Path dir = tmp.resolve(name);
    List<Row> runs = new ArrayList<>();
    List<Row> curves = new ArrayList<>();
    for (int width : new int[] {8, 16}) {
      for (double eta : new double[] {0.1, 1.0}) {
        for (int rep = 0; rep < replicates; rep++) {
          String id = name + "-" + width + "-" + eta + "-" + rep;
          runs.add(RowFactory.create(name, id, "xor-clusters", rep, 0.1, width, eta, 0.0, "ok",
              0.5, 0.9, 0.8));
          for (int s : STEPS) {
            double tr = Math.min(1.0, trainAcc(width, eta, rep, s) + shift);
            double te = testAcc(width, eta, rep, s) + shift;
            curves.add(RowFactory.create(name, id, s, 1 - tr, tr, 1 - te, te, te));
          }
        }
      }
    }
    write(dir.resolve(Columns.RUNS), runs, Columns.SWEEP, DataTypes.StringType, Columns.RUN_ID,
        DataTypes.StringType, Columns.TASK, DataTypes.StringType, Columns.REPLICATE,
        DataTypes.IntegerType, Columns.NOISE_RATE, DataTypes.DoubleType, Columns.WIDTH,
        DataTypes.IntegerType, Columns.STEP_SIZE, DataTypes.DoubleType, Columns.WEIGHT_DECAY,
        DataTypes.DoubleType, Columns.STATUS, DataTypes.StringType, Columns.TEST_LOSS,
        DataTypes.DoubleType, Columns.TRAIN_ACC, DataTypes.DoubleType, Columns.TEST_ACC_NOISY,
        DataTypes.DoubleType);
    write(dir.resolve(Columns.CURVES), curves, Columns.SWEEP, DataTypes.StringType,
        Columns.RUN_ID, DataTypes.StringType, Columns.STEP, DataTypes.IntegerType,
        Columns.TRAIN_LOSS, DataTypes.DoubleType, Columns.TRAIN_ACC, DataTypes.DoubleType,
        Columns.TEST_LOSS, DataTypes.DoubleType, Columns.TEST_ACC, DataTypes.DoubleType,
        Columns.TEST_ACC_NOISY, DataTypes.DoubleType);
    return dir;
  }

  private static void write(Path dir, List<Row> rows, Object... columns) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < columns.length; i += 2) {
      fields.add(DataTypes.createStructField((String) columns[i], (DataType) columns[i + 1],
          true));
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

  private static JsonNode embedded(Path index) throws IOException {
    String html = Files.readString(index, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\""
        + InteractiveCurves.DATA_ELEMENT + "\">(.*?)</script>", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).as("the page embeds the curves").isTrue();
    return new ObjectMapper().readTree(m.group(1));
  }

  @Test
  void embedsThePercentilesOfEachGridPointAndTheLowestReplicatesAsRuns() throws IOException {
    int replicates = InteractiveCurves.RUNS_PER_POINT + 3;
    Path a = sweep("one", replicates, 0);
    Path out = tmp.resolve("report-one");

    Report.Result r = Report.write(spark, List.of(a.toString()), Report.Options.of(out));

    JsonNode d = embedded(r.index());
    assertThat(d.get("axes").toString()).isEqualTo("[\"width\",\"step_size\"]");
    assertThat(d.get("layout").get("row").asText()).isEqualTo(Columns.WIDTH);
    assertThat(d.get("layout").get("col").asText()).isEqualTo(Columns.STEP_SIZE);
    JsonNode points = d.get("points");
    assertThat(points).hasSize(4);
    int i = 0;
    for (int width : new int[] {8, 16}) {
      for (double eta : new double[] {0.1, 1.0}) {
        JsonNode p = points.get(i++);
        assertThat(p.get("label").asText())
            .isEqualTo("width=" + width + ", step_size=" + Fmt.num(eta));
        assertThat(p.get("steps").toString()).isEqualTo("[1,2,4,8,16,32]");
        for (int k = 0; k < STEPS.length - 1; k++) {
          int s = STEPS[k + 1];
          List<Double> train = new ArrayList<>();
          List<Double> test = new ArrayList<>();
          for (int rep = 0; rep < replicates; rep++) {
            train.add(trainAcc(width, eta, rep, s));
            test.add(testAcc(width, eta, rep, s));
          }
          assertThat(p.get("runs").get(k).asInt()).isEqualTo(replicates);
          double[] ps = {0.2, 0.5, 0.8};
          for (int q = 0; q < 3; q++) {
            assertThat(p.get("train").get(k).get(q).asDouble())
                .isCloseTo(percentile(train, ps[q]), within(TOLERANCE));
            assertThat(p.get("test").get(k).get(q).asDouble())
                .isCloseTo(percentile(test, ps[q]), within(TOLERANCE));
          }
        }
      }
    }
    JsonNode runs = d.get("runs");
    assertThat(runs).hasSize(4 * InteractiveCurves.RUNS_PER_POINT);
    JsonNode first = runs.get(0);
    assertThat(first.get("id").asText()).isEqualTo("one-8-0.1-0");
    assertThat(first.get("point").asInt()).isZero();
    List<Double> values = new ArrayList<>();
    first.get("train").forEach(v -> values.add(v.asDouble()));
    List<Double> expected = new ArrayList<>();
    for (int k = 1; k < STEPS.length; k++) {
      expected.add(trainAcc(8, 0.1, 0, STEPS[k]));
    }
    assertThat(values).isEqualTo(expected);
    assertThat(d.get("runsNote").asText()).isEqualTo(String.format(
        "%d of %d runs (the lowest replicates of each grid point, to keep the page small)",
        4 * InteractiveCurves.RUNS_PER_POINT, 4 * replicates));
    for (JsonNode run : runs) {
      String id = run.get("id").asText();
      int rep = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
      assertThat(rep).as(id).isLessThan(InteractiveCurves.RUNS_PER_POINT);
    }
    assertThat(out.resolve(InteractiveCurves.SCRIPT)).isRegularFile();
    assertNoNetworkReference(r.index());
  }

  @Test
  void twoSweepsShareThePanelsWithOneColourPerSweep() throws IOException {
    Path a = sweep("left", 3, 0);
    Path b = sweep("right", 3, 0.05);
    Path out = tmp.resolve("report-ab");

    Report.Result r = Report.write(spark, List.of(a.toString(), b.toString()),
        Report.Options.of(out));

    JsonNode d = embedded(r.index());
    assertThat(d.get("layout").get("colour").asText()).isEqualTo(Columns.SWEEP);
    assertThat(d.get("layout").get("row").asText()).isEqualTo(Columns.WIDTH);
    assertThat(d.get("layout").get("col").asText()).isEqualTo(Columns.STEP_SIZE);
    Map<String, List<String>> bySweep = new TreeMap<>();
    for (JsonNode p : d.get("points")) {
      bySweep.computeIfAbsent(p.get("labels").get(0).asText(), k -> new ArrayList<>())
          .add(p.get("labels").get(1).asText() + "," + p.get("labels").get(2).asText());
    }
    assertThat(bySweep.keySet()).containsExactly("left", "right");
    assertThat(bySweep.get("left")).isEqualTo(bySweep.get("right")).hasSize(4);
    // the right sweep's test curve is the left one shifted up by 0.05 at every percentile
    JsonNode left = d.get("points").get(0);
    JsonNode right = d.get("points").get(4);
    assertThat(right.get("label").asText()).isEqualTo("sweep=right, width=8, step_size=0.1");
    for (int k = 0; k < left.get("steps").size(); k++) {
      assertThat(right.get("test").get(k).get(1).asDouble() - left.get("test").get(k).get(1)
          .asDouble()).isCloseTo(0.05, within(TOLERANCE));
    }
    browserCheck(r.index(), 4);
  }

  private static void assertNoNetworkReference(Path index) throws IOException {
    String html = Files.readString(index, StandardCharsets.UTF_8);
    Matcher refs = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    int n = 0;
    while (refs.find()) {
      assertThat(refs.group(1)).as("a reference in the page").doesNotContain(":")
          .doesNotStartWith("//");
      n++;
    }
    assertThat(n).isPositive();
    assertThat(html).contains("<script src=\"" + InteractiveCurves.SCRIPT + "\"></script>");
  }

  /**
   * Loads the page in headless Chromium from {@code file://}, every host name unresolvable and
   * a proxy that refuses, and checks that the script drew {@code panels} panels with no error.
   * Skipped where no {@code chromium} is installed.
   */
  private static void browserCheck(Path index, int panels) throws IOException {
    Path chromium = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(d -> Path.of(d, "chromium")).filter(Files::isExecutable).findFirst().orElse(null);
    Assumptions.assumeTrue(chromium != null, "chromium is not installed; browser check skipped");
    Path profile = Files.createTempDirectory(tmp, "chromium");
    ProcessBuilder pb = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9", "--virtual-time-budget=5000", "--enable-logging=stderr",
        "--dump-dom", index.toUri().toString());
    Path err = profile.resolve("stderr.txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finishes").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String log = Files.readString(err, StandardCharsets.UTF_8);
    // the section's element after the script ran: what it drew, or data-error on a failure
    Matcher root = Pattern.compile("<div id=\"gg-explore\"[^>]*>").matcher(dom);
    assertThat(root.find()).as("the interactive section in the DOM").isTrue();
    String drawn = root.group();
    assertThat(drawn).doesNotContain("data-error");
    assertThat(drawn).contains("data-panels=\"" + panels + "\"");
    assertThat(drawn).containsPattern("data-series=\"[1-9]\\d*\"");
    // every panel's canvas has at least 1000 painted pixels: axes, labels and curves were drawn
    assertThat(drawn).containsPattern("data-ink=\"[1-9]\\d{3,}\"");
    assertThat(dom).contains("<canvas");
    assertThat(log).as("console errors").doesNotContain("Uncaught")
        .doesNotContain(":ERROR:CONSOLE");
  }
}

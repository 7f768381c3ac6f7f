package io.grokgrid.jobs.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.Sessions;
import io.grokgrid.jobs.SweepJob;
import io.grokgrid.jobs.spec.SpecParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * grokgrid on a real Spark standalone cluster: a Master and two Worker JVMs on 127.0.0.1 with
 * {@code spark.authenticate} on, drivers submitted through SparkSubmit (client mode) with the
 * shaded cluster jar. A lost driver is resumed, a lost worker is survived, and submissions
 * without the right secret are refused without writing anything. Every result is compared with
 * the same spec run here in local mode: the numbers must be equal, not close (the same code on
 * the same seeds, one math thread per task; the README promises equality across executors).
 *
 * <p>All processes (Master, Workers, their executors, drivers) are stopped in {@code @AfterAll},
 * and by {@link Procs}'s shutdown hook should this JVM be ended first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
  /** 8 data sets (one task each) x 2 step sizes packed together = 16 runs, seconds per task. */
  static final String SPEC = """
      name: cluster
      task: xor-clusters
      seed: 11
      replicates: 8
      steps: 500
      log_points: 20
      fixed: {n_train: 40, n_test: 40, dim: 3000, width: 64, init_scale: 1.0e-6, noise_rate: 0.1}
      grid:
        step_size: [1.0e-3, 1.0e-1]
      """;
  static final int RUNS = 16;

  static Path dir;
  static Path spec;
  static StandaloneCluster cluster;
  static SparkSession spark;
  static Path reference;
  /** Refused submissions take Spark's registration retries (about a minute): run in background. */
  static Process wrongSecret;
  static Process noAuth;

  @BeforeAll
  static void start() throws Exception {
    dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("target/cluster-it");
    deleteTree(dir);
    Files.createDirectories(dir);
    spec = dir.resolve("cluster.yaml");
    Files.writeString(spec, SPEC);
    cluster = StandaloneCluster.start(dir.resolve("cluster"), 2);
    // a driver that presents a wrong secret, and one with authentication off: the master must
    // refuse both before anything is written
    wrongSecret = cluster.submit("wrong-secret",
        cluster.submitConf("wrong-secret", List.of("spark.authenticate.secret not-the-secret"), List.of()),
        "run", spec.toString(), "--out", dir.resolve("out-wrong-secret").toString());
    noAuth = cluster.submit("no-auth",
        cluster.submitConf("no-auth", List.of("spark.authenticate false", "spark.network.crypto.enabled false"),
            List.of()),
        "run", spec.toString(), "--out", dir.resolve("out-no-auth").toString());

    spark = Sessions.local("local[2]", StandaloneClusterIT.class.getSimpleName());
    reference = dir.resolve("reference-local");
    SweepJob.run(spark, SpecParser.parse(SPEC, "cluster.yaml"),
        new SweepJob.Options(reference.toString(), SweepJob.Existing.REFUSE, 0, false),
        new PrintStream(new ByteArrayOutputStream()));
    assertThat(runs(reference)).hasSize(RUNS);
  }

  @AfterAll
  static void stop() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      Procs.stopAll();
    }
    // each executor kept a copy of the ~130 MB cluster jar in its work directory; the logs stay
    if (dir == null || !Files.isDirectory(dir.resolve("cluster"))) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir.resolve("cluster"))) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")
          && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
        Files.delete(jar);
      }
    } catch (IOException e) {
      // only disk space is at stake
    }
  }

  @Test
  @Order(1)
  void killedDriverIsResumedAndEveryRunIsStoredOnce() throws Exception {
    Path out = dir.resolve("out-resume");
    // batches of 2 data sets: 4 committed steps the resumed driver can keep
    Path conf = cluster.submitConf("resume", cluster.rightSecret(), List.of("spark.grokgrid.unitsPerBatch 2"));
    Process first = cluster.submit("driver-killed", conf, "run", spec.toString(), "--out", out.toString());
    try {
      StandaloneCluster.awaitFile(out.resolve("_batches/batch-00000/_SUCCESS"), first, cluster.log("driver-killed"));
    } finally {
      Procs.killTree(first); // the driver dies mid-sweep (SIGKILL: no shutdown hooks, no cleanup)
    }
    assertThat(out.resolve("runs")).as("tables are written only at the end").doesNotExist();

    Process second = cluster.submit("driver-resumed", conf, "run", spec.toString(), "--out", out.toString(),
        "--resume");
    String log;
    try {
      int code = StandaloneCluster.exit(second, cluster.log("driver-resumed"));
      log = read(cluster.log("driver-resumed"));
      assertThat(code).as(StandaloneCluster.tail(log)).isZero();
    } finally {
      Procs.killTree(second);
    }
    Matcher m = Pattern.compile("wrote \\S+: 16 runs \\((\\d+) trained now\\), by status \\{ok=16\\}").matcher(log);
    assertThat(m.find()).as(log).isTrue();
    int trainedNow = Integer.parseInt(m.group(1));
    assertThat(trainedNow).as("the resumed driver kept the committed batches and trained the rest")
        .isGreaterThan(0).isLessThan(RUNS);
    assertThat(runs(out)).isEqualTo(runs(reference));
    assertThat(curves(out)).isEqualTo(curves(reference));
  }

  @Test
  @Order(2)
  void submissionsWithoutTheSecretAreRefusedAndWriteNothing() throws Exception {
    // authentication on but no secret: Spark refuses before contacting the master
    Process missing = cluster.submit("missing-secret", cluster.submitConf("missing-secret", List.of(), List.of()),
        "run", spec.toString(), "--out", dir.resolve("out-missing-secret").toString());
    try {
      assertThat(StandaloneCluster.exit(missing, cluster.log("missing-secret"))).isEqualTo(2);
    } finally {
      Procs.killTree(missing);
    }
    assertThat(read(cluster.log("missing-secret")))
        .contains("grokgrid: requirement failed: A secret key must be specified via the spark.authenticate.secret config");
    assertThat(dir.resolve("out-missing-secret")).doesNotExist();

    String refused = "grokgrid: the Spark master " + cluster.masterUrl() + " did not accept this application"
        + " (is the master up, and is spark.authenticate.secret the cluster's secret?)";
    for (String name : List.of("wrong-secret", "no-auth")) {
      Process p = name.equals("wrong-secret") ? wrongSecret : noAuth;
      try {
        assertThat(StandaloneCluster.exit(p, cluster.log(name))).as(name).isEqualTo(2);
      } finally {
        Procs.killTree(p);
      }
      assertThat(read(cluster.log(name))).as(name).contains(refused);
      assertThat(dir.resolve("out-" + name)).as(name).doesNotExist();
    }
  }

  @Test
  @Order(3)
  void lostWorkerIsSurvivedAndEveryRunIsStoredOnce() throws Exception {
    Path out = dir.resolve("out-lost-worker");
    Path conf = cluster.submitConf("lost-worker", cluster.rightSecret(), List.of());
    Process driver = cluster.submit("lost-worker", conf, "run", spec.toString(), "--out", out.toString(), "--verbose");
    Path log = cluster.log("lost-worker");
    String text;
    try {
      // after the first run finished, kill the Worker whose executor just took the next task
      Matcher fin = StandaloneCluster.await(log, Pattern.compile(
          "Finished task \\S+ in stage \\S+ \\(TID \\d+\\) in \\d+ ms on 127\\.0\\.0\\.1 \\(executor (\\d+)\\)"), driver);
      String exec = fin.group(1);
      Matcher granted = Pattern.compile("Granted executor ID app-[\\d-]+/" + exec + " on hostPort 127\\.0\\.0\\.1:(\\d+)")
          .matcher(read(log));
      assertThat(granted.find()).as("executor " + exec + " was granted on a known worker").isTrue();
      int worker = cluster.workerPorts.indexOf(Integer.parseInt(granted.group(1)));
      assertThat(worker).isNotNegative();
      Procs.killOnly(cluster.workers.get(worker));

      int code = StandaloneCluster.exit(driver, log);
      text = read(log);
      assertThat(code).as(StandaloneCluster.tail(text)).isZero();
      assertThat(text).as("the driver saw the executor go").containsPattern(
          "Executor app-[\\d-]+/" + exec + " removed: worker lost|Lost executor " + exec + " on 127\\.0\\.0\\.1");
    } finally {
      Procs.killTree(driver);
    }
    assertThat(text).contains("wrote " + out + ": 16 runs (16 trained now), by status {ok=16}");
    assertThat(runs(out)).isEqualTo(runs(reference));
    assertThat(curves(out)).isEqualTo(curves(reference));
  }

  /** run_id -> every column but wall_ms, as text (exact: doubles print round-trip); each id once. */
  static Map<String, String> runs(Path out) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve("runs").toString()).drop("wall_ms").collectAsList()) {
      assertThat(m.put(r.getAs("run_id"), r.toString())).as("run_id %s once", (Object) r.getAs("run_id")).isNull();
    }
    return m;
  }

  /** (run_id, step) -> metrics as text; each pair once. */
  static Map<String, String> curves(Path out) {
    Map<String, String> m = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve("curves").toString()).collectAsList()) {
      assertThat(m.put(r.getAs("run_id") + "@" + r.getAs("step"), r.toString())).isNull();
    }
    return m;
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  static void deleteTree(Path d) throws IOException {
    if (!Files.exists(d)) {
      return;
    }
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package io.grokgrid.jobs.cluster;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1, as cluster-configs/local-cluster starts one: a
 * Master and Worker JVMs from the Maven-resolved Spark jars, {@code spark.authenticate} on with a
 * random secret, AES-encrypted RPC. Drivers are submitted through {@code SparkSubmit}'s main class
 * in client mode with the shaded cluster jar, in their own JVMs.
 */
final class StandaloneCluster implements AutoCloseable {
  /** Hang guard for waits on daemons and drivers (not a timing assertion). */
  static final long GUARD_MS = 300_000;

  static final Path JAR = Path.of(required("grokgrid.clusterJar"));
  static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  private static final List<String> FLAGS = List.of(required("grokgrid.sparkJvmFlags").trim().split("\\s+"));

  final Path dir;
  final String secret;
  final int port;
  final Process master;
  final List<Process> workers = new ArrayList<>();
  final List<Integer> workerPorts = new ArrayList<>();
  private final String sparkClasspath;
  private final Path sparkHome;

  private StandaloneCluster(Path dir, int workerCount) throws Exception {
    this.dir = dir;
    this.sparkClasspath = Files.readString(Path.of(required("grokgrid.sparkClasspath"))).strip();
    // a secret must be unpredictable: SecureRandom, not a seeded generator
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    this.secret = HexFormat.of().formatHex(b);
    this.sparkHome = sparkHome(dir.resolve("spark-home"), sparkClasspath);
    Path daemonConf = dir.resolve("daemon.conf");
    Files.writeString(daemonConf, String.join("\n",
        "spark.authenticate true",
        "spark.authenticate.secret " + secret,
        "spark.network.crypto.enabled true",
        "spark.master.rest.enabled false", ""));
    this.port = freePort();
    master = Procs.start(java("-Xmx256m", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--webui-port", "0", "--properties-file", daemonConf.toString()),
        Map.of("SPARK_LOCAL_IP", "127.0.0.1"), dir.resolve("master.log"));
    await(dir.resolve("master.log"), Pattern.compile("I have been elected leader"), master);
    for (int i = 1; i <= workerCount; i++) {
      Path work = Files.createDirectories(dir.resolve("work-" + i));
      int wp = freePort();
      workerPorts.add(wp);
      // SPARK_HOME: the Worker builds its executors' classpath from $SPARK_HOME/jars
      workers.add(Procs.start(java("-Xmx256m", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--port", String.valueOf(wp), "--cores", "1", "--memory", "1g", "--work-dir", work.toString(),
          "--webui-port", "0", "--properties-file", daemonConf.toString(), masterUrl()),
          Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13", "SPARK_LOCAL_IP", "127.0.0.1"),
          dir.resolve("worker-" + i + ".log")));
    }
    for (int i = 1; i <= workerCount; i++) {
      await(dir.resolve("worker-" + i + ".log"), Pattern.compile("Successfully registered with master"),
          workers.get(i - 1));
    }
  }

  /** Starts a Master and {@code workers} Workers (each 1 core, 1 GiB); stops them if that fails. */
  static StandaloneCluster start(Path dir, int workers) throws Exception {
    Files.createDirectories(dir);
    try {
      return new StandaloneCluster(dir, workers);
    } catch (Exception | Error e) {
      Procs.stopAll();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /**
   * The driver's properties: the repository's cluster-configs/standalone.conf (so the tests run
   * what users run), then this cluster's master, the given secret line(s), loopback addresses and
   * executors sized to the 1-core, 1 GiB workers.
   */
  Path submitConf(String name, List<String> authLines, List<String> extra) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(ROOT.resolve("cluster-configs/standalone.conf")));
    lines.add("spark.master " + masterUrl());
    lines.addAll(authLines);
    lines.addAll(List.of(
        "spark.driver.host 127.0.0.1",
        "spark.driver.bindAddress 127.0.0.1",
        "spark.executor.cores 1",
        "spark.executor.memory 1g",
        "spark.executor.extraJavaOptions -Dorg.bytedeco.javacpp.maxbytes=1g -Dorg.bytedeco.javacpp.maxphysicalbytes=0"));
    lines.addAll(extra);
    Path p = dir.resolve(name + ".conf");
    Files.write(p, lines);
    return p;
  }

  /** The secret line of a submission that knows the cluster's secret. */
  List<String> rightSecret() {
    return List.of("spark.authenticate.secret " + secret);
  }

  /** Starts a driver: SparkSubmit (client mode) with the cluster jar; output in NAME.log. */
  Process submit(String name, Path conf, String... cliArgs) throws IOException {
    List<String> cmd = java("-Xmx1g", "org.apache.spark.deploy.SparkSubmit", "--properties-file", conf.toString(),
        "--class", "io.grokgrid.jobs.Cli", JAR.toString());
    cmd.addAll(List.of(cliArgs));
    return Procs.start(cmd, Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1",
        "SPARK_LOCAL_IP", "127.0.0.1"), log(name));
  }

  Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private List<String> java(String heap, String main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(FLAGS);
    cmd.add(heap);
    cmd.add("-cp");
    cmd.add(sparkClasspath);
    cmd.add(main);
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Override
  public void close() {
    Procs.stopAll();
  }

  /** A Spark home whose jars/ links the Maven-resolved Spark jars, what a Worker needs. */
  private static Path sparkHome(Path home, String classpath) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String e : classpath.split(java.io.File.pathSeparator)) {
      Path jar = Path.of(e);
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    return home;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits until {@code log} matches {@code pattern}; fails if {@code proc} exits first. */
  static Matcher await(Path log, Pattern pattern, Process proc) throws IOException, InterruptedException {
    long end = System.currentTimeMillis() + GUARD_MS;
    while (true) {
      String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      Matcher m = pattern.matcher(text);
      if (m.find()) {
        return m;
      }
      if (!proc.isAlive()) {
        fail("process exited (" + proc.exitValue() + ") before its log matched /" + pattern + "/:\n" + tail(text));
      }
      if (System.currentTimeMillis() > end) {
        fail("hang guard: no /" + pattern + "/ in " + log + " after " + GUARD_MS / 1000 + " s:\n" + tail(text));
      }
      Thread.sleep(100);
    }
  }

  /** Waits for a file to appear; fails if {@code proc} exits first. */
  static void awaitFile(Path file, Process proc, Path log) throws IOException, InterruptedException {
    long end = System.currentTimeMillis() + GUARD_MS;
    while (!Files.exists(file)) {
      if (!proc.isAlive() || System.currentTimeMillis() > end) {
        fail("no " + file + (proc.isAlive() ? " (hang guard)" : " before the process exited") + ":\n"
            + tail(Files.readString(log, StandardCharsets.UTF_8)));
      }
      Thread.sleep(50);
    }
  }

  /** Waits for a process to end and returns its exit status (hang guard: then it is killed). */
  static int exit(Process p, Path log) throws IOException, InterruptedException {
    if (!p.waitFor(GUARD_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      Procs.killTree(p);
      fail("hang guard: process still running after " + GUARD_MS / 1000 + " s:\n"
          + tail(Files.readString(log, StandardCharsets.UTF_8)));
    }
    return p.exitValue();
  }

  static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
  }

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null) {
      throw new IllegalStateException("system property " + key + " is not set (run through mvn verify)");
    }
    return v;
  }
}

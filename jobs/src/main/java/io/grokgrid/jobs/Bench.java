package io.grokgrid.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.MathThreads;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Seeds;
import io.grokgrid.engine.net.Dataset;
import io.grokgrid.engine.net.GdTrainer;
import io.grokgrid.engine.net.MaskKernelBench;
import io.grokgrid.engine.net.Net;
import io.grokgrid.engine.net.XorClusters;
import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.MemoryPlan;
import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.SpecKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The speed benchmark (not part of the test suite): prints one JSON line per case with wall
 * time, runs/s, steps/s, achieved GFLOP/s (the trainer's flop model over wall time) and the
 * process's peak RSS (reset before each case where the kernel allows).
 *
 * <ul>
 *   <li>{@code fig1-right}: sweeps/xor-fig1-right.yaml through Spark (p = 40000, n = 200,
 *       m = 1000, 5000 steps, 100 replicates), with the medians that reproduce the paper.
 *   <li>{@code fig1-right-primal-step}: seconds per step of the primal form at that size.
 *   <li>{@code mask-kernel}: one dual step of one run by the mask kernel against the dense step
 *       (GEMM plus elementwise passes), one thread, n = 100, 200, 400, 800 and m = 20, 1000; the
 *       effective GFLOP/s count the dense product's 2 m n^2 flops; and the primal form's
 *       backward update (mask kernel vs elementwise pass + GEMM) at m = 20, 1000, n = 100, 200,
 *       400, p = 50, 200, 1000.
 *   <li>{@code many-small}: 10,000 tiny runs (p = 50, n = 100, m = 20, 1000 steps, 10 x 10 step
 *       size x weight decay over 100 replicates), at local[2] and local[1].
 *   <li>{@code scaling}: many-small in fresh JVMs, at local[1] and local[2], each run twice in its
 *       JVM (cold, then warm), and once at local[1] in a JVM pinned to one CPU with
 *       {@code taskset}; prints the speed-ups. At local[1] the JVM's own threads (JIT compilers,
 *       GC) still run on the other cores; pinned, the whole process has one CPU.
 * </ul>
 *
 * <p>Sweep lines also carry the process's CPU time ({@code cpu_s}), the JIT compilers' time
 * ({@code jit_s}) and the collectors' time ({@code gc_s}) over the case: CPU beyond the training
 * threads' that a one-task-slot run gets from the idle cores for free.
 */
final class Bench {
  private Bench() {}

  static final String MANY_SMALL = """
      name: many-small
      task: xor-clusters
      seed: 11
      replicates: 100
      steps: 1000
      log_points: 50
      metrics: []
      fixed: {n_train: 100, n_test: 100, dim: 50, width: 20, noise_rate: 0.1, init_scale: 0.01}
      grid:
        step_size: [0.01, 0.0167, 0.0278, 0.0464, 0.0774, 0.129, 0.215, 0.359, 0.599, 1.0]
        weight_decay: [0.0, 0.0001, 0.000278, 0.000774, 0.00215, 0.00599, 0.0167, 0.0464, 0.129, 0.359]
      """;

  static final String FIG1_RIGHT = "fig1-right";
  static final String PRIMAL_STEP = "fig1-right-primal-step";
  static final String MANY_SMALL_CASE = "many-small";
  static final String MANY_SMALL_1CORE = "many-small-1core";
  static final String SCALING = "scaling";
  static final String MASK_KERNEL = "mask-kernel";
  /** Every case, in the order a bare {@code grokgrid bench} runs them. */
  static final List<String> CASES = List.of(MASK_KERNEL, PRIMAL_STEP, MANY_SMALL_CASE, MANY_SMALL_1CORE, SCALING, FIG1_RIGHT);

  /** The machine, for every line: figures compare only within one machine kind and session. */
  private static final String CPU = cpu(Path.of("/proc/cpuinfo"));

  /**
   * The CPU as /proc/cpuinfo describes its first core: model name, family and model (machines of
   * one model name differ by generation), and the widest vector instructions it has (avx512f,
   * avx2, else none); {@code os.arch} where the file is absent or unreadable.
   */
  static String cpu(Path cpuinfo) {
    String fallback = System.getProperty("os.arch");
    List<String> lines;
    try {
      lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
    Map<String, String> first = new LinkedHashMap<>();
    for (String l : lines) {
      if (l.isBlank() && !first.isEmpty()) {
        break;
      }
      int colon = l.indexOf(':');
      if (colon > 0) {
        first.putIfAbsent(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
      }
    }
    String model = first.get("model name");
    if (model == null) {
      return fallback;
    }
    List<String> flags = List.of(first.getOrDefault("flags", "").split("\\s+"));
    String vector = flags.contains("avx512f") ? "avx512f" : flags.contains("avx2") ? "avx2" : "no avx2";
    return model + " (family " + first.getOrDefault("cpu family", "?") + ", model "
        + first.getOrDefault("model", "?") + ", " + vector + ")";
  }

  static int run(List<String> cases, Path sweeps, String master, PrintStream out) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String c : cases) {
      Map<String, Object> line = switch (c) {
        case FIG1_RIGHT -> sweep(SpecParser.read(sweeps.resolve("xor-fig1-right.yaml")), master, true);
        case PRIMAL_STEP -> primalStep();
        case MANY_SMALL_CASE -> sweep(SpecParser.parse(MANY_SMALL, MANY_SMALL_CASE), master, false);
        case MANY_SMALL_1CORE -> sweep(SpecParser.parse(MANY_SMALL, MANY_SMALL_CASE), "local[1]", false);
        case SCALING -> scaling(sweeps);
        case MASK_KERNEL -> maskKernel();
        default -> throw new IllegalArgumentException("bench case must be one of " + CASES + ", got " + c);
      };
      line.put("case", c);
      line.put("cores", Runtime.getRuntime().availableProcessors());
      line.put("cpu", CPU);
      out.println(json.writeValueAsString(line));
      out.flush();
    }
    return 0;
  }

  private static Map<String, Object> sweep(SweepSpec spec, String master, boolean medians) throws IOException {
    Path dir = Files.createTempDirectory("grokgrid-bench-");
    resetPeak();
    long cpu0 = processCpuNanos();
    long jit0 = jitMillis();
    long gc0 = gcMillis();
    long t0 = System.nanoTime();
    SparkSession spark = Sessions.builder(master, "grokgrid bench", false).getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Map<String, Object> line = new LinkedHashMap<>();
    try {
      String out = dir.resolve(spec.name()).toString();
      SweepJob.Summary sum = SweepJob.run(spark, spec,
          new SweepJob.Options(out, SweepJob.Existing.REFUSE, 0, false),
          System.err); // the progress lines (ETA at 10/25/50/75% of the work) beside the JSON on stdout
      double wall = (System.nanoTime() - t0) / 1e9;
      double flops = new Lattice(spec, MemoryPlan.Budget.of(null)).plan().work(spec.replicates());
      line.put(SpecKeys.MASTER, master);
      line.put(SpecKeys.RUNS, spec.runCount());
      line.put("wall_s", round(wall));
      line.put("runs_per_s", round(spec.runCount() / wall));
      line.put("steps_per_s", round(spec.runCount() * (double) spec.steps() / wall));
      line.put("gflop_per_s", round(flops / wall / 1e9));
      line.put("train_s", round(sum.trainMs() / 1e3));
      line.put("tables_s", round(sum.tablesMs() / 1e3));
      line.put("startup_s", round(wall - (sum.trainMs() + sum.tablesMs()) / 1e3));
      line.put("peak_rss_mib", peakRssMib());
      line.put("cpu_s", round((processCpuNanos() - cpu0) / 1e9));
      line.put("jit_s", round((jitMillis() - jit0) / 1e3));
      line.put("gc_s", round((gcMillis() - gc0) / 1e3));
      Row forms = spark.read().parquet(out + "/" + Columns.RUNS).groupBy(Columns.FORM).count().first();
      line.put(Columns.FORM, forms.getString(0));
      if (medians) {
        spark.read().parquet(out + "/" + Columns.CURVES).createOrReplaceTempView(Columns.CURVES);
        for (Row r : spark.sql("SELECT step, percentile(train_acc, 0.5) AS tr, percentile(test_acc, 0.5) AS te "
            + "FROM curves WHERE step IN (1, 40, 100, 200, 1000, 1550, 2350, 5000) GROUP BY step ORDER BY step").collectAsList()) {
          line.put("median_train_acc@" + r.getInt(0), r.getDouble(1));
          line.put("median_test_acc@" + r.getInt(0), r.getDouble(2));
        }
        Row first = spark.sql("SELECT min(step) FROM (SELECT step, percentile(test_acc, 0.5) AS te FROM curves "
            + "GROUP BY step) WHERE te >= 0.95").first();
        line.put("first_step_median_test_acc_ge_0.95", first.isNullAt(0) ? null : first.getInt(0));
        Row fit = spark.sql("SELECT min(step) FROM (SELECT step, percentile(train_acc, 0.5) AS tr FROM curves "
            + "GROUP BY step) WHERE tr >= 1.0").first();
        line.put("first_step_median_train_acc_1", fit.isNullAt(0) ? null : fit.getInt(0));
      }
    } finally {
      spark.stop();
      FileUtil.fullyDelete(dir.toFile()); // best effort: a temporary directory
    }
    return line;
  }

  /**
   * many-small in fresh JVMs (the same java, JVM options and class path as this one), cold and
   * warm at local[1] and local[2], and cold at local[1] pinned to one CPU.
   */
  private static Map<String, Object> scaling(Path sweeps) throws IOException {
    List<Map<String, Object>> one = child(sweeps, "local[1]", false, 2);
    List<Map<String, Object>> two = child(sweeps, "local[2]", false, 2);
    List<Map<String, Object>> pinned = child(sweeps, "local[1]", true, 1);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("wall_s_local1", one.get(0).get("wall_s"));
    line.put("wall_s_local2", two.get(0).get("wall_s"));
    line.put("speedup", ratio(one.get(0), two.get(0), "wall_s"));
    line.put("train_speedup", ratio(one.get(0), two.get(0), "train_s"));
    line.put("warm_wall_s_local1", one.get(1).get("wall_s"));
    line.put("warm_wall_s_local2", two.get(1).get("wall_s"));
    line.put("warm_speedup", ratio(one.get(1), two.get(1), "wall_s"));
    line.put("warm_train_speedup", ratio(one.get(1), two.get(1), "train_s"));
    line.put("cpu_s_local1", one.get(0).get("cpu_s"));
    line.put("jit_s_local1", one.get(0).get("jit_s"));
    line.put("cpu_s_local2", two.get(0).get("cpu_s"));
    line.put("jit_s_local2", two.get(0).get("jit_s"));
    if (pinned.isEmpty()) {
      line.put("wall_s_1cpu", null);
      line.put("speedup_vs_1cpu", null);
    } else {
      line.put("wall_s_1cpu", pinned.get(0).get("wall_s"));
      line.put("speedup_vs_1cpu", ratio(pinned.get(0), two.get(0), "wall_s"));
    }
    return line;
  }

  private static Double ratio(Map<String, Object> slow, Map<String, Object> fast, String key) {
    return round(((Number) slow.get(key)).doubleValue() / ((Number) fast.get(key)).doubleValue());
  }

  /**
   * Runs {@code bench many-small} {@code times} times in a fresh JVM at {@code master}, pinned to
   * CPU 0 with taskset if asked; returns its JSON lines (none if taskset is missing).
   */
  private static List<Map<String, Object>> child(Path sweeps, String master, boolean pin, int times)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    if (pin) {
      if (!Files.isExecutable(Path.of("/usr/bin/taskset")) && !Files.isExecutable(Path.of("/bin/taskset"))) {
        return List.of();
      }
      cmd.addAll(List.of("taskset", "-c", "0"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName(), "bench"));
    for (int i = 0; i < times; i++) {
      cmd.add(MANY_SMALL_CASE);
    }
    cmd.addAll(List.of("--master", master, "--sweeps", sweeps.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<Map<String, Object>> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (l.startsWith("{")) {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = json.readValue(l, Map.class);
          lines.add(m);
        }
      }
    }
    try {
      int rc = p.waitFor();
      if (rc != 0 || lines.size() != times) {
        throw new IllegalStateException("bench child " + cmd + " exited " + rc + " with " + lines.size() + " lines");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for " + cmd, e);
    }
    return lines;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }


  /** The mask kernel's step against the dense one at n = 100..800, m = 20 and 1000 (one thread). */
  private static Map<String, Object> maskKernel() {
    List<Map<String, Object>> shapes = new ArrayList<>();
    for (int m : new int[] {20, 1000}) {
      for (int n : new int[] {100, 200, 400, 800}) {
        shapes.add(MaskKernelBench.measure(m, n, 1.0));
      }
    }
    // the primal form's backward product D X, where the mask kernel can stand in for the GEMM
    List<Map<String, Object>> primal = new ArrayList<>();
    for (int m : new int[] {20, 1000}) {
      for (int n : new int[] {100, 200, 400}) {
        for (int p : new int[] {50, 200, 1000}) {
          primal.add(MaskKernelBench.measurePrimal(m, n, p, 0.5));
        }
      }
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("threads", 1);
    line.put("shapes", shapes);
    line.put("primal_backward", primal);
    return line;
  }

  private static Map<String, Object> primalStep() {
    MathThreads.pin(1);
    XorClusters task = new XorClusters(200, 200, 40000, 2.5 * Math.sqrt(200.0), 0.05);
    Dataset d = task.generate(Seeds.derive(7, "bench"), Precision.FLOAT32);
    Net net = new Net(1000, 1e-15, Seeds.derive(7, "bench-init"));
    resetPeak();
    int steps = 4;
    // one warm-up step (JIT, BLAS buffers), then time `steps` steps and subtract the set-up
    GdTrainer.train(d, null, net, List.of(new Hyper(1e-16, 0)), 1, new int[] {0, 1}, Form.PRIMAL);
    long t0 = System.nanoTime();
    PackResult one = GdTrainer.train(d, null, net, List.of(new Hyper(1e-16, 0)), 1, new int[] {0, 1}, Form.PRIMAL);
    double tOne = (System.nanoTime() - t0) / 1e9;
    t0 = System.nanoTime();
    PackResult many = GdTrainer.train(d, null, net, List.of(new Hyper(1e-16, 0)), 1 + steps,
        new int[] {0, 1 + steps}, Form.PRIMAL);
    double tMany = (System.nanoTime() - t0) / 1e9;
    double perStep = (tMany - tOne) / steps;
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("threads", 1);
    line.put("seconds_per_step", round(perStep));
    line.put("steps_per_s", round(1 / perStep));
    line.put("gflop_per_s", round((many.flops() - one.flops()) / steps / perStep / 1e9));
    line.put("projected_fig1_right_hours_1core", round(perStep * 5000 * 100 / 3600));
    line.put("peak_rss_mib", peakRssMib());
    return line;
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  private static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not Linux, or not allowed: the peak then covers the whole process
    }
  }

  private static Long peakRssMib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}

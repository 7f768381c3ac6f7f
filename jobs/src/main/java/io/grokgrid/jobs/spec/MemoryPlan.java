package io.grokgrid.jobs.spec;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.ParamDef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory planning, before Spark starts (README, "Sweep spec"): the budget of one Spark task, the
 * largest pack that fits it, and the refusal of a spec one of whose runs cannot fit alone.
 *
 * <p>A pack's peak is its family's {@link Family#memory} estimate. {@link Grid#units} splits a
 * pack into smaller ones (consecutive runs, ids and seeds unchanged) when the {@link
 * Grid#MAX_PACK_ROWS} pack would not fit; packs that fit are left as they are, so sweeps that
 * fit write the same numbers as before. Packed runs can differ from the same runs packed
 * otherwise in the last bits, so a sweep too large for one machine's tasks may then differ in
 * the last bits between machines with different budgets.
 */
public final class MemoryPlan {
  private MemoryPlan() {}

  /** The system property (and JVM flag) bounding ND4J's off-heap memory. */
  public static final String MAX_BYTES = "org.bytedeco.javacpp.maxbytes";

  private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]");
  private static final Pattern MAX_BYTES_FLAG =
      Pattern.compile("-D" + Pattern.quote(MAX_BYTES) + "=(\\S+)");

  /**
   * What one Spark task may use.
   *
   * @param heapBytes Java heap per task: executor (local mode: this JVM's) heap / task slots
   * @param offHeapBytes ND4J off-heap bytes per task: the executor's limit / task slots
   * @param where how it was found, e.g. "local[2]: 2 slots, heap 3.0 GB, off-heap 4.0 GB"
   */
  public record Budget(double heapBytes, double offHeapBytes, String where) implements java.io.Serializable {
    /** No bound but an int size: for expanding and range checks, where no master is known. */
    public static final Budget UNBOUNDED = new Budget(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, "unbounded");

    /** The budget of tasks on {@code master} (null: spark-submit's, else local[*]) as configured here. */
    public static Budget of(String master) {
      Properties p = System.getProperties();
      String m = master != null ? master : p.getProperty("spark.master", "local[*]");
      return of(m, p, Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * The budget of tasks on {@code master} given the Spark and JVM properties.
     *
     * @param props system properties: {@code spark.executor.memory}, {@code spark.executor.cores},
     *     {@code spark.task.cpus}, {@code spark.executor.extraJavaOptions}, {@code org.bytedeco.javacpp.maxbytes}
     * @param maxMemory this JVM's heap (local mode; unknown off-heap limits default to it, as
     *     JavaCPP's does)
     * @param cores this machine's processors (local[*])
     */
    public static Budget of(String master, Properties props, long maxMemory, int cores) {
      if (master.startsWith("local")) {
        int slots = 1;
        Matcher lm = LOCAL.matcher(master);
        if (lm.matches()) {
          slots = lm.group(1).equals("*") ? cores : Integer.parseInt(lm.group(1));
        }
        slots = Math.max(1, slots);
        String off = props.getProperty(MAX_BYTES);
        double offHeap = off != null ? bytes(off, MAX_BYTES) : maxMemory;
        return new Budget((double) maxMemory / slots, offHeap / slots, String.format(Locale.ROOT,
            "%s: %d slots, heap %s, off-heap %s", master, slots, size(maxMemory), size(offHeap)));
      }
      double heap = bytes(props.getProperty("spark.executor.memory", "1g"), "spark.executor.memory");
      int cores0 = Integer.parseInt(props.getProperty("spark.executor.cores", "1").strip());
      int cpus = Integer.parseInt(props.getProperty("spark.task.cpus", "1").strip());
      int slots = Math.max(1, cores0 / Math.max(1, cpus));
      Matcher fm = MAX_BYTES_FLAG.matcher(props.getProperty("spark.executor.extraJavaOptions", ""));
      double offHeap = fm.find() ? bytes(fm.group(1), MAX_BYTES) : heap;
      return new Budget(heap / slots, offHeap / slots, String.format(Locale.ROOT,
          "executors of %s: %d slots, heap %s, off-heap %s", master, slots, size(heap), size(offHeap)));
    }

    /** Heap plus off-heap bytes. */
    public double totalBytes() {
      return heapBytes + offHeapBytes;
    }

    public boolean fits(MemoryUse u) {
      return u.overflow() == null && u.heapBytes() <= heapBytes && u.offHeapBytes() <= offHeapBytes;
    }
  }

  /**
   * The most runs of {@code family} one pack may hold: {@code maxRuns}, or fewer (at least 1)
   * when {@code maxRuns} would not fit the budget.
   */
  static int runsPerPack(Family<?> family, int maxRuns, int steps, int logs, Budget budget) {
    if (budget.fits(family.memory(maxRuns, steps, logs))) {
      return maxRuns;
    }
    int lo = 1;
    int hi = maxRuns;
    // largest k in [1, maxRuns) that fits (memory grows with k); 1 if none does
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (budget.fits(family.memory(mid, steps, logs))) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The estimate of the largest pack of the spec as {@link Lattice} cuts packs for {@code budget}. */
  public static MemoryUse largestPack(SweepSpec spec, Budget budget) {
    return new Lattice(spec, budget).plan().largest();
  }

  /**
   * Refuses the spec if one of its runs, alone in a pack, overflows an int size or does not fit
   * {@code budget}: one line naming the sizes, the estimate, its largest parts and the budget.
   */
  public static void check(SweepSpec spec, Budget budget) {
    new Lattice(spec, budget).plan();
  }

  static String refusal(SweepSpec spec, Map<String, Double> p, MemoryUse m, Budget budget) {
    List<String> sizes = new ArrayList<>();
    for (ParamDef d : spec.params()) {
      if (d.integer() && !d.isChoice() && (spec.fixed().containsKey(d.name()) || spec.grid().containsKey(d.name()))) {
        sizes.add(d.name() + "=" + spec.plain(d.name(), p.get(d.name())));
      }
    }
    String what = sizes.size() <= 1 ? String.join("", sizes)
        : String.join(", ", sizes.subList(0, sizes.size() - 1)) + " with " + sizes.get(sizes.size() - 1);
    String over = m.overflow() == null ? "" : " and overflows an int size (" + m.overflow() + " > 2^31 - 1)";
    // the optional metrics' m x m matrices can be the large part: say how to drop them
    boolean metrics = !spec.metrics().isEmpty()
        && (m.largest().contains("metrics") || m.largest().contains("W0 W0^T"));
    return String.format(Locale.ROOT, "%s needs ~%s per task (%s; heap %s, off-heap %s)%s, a task has"
        + " ~%s (heap %s, off-heap %s; %s): lower %s%s or raise GROKGRID_OFFHEAP / GROKGRID_HEAP /"
        + " spark.executor.memory", what.isEmpty() ? "a run" : what, size(m.totalBytes()), m.largest(),
        size(m.heapBytes()), size(m.offHeapBytes()), over, size(budget.totalBytes()),
        size(budget.heapBytes()), size(budget.offHeapBytes()), budget.where(),
        sizes.isEmpty() ? "the sizes" : String.join("/", sizes.stream().map(s -> s.substring(0, s.indexOf('='))).toList()),
        metrics ? ", set metrics: []" : "");
  }

  /** Bytes of a JVM or Spark size: a number with an optional k, m, g or t suffix (powers of 1024). */
  static double bytes(String s, String key) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)([kmgt]?)b?").matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(key + " must be a size such as 4g or 512m, got " + s);
    }
    double v = Double.parseDouble(m.group(1));
    int shift = "kmgt".indexOf(m.group(2).isEmpty() ? "-" : m.group(2)) + 1;
    return v * Math.pow(1024, shift);
  }

  /** A size for people: "400 GB", "2.0 GB", "512 MB" (powers of 1024). */
  public static String size(double bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    int u = 0;
    double v = bytes;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }
}

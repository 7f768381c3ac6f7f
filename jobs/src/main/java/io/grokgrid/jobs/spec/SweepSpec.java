package io.grokgrid.jobs.spec;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.vocab.SpecKeys;
import io.grokgrid.vocab.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parsed, validated sweep spec (the YAML of the README's "Sweep spec"). Immutable; {@link SpecParser} makes it
 * and {@link #toMap()} gives it back as plain maps (the form stored in {@code sweep.json}, and
 * parseable again).
 *
 * @param name names the output directory; letters, digits, '.', '_' and '-'
 * @param task an experiment family of {@link TaskCatalog}
 * @param seed the sweep seed; every random draw derives from it
 * @param replicates independent seeds per grid point, >= 1
 * @param steps GD steps per run, >= 0
 * @param logPoints curve points per run (see {@link io.grokgrid.engine.LogSchedule})
 * @param precision float32 (default) or float64
 * @param form {@code auto} (default: the cheaper by flop count), {@code primal} or {@code dual}
 * @param fixed parameters shared by every run, by key (numbers)
 * @param grid axes, by key; the sweep is their Cartesian product, in the spec's order
 * @param thresholds grokking criteria
 * @param benignCut regime cut: excess risk at interpolation <= this is benign
 * @param catastrophicCut regime cut: excess risk at interpolation >= this is catastrophic
 * @param ranges the grid axes given as ranges, by key ({@code grid} holds their level-0 values)
 * @param refine the refinement of range axes, or null for a plain grid
 * @param metrics the optional curve metrics recorded (a subset of the task's; the spec's
 *     {@code metrics} key, or the task's defaults)
 */
public record SweepSpec(
    String name,
    String task,
    long seed,
    int replicates,
    int steps,
    int logPoints,
    Precision precision,
    String form,
    Map<String, Double> fixed,
    Map<String, List<Double>> grid,
    Thresholds thresholds,
    double benignCut,
    double catastrophicCut,
    Map<String, AxisRange> ranges,
    Refine refine,
    List<String> metrics) implements java.io.Serializable {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  /** Validates the scalars and freezes the maps (keys' order kept). */
  public SweepSpec {
    if (name == null || !NAME.matcher(name).matches() || name.startsWith(".")) {
      throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-' (a directory"
          + " name), got '" + name + "'");
    }
    if (thresholds.loss() != TaskCatalog.entry(task).regression()) {
      throw new IllegalArgumentException("thresholds of task " + task + " must compare "
          + (thresholds.loss() ? "accuracies" : "losses") + ", got " + thresholds);
    }
    Check.intIn(SpecKeys.REPLICATES, replicates, 1, 1_000_000);
    Check.intIn(SpecKeys.STEPS, steps, 0, 100_000_000);
    Check.intIn(SpecKeys.LOG_POINTS, logPoints, 2, 100_000);
    if (!Values.FORMS.contains(form)) {
      throw new IllegalArgumentException("form must be one of " + Values.FORMS + ", got " + form);
    }
    Check.closed("regime_cuts.benign", benignCut, 0.0, 1.0);
    Check.closed("regime_cuts.catastrophic", catastrophicCut, 0.0, 1.0);
    if (!(benignCut < catastrophicCut)) {
      throw new IllegalArgumentException("regime_cuts.benign must be < regime_cuts.catastrophic, got "
          + Check.num(benignCut) + " and " + Check.num(catastrophicCut));
    }
    fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    LinkedHashMap<String, List<Double>> g = new LinkedHashMap<>();
    grid.forEach((k, v) -> g.put(k, List.copyOf(v)));
    grid = java.util.Collections.unmodifiableMap(g);
    ranges = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
    metrics = List.copyOf(metrics);
    io.grokgrid.engine.Metrics.check(metrics, TaskCatalog.entry(task).optionalMetrics());
  }

  /** A plain grid spec (every axis a list, no refinement). */
  public SweepSpec(String name, String task, long seed, int replicates, int steps, int logPoints,
      Precision precision, String form, Map<String, Double> fixed, Map<String, List<Double>> grid,
      Thresholds thresholds, double benignCut, double catastrophicCut) {
    this(name, task, seed, replicates, steps, logPoints, precision, form, fixed, grid, thresholds,
        benignCut, catastrophicCut, Map.of(), null, TaskCatalog.entry(task).defaultMetrics());
  }

  /**
   * The spec whose refined axes hold their finest lattice instead of their level-0 values, as a
   * plain grid: the lattice every point of a refined sweep lives on (the same spec when not
   * refined). Its runs have the ids and seeds of the refined sweep's runs at the same values.
   */
  public SweepSpec finest() {
    if (refine == null) {
      return this;
    }
    Map<String, List<Double>> g = new LinkedHashMap<>(grid);
    for (String axis : refine.axes()) {
      g.put(axis, ranges.get(axis).lattice(refine.levels(), integer(axis)));
    }
    return new SweepSpec(name, task, seed, replicates, steps, logPoints, precision, form, fixed, g,
        thresholds, benignCut, catastrophicCut, Map.of(), null, metrics);
  }

  /** Whether parameter {@code key} of the task is an integer. */
  boolean integer(String key) {
    return params().stream().anyMatch(d -> d.name().equals(key) && d.integer());
  }

  /** The task's parameter definitions. */
  public List<ParamDef> params() {
    return TaskCatalog.params(task);
  }

  /** Number of grid points (product of the axes' lengths; a refined sweep's level 0). */
  public long gridPoints() {
    long n = 1;
    for (List<Double> axis : grid.values()) {
      n *= axis.size();
    }
    return n;
  }

  /** Number of runs: grid points times replicates (a refined sweep's level 0). */
  public long runCount() {
    return gridPoints() * replicates;
  }

  /** The spec as plain maps and lists, in the YAML's key order (for sweep.json and round trips). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(SpecKeys.NAME, name);
    m.put(SpecKeys.TASK, task);
    m.put(SpecKeys.SEED, seed);
    m.put(SpecKeys.REPLICATES, replicates);
    m.put(SpecKeys.STEPS, steps);
    m.put(SpecKeys.LOG_POINTS, logPoints);
    m.put(SpecKeys.PRECISION, precision.label());
    m.put(SpecKeys.FORM, form);
    Map<String, Object> f = new LinkedHashMap<>();
    fixed.forEach((k, v) -> f.put(k, plain(k, v)));
    m.put(SpecKeys.FIXED, f);
    Map<String, Object> g = new LinkedHashMap<>();
    grid.forEach((k, vs) -> {
      if (ranges.containsKey(k)) {
        g.put(k, ranges.get(k).toMap(integer(k)));
        return;
      }
      List<Object> out = new ArrayList<>();
      vs.forEach(v -> out.add(plain(k, v)));
      g.put(k, out);
    });
    m.put(SpecKeys.GRID, g);
    Map<String, Object> th = new LinkedHashMap<>();
    th.put(SpecKeys.FIT, thresholds.fit());
    th.put(SpecKeys.GEN, thresholds.gen());
    th.put(SpecKeys.GROK_RATIO, thresholds.grokRatio());
    m.put(SpecKeys.THRESHOLDS, th);
    Map<String, Object> cuts = new LinkedHashMap<>();
    cuts.put(Values.BENIGN, benignCut);
    cuts.put(Values.CATASTROPHIC, catastrophicCut);
    m.put(SpecKeys.REGIME_CUTS, cuts);
    if (refine != null) {
      m.put(SpecKeys.REFINE, refine.toMap());
    }
    if (!TaskCatalog.entry(task).optionalMetrics().isEmpty()) {
      m.put(SpecKeys.METRICS, metrics);
    }
    return m;
  }

  /** A parameter value as the user wrote it: integers without a fraction. */
  public Object plain(String key, double v) {
    for (ParamDef d : params()) {
      if (d.name().equals(key) && d.isChoice()) {
        return d.label(v);
      }
      if (d.name().equals(key) && d.integer()) {
        return (long) v;
      }
    }
    return v;
  }
}

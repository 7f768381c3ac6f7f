package io.grokgrid.jobs.spec;

import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Recipe;
import io.grokgrid.engine.Thresholds;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.SpecKeys;
import io.grokgrid.vocab.Tasks;
import io.grokgrid.vocab.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads sweep specs. YAML is parsed by SnakeYAML Engine (YAML 1.2 core schema), which builds
 * only maps, lists and scalars: no object construction from the document, so a spec cannot
 * instantiate classes. Duplicate keys are errors.
 *
 * <p>Every problem is reported as an {@link IllegalArgumentException} whose one-line message names
 * the key, the value and the rule, e.g. {@code unknown key 'widht' in grid (did you mean 'width'?)}.
 * Range checks of the task's parameters run here too, once per distinct value combination, by
 * building the engine's records, so a spec that parses will run.
 */
public final class SpecParser {
  private SpecParser() {}

  static final List<String> TOP_KEYS = SpecKeys.TOP;
  static final List<String> THRESHOLD_KEYS = SpecKeys.THRESHOLD_KEYS;
  static final List<String> CUT_KEYS = List.of(Values.BENIGN, Values.CATASTROPHIC);

  /** Reads and parses a spec file. */
  public static SweepSpec read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("spec file not found: " + file);
    } catch (CharacterCodingException e) {
      // the decoder's own words ("Input length = 1") name neither the file nor the problem
      throw new IllegalArgumentException("spec file " + file + " is not UTF-8 text (a binary file?);"
          + " a spec is a YAML text file");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read spec file " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses spec text; {@code source} names it in messages. */
  public static SweepSpec parse(String yaml, String source) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(source)
        .setSchema(new CoreSchema())
        .setAllowDuplicateKeys(false)
        .build();
    Object doc;
    try {
      doc = new Load(settings).loadFromString(yaml);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(mk -> mk.getLine() + 1).orElse(0);
      throw new IllegalArgumentException(
          source + ": invalid YAML at line " + line + ": " + e.getProblem().trim());
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(source + ": invalid YAML: " + firstLine(e.getMessage()));
    }
    return fromMap(asMap(doc, "the spec"), source);
  }

  /** Builds a spec from parsed YAML or from {@link SweepSpec#toMap()} output. */
  public static SweepSpec fromMap(Map<String, Object> m, String source) {
    checkKeys(m, TOP_KEYS, "the spec");
    String name = string(m, SpecKeys.NAME, null);
    String task = string(m, SpecKeys.TASK, null);
    Recipe entry = TaskCatalog.entry(task);
    List<ParamDef> defs = entry.params();
    long seed = integer(m.get(SpecKeys.SEED), SpecKeys.SEED, 0L, false);
    int replicates = (int) integer(m.get(SpecKeys.REPLICATES), SpecKeys.REPLICATES, 1L, true);
    int steps = (int) integer(m.get(SpecKeys.STEPS), SpecKeys.STEPS, null, true);
    int logPoints = (int) integer(m.get(SpecKeys.LOG_POINTS), SpecKeys.LOG_POINTS, 200L, true);
    Precision precision = Precision.parse(string(m, SpecKeys.PRECISION, Values.FLOAT32));
    String form = string(m, SpecKeys.FORM, Values.AUTO);

    Map<String, Double> fixed = new LinkedHashMap<>();
    Map<String, List<Double>> grid = new LinkedHashMap<>();
    Map<String, ParamDef> byName = new LinkedHashMap<>();
    defs.forEach(d -> byName.put(d.name(), d));
    Map<String, Object> fixedIn = m.containsKey(SpecKeys.FIXED) ? asMap(m.get(SpecKeys.FIXED), SpecKeys.FIXED) : Map.of();
    Map<String, Object> gridIn = m.containsKey(SpecKeys.GRID) ? asMap(m.get(SpecKeys.GRID), SpecKeys.GRID) : Map.of();
    checkKeys(fixedIn, byName.keySet(), "fixed (parameters of " + task + ")");
    checkKeys(gridIn, byName.keySet(), "grid (parameters of " + task + ")");
    for (Map.Entry<String, Object> e : fixedIn.entrySet()) {
      if (gridIn.containsKey(e.getKey())) {
        throw new IllegalArgumentException(e.getKey() + " is set under both fixed and grid; keep one");
      }
      fixed.put(e.getKey(), number(e.getValue(), "fixed." + e.getKey(), byName.get(e.getKey())));
    }
    // the refined axes' levels decide where their range values lie, so refine is read first
    Map<String, Object> refineIn = m.containsKey(SpecKeys.REFINE) ? asMap(m.get(SpecKeys.REFINE), SpecKeys.REFINE) : null;
    int levels = refineIn == null ? 0 : refineLevels(refineIn);
    List<String> refineAxes = refineIn == null ? List.of() : refineAxes(refineIn, gridIn, fixedIn);
    Map<String, AxisRange> ranges = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : gridIn.entrySet()) {
      String key = "grid." + e.getKey();
      if (e.getValue() instanceof Map<?, ?>) {
        ParamDef def = byName.get(e.getKey());
        AxisRange range = range(asMap(e.getValue(), key), key, def);
        int lv = refineAxes.contains(e.getKey()) ? levels : 0;
        range.check(key, lv, def.integer());
        ranges.put(e.getKey(), range);
        grid.put(e.getKey(), range.coarse(lv, def.integer()));
        continue;
      }
      if (!(e.getValue() instanceof List<?> list)) {
        throw new IllegalArgumentException(key + " must be a list of values or a range {from, to, points, scale},"
            + " got " + show(e.getValue()));
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException(key + " must be a non-empty list, got []");
      }
      List<Double> axis = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        double v = number(list.get(i), key + "[" + i + "]", byName.get(e.getKey()));
        if (axis.contains(v)) {
          throw new IllegalArgumentException(key + " lists " + show(list.get(i)) + " twice; axis values must be distinct");
        }
        axis.add(v);
      }
      grid.put(e.getKey(), axis);
    }
    for (ParamDef d : defs) {
      boolean derived = d.name().equals(Columns.SIGNAL) && task.equals(Tasks.XOR_CLUSTERS);
      if (d.defaultValue() == null && !derived && !fixed.containsKey(d.name()) && !grid.containsKey(d.name())) {
        throw new IllegalArgumentException("missing parameter '" + d.name() + "' for task " + task
            + " (" + d.doc() + "): set it under fixed or grid");
      }
    }
    checkUsedWhen(defs, byName, fixed, grid);

    // regression families compare losses with eps = fit and c = gen, classification ones accuracies
    Thresholds th = entry.regression() ? Thresholds.REGRESSION_DEFAULT : Thresholds.DEFAULT;
    if (m.containsKey(SpecKeys.THRESHOLDS)) {
      Map<String, Object> t = asMap(m.get(SpecKeys.THRESHOLDS), SpecKeys.THRESHOLDS);
      checkKeys(t, THRESHOLD_KEYS, SpecKeys.THRESHOLDS);
      th = new Thresholds(
          real(t.getOrDefault(SpecKeys.FIT, th.fit()), "thresholds.fit"),
          real(t.getOrDefault(SpecKeys.GEN, th.gen()), "thresholds.gen"),
          real(t.getOrDefault(SpecKeys.GROK_RATIO, th.grokRatio()), "thresholds.grok_ratio"),
          entry.regression());
    }
    double benign = 0.1;
    double catastrophic = 0.9;
    if (m.containsKey(SpecKeys.REGIME_CUTS)) {
      Map<String, Object> c = asMap(m.get(SpecKeys.REGIME_CUTS), SpecKeys.REGIME_CUTS);
      checkKeys(c, CUT_KEYS, SpecKeys.REGIME_CUTS);
      benign = real(c.getOrDefault(Values.BENIGN, benign), "regime_cuts.benign");
      catastrophic = real(c.getOrDefault(Values.CATASTROPHIC, catastrophic), "regime_cuts.catastrophic");
    }
    Refine refine = refineIn == null ? null : refine(refineIn, refineAxes, levels, entry);
    List<String> metrics = m.containsKey(SpecKeys.METRICS) ? metrics(m.get(SpecKeys.METRICS), entry)
        : entry.defaultMetrics();
    SweepSpec spec = new SweepSpec(name, task, seed, replicates, steps, logPoints, precision, form,
        fixed, grid, th, benign, catastrophic, ranges, refine, metrics);
    if (refine != null) {
      checkRefineSize(spec);
      Grid.validateRanges(spec.finest());
    } else {
      Grid.validateRanges(spec);
    }
    return spec;
  }

  /** An axis given as a range: {from, to, points, scale}. */
  private static AxisRange range(Map<String, Object> r, String key, ParamDef def) {
    checkKeys(r, SpecKeys.RANGE_KEYS, key + " (a range)");
    if (def.isChoice()) {
      throw new IllegalArgumentException(key + " must be a list of values: " + def.name() + " is a choice of "
          + def.choices() + ", a range needs a numeric parameter");
    }
    for (String k : List.of(SpecKeys.FROM, SpecKeys.TO, SpecKeys.POINTS)) {
      if (!r.containsKey(k)) {
        throw new IllegalArgumentException("missing required key '" + key + "." + k + "' (a range is {from, to,"
            + " points, scale})");
      }
    }
    double from = number(r.get(SpecKeys.FROM), key + "." + SpecKeys.FROM, def);
    double to = number(r.get(SpecKeys.TO), key + "." + SpecKeys.TO, def);
    long points = integer(r.get(SpecKeys.POINTS), key + "." + SpecKeys.POINTS, null, true);
    io.grokgrid.engine.Check.intIn(key + "." + SpecKeys.POINTS, points, 2, 100_000);
    String scale = string(r, SpecKeys.SCALE, SpecKeys.LINEAR, key + "." + SpecKeys.SCALE);
    if (!SpecKeys.SCALES.contains(scale)) {
      throw new IllegalArgumentException(key + "." + SpecKeys.SCALE + " must be one of " + SpecKeys.SCALES
          + ", got " + show(scale) + Suggest.didYouMean(scale, SpecKeys.SCALES));
    }
    return new AxisRange(from, to, (int) points, scale.equals(SpecKeys.LOG));
  }

  private static int refineLevels(Map<String, Object> r) {
    checkKeys(r, SpecKeys.REFINE_KEYS, SpecKeys.REFINE);
    long levels = integer(r.get(SpecKeys.LEVELS), SpecKeys.REFINE + "." + SpecKeys.LEVELS, null, true);
    return io.grokgrid.engine.Check.intIn(SpecKeys.REFINE + "." + SpecKeys.LEVELS, levels, 1, Refine.MAX_LEVELS);
  }

  /** The refined axes, in the grid's order: 1 to 3 distinct grid axes, each given as a range. */
  private static List<String> refineAxes(Map<String, Object> r, Map<String, Object> gridIn, Map<String, Object> fixedIn) {
    String key = SpecKeys.REFINE + "." + SpecKeys.AXES;
    Object v = r.get(SpecKeys.AXES);
    if (v == null) {
      throw new IllegalArgumentException("missing required key '" + key + "' (1 to " + Refine.MAX_AXES
          + " grid axes given as ranges)");
    }
    List<?> list = v instanceof List<?> l ? l : List.of(v);
    if (list.isEmpty() || list.size() > Refine.MAX_AXES) {
      throw new IllegalArgumentException(key + " must name 1 to " + Refine.MAX_AXES + " range axes, got "
          + list.size() + ": " + list);
    }
    for (Object a : list) {
      if (!(a instanceof String name)) {
        throw new IllegalArgumentException(key + " must name grid axes (text), got " + show(a));
      }
      if (!gridIn.containsKey(name)) {
        throw new IllegalArgumentException(key + " names '" + name + "', which is not a grid axis"
            + (fixedIn.containsKey(name) ? " (it is fixed)" : Suggest.didYouMean(name, gridIn.keySet()))
            + "; a refined axis must be a range under grid, {from, to, points, scale}");
      }
      if (!(gridIn.get(name) instanceof Map<?, ?>)) {
        throw new IllegalArgumentException(key + " names '" + name + "', which must be a range under grid"
            + " ({from, to, points, scale}) to be refined, got " + show(gridIn.get(name)));
      }
      if (list.indexOf(a) != list.lastIndexOf(a)) {
        throw new IllegalArgumentException(key + " names '" + name + "' twice; axes must be distinct");
      }
    }
    List<String> out = new ArrayList<>();
    for (String g : gridIn.keySet()) {
      if (list.contains(g)) {
        out.add(g);
      }
    }
    return out;
  }

  /** The outcomes a refinement may compare: phase, grokked, or a numeric column of runs/grokking. */
  static List<String> refineOutcomes(Recipe entry) {
    List<String> out = new ArrayList<>(Refine.CATEGORICAL);
    for (String c : Columns.STANDARD_METRICS) {
      out.add(c);
    }
    for (String c : entry.metrics()) {
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    out.addAll(List.of(Columns.T_FIT, Columns.T_GEN, Columns.T_GEN_SUSTAINED, Columns.DELAY, Columns.STEPS_DONE));
    out.addAll(entry.theoryColumns());
    return out;
  }

  private static Refine refine(Map<String, Object> r, List<String> axes, int levels, Recipe entry) {
    String byKey = SpecKeys.REFINE + "." + SpecKeys.BY;
    String by = string(r, SpecKeys.BY, Columns.PHASE, byKey);
    List<String> allowed = refineOutcomes(entry);
    if (by.equals(Columns.REGIME)) {
      throw new IllegalArgumentException(byKey + " 'regime' is not supported: a regime belongs to a group of"
          + " runs over weight_decay (overfitting_cost), not to one grid point; use one of " + allowed);
    }
    if (!allowed.contains(by)) {
      throw new IllegalArgumentException(byKey + " must be one of " + allowed + ", got " + show(by)
          + Suggest.didYouMean(by, allowed));
    }
    String binsKey = SpecKeys.REFINE + "." + SpecKeys.BINS;
    List<Double> bins = new ArrayList<>();
    boolean categorical = Refine.CATEGORICAL.contains(by);
    Object b = r.get(SpecKeys.BINS);
    if (categorical && b != null) {
      throw new IllegalArgumentException(binsKey + " applies only to a numeric " + byKey + ", got bins "
          + show(b) + " with by '" + by + "'");
    }
    if (!categorical) {
      if (!(b instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException(binsKey + " must be a non-empty ascending list of cut points for "
            + byKey + " '" + by + "', got " + show(b));
      }
      for (int i = 0; i < list.size(); i++) {
        double x = real(list.get(i), binsKey + "[" + i + "]");
        if (!bins.isEmpty() && !(x > bins.get(bins.size() - 1))) {
          throw new IllegalArgumentException(binsKey + " must be strictly ascending, got " + show(list));
        }
        bins.add(x);
      }
    }
    long maxRuns = 0;
    if (r.get(SpecKeys.MAX_RUNS) != null) {
      maxRuns = integer(r.get(SpecKeys.MAX_RUNS), SpecKeys.REFINE + "." + SpecKeys.MAX_RUNS, null, false);
      if (maxRuns < 1) {
        throw new IllegalArgumentException(SpecKeys.REFINE + "." + SpecKeys.MAX_RUNS + " must be an integer >= 1, got "
            + maxRuns);
      }
    }
    return new Refine(axes, by, bins, levels, maxRuns);
  }

  /**
   * A parameter read only under some values of a choice ({@link ParamDef#onlyWhen}) may be a grid
   * axis only when every run reads it: next to a choice value that ignores it, each of that
   * value's runs would repeat once per axis value, identical but for a column nobody reads.
   */
  private static void checkUsedWhen(List<ParamDef> defs, Map<String, ParamDef> byName,
      Map<String, Double> fixed, Map<String, List<Double>> grid) {
    for (ParamDef d : defs) {
      ParamDef.UsedWhen when = d.usedWhen();
      List<Double> axis = grid.get(d.name());
      if (when == null || axis == null || axis.size() < 2) {
        continue;
      }
      ParamDef choice = byName.get(when.key());
      List<Double> values = grid.containsKey(when.key()) ? grid.get(when.key())
          : List.of(fixed.getOrDefault(when.key(), choice.defaultValue()));
      List<String> ignoring = new ArrayList<>();
      for (double v : values) {
        String label = choice.label(v);
        if (!when.values().contains(label)) {
          ignoring.add(label);
        }
      }
      if (!ignoring.isEmpty()) {
        List<String> shown = new ArrayList<>();
        axis.forEach(v -> shown.add(io.grokgrid.engine.Check.num(v)));
        throw new IllegalArgumentException("grid." + d.name() + " " + shown + " is read only by "
            + when.key() + " " + String.join(", ", when.values()) + ", so the runs of "
            + when.key() + " " + String.join(", ", ignoring) + " would repeat once per value;"
            + " set " + d.name() + " under fixed, or sweep it in a spec of "
            + when.key() + " " + String.join(", ", when.values()) + " alone");
      }
    }
  }

  /** The finest lattice must be plannable as a grid, and max_runs must leave room for level 0. */
  private static void checkRefineSize(SweepSpec spec) {
    Refine refine = spec.refine();
    java.math.BigInteger finest = java.math.BigInteger.valueOf(spec.replicates());
    StringBuilder sizes = new StringBuilder();
    for (Map.Entry<String, List<Double>> e : spec.grid().entrySet()) {
      int n = refine.axes().contains(e.getKey())
          ? spec.ranges().get(e.getKey()).latticeSize(refine.levels()) : e.getValue().size();
      finest = finest.multiply(java.math.BigInteger.valueOf(n));
      sizes.append(n).append(" x ");
    }
    if (finest.compareTo(java.math.BigInteger.valueOf(Grid.MAX_RUNS)) > 0) {
      throw new IllegalArgumentException(SpecKeys.REFINE + "." + SpecKeys.LEVELS + " = " + refine.levels()
          + " puts the points on a finest lattice of " + sizes + spec.replicates() + " replicates = " + finest
          + " runs; at most " + Grid.MAX_RUNS + " are allowed: lower levels or points");
    }
    if (refine.maxRuns() > 0 && refine.maxRuns() < spec.runCount()) {
      throw new IllegalArgumentException(SpecKeys.REFINE + "." + SpecKeys.MAX_RUNS + " must be >= the runs of"
          + " level 0 (" + spec.runCount() + "), got " + refine.maxRuns());
    }
  }

  private static void checkKeys(Map<String, Object> m, java.util.Collection<String> allowed, String where) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException("unknown key '" + k + "' in " + where
            + Suggest.didYouMean(k, allowed) + "; allowed: " + allowed);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o, String where) {
    if (!(o instanceof Map<?, ?> raw)) {
      throw new IllegalArgumentException(where + " must be a mapping of keys to values, got " + show(o));
    }
    for (Object k : raw.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException("keys in " + where + " must be text, got " + show(k));
      }
    }
    return (Map<String, Object>) raw;
  }

  /** The {@code metrics} list: distinct names of the task's optional metrics. */
  private static List<String> metrics(Object v, Recipe entry) {
    String key = SpecKeys.METRICS;
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException(key + " must be a list of metric names, got " + show(v));
    }
    List<String> allowed = entry.optionalMetrics();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object o = list.get(i);
      if (!(o instanceof String name)) {
        throw new IllegalArgumentException(key + "[" + i + "] must be a metric name, got " + show(o));
      }
      if (allowed.isEmpty()) {
        throw new IllegalArgumentException(key + "[" + i + "] = '" + name + "': task " + entry.task()
            + " has no optional metrics; remove the key");
      }
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(key + "[" + i + "] must be one of " + allowed + ", got '"
            + name + "'" + Suggest.didYouMean(name, allowed));
      }
      if (out.contains(name)) {
        throw new IllegalArgumentException(key + " lists '" + name + "' twice");
      }
      out.add(name);
    }
    return out;
  }

  private static String string(Map<String, Object> m, String key, String dflt) {
    return string(m, key, dflt, key);
  }

  /** Text under {@code key} of {@code m}; {@code shown} names it in messages. */
  private static String string(Map<String, Object> m, String key, String dflt, String shown) {
    Object v = m.get(key);
    if (v == null) {
      if (dflt == null) {
        throw new IllegalArgumentException("missing required key '" + shown + "'");
      }
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(shown + " must be text, got " + show(v));
    }
    return s;
  }

  /**
   * A whole number as a long. With {@code int32} it must also fit in an int: the spec's counts
   * and the engine's integer parameters are ints, and a wider value would otherwise be narrowed
   * on the way (to 2147483647, or wrapped) and reported as that instead of as written.
   */
  private static long integer(Object v, String key, Long dflt, boolean int32) {
    if (v == null) {
      if (dflt == null) {
        throw new IllegalArgumentException("missing required key '" + key + "'");
      }
      return dflt;
    }
    long x;
    if (v instanceof Integer || v instanceof Long) {
      x = ((Number) v).longValue();
    } else if (v instanceof BigInteger) {
      throw new IllegalArgumentException(key + " must fit in 64 bits, got " + v);
    } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9e15) {
      x = d.longValue();
    } else if (v instanceof Double d && d == Math.rint(d) && int32) {
      x = d > 0 ? Long.MAX_VALUE : Long.MIN_VALUE; // only compared below, never used
    } else {
      throw new IllegalArgumentException(key + " must be an integer, got " + show(v));
    }
    if (int32 && x > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be an integer <= " + Integer.MAX_VALUE + ", got " + plain(v));
    }
    if (int32 && x < Integer.MIN_VALUE) {
      throw new IllegalArgumentException(key + " must be an integer >= " + Integer.MIN_VALUE + ", got " + plain(v));
    }
    return x;
  }

  /** A whole number as digits: 1e12 as 1000000000000, not 1.0E12. */
  private static String plain(Object v) {
    return v instanceof Double d ? new BigDecimal(d).toPlainString() : String.valueOf(v);
  }

  private static double real(Object v, String key) {
    if (v instanceof Number n && !(v instanceof BigInteger)) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(key + " must be a number, got " + show(v));
  }

  private static double number(Object v, String key, ParamDef def) {
    if (def.isChoice()) {
      int i = v instanceof String s ? def.choices().indexOf(s) : -1;
      if (i < 0) {
        throw new IllegalArgumentException(key + " must be one of " + def.choices() + ", got " + show(v)
            + (v instanceof String s ? Suggest.didYouMean(s, def.choices()) : ""));
      }
      return i;
    }
    if (def.integer()) {
      return integer(v, key, null, true);
    }
    double x = real(v, key);
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException(key + " must be a finite number, got " + show(v));
    }
    return x;
  }

  /** How a value looks in a message: text quoted, lists and maps briefly. */
  static String show(Object v) {
    if (v == null) {
      return "nothing (null)";
    }
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof Map<?, ?>) {
      return "a mapping " + v;
    }
    if (v instanceof List<?>) {
      return "a list " + v;
    }
    return String.valueOf(v);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return (i < 0 ? s : s.substring(0, i)).trim();
  }
}

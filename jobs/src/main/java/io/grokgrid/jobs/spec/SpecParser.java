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
    for (Map.Entry<String, Object> e : gridIn.entrySet()) {
      String key = "grid." + e.getKey();
      if (!(e.getValue() instanceof List<?> list)) {
        throw new IllegalArgumentException(key + " must be a list of values, got " + show(e.getValue()));
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
    SweepSpec spec = new SweepSpec(name, task, seed, replicates, steps, logPoints, precision, form,
        fixed, grid, th, benign, catastrophic);
    Grid.validateRanges(spec);
    return spec;
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

  private static String string(Map<String, Object> m, String key, String dflt) {
    Object v = m.get(key);
    if (v == null) {
      if (dflt == null) {
        throw new IllegalArgumentException("missing required key '" + key + "'");
      }
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(key + " must be text, got " + show(v));
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

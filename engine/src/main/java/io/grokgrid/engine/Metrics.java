package io.grokgrid.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The metrics a family records, in column order, and the recording of them into curves. A family
 * holds one instance as a constant; its {@link Recipe} names the same columns, so the output
 * tables' columns follow from this declaration.
 *
 * <p>Metrics are standard (always recorded) or optional: a spec's {@code metrics} key chooses the
 * optional ones a sweep records ({@link #select}); a family declares which optional ones are
 * recorded when the spec does not say. The tables hold a column for every declared metric, null
 * where it was not recorded, so sweeps of one family always have the same schema.
 *
 * @param <S> the family's view of its training state at a logged step
 */
public final class Metrics<S> {
  private final List<Metric<S>> metrics;
  private final List<String> names;
  private final List<Metric<S>> optional;
  private final List<String> defaults;

  /** Standard metrics only, in the order their columns appear. */
  @SafeVarargs
  public Metrics(Metric<S>... metrics) {
    this(List.of(metrics), List.of(), List.of());
  }

  /**
   * The standard metrics, then the optional ones (columns in this order), and the names of the
   * optional ones recorded by default.
   */
  public Metrics(List<Metric<S>> standard, List<Metric<S>> optional, List<String> defaults) {
    List<Metric<S>> all = new ArrayList<>(standard);
    all.addAll(optional);
    this.metrics = List.copyOf(all);
    this.optional = List.copyOf(optional);
    List<String> n = new ArrayList<>();
    for (Metric<S> m : all) {
      for (String name : m.names()) {
        if (n.contains(name)) {
          throw new IllegalArgumentException("metric column " + name + " declared twice");
        }
        n.add(name);
      }
    }
    this.names = List.copyOf(n);
    this.defaults = List.copyOf(defaults);
    if (!optionalNames().containsAll(this.defaults)) {
      throw new IllegalArgumentException("default metrics " + defaults + " are not all optional " + optionalNames());
    }
  }

  /** Every column, in order. */
  public List<String> names() {
    return names;
  }

  /** The columns of the optional metrics, in order. */
  public List<String> optionalNames() {
    List<String> out = new ArrayList<>();
    optional.forEach(m -> out.addAll(m.names()));
    return out;
  }

  /** The optional columns recorded when a spec does not choose. */
  public List<String> defaults() {
    return defaults;
  }

  /**
   * The standard metrics and those optional ones whose column is in {@code chosen} (a metric with
   * several columns is recorded whole if any of them is chosen).
   *
   * @throws IllegalArgumentException naming the first unknown name and the allowed ones
   */
  public Metrics<S> select(List<String> chosen) {
    check(chosen, optionalNames());
    List<Metric<S>> std = new ArrayList<>(metrics.subList(0, metrics.size() - optional.size()));
    List<Metric<S>> opt = new ArrayList<>();
    for (Metric<S> m : optional) {
      if (m.names().stream().anyMatch(chosen::contains)) {
        opt.add(m);
      }
    }
    List<String> d = new ArrayList<>();
    opt.forEach(m -> d.addAll(m.names()));
    return new Metrics<>(std, opt, d);
  }

  /** Whether column {@code name} is recorded. */
  public boolean records(String name) {
    return names.contains(name);
  }

  /** A one-line error unless every name of {@code chosen} is one of {@code allowed}. */
  public static void check(List<String> chosen, List<String> allowed) {
    for (int i = 0; i < chosen.size(); i++) {
      if (!allowed.contains(chosen.get(i))) {
        throw new IllegalArgumentException("metrics[" + i + "] must be one of " + allowed + ", got '"
            + chosen.get(i) + "'");
      }
    }
  }

  /** A curve builder for these columns with room for {@code capacity} logged steps. */
  public Curve.Builder builder(int capacity) {
    return new Curve.Builder(names, capacity);
  }

  /** Builders for the {@code runs} runs of a pack. */
  public Curve.Builder[] builders(int runs, int capacity) {
    Curve.Builder[] b = new Curve.Builder[runs];
    for (int r = 0; r < runs; r++) {
      b[r] = builder(capacity);
    }
    return b;
  }

  /** Reads every metric of run {@code run} off {@code state} and adds the point at {@code step}. */
  public void record(S state, int run, int step, Curve.Builder into) {
    double[] v = new double[names.size()];
    int off = 0;
    for (Metric<S> m : metrics) {
      m.read(state, run, v, off);
      off += m.names().size();
    }
    into.add(step, v);
  }
}

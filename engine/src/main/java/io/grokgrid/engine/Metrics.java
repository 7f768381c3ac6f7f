package io.grokgrid.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The metrics a family records, in column order, and the recording of them into curves. A family
 * holds one instance as a constant; its {@link Recipe} names the same columns, so the output
 * tables' columns follow from this declaration.
 *
 * @param <S> the family's view of its training state at a logged step
 */
public final class Metrics<S> {
  private final List<Metric<S>> metrics;
  private final List<String> names;

  /** The metrics in the order their columns appear. */
  @SafeVarargs
  public Metrics(Metric<S>... metrics) {
    this.metrics = List.of(metrics);
    List<String> n = new ArrayList<>();
    for (Metric<S> m : metrics) {
      for (String name : m.names()) {
        if (n.contains(name)) {
          throw new IllegalArgumentException("metric column " + name + " declared twice");
        }
        n.add(name);
      }
    }
    this.names = List.copyOf(n);
  }

  /** Every column, in order. */
  public List<String> names() {
    return names;
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

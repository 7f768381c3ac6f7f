package io.grokgrid.engine;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Boundary checks with one-line messages that name the key, the value and the rule, e.g.
 * {@code noise_rate must be in [0, 0.5), got 0.5}. Keys are the snake_case names users type
 * in sweep specs, so the message can be shown to them unchanged.
 */
public final class Check {
  private Check() {}

  /** Requires {@code lo <= v < hi} (half-open) and a finite value. */
  public static double halfOpen(String key, double v, double lo, double hi) {
    if (!(v >= lo && v < hi)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%s, %s), got %s", key, num(lo), num(hi), num(v)));
    }
    return v;
  }

  /** Requires {@code lo < v <= hi}. */
  public static double leftOpen(String key, double v, double lo, double hi) {
    if (!(v > lo && v <= hi)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in (%s, %s], got %s", key, num(lo), num(hi), num(v)));
    }
    return v;
  }

  /** Requires a finite {@code v >= lo}. */
  public static double atLeast(String key, double v, double lo) {
    if (!(v >= lo) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be a finite number >= %s, got %s", key, num(lo), num(v)));
    }
    return v;
  }

  /** Requires a finite {@code v > lo}. */
  public static double above(String key, double v, double lo) {
    if (!(v > lo) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be a finite number > %s, got %s", key, num(lo), num(v)));
    }
    return v;
  }

  /** Requires {@code lo <= v <= hi} (closed) and a finite value. */
  public static double closed(String key, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%s, %s], got %s", key, num(lo), num(hi), num(v)));
    }
    return v;
  }

  /** Requires an integer {@code lo <= v <= hi}. */
  public static int intIn(String key, long v, long lo, long hi) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be an integer in [%d, %d], got %d", key, lo, hi, v));
    }
    return (int) v;
  }

  /**
   * The one of {@code values} whose label is {@code text}, e.g. an enum constant by its spec
   * spelling; otherwise {@code KEY must be one of [LABELS], got TEXT}.
   */
  public static <E> E oneOf(String key, String text, E[] values, Function<E, String> label) {
    for (E v : values) {
      if (label.apply(v).equals(text)) {
        return v;
      }
    }
    throw new IllegalArgumentException(key + " must be one of " + labels(values, label) + ", got " + text);
  }

  /** The labels of {@code values}, in order. */
  public static <E> List<String> labels(E[] values, Function<E, String> label) {
    return Arrays.stream(values).map(label).toList();
  }

  /** Formats a number the way a user would write it: integers without ".0". */
  public static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}

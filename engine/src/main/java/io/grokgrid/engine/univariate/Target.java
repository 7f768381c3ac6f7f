package io.grokgrid.engine.univariate;

import java.util.Locale;

/** The target function f* on [0, 1] of {@link UnivariateRegression}. */
enum Target {
  /** f*(x) = sin(2 pi x), the default (Lipschitz, as Joshi et al. 2023 require). */
  SIN,
  /** f*(x) = 0: pure noise, so every bit of test loss above sigma^2 is overfitting. */
  ZERO;

  /** f*(x). */
  public double apply(double x) {
    return this == SIN ? Math.sin(2.0 * Math.PI * x) : 0.0;
  }

  /** The lower-case name used in specs and tables. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code sin} or {@code zero}. */
  public static Target parse(String s) {
    for (Target v : values()) {
      if (v.label().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("target must be one of " + labels() + ", got " + s);
  }

  /** Every label, in declaration order. */
  public static java.util.List<String> labels() {
    return java.util.Arrays.stream(values()).map(Target::label).toList();
  }

}

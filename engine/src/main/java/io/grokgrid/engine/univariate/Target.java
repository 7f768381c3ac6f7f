package io.grokgrid.engine.univariate;

import io.grokgrid.engine.Check;
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
    return Check.oneOf(UnivariateFamily.TARGET, s, values(), Target::label);
  }

  /** Every label, in declaration order. */
  public static java.util.List<String> labels() {
    return Check.labels(values(), Target::label);
  }


}

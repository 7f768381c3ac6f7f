package io.grokgrid.engine.univariate;

import io.grokgrid.engine.Check;
import java.util.Locale;

/** Where {@link UnivariateNet} puts the initial knots of its units. */
enum Knots {
  /** Knots uniform on [0, 1], independent of the data. */
  UNIFORM,
  /**
   * One unit pair's knot at the midpoint of every gap between consecutive sorted training
   * inputs (while pairs last), the other knots uniform: then a piecewise-linear interpolant is
   * reachable without moving any knot, which GD otherwise does only very slowly.
   */
  DATA;

  /** The lower-case name used in specs and tables. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code uniform} or {@code data}. */
  public static Knots parse(String s) {
    return Check.oneOf(UnivariateFamily.KNOTS, s, values(), Knots::label);
  }

  /** Every label, in declaration order. */
  public static java.util.List<String> labels() {
    return Check.labels(values(), Knots::label);
  }


}

package io.grokgrid.engine.kernelridge;

import io.grokgrid.engine.Check;
import io.grokgrid.vocab.Columns;
import java.util.List;

/**
 * The kernel eigenvalue families of Mallinar et al. (2022) and Zhou et al. (2023), indexed from
 * i = 1: {@code power} lambda_i = i^-a (a = {@code decay} > 1: tempered, cost -> a for a pure-noise
 * target), {@code exp} lambda_i = e^(-b i) (b = {@code exp_rate} > 0: catastrophic, cost ~ b n) and
 * {@code log} lambda_i = 1 / (i ln^2(i + 1)) (no parameter: benign, cost -> 1, slowly). Each
 * spectrum reads only its own parameter (power {@code decay}, exp {@code exp_rate}), so one spec
 * can hold all three: power needs a > 1 while exp in float64 needs b n below ~25.
 */
enum Spectrum {
  POWER("power"),
  EXP("exp"),
  LOG("log");

  private final String label;

  Spectrum(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The spec spellings, in declaration order (the choice parameter's list). */
  static final List<String> LABELS = List.of(POWER.label, EXP.label, LOG.label);

  /**
   * Checks the parameter this spectrum reads, and only that one: {@code decay} a > 1 for power,
   * {@code exp_rate} b > 0 for exp, nothing for log.
   */
  void check(double decay, double expRate) {
    switch (this) {
      case POWER -> Check.above(Columns.DECAY, decay, 1.0);
      case EXP -> Check.above(Columns.EXP_RATE, expRate, 0.0);
      default -> { }
    }
  }

  /** The one parameter this spectrum reads: decay for power, exp_rate for exp, 0 for log. */
  double rate(double decay, double expRate) {
    return switch (this) {
      case POWER -> decay;
      case EXP -> expRate;
      case LOG -> 0.0;
    };
  }

  /**
   * lambda_1..lambda_p (index 0 holds lambda_1); {@code rate} is this spectrum's parameter,
   * {@link #rate} (a of power, b of exp, ignored by log).
   */
  double[] eigenvalues(int p, double rate) {
    double[] l = new double[p];
    for (int k = 0; k < p; k++) {
      double i = k + 1;
      l[k] = switch (this) {
        case POWER -> Math.pow(i, -rate);
        case EXP -> Math.exp(-rate * i);
        case LOG -> {
          double ln = Math.log(i + 1.0);
          yield 1.0 / (i * ln * ln);
        }
      };
    }
    return l;
  }
}

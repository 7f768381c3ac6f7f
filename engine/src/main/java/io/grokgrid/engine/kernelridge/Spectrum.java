package io.grokgrid.engine.kernelridge;

import io.grokgrid.engine.Check;
import io.grokgrid.vocab.Columns;
import java.util.List;

/**
 * The kernel eigenvalue families of Mallinar et al. (2022) and Zhou et al. (2023), indexed from
 * i = 1: {@code power} lambda_i = i^-a (a = {@code decay} > 1: tempered, cost -> a for a pure-noise
 * target), {@code exp} lambda_i = e^(-b i) (b = {@code decay} > 0: catastrophic, cost ~ b n) and
 * {@code log} lambda_i = 1 / (i ln^2(i + 1)) (no parameter: benign, cost -> 1, slowly).
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

  /** Checks {@code decay} for this family: a > 1 for power, b > 0 for exp, anything for log. */
  void checkDecay(double decay) {
    switch (this) {
      case POWER -> Check.above(Columns.DECAY, decay, 1.0);
      case EXP -> Check.above(Columns.DECAY, decay, 0.0);
      default -> { }
    }
  }

  /** lambda_1..lambda_p (index 0 holds lambda_1). */
  double[] eigenvalues(int p, double decay) {
    double[] l = new double[p];
    for (int k = 0; k < p; k++) {
      double i = k + 1;
      l[k] = switch (this) {
        case POWER -> Math.pow(i, -decay);
        case EXP -> Math.exp(-decay * i);
        case LOG -> {
          double ln = Math.log(i + 1.0);
          yield 1.0 / (i * ln * ln);
        }
      };
    }
    return l;
  }
}

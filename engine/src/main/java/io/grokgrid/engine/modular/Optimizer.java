package io.grokgrid.engine.modular;

import io.grokgrid.engine.Check;
import java.util.Locale;

/**
 * The update rule of a {@link ModularTrainer} pack. Both apply decoupled weight decay to every
 * trained weight (both layers), with step size alpha and decay lambda from
 * {@link io.grokgrid.engine.Hyper}:
 *
 * <ul>
 *   <li>{@code gd}: W <- (1 - alpha*lambda) W - alpha g (full-batch gradient descent on
 *       loss + (lambda/2)|W|^2, as in the README).
 *   <li>{@code adamw}: Loshchilov and Hutter's AdamW as in PyTorch, with the betas of Power et al.
 *       2022: m <- b1 m + (1-b1) g, v <- b2 v + (1-b2) g^2, b1 = 0.9, b2 = 0.98, eps = 1e-8;
 *       W <- (1 - alpha*lambda) W - alpha (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps), t = 1, 2, ...
 * </ul>
 */
enum Optimizer {
  GD,
  ADAMW;

  /** AdamW's first-moment decay. */
  public static final double BETA1 = 0.9;
  /** AdamW's second-moment decay (Power et al. 2022). */
  public static final double BETA2 = 0.98;
  /** AdamW's denominator guard. */
  public static final double EPS = 1e-8;

  /** The lower-case name used in specs and tables. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code gd} or {@code adamw}. */
  public static Optimizer parse(String s) {
    return Check.oneOf(ModularFamily.OPTIMIZER, s, values(), Optimizer::label);
  }

  /** Every label, in declaration order. */
  public static java.util.List<String> labels() {
    return Check.labels(values(), Optimizer::label);
  }


}

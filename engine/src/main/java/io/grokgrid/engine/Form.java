package io.grokgrid.engine;

import io.grokgrid.vocab.Values;

/**
 * How a pack's training state is represented: the weights themselves (primal) or their
 * coordinates in the span of the training inputs (dual; see the README, "Dual form"). Both are
 * gradient descent and agree up to floating-point rounding; a family picks the cheaper one
 * unless the spec's {@code form} forces one.
 */
public enum Form {
  PRIMAL(Values.PRIMAL),
  DUAL(Values.DUAL),
  /** The dual form with mask-kernel steps (float32 only; see the README, "Dual form"). */
  DUAL_MASK(Values.DUAL_MASK),
  /**
   * The primal form with the backward product D X by the mask kernel's table lookups (float32
   * only; see the README, "How runs are trained").
   */
  PRIMAL_MASK(Values.PRIMAL_MASK);

  private final String label;

  Form(String label) {
    this.label = label;
  }

  /** Whether this form can train at the given precision (the mask kernel is float32 only). */
  public boolean allows(Precision precision) {
    return !mask() || precision == Precision.FLOAT32;
  }

  /** Whether the steps multiply by the ReLU mask with the mask kernel's table lookups. */
  public boolean mask() {
    return this == DUAL_MASK || this == PRIMAL_MASK;
  }

  /** Whether the state holds W itself (primal or primal-mask). */
  public boolean primal() {
    return this == PRIMAL || this == PRIMAL_MASK;
  }

  /** The lower-case name used in specs and in {@code runs.form}. */
  public String label() {
    return label;
  }

  /** Parses {@code primal} or {@code dual}; {@code auto} is resolved by the family. */
  public static Form parse(String s) {
    for (Form f : values()) {
      if (f.label.equals(s)) {
        return f;
      }
    }
    throw new IllegalArgumentException("form must be one of " + Values.FORMS + ", got " + s);
  }

  /** Checks a spec's form choice: one of {@link Values#FORMS}. */
  public static String checkChoice(String choice) {
    if (!Values.FORMS.contains(choice)) {
      throw new IllegalArgumentException("form must be one of " + Values.FORMS + ", got " + choice);
    }
    return choice;
  }
}

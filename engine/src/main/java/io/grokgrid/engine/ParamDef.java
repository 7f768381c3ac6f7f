package io.grokgrid.engine;

import java.util.List;

/**
 * One parameter of a task as a spec may set it, under {@code fixed} or as a {@code grid} axis.
 * Ranges are not repeated here: they are checked where the value enters the engine (its records'
 * compact constructors), once per distinct combination, before Spark starts.
 *
 * @param name the snake_case key, also the column name in the output tables
 * @param integer whether the value must be a whole number
 * @param defaultValue the value when the spec leaves it out, or null when it is required
 * @param role which part of a run it shapes: the data set, the network's initialization, or
 *     the model without randomness, or the optimizer (this decides the common random numbers: see {@link Role})
 * @param doc one line for {@code grokgrid validate} and the README
 */
public record ParamDef(String name, boolean integer, Double defaultValue, Role role, String doc,
    List<String> choices) {

  /** A numeric parameter. */
  public ParamDef(String name, boolean integer, Double defaultValue, Role role, String doc) {
    this(name, integer, defaultValue, role, doc, null);
  }

  /**
   * A parameter whose value is one of {@code choices} (text in specs and output columns). It is
   * held internally as the index of the choice, so it can sit under {@code fixed} or be a
   * {@code grid} axis like any number.
   */
  public static ParamDef choice(String name, String defaultValue, Role role, String doc,
      String... choices) {
    int i = List.of(choices).indexOf(defaultValue);
    if (i < 0) {
      throw new IllegalArgumentException("default " + defaultValue + " of " + name + " is not a choice");
    }
    return new ParamDef(name, true, (double) i, role, doc, List.of(choices));
  }

  /** Whether the value is one of {@link #choices()}. */
  public boolean isChoice() {
    return choices != null;
  }

  /** The text of an internal value: the choice's name, or the number in canonical form. */
  public String label(double value) {
    return isChoice() ? choices.get((int) value) : Seeds.canonical(value);
  }

  /** What a parameter shapes, and so which seeds it enters. */
  public enum Role {
    /** Enters the data set seed: runs differing in it see different data. */
    DATA,
    /** Enters the initialization seed: runs differing in it start from different weights. */
    NET,
    /**
     * Shapes the model but enters no seed (e.g. the leaky-ReLU slope): runs differing in it share
     * data and initial weights but are trained in separate packs.
     */
    MODEL,
    /** Enters no seed: runs differing only in these share data and init and are trained packed. */
    OPTIMIZER
  }
}

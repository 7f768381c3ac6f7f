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
 * @param choices the spellings of a choice parameter, or null for a number
 * @param usedWhen the choice values of another parameter under which this one is read, or null
 *     when every run reads it (see {@link #onlyWhen})
 */
public record ParamDef(String name, boolean integer, Double defaultValue, Role role, String doc,
    List<String> choices, UsedWhen usedWhen) {

  /**
   * This parameter is read only by runs whose choice parameter {@code key} is one of
   * {@code values} (e.g. kernel-ridge's {@code decay}, read only by {@code spectrum: power}).
   * The spec parser refuses a grid axis over it next to values of {@code key} that ignore it
   * (their runs would repeat once per value, identical but for a column they do not read), and
   * its range is checked only where it is read (by the family's constructor).
   */
  public record UsedWhen(String key, List<String> values) {
    /** Copies the list. */
    public UsedWhen {
      values = List.copyOf(values);
    }
  }

  /** A numeric parameter. */
  public ParamDef(String name, boolean integer, Double defaultValue, Role role, String doc) {
    this(name, integer, defaultValue, role, doc, null, null);
  }

  /** This parameter, read only by runs whose choice {@code key} is one of {@code values}. */
  public ParamDef onlyWhen(String key, String... values) {
    return new ParamDef(name, integer, defaultValue, role, doc, choices,
        new UsedWhen(key, List.of(values)));
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
    return new ParamDef(name, true, (double) i, role, doc, List.of(choices), null);
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

package io.grokgrid.jobs.spec;

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
public record ParamDef(String name, boolean integer, Double defaultValue, Role role, String doc) {

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

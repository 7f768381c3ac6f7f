package io.grokgrid.engine;

import java.util.List;
import java.util.Map;

/**
 * An experiment family (README, "Experiment families") with one pack's data and model parameters bound: it draws a
 * data set from a seed (the task) and trains a pack of runs on it (the trainer). The optimizer
 * parameters vary per run within a pack ({@link Hyper}).
 *
 * <p>Lifecycle: an implementation is a small immutable value (usually a record validating its
 * parameters in its compact constructor), built from a run's resolved parameters. The sweep job
 * builds one per grid point on the driver to check ranges and estimate work, and one per pack on
 * the executor, where {@link #generate} runs once per data set and {@link #train} once per pack on
 * that data set. Runs of one pack share the data set and the initialization (common random
 * numbers); families built from parameters with equal data parameters must generate equal data
 * sets from equal seeds, so a data set drawn by one pack's family may be used by the others'.
 *
 * <p>Adding a family: one package holding a class (or record) implementing this interface, its
 * {@link Metrics} and its {@link Recipe}, plus one line in {@link Recipes} (docs/extending.md).
 * Classification families record train and test accuracies; regression families do not.
 *
 * @param <D> the data set type, with whatever a family caches per data set (e.g. Gram matrices)
 */
public interface Family<D> {

  /** Draws the data set from {@code seed}; depends only on the data parameters and the seed. */
  D generate(long seed);

  /**
   * Trains a pack: one run per hyper, all from the initialization drawn from {@code initSeed}.
   *
   * @param steps number of GD steps T
   * @param logSteps increasing steps in [0, T] at which metrics are recorded, ending at T
   * @return one result per hyper, in order, and the form used
   */
  PackResult train(D data, long initSeed, List<Hyper> hypers, int steps, int[] logSteps);

  /** The form {@link #train} uses for these step counts (recorded in {@code runs.form}). */
  Form form(int steps, int logs);

  /** Estimated flops to generate one data set (and its per-data-set set-up). */
  double setupCost();

  /** Estimated flops to train one run of {@code steps} steps with {@code logs} logged points. */
  double runCost(int steps, int logs);

  /** Rows of packed state one run occupies (packs are split to bound their memory). */
  int rowsPerRun();

  /**
   * Estimated peak memory of one pack of {@code packRuns} runs trained by {@link #train}, its
   * data set included, split into Java heap and ND4J off-heap bytes (the planner splits packs
   * and refuses specs with it).
   */
  MemoryUse memory(int packRuns, int steps, int logs);

  /** The precision the runs compute in (some families always compute in float64). */
  Precision precision();

  /**
   * Per-run values from the family's theory (e.g. ridge's Eq. (8) bounds), keyed by output column
   * name; null values for undefined ones. Empty by default.
   *
   * @param thresholds the sweep's grokking criteria (regression: eps = fit, c = gen)
   */
  default Map<String, Double> theory(D data, Hyper hyper, Thresholds thresholds) {
    return Map.of();
  }
}

package io.grokgrid.vocab;

import java.util.List;

/**
 * The keys of a sweep spec (README, "Sweep spec") and of the {@code sweep.json} every sweep
 * directory holds: read by the spec parser, written back into {@code sweep.json}, and read again
 * by resume and by the report.
 */
public final class SpecKeys {
  private SpecKeys() {}

  public static final String NAME = "name";
  public static final String TASK = Columns.TASK;
  public static final String SEED = "seed";
  public static final String REPLICATES = "replicates";
  public static final String STEPS = Columns.STEPS;
  public static final String LOG_POINTS = "log_points";
  public static final String PRECISION = Columns.PRECISION;
  public static final String FORM = Columns.FORM;
  public static final String FIXED = "fixed";
  public static final String GRID = "grid";
  public static final String THRESHOLDS = "thresholds";
  public static final String REGIME_CUTS = "regime_cuts";
  public static final String DESCRIPTION = "description";
  /** Adaptive refinement of range axes along outcome boundaries (README, "Refined phase maps"). */
  public static final String REFINE = "refine";
  /** The optional curve metrics to record (a list of column names; default: the family's). */
  public static final String METRICS = "metrics";
  /** Every top-level key a spec may have. */
  public static final List<String> TOP = List.of(NAME, TASK, SEED, REPLICATES, STEPS, LOG_POINTS,
      PRECISION, FORM, FIXED, GRID, THRESHOLDS, REGIME_CUTS, DESCRIPTION, REFINE, METRICS);

  // an axis given as a range under grid
  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String POINTS = "points";
  public static final String SCALE = "scale";
  public static final String LINEAR = "linear";
  public static final String LOG = "log";
  /** Every key of a range axis. */
  public static final List<String> RANGE_KEYS = List.of(FROM, TO, POINTS, SCALE);
  /** The scales of a range axis. */
  public static final List<String> SCALES = List.of(LINEAR, LOG);

  // under refine
  public static final String AXES = "axes";
  public static final String BY = "by";
  public static final String BINS = "bins";
  public static final String LEVELS = "levels";
  public static final String MAX_RUNS = "max_runs";
  /** Every key under {@code refine}. */
  public static final List<String> REFINE_KEYS = List.of(AXES, BY, BINS, LEVELS, MAX_RUNS);

  // under thresholds
  public static final String FIT = "fit";
  public static final String GEN = "gen";
  public static final String GROK_RATIO = "grok_ratio";
  /** Every key under {@code thresholds}. */
  public static final List<String> THRESHOLD_KEYS = List.of(FIT, GEN, GROK_RATIO);

  // sweep.json
  /** The file name. */
  public static final String SWEEP_JSON = "sweep.json";
  /** The spec as run (the keys above). */
  public static final String SPEC = "spec";
  public static final String GROKGRID_VERSION = "grokgrid_version";
  public static final String SPARK_VERSION = "spark_version";
  public static final String MASTER = "master";
  /** The number of runs the spec expands to. */
  public static final String RUNS = "runs";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  /** {@link #RUNNING} while a run writes, {@link #COMPLETE} once its tables are written. */
  public static final String STATE = "state";
  public static final String RUNNING = "running";
  public static final String COMPLETE = "complete";
  /** A run stopped by a signal (Ctrl-C, a kill); {@code --resume} goes on. */
  public static final String INTERRUPTED = "interrupted";
  public static final String COUNTS_BY_STATUS = "counts_by_status";
  /** The facts the report shows, in its order. */
  public static final java.util.List<String> SHOWN = java.util.List.of(GROKGRID_VERSION, SPARK_VERSION,
      MASTER, RUNS, STATE, STARTED_AT, FINISHED_AT);
}

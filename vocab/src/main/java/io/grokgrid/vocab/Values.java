package io.grokgrid.vocab;

import java.util.List;

/**
 * The text values the tables and specs share: run status, grokking phase, the cost table's
 * regime, the training form and the precision. Each is spelled here once; engine, jobs and
 * analysis read it from here.
 */
public final class Values {
  private Values() {}

  // runs.status
  /** A run that finished its steps. */
  public static final String OK = "ok";
  /** A run stopped by NaN/Inf in its outputs or weights (steps_done says when). */
  public static final String DIVERGED = "diverged";
  /** A run whose pack threw (status_detail says why); it has no curve. */
  public static final String FAILED = "failed";
  /** Every status, in the order the tools list them. */
  public static final List<String> STATUSES = List.of(OK, DIVERGED, FAILED);

  // grokking.phase (Liu et al. 2022, "Towards Understanding Grokking")
  /** Fits and generalizes with a gap below the grokking ratio. */
  public static final String COMPREHENSION = "comprehension";
  /** Fits, and generalizes only at least grok_ratio times later. */
  public static final String GROKKING = "grokking";
  /** Fits, never generalizes. */
  public static final String MEMORIZATION = "memorization";
  /** Never fits. */
  public static final String CONFUSION = "confusion";
  /** Every phase, in Liu et al.'s order. */
  public static final List<String> PHASES = List.of(COMPREHENSION, GROKKING, MEMORIZATION, CONFUSION);

  // overfitting_cost.regime (Mallinar et al. 2022)
  public static final String BENIGN = "benign";
  public static final String TEMPERED = "tempered";
  public static final String CATASTROPHIC = "catastrophic";
  /** Every regime, from best to worst. */
  public static final List<String> REGIMES = List.of(BENIGN, TEMPERED, CATASTROPHIC);

  // runs.form and the spec's form
  /** The spec's default: the cheaper form by flop count. */
  public static final String AUTO = "auto";
  public static final String PRIMAL = "primal";
  public static final String DUAL = "dual";
  /** The dual form whose steps multiply by the ReLU mask with table lookups (float32). */
  public static final String DUAL_MASK = "dual-mask";
  /** The primal form whose backward product uses the same table lookups (float32). */
  public static final String PRIMAL_MASK = "primal-mask";
  /** Every form a spec may name. */
  public static final List<String> FORMS = List.of(AUTO, PRIMAL, DUAL, DUAL_MASK, PRIMAL_MASK);
  /** The forms that multiply by the ReLU mask with table lookups (float32 only). */
  public static final List<String> MASK_FORMS = List.of(DUAL_MASK, PRIMAL_MASK);

  // runs.precision and the spec's precision
  public static final String FLOAT32 = "float32";
  public static final String FLOAT64 = "float64";
  /** Every precision a spec may name. */
  public static final List<String> PRECISIONS = List.of(FLOAT32, FLOAT64);
}

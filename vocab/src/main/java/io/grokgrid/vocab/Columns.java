package io.grokgrid.vocab;

import java.util.List;

/**
 * The column names of a sweep's tables: the one place they are spelled. The schema is the
 * product's contract (see the README): snake_case, stable across releases.
 *
 * <p>Tables: {@code runs/} (one row per run), {@code curves/} (one row per run and logged step),
 * {@code grokking/} (one row per run), {@code overfitting_cost/} (one row per group of runs that
 * differ only in weight decay and replicate).
 */
public final class Columns {
  private Columns() {}

  /** Table directory names under a sweep's output directory, also the SQL view names. */
  public static final String RUNS = "runs";
  public static final String CURVES = "curves";
  public static final String GROKKING = "grokking";
  public static final String OVERFITTING_COST = "overfitting_cost";
  public static final List<String> TABLES = List.of(RUNS, CURVES, GROKKING, OVERFITTING_COST);

  // identity
  public static final String SWEEP = "sweep";
  public static final String RUN_ID = "run_id";
  public static final String TASK = "task";
  public static final String REPLICATE = "replicate";

  // parameters of xor-clusters (each its own column; other tasks add theirs)
  public static final String NOISE_RATE = "noise_rate";
  public static final String WIDTH = "width";
  public static final String DIM = "dim";
  public static final String N_TRAIN = "n_train";
  public static final String N_TEST = "n_test";
  public static final String SIGNAL = "signal";
  public static final String STEP_SIZE = "step_size";
  public static final String WEIGHT_DECAY = "weight_decay";
  public static final String INIT_SCALE = "init_scale";
  /** Parameter of modular-addition: the modulus q, also the number of classes. */
  public static final String MODULUS = "modulus";
  /** Parameter of gaussian-mixture, clusters and subspace: the leaky-ReLU slope for negative inputs. */
  public static final String LEAK = "leak";
  /** Parameter of clusters: the number k of cluster means. */
  public static final String CLUSTERS = "clusters";
  /** Parameter of subspace: the dimension d of the linear subspace the inputs lie on. */
  public static final String SUBSPACE_DIM = "subspace_dim";
  /** Parameter of ridge: std of the Gaussian label noise. */
  public static final String LABEL_NOISE_STD = "label_noise_std";
  /** Parameters of kernel-ridge: the data mode, {@code spectrum} or {@code gaussian-kernel}. */
  public static final String DESIGN = "design";
  /** kernel-ridge: the eigenvalue family, {@code power}, {@code exp} or {@code log}. */
  public static final String SPECTRUM = "spectrum";
  /** kernel-ridge: the power spectrum's exponent a of i^-a (used only by spectrum power). */
  public static final String DECAY = "decay";
  /** kernel-ridge: the exp spectrum's rate b of e^(-b i) (used only by spectrum exp). */
  public static final String EXP_RATE = "exp_rate";
  /** kernel-ridge: the target, {@code signal} or {@code noise} (f* = 0). */
  public static final String TARGET = "target";
  /** kernel-ridge: the target's coefficients v_i^2 = i^-target_decay. */
  public static final String TARGET_DECAY = "target_decay";
  /** kernel-ridge: the number P of eigenfunctions kept (0: the family's default, 50 n_train). */
  public static final String FEATURES = "features";
  /** kernel-ridge: the Gaussian kernel's bandwidth before the schedule n^-bandwidth_exponent. */
  public static final String BANDWIDTH = "bandwidth";
  /** kernel-ridge: b in bandwidth * n_train^-b. */
  public static final String BANDWIDTH_EXPONENT = "bandwidth_exponent";

  // run outcome
  public static final String STATUS = "status";
  public static final String STATUS_DETAIL = "status_detail";
  public static final String STEPS = "steps";
  public static final String STEPS_DONE = "steps_done";
  public static final String WALL_MS = "wall_ms";
  public static final String FORM = "form";
  public static final String PRECISION = "precision";
  public static final String PACK_SIZE = "pack_size";
  public static final String DATASET_SEED = "dataset_seed";
  public static final String INIT_SEED = "init_seed";
  public static final String ENGINE_VERSION = "engine_version";
  /**
   * runs and grokking: the refinement level at which the run's grid point was added (0 for the
   * coarse grid of a refined sweep, and for every run of a plain grid).
   */
  public static final String REFINE_LEVEL = "refine_level";

  // metrics (final values in runs, per step in curves)
  public static final String STEP = "step";
  public static final String TRAIN_LOSS = "train_loss";
  public static final String TRAIN_ACC = "train_acc";
  public static final String TEST_LOSS = "test_loss";
  public static final String TEST_ACC = "test_acc";
  public static final String TEST_ACC_NOISY = "test_acc_noisy";
  public static final String WEIGHT_NORM = "weight_norm";
  /** Regression families that record it: mean absolute test error on noisy targets (else null). */
  public static final String TEST_LOSS_L1 = "test_loss_l1";
  /** kernel-ridge: kernel eigenvalues kept by the solve (above n eps k_max; n when all are). */
  public static final String KERNEL_RANK = "kernel_rank";

  /**
   * The metric columns every {@code runs} and {@code curves} table has (the output contract), in
   * order; a family that does not record one leaves it null. Further metrics a family declares
   * follow these.
   */
  // implicit-bias metrics of the two-layer families (README, "Implicit-bias metrics"); optional,
  // chosen by the spec's `metrics` key
  /** |W|_F^2 / |W|_2^2 of the first layer. */
  public static final String STABLE_RANK = "stable_rank";
  /** exp of the entropy of the normalized singular values of the first layer (Roy & Vetterli). */
  public static final String EFFECTIVE_RANK = "effective_rank";
  /** |W|_2, the largest singular value of the first layer. */
  public static final String SIGMA_MAX = "sigma_max";
  /** Median distance of correctly classified clean test points to the decision boundary / signal. */
  public static final String FLIP_RADIUS = "flip_radius";
  /** Median share of the input gradient's norm off the span of the training inputs. */
  public static final String GRAD_ORTH_SHARE = "grad_orth_share";
  /** |W P_perp|_F, the first layer's part off the span of the training inputs. */
  public static final String W_ORTH_NORM = "w_orth_norm";
  /** Relative distance of W to the cone of KKT points of margin maximization (Lyu & Li). */
  public static final String KKT_RESIDUAL = "kkt_residual";

  public static final List<String> STANDARD_METRICS = List.of(TRAIN_LOSS, TRAIN_ACC, TEST_LOSS,
      TEST_ACC, TEST_ACC_NOISY, WEIGHT_NORM);

  // grokking
  public static final String T_FIT = "t_fit";
  public static final String T_GEN = "t_gen";
  public static final String T_GEN_SUSTAINED = "t_gen_sustained";
  public static final String DELAY = "delay";
  public static final String PHASE = "phase";
  public static final String GROKKED = "grokked";
  /** ridge: Eq. (8) upper bound on t1 (Xu, Vardi, Safran 2026), in steps. */
  public static final String T_FIT_BOUND = "t_fit_bound";
  /** ridge: Eq. (8) lower bound on t2, in steps. */
  public static final String T_GEN_BOUND = "t_gen_bound";
  /** kernel-ridge: the eigenframework's kappa for the run's delta (Simon et al.'s ansatz). */
  public static final String EF_KAPPA = "ef_kappa";
  /** kernel-ridge: the eigenframework's predicted test risk (noise included) at the run's delta. */
  public static final String EF_RISK = "ef_risk";
  /** kernel-ridge: the eigenframework's cost of overfitting, risk at delta 0 / min over delta. */
  public static final String EF_COST = "ef_cost";

  // overfitting cost
  public static final String REPLICATES = "replicates";
  public static final String RISK_INTERP = "risk_interp";
  public static final String RISK_BEST = "risk_best";
  public static final String BEST_WEIGHT_DECAY = "best_weight_decay";
  public static final String COST = "cost";
  public static final String RISK_BEST_EARLY_STOP = "risk_best_early_stop";
  public static final String BEST_STOP_STEP = "best_stop_step";
  public static final String COST_EARLY_STOP = "cost_early_stop";
  public static final String BAYES_RISK = "bayes_risk";
  public static final String REGIME = "regime";
  /** Suffix of the overfitting_cost columns computed with the L1 test loss (when recorded). */
  public static final String L1_SUFFIX = "_l1";
}

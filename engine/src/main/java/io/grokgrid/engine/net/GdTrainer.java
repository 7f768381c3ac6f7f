package io.grokgrid.engine.net;

import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Metrics;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Full-batch gradient descent on the mean logistic loss for the network of {@link Net}, as in
 * Xu, Wang, Frei, Vardi, Hu (2023, arXiv 2310.02541): only W is trained,
 * W <- (1 - alpha*lambda) W - alpha grad. With a leaky ReLU ({@link Net#leak()} > 0; Frei, Vardi,
 * Bartlett, Srebro 2023, arXiv 2303.01462) the same holds, and so does the dual form. README,
 * "Experiment families" and "What makes it fast".
 *
 * <p><b>Packing.</b> A pack is a list of runs that share a data set and W(0) (common random
 * numbers) and differ only in step size and weight decay. The runs are stacked into one
 * (k*m)-row state so each step is one large matrix product; per-run step sizes and decays become
 * per-row scalings. Packing changes no row's arithmetic, but BLAS may block rows differently
 * by position and count, so a packed run can differ from the same run alone in the last bits
 * (float rounding); accuracies agree.
 *
 * <p><b>Primal and dual forms.</b> The primal form ({@link PrimalState}) keeps W (k*m x p) and
 * pays 4 k m n p flops a step. Because every row of W stays in span{its initial row, the training
 * inputs}, W_t = s_t W_0 + C_t X with s_t = (1 - alpha*lambda)^t, the dual form
 * ({@link DualState}) keeps the training pre-activations P_t = W_t X^T and C_t instead:
 * P_{t+1} = (1 - alpha*lambda) P_t - alpha D_t K with K = X X^T, at 2 k m n^2 flops a step. Test
 * pre-activations are s_t W_0 X_test^T + C_t X X_test^T, needed only at logged steps; W_0 X^T is
 * formed chunk by chunk from the seed and W_0 is never held whole. The mask form
 * ({@link MaskDualState}, float32) is the dual form with D K computed by table lookups from the
 * ReLU mask ({@link MaskKernel}). {@link #chooseForm} picks the cheapest. All give the same
 * numbers up to floating-point rounding.
 *
 * <p><b>Divergence.</b> A run whose training outputs or pre-activations become NaN or infinite
 * at step t stops there with status {@code diverged} and steps_done = t; its rows are zeroed so
 * the other runs of its pack go on unaffected.
 *
 * <p>{@link #train} is a pure function of its arguments; the ND4J arrays of one call must not be
 * shared with another thread.
 */
public final class GdTrainer {
  private GdTrainer() {}

  /**
   * Dense-step flops that one operation of the mask kernel costs in time: the median over the
   * eight shapes of {@code grokgrid bench mask-kernel} (m = 20, 1000; n = 100..800; one core with
   * AVX-512, quiet) of (mask step time / dense step time) x 2 m n^2 / (the operations counted in
   * {@link #maskCost}); the shapes gave 3.2 to 6.3 (docs/performance.md, "The mask kernel"). The
   * planner's work unit is the dense flop, so a mask step is charged its operations times this.
   */
  static final double MASK_OP_FLOPS = 4.3;

  /**
   * The same for the primal form's backward update, fitted to a whole sweep rather than to one
   * run's step, with OpenBLAS's AVX-512 kernels that {@code bin/grokgrid} selects: many-small
   * (m = 20, n = 100, p = 50, 100 runs a pack) trained in 56 s with the form forced against
   * 51 s dense, i.e. per row and step 1.10 x 4 n p = 2 n p + 3.7 x its 3,236 operations. (With
   * the AVX2 kernels an environment had pinned, the same sweep took 59 s against 72 s; one run's
   * update alone, {@code grokgrid bench mask-kernel}'s {@code primal_backward}, gave 1.6 to 7.0
   * over 18 shapes: a packed GEMM and a single run's differ.) Doubled where a block's tables
   * outgrow half the L2 cache (n > 512): at n = 1000, p = 200, m = 1000 a sweep trained in 28 s
   * against 27 s dense.
   */
  static final double PRIMAL_MASK_OP_FLOPS = 3.7;

  /** Training examples above which a column block's tables (n / 4 x 16 x 64 floats) exceed 512 KB. */
  static final int TABLES_IN_L2 = 512;

  /**
   * Work per state row (one hidden unit of one run) of a whole run in the given form, in flops
   * (for the mask form: flop-equivalents, see {@link #MASK_OP_FLOPS}).
   */
  public static double cost(Form form, int width, int n, int nTest, int dim, int steps, int logs) {
    return switch (form) {
      case PRIMAL -> primalCost(n, nTest, dim, steps, logs);
      case DUAL -> dualCost(n, nTest, dim, steps, logs);
      case DUAL_MASK -> maskCost(width, n, nTest, dim, steps, logs);
      case PRIMAL_MASK -> primalMaskCost(width, n, nTest, dim, steps, logs);
    };
  }

  /** Flops per state row of a whole run in the primal form. */
  static double primalCost(int n, int nTest, int dim, int steps, int logs) {
    return (double) steps * 4.0 * n * dim + (double) logs * 2.0 * nTest * dim;
  }

  /** Flops per state row of a whole run in the dual form, set-up included. */
  static double dualCost(int n, int nTest, int dim, int steps, int logs) {
    return 2.0 * (n + nTest) * dim + (double) steps * 2.0 * n * n
        + (double) logs * (2.0 * n * nTest + 2.0 * n * n);
  }

  /**
   * Flop-equivalents per state row of a whole run in the mask form: the set-up of the dual form;
   * per step a row's n / 4 lookups of a padded row of n' columns, its share of the 16 n / 4 rows
   * of tables (one set per run) and ~8 operations per entry for the updates; per log the test
   * GEMM (the weight norm needs none).
   */
  static double maskCost(int width, int n, int nTest, int dim, int steps, int logs) {
    double padded = (n + MaskRun.PAD - 1) / MaskRun.PAD * MaskRun.PAD;
    double perStep = MaskKernel.groups(n) * padded * (1.0 + 16.0 / width) + 8.0 * padded;
    return 2.0 * (n + nTest) * dim + (double) steps * MASK_OP_FLOPS * perStep
        + (double) logs * 2.0 * n * nTest;
  }

  /**
   * Flop-equivalents per state row of a whole run in the primal mask form: per step the forward
   * GEMM's 2 n p flops, and for the backward product a row's n / 4 lookups of a padded row of p'
   * columns, its share of the 16 n / 4 table rows (one set per run), ~4 operations per entry for
   * the update and the copy back to ND4J and n for the mask bits; per log the test GEMM.
   */
  static double primalMaskCost(int width, int n, int nTest, int dim, int steps, int logs) {
    double padded = (dim + MaskRun.PAD - 1) / MaskRun.PAD * MaskRun.PAD;
    double perStep = MaskKernel.groups(n) * padded * (1.0 + 16.0 / width) + 4.0 * padded + n;
    double perOp = PRIMAL_MASK_OP_FLOPS * (n > TABLES_IN_L2 ? 2.0 : 1.0);
    return (double) steps * (2.0 * n * dim + perOp * perStep)
        + (double) logs * 2.0 * nTest * dim;
  }

  /**
   * The cheapest form by the costs above; ties go to the primal form (no set-up), then to the
   * dense dual form. The mask forms are candidates at float32 only.
   */
  public static Form chooseForm(int width, int n, int nTest, int dim, int steps, int logs,
      Precision precision) {
    Form best = Form.PRIMAL;
    double bestCost = primalCost(n, nTest, dim, steps, logs);
    for (Form f : new Form[] {Form.DUAL, Form.DUAL_MASK, Form.PRIMAL_MASK}) {
      double c = cost(f, width, n, nTest, dim, steps, logs);
      if (f.allows(precision) && c < bestCost) {
        best = f;
        bestCost = c;
      }
    }
    return best;
  }

  /**
   * Trains a pack of runs, recording {@link NetFamily#METRICS} at the logged steps.
   *
   * @param d the data set (its arrays' type sets the precision)
   * @param gram d's Gram matrices for the dual form, or null to compute them here
   * @param net width, initialization scale and seed, shared by the pack
   * @param hypers one entry per run
   * @param steps number of GD steps T
   * @param logSteps increasing steps in [0, T] at which metrics are recorded, ending at T
   * @param form primal or dual
   */
  public static PackResult train(Dataset d, Gram gram, Net net, List<Hyper> hypers, int steps,
      int[] logSteps, Form form) {
    return train(d, gram, net, hypers, steps, logSteps, form, NetFamily.METRICS.select(List.of()), 1.0);
  }

  /**
   * Trains a pack of runs as above, recording {@code metrics} (the standard ones and a choice of
   * the optional ones of {@link NetFamily#METRICS}); {@code signal} is the recipe's signal
   * strength, the unit of {@code flip_radius}.
   */
  static PackResult train(Dataset d, Gram gram, Net net, List<Hyper> hypers, int steps,
      int[] logSteps, Form form, Metrics<NetStep> metrics, double signal) {
    return train(d, gram, net, hypers, steps, logSteps, form, metrics, signal, null);
  }

  /** As above, with d's {@link Span} when the caller holds it (null: computed here if needed). */
  static PackResult train(Dataset d, Gram gram, Net net, List<Hyper> hypers, int steps,
      int[] logSteps, Form form, Metrics<NetStep> metrics, double signal, Span span) {
    if (hypers.isEmpty()) {
      throw new IllegalArgumentException("a pack needs at least one run");
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    LogSchedule.check(steps, logSteps);
    return new Loop(d, gram, net, hypers, steps, logSteps, form, metrics, signal, span).run();
  }

  /**
   * The gradient of the mean logistic loss with respect to W at {@code w} (m x p), computed by
   * the same code a training step uses (for gradient checks).
   */
  static INDArray gradient(Dataset d, Net net, INDArray w) {
    return new Loop(d, null, net, List.of(new Hyper(1.0, 0.0)), 0, new int[] {0}, Form.PRIMAL,
        NetFamily.METRICS.select(List.of()), 1.0, null).gradientAt(w);
  }
}

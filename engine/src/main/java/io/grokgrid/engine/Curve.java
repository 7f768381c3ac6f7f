package io.grokgrid.engine;

import io.grokgrid.vocab.Columns;
import java.util.Arrays;
import java.util.List;

/**
 * A run's learning curve: the values of its family's declared metrics ({@link Metric}) at its
 * logged steps (see {@link LogSchedule}). Every column has one value per logged step.
 * Accuracies are fractions in [0, 1]; losses are means over examples; {@code weight_norm} is the
 * Frobenius norm of the trained first layer W (of theta for linear models). A metric a family does
 * not declare (e.g. accuracies of a regression family) is absent: {@link #values} returns null.
 *
 * @param steps logged steps (state after that many GD steps), increasing
 * @param names the metric columns, in the family's declared order (snake_case, see
 *     {@link Columns})
 * @param values one array per name, each as long as {@code steps}
 */
public record Curve(int[] steps, List<String> names, double[][] values) {

  /** Checks the shape. */
  public Curve {
    names = List.copyOf(names);
    if (values.length != names.size()) {
      throw new IllegalArgumentException(names.size() + " metric names for " + values.length + " columns");
    }
    for (double[] v : values) {
      if (v.length != steps.length) {
        throw new IllegalArgumentException("a metric column has " + v.length + " values for "
            + steps.length + " logged steps");
      }
    }
  }

  /** The values of metric {@code name} at every logged step, or null when it is not recorded. */
  public double[] values(String name) {
    int i = names.indexOf(name);
    return i < 0 ? null : values[i];
  }

  /** Mean training loss on the observed labels. */
  public double[] trainLoss() {
    return values(Columns.TRAIN_LOSS);
  }

  /** Training accuracy on the observed labels; null for regression families. */
  public double[] trainAcc() {
    return values(Columns.TRAIN_ACC);
  }

  /** Mean test loss on the noisy test labels (regression: test or population loss). */
  public double[] testLoss() {
    return values(Columns.TEST_LOSS);
  }

  /** Test accuracy on the clean labels; null for regression families. */
  public double[] testAcc() {
    return values(Columns.TEST_ACC);
  }

  /** Test accuracy on the noisy labels; null for regression families. */
  public double[] testAccNoisy() {
    return values(Columns.TEST_ACC_NOISY);
  }

  /** |W|_F. */
  public double[] weightNorm() {
    return values(Columns.WEIGHT_NORM);
  }

  /** Mean absolute test error on noisy targets; null unless the family records it. */
  public double[] testLossL1() {
    return values(Columns.TEST_LOSS_L1);
  }

  /** Number of logged points. */
  public int length() {
    return steps.length;
  }

  /** The index of the last point. */
  public int last() {
    return steps.length - 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Curve c && Arrays.equals(steps, c.steps) && names.equals(c.names)
        && Arrays.deepEquals(values, c.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(steps) * 31 + Arrays.deepHashCode(values);
  }

  @Override
  public String toString() {
    return "Curve[" + steps.length + " points of " + names + ", last step "
        + (steps.length == 0 ? -1 : steps[last()]) + "]";
  }

  /**
   * Accumulates a curve point by point; the one way trainers build curves. Not thread-safe.
   */
  public static final class Builder {
    private final List<String> names;
    private final int[] steps;
    private final double[][] cols;
    private int len;

    /**
     * @param names the metric columns
     * @param capacity the most points that will be added (the number of logged steps)
     */
    public Builder(List<String> names, int capacity) {
      this.names = List.copyOf(names);
      this.steps = new int[capacity];
      this.cols = new double[names.size()][capacity];
    }

    /** The values of every column at {@code step}, in the order of the names. */
    public void add(int step, double[] values) {
      steps[len] = step;
      for (int c = 0; c < cols.length; c++) {
        cols[c][len] = values[c];
      }
      len++;
    }

    /** The points added so far (a run that diverged stops early). */
    public Curve build() {
      double[][] v = new double[cols.length][];
      for (int c = 0; c < cols.length; c++) {
        v[c] = Arrays.copyOf(cols[c], len);
      }
      return new Curve(Arrays.copyOf(steps, len), names, v);
    }
  }
}

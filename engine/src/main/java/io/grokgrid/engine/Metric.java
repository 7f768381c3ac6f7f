package io.grokgrid.engine;

import java.util.List;
import java.util.function.ToDoubleBiFunction;

/**
 * A curve metric: reads a family's state at a logged step and yields named values for one run of
 * the pack. A family declares the metrics it records ({@link Metrics}); the {@code curves}
 * columns and the final values in {@code runs} follow from that declaration (README, "Output
 * tables"; docs/extending.md, "Adding a metric").
 *
 * <p>Implementations are stateless and cheap to share; {@link #read} is called once per run and
 * logged step, after the trainer has brought {@code state} up to date for that step.
 *
 * @param <S> the family's view of its training state at a logged step
 */
public interface Metric<S> {

  /** The column names of the values this metric yields, snake_case (see the vocab's Columns). */
  List<String> names();

  /**
   * Writes run {@code run}'s values at the current logged step to {@code out[offset ..
   * offset + names().size())}, in the order of {@link #names}.
   */
  void read(S state, int run, double[] out, int offset);

  /** A one-value metric read off the state by {@code value} (for values the state already has). */
  static <S> Metric<S> scalar(String name, ToDoubleBiFunction<S, Integer> value) {
    return new Scalar<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double value(S state, int run) {
        return value.applyAsDouble(state, run);
      }
    };
  }

  /** A metric with one value. */
  interface Scalar<S> extends Metric<S> {
    /** The column name. */
    String name();

    /** Run {@code run}'s value at the current logged step. */
    double value(S state, int run);

    @Override
    default List<String> names() {
      return List.of(name());
    }

    @Override
    default void read(S state, int run, double[] out, int offset) {
      out[offset] = value(state, run);
    }
  }
}

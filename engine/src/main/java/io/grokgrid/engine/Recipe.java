package io.grokgrid.engine;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What the sweep tools need to know of an experiment family without training it: the spec's
 * {@code task} name, its parameters (names, defaults, roles), whether its grokking criteria are
 * losses (regression) or accuracies, the metric columns its curves record, the extra grokking
 * columns its theory fills, and how to build its {@link Family} from a run's resolved
 * parameters. Each family package declares one (or more) as a constant; {@link Recipes} lists them.
 *
 * @param task the spec's {@code task}
 * @param params the parameters, in the order they appear as columns
 * @param regression true when t_fit / t_gen use losses (eps, c) instead of accuracies
 * @param metrics the curve metric columns the family records (its {@link Metrics#names()})
 * @param theoryColumns extra double columns of the grokking table, filled from
 *     {@link Family#theory} (keys equal to these names)
 * @param builder makes the engine family
 * @param optionalMetrics the columns of {@code metrics} a spec's {@code metrics} key may choose
 * @param defaultMetrics the optional columns recorded when the spec does not choose
 */
public record Recipe(String task, List<ParamDef> params, boolean regression, List<String> metrics,
    List<String> theoryColumns, Builder builder, List<String> optionalMetrics,
    List<String> defaultMetrics) implements Serializable {

  /**
   * Builds a family from a run's resolved parameters, the spec's precision and form choice, and
   * the optional metrics the sweep records (a subset of {@link #optionalMetrics}).
   */
  @FunctionalInterface
  public interface Builder extends Serializable {
    Family<?> build(Map<String, Double> params, Precision precision, String form, List<String> metrics);
  }

  /** Copies the lists. */
  public Recipe {
    params = List.copyOf(params);
    metrics = List.copyOf(metrics);
    theoryColumns = List.copyOf(theoryColumns);
    optionalMetrics = List.copyOf(optionalMetrics);
    defaultMetrics = List.copyOf(defaultMetrics);
  }

  /** A family whose metrics are all standard (every column always recorded). */
  public Recipe(String task, List<ParamDef> params, boolean regression, List<String> metrics,
      List<String> theoryColumns, Builder builder) {
    this(task, params, regression, metrics, theoryColumns, builder, List.of(), List.of());
  }

  /** A family whose columns and optional metrics are those of {@code m}. */
  public Recipe(String task, List<ParamDef> params, boolean regression, Metrics<?> m,
      List<String> theoryColumns, Builder builder) {
    this(task, params, regression, m.names(), theoryColumns, builder, m.optionalNames(), m.defaults());
  }

  /** The family of one run's (or pack's) resolved parameters, recording the default metrics. */
  public Family<?> family(Map<String, Double> params, Precision precision, String form) {
    return family(params, precision, form, defaultMetrics);
  }

  /** The family of one run's (or pack's) resolved parameters, recording {@code chosen} metrics. */
  public Family<?> family(Map<String, Double> params, Precision precision, String form,
      List<String> chosen) {
    Metrics.check(chosen, optionalMetrics);
    return builder.build(params, precision, form, chosen);
  }

  /** A numeric parameter. */
  public static ParamDef param(String name, boolean integer, Double dflt, ParamDef.Role role, String doc) {
    return new ParamDef(name, integer, dflt, role, doc);
  }

  /** The text of a choice parameter's value (held as the index into {@code choices}). */
  public static String pick(Map<String, Double> params, String key, List<String> choices) {
    return choices.get(params.get(key).intValue());
  }
}

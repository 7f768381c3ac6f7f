package io.grokgrid.analysis;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import io.grokgrid.vocab.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Tables derived from a sweep's {@code runs/} and {@code curves/} tables, computed with Spark
 * DataFrame operations (nothing is collected to the driver). Stateless; every method returns a
 * lazy {@link Dataset} that runs when the caller writes or collects it.
 */
public final class DerivedTables {
  private DerivedTables() {}

  /**
   * Tasks whose risk is the test loss on noisy targets; every other task is a classification
   * task whose risk is the 0-1 error on noisy test labels.
   */
  static final List<String> REGRESSION_TASKS = List.of(Tasks.RIDGE, Tasks.UNIVARIATE_REGRESSION,
      Tasks.KERNEL_RIDGE);

  /** The task whose chance risk depends on its number of classes, {@link Columns#MODULUS}. */
  static final String MODULAR_ADDITION = Tasks.MODULAR_ADDITION;

  /** The status of a run that finished; only such runs enter derived tables. */
  static final String STATUS_OK = Values.OK;

  // working column names; the double underscore keeps them clear of parameter names
  private static final String RISK = "__risk";
  private static final String REPS = "__replicates";
  private static final String BEST = "__best";
  private static final String KEY = "__key_";
  private static final String DECAYS = "__decays";

  /**
   * The cost of overfitting (Zhou, Simon, Vardi, Srebro 2023, "An Agnostic View on the Cost of
   * Overfitting in (Kernel) Ridge Regression"; regimes after Mallinar et al. 2022): one row per
   * group of runs that differ only in {@code weight_decay} and {@code replicate}.
   *
   * <p>Group key: {@code sweep}, {@code task} and every parameter column of {@code runs} (every
   * column of {@link #parameterColumns}) except {@code weight_decay}, found from
   * the schema, so any task's parameters work. A null parameter value (as left by a union of
   * sweeps with different parameters) is a value of its own and matches only null. Only runs
   * with status {@code ok} and a non-null {@code weight_decay} count.
   *
   * <p>Risk of one run: for classification tasks the 0-1 error on noisy test labels,
   * {@code 1 - test_acc_noisy}; for regression tasks ({@link #REGRESSION_TASKS}) the test loss on
   * noisy targets, {@code test_loss}. Risks are always averaged over replicates first (a null
   * risk is left out of the average), then minimised. Output columns, after the group key:
   * <ul>
   *   <li>{@code replicates} (int): distinct replicates among the group's runs;
   *   <li>{@code risk_interp}: replicate-averaged final risk of the {@code weight_decay = 0} runs
   *       (the interpolating model); null if the group has none;
   *   <li>{@code risk_best}, {@code best_weight_decay}: minimum over the group's weight decays of
   *       the replicate-averaged final risk, and its argmin (ties go to the smallest decay);
   *   <li>{@code cost} = {@code risk_interp / risk_best}, at least 1;
   *   <li>{@code risk_best_early_stop}, {@code best_stop_step}: from {@code curves}, the risk of
   *       the {@code weight_decay = 0} runs at each logged step averaged over replicates, then its
   *       minimum over steps and argmin (ties go to the earliest step); null without such runs
   *       or curves;
   *   <li>{@code cost_early_stop} = {@code risk_interp / risk_best_early_stop};
   *   <li>{@code bayes_risk}: the floor of the risk. For classification tasks it is
   *       {@code noise_rate}: when the clean classes separate, the best classifier predicts the
   *       clean label and is wrong exactly on the flipped test labels, a fraction eta of them.
   *       Null for regression tasks (the noise floor depends on the loss) and when the runs have
   *       no {@code noise_rate} column;
   *   <li>{@code regime}: with {@code excess = (risk_interp - bayes_risk) / (chance - bayes_risk)},
   *       {@code benign} if {@code excess <= cuts.benign()}, {@code catastrophic} if
   *       {@code excess >= cuts.catastrophic()}, else {@code tempered}; null when risk_interp or
   *       bayes_risk is null or chance does not exceed bayes_risk. The chance risk is 0.5 for the
   *       binary tasks and {@code 1 - 1/modulus} for modular-addition with q classes. For
   *       regression tasks, whose risk has no chance level, the regime comes from the growth of
   *       the cost with {@code n_train} instead (see {@link #regressionRegime}): null unless the
   *       runs have an {@code n_train} column and the group's n-series has at least two values.
   * </ul>
   * Cost conventions (both costs): null when the numerator or the denominator is null; 1.0 when
   * both are 0; positive infinity when only the denominator is 0.
   *
   * <p>Cost per loss: when both tables carry {@code test_loss_l1} (regression families that
   * record the L1 test loss too), the same risk, cost and early-stop columns computed with it in
   * place of {@code test_loss} follow, named with the suffix {@code _l1} ({@code risk_interp_l1},
   * {@code risk_best_l1}, {@code best_weight_decay_l1}, {@code cost_l1},
   * {@code risk_best_early_stop_l1}, {@code best_stop_step_l1}, {@code cost_early_stop_l1}).
   *
   * @param runs a sweep's runs table (at least sweep, run_id, task, replicate, status,
   *     weight_decay, test_loss, test_acc_noisy and the parameter columns)
   * @param curves a sweep's curves table (at least sweep, run_id, step, test_loss,
   *     test_acc_noisy)
   * @param cuts where the regimes are cut; {@link RegimeCuts#DEFAULTS} for the defaults
   * @return the lazily computed {@code overfitting_cost} table, in no particular row order
   * @throws IllegalArgumentException if a required column is missing, naming it and the table
   */
  public static Dataset<Row> overfittingCost(Dataset<Row> runs, Dataset<Row> curves,
      RegimeCuts cuts) {
    Objects.requireNonNull(runs, "runs");
    Objects.requireNonNull(curves, "curves");
    Dataset<Row> main = costTable(runs, curves, cuts);
    if (!Arrays.asList(runs.columns()).contains(Columns.TEST_LOSS_L1)
        || !Arrays.asList(curves.columns()).contains(Columns.TEST_LOSS_L1)) {
      return main;
    }
    // the same table with the L1 loss as the regression risk, joined on the group key
    Dataset<Row> l1 = costTable(
        runs.drop(Columns.TEST_LOSS).withColumnRenamed(Columns.TEST_LOSS_L1, Columns.TEST_LOSS),
        curves.drop(Columns.TEST_LOSS).withColumnRenamed(Columns.TEST_LOSS_L1, Columns.TEST_LOSS), cuts);
    List<String> key = new ArrayList<>(List.of(Columns.SWEEP, Columns.TASK));
    for (String parameter : parameterColumns(runs)) {
      if (!parameter.equals(Columns.WEIGHT_DECAY)) {
        key.add(parameter);
      }
    }
    List<String> perLoss = List.of(Columns.RISK_INTERP, Columns.RISK_BEST, Columns.BEST_WEIGHT_DECAY,
        Columns.COST, Columns.RISK_BEST_EARLY_STOP, Columns.BEST_STOP_STEP, Columns.COST_EARLY_STOP);
    List<Column> l1Columns = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      l1Columns.add(col(key.get(i)).as(KEY + i));
    }
    for (String c : perLoss) {
      l1Columns.add(col(c).as(c + Columns.L1_SUFFIX));
    }
    l1 = l1.select(l1Columns.toArray(new Column[0]));
    Column sameGroup = lit(true);
    for (int i = 0; i < key.size(); i++) {
      sameGroup = sameGroup.and(main.col(quote(key.get(i))).eqNullSafe(l1.col(KEY + i)));
    }
    List<Column> out = new ArrayList<>();
    for (String c : main.columns()) {
      out.add(main.col(quote(c)));
    }
    for (String c : perLoss) {
      out.add(l1.col(c + Columns.L1_SUFFIX));
    }
    return main.join(l1, sameGroup, "left_outer").select(out.toArray(new Column[0]));
  }

  private static Dataset<Row> costTable(Dataset<Row> runs, Dataset<Row> curves, RegimeCuts cuts) {
    Objects.requireNonNull(runs, "runs");
    Objects.requireNonNull(curves, "curves");
    Objects.requireNonNull(cuts, "cuts");
    requireColumns(runs, Columns.RUNS, Columns.SWEEP, Columns.RUN_ID, Columns.TASK,
        Columns.REPLICATE, Columns.STATUS, Columns.WEIGHT_DECAY, Columns.TEST_LOSS,
        Columns.TEST_ACC_NOISY);
    requireColumns(curves, Columns.CURVES, Columns.SWEEP, Columns.RUN_ID, Columns.STEP,
        Columns.TEST_LOSS, Columns.TEST_ACC_NOISY);

    List<String> key = new ArrayList<>(List.of(Columns.SWEEP, Columns.TASK));
    for (String parameter : parameterColumns(runs)) {
      if (!parameter.equals(Columns.WEIGHT_DECAY)) {
        key.add(parameter);
      }
    }
    Column zeroDecay = col(Columns.WEIGHT_DECAY).equalTo(lit(0.0));
    Dataset<Row> ok = runs
        .filter(col(Columns.STATUS).equalTo(lit(STATUS_OK)))
        .filter(col(Columns.WEIGHT_DECAY).isNotNull());

    // per (group, weight decay): the replicate-averaged final risk
    Dataset<Row> perDecay = ok
        .withColumn(RISK, risk())
        .groupBy(cols(key, Columns.WEIGHT_DECAY))
        .agg(mean(RISK).as(RISK), collect_set(col(Columns.REPLICATE)).as(REPS));
    Dataset<Row> perGroup = perDecay
        .groupBy(cols(key))
        .agg(size(array_distinct(flatten(collect_list(col(REPS))))).as(Columns.REPLICATES),
            functions.count(lit(1)).as(DECAYS),
            max(when(zeroDecay, col(RISK))).as(Columns.RISK_INTERP),
            // structs order field by field: smallest risk, then smallest weight decay
            min(when(col(RISK).isNotNull(),
                struct(col(RISK).as("risk"), col(Columns.WEIGHT_DECAY).as("decay")))).as(BEST))
        .select(concat(cols(key), new Column[] {
            col(Columns.REPLICATES),
            col(Columns.RISK_INTERP),
            col(BEST).getField("risk").as(Columns.RISK_BEST),
            col(BEST).getField("decay").as(Columns.BEST_WEIGHT_DECAY),
            col(DECAYS)}));

    // per (group, step) of the interpolating runs: the replicate-averaged risk along training
    List<String> interpColumns = new ArrayList<>(List.of(Columns.SWEEP, Columns.RUN_ID));
    interpColumns.addAll(key.subList(1, key.size()));
    Dataset<Row> interpRuns = ok.filter(zeroDecay).select(cols(interpColumns));
    Dataset<Row> earlyStop = curves
        .select(cols(List.of(Columns.SWEEP, Columns.RUN_ID, Columns.STEP, Columns.TEST_LOSS,
            Columns.TEST_ACC_NOISY)))
        .join(interpRuns, new String[] {Columns.SWEEP, Columns.RUN_ID})
        .withColumn(RISK, risk())
        .groupBy(cols(key, Columns.STEP))
        .agg(mean(RISK).as(RISK))
        .filter(col(RISK).isNotNull())
        .groupBy(cols(key))
        .agg(min(struct(col(RISK).as("risk"), col(Columns.STEP).as(Columns.STEP))).as(BEST));
    List<Column> earlyColumns = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      earlyColumns.add(col(key.get(i)).as(KEY + i));
    }
    earlyColumns.add(col(BEST).getField("risk").as(Columns.RISK_BEST_EARLY_STOP));
    earlyColumns.add(col(BEST).getField(Columns.STEP).as(Columns.BEST_STOP_STEP));
    earlyStop = earlyStop.select(earlyColumns.toArray(new Column[0]));

    // null-safe: a null parameter value is a group of its own
    Column sameGroup = lit(true);
    for (int i = 0; i < key.size(); i++) {
      sameGroup = sameGroup.and(perGroup.col(quote(key.get(i))).eqNullSafe(earlyStop.col(KEY + i)));
    }
    Dataset<Row> joined = perGroup.join(earlyStop, sameGroup, "left_outer");

    Column riskInterp = col(Columns.RISK_INTERP);
    Column bayes = bayesRisk(runs);
    Column chance = chanceRisk(runs);
    Column excess = riskInterp.minus(bayes).divide(chance.minus(bayes));
    Column regime = when(riskInterp.isNull().or(bayes.isNull()).or(chance.leq(bayes)),
            lit(null).cast(DataTypes.StringType))
        .when(excess.leq(lit(cuts.benign())), lit(Values.BENIGN))
        .when(excess.geq(lit(cuts.catastrophic())), lit(Values.CATASTROPHIC))
        .otherwise(lit(Values.TEMPERED));

    Dataset<Row> table = joined.select(concat(cols(key), new Column[] {
        col(Columns.REPLICATES),
        riskInterp,
        col(Columns.RISK_BEST),
        col(Columns.BEST_WEIGHT_DECAY),
        ratio(riskInterp, col(Columns.RISK_BEST)).as(Columns.COST),
        col(Columns.RISK_BEST_EARLY_STOP),
        col(Columns.BEST_STOP_STEP),
        ratio(riskInterp, col(Columns.RISK_BEST_EARLY_STOP)).as(Columns.COST_EARLY_STOP),
        bayes.as(Columns.BAYES_RISK),
        regime.as(Columns.REGIME),
        col(DECAYS)}));
    if (key.contains(Columns.N_TRAIN)) {
      table = table.withColumn(Columns.REGIME,
          when(col(Columns.TASK).isin(REGRESSION_TASKS.toArray()), regressionRegime(key, cuts))
              .otherwise(col(Columns.REGIME)));
    }
    return table.drop(DECAYS);
  }

  /**
   * The regime of a regression group from the growth of its cost with n (README, "Output
   * tables"): over its n-series, the groups of the same sweep and task with the same parameters
   * but {@code n_train}, counting those with at least two weight decays and a finite positive
   * cost, with g the least-squares slope of ln cost on ln n_train and h that of ln(cost - 1) over
   * those with cost > 1: {@code catastrophic} if g >= cuts.catastrophic() (the cost grows about
   * like n or faster, without bound), else {@code benign} if every cost is 1 or
   * h <= -cuts.benign() (the excess cost shrinks at least like n^-benign), else
   * {@code tempered}; null with fewer than two such n values.
   */
  private static Column regressionRegime(List<String> key, RegimeCuts cuts) {
    List<String> seriesKey = new ArrayList<>(key);
    seriesKey.remove(Columns.N_TRAIN);
    WindowSpec series = Window.partitionBy(cols(seriesKey));
    Column cost = col(Columns.COST);
    Column usable = cost.isNotNull().and(cost.gt(lit(0.0)))
        .and(cost.lt(lit(Double.POSITIVE_INFINITY))).and(col(DECAYS).geq(lit(2)));
    Column lnN = when(usable, functions.log(col(Columns.N_TRAIN).cast(DataTypes.DoubleType)));
    Column growth = functions.regr_slope(when(usable, functions.log(cost)), lnN).over(series);
    Column excessGrowth = functions.regr_slope(
        when(usable.and(cost.gt(lit(1.0))), functions.log(cost.minus(lit(1.0)))), lnN).over(series);
    Column points = size(functions.collect_set(when(usable, col(Columns.N_TRAIN))).over(series));
    Column largest = max(when(usable, cost)).over(series);
    return when(points.lt(lit(2)), lit(null).cast(DataTypes.StringType))
        .when(growth.geq(lit(cuts.catastrophic())), lit(Values.CATASTROPHIC))
        .when(largest.leq(lit(1.0)).or(excessGrowth.leq(lit(-cuts.benign()))), lit(Values.BENIGN))
        .otherwise(lit(Values.TEMPERED));
  }

  /**
   * The parameter columns of a runs table, in schema order: the columns between
   * {@link Columns#REPLICATE} and {@link Columns#STATUS}, where every runs table keeps them (README,
   * "Output tables"), so a family's own metric columns are never taken for parameters.
   *
   * @param runs a runs table (or a selection of its rows)
   * @return the parameter column names
   * @throws IllegalArgumentException when the table lacks either bounding column
   */
  public static List<String> parameterColumns(Dataset<Row> runs) {
    List<String> names = Arrays.asList(runs.columns());
    int from = names.indexOf(Columns.REPLICATE);
    int to = names.indexOf(Columns.STATUS);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("runs table must have columns " + Columns.REPLICATE
          + " and then " + Columns.STATUS + " around its parameters; its columns are " + names);
    }
    return new ArrayList<>(names.subList(from + 1, to));
  }

  /**
   * The mean of a column's non-null values in a group, summed in ascending order: Spark's
   * {@code avg} adds the values in the order rows reach it, which depends on the partitioning and
   * on which task finishes first, so its last bits could differ between two runs of one sweep.
   * Null when the group has no value (as {@code avg}).
   */
  static Column mean(String column) {
    return expr("aggregate(array_sort(collect_list(`" + column + "`)), cast(0 as double), (a, x) -> a + x)"
        + " / nullif(count(`" + column + "`), 0)");
  }

  /** Risk of a row carrying task, test_loss and test_acc_noisy (a runs or curves row). */
  private static Column risk() {
    return when(col(Columns.TASK).isin(REGRESSION_TASKS.toArray()),
            col(Columns.TEST_LOSS).cast(DataTypes.DoubleType))
        .otherwise(lit(1.0).minus(col(Columns.TEST_ACC_NOISY).cast(DataTypes.DoubleType)));
  }

  /** Bayes risk of a group row: noise_rate for classification tasks, else null. */
  private static Column bayesRisk(Dataset<Row> runs) {
    Column nullDouble = lit(null).cast(DataTypes.DoubleType);
    if (!Arrays.asList(runs.columns()).contains(Columns.NOISE_RATE)) {
      return nullDouble;
    }
    return when(col(Columns.TASK).isin(REGRESSION_TASKS.toArray()), nullDouble)
        .otherwise(col(Columns.NOISE_RATE).cast(DataTypes.DoubleType));
  }

  /** Risk of guessing: 0.5 for two classes, 1 - 1/q for modular-addition's q classes. */
  private static Column chanceRisk(Dataset<Row> runs) {
    if (!Arrays.asList(runs.columns()).contains(Columns.MODULUS)) {
      return lit(0.5);
    }
    Column modulus = col(Columns.MODULUS).cast(DataTypes.DoubleType);
    return when(col(Columns.TASK).equalTo(lit(MODULAR_ADDITION)).and(modulus.gt(lit(0.0))),
            lit(1.0).minus(lit(1.0).divide(modulus)))
        .otherwise(lit(0.5));
  }

  /** numerator / denominator with the cost conventions (null, 0/0 = 1, x/0 = infinity). */
  private static Column ratio(Column numerator, Column denominator) {
    return when(numerator.isNull().or(denominator.isNull()), lit(null).cast(DataTypes.DoubleType))
        .when(denominator.equalTo(lit(0.0)),
            when(numerator.equalTo(lit(0.0)), lit(1.0)).otherwise(lit(Double.POSITIVE_INFINITY)))
        .otherwise(numerator.divide(denominator));
  }

  private static void requireColumns(Dataset<Row> table, String tableName, String... required) {
    List<String> present = Arrays.asList(table.columns());
    for (String name : required) {
      if (!present.contains(name)) {
        throw new IllegalArgumentException(
            tableName + " table has no column " + name + "; its columns are " + present);
      }
    }
  }

  /** A column by its exact name, even if the name holds dots or other special characters. */
  private static Column col(String name) {
    return functions.col(quote(name));
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static Column[] cols(List<String> names, String... more) {
    List<Column> columns = new ArrayList<>();
    for (String name : names) {
      columns.add(col(name));
    }
    for (String name : more) {
      columns.add(col(name));
    }
    return columns.toArray(new Column[0]);
  }

  private static Column[] concat(Column[] first, Column[] second) {
    Column[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}

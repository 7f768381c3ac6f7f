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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

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

  /**
   * {@link #overfittingCost} computed on the driver, without Spark, for the rows of a small sweep:
   * the same rows, bit for bit, where that can be promised, and null (compute it with
   * {@link #overfittingCost}) otherwise. It is promised when no run belongs to a regression task
   * (their regime comes from least-squares slopes whose last bits depend on Spark's row order)
   * and the tables carry no {@code test_loss_l1}: then every number is a sum of sorted values
   * divided by their count, a minimum, a maximum, a count or a ratio of those, computed here in the
   * order Spark computes them, with Spark's ordering of doubles (NaN above every number, -0.0 equal
   * to 0.0) in comparisons and group keys.
   *
   * @param runsSchema the runs table's schema (parameter columns between replicate and status)
   * @param runs the runs table's rows
   * @param curvesSchema the curves table's schema
   * @param curves the curves table's rows
   * @param cuts where the regimes are cut
   * @return the table's rows, schema {@code overfittingCostSchema(runsSchema)}, in no particular
   *     order; or null when these rows need Spark
   */
  public static List<Row> overfittingCostOnDriver(StructType runsSchema, List<Row> runs,
      StructType curvesSchema, List<Row> curves, RegimeCuts cuts) {
    List<String> names = Arrays.asList(runsSchema.fieldNames());
    List<String> curveNames = Arrays.asList(curvesSchema.fieldNames());
    for (String c : List.of(Columns.SWEEP, Columns.RUN_ID, Columns.TASK, Columns.REPLICATE,
        Columns.STATUS, Columns.WEIGHT_DECAY, Columns.TEST_ACC_NOISY)) {
      if (!names.contains(c)) {
        return null;
      }
    }
    for (String c : List.of(Columns.SWEEP, Columns.RUN_ID, Columns.STEP, Columns.TEST_ACC_NOISY)) {
      if (!curveNames.contains(c)) {
        return null;
      }
    }
    if (names.contains(Columns.TEST_LOSS_L1) || !(runsSchema.apply(Columns.WEIGHT_DECAY).dataType()
        instanceof org.apache.spark.sql.types.DoubleType)) {
      return null;
    }
    int taskAt = names.indexOf(Columns.TASK);
    for (Row r : runs) {
      if (r.isNullAt(taskAt) || REGRESSION_TASKS.contains(r.getString(taskAt))) {
        return null;
      }
    }
    List<String> key = new ArrayList<>(List.of(Columns.SWEEP, Columns.TASK));
    int from = names.indexOf(Columns.REPLICATE);
    int to = names.indexOf(Columns.STATUS);
    if (from < 0 || to < from) {
      return null;
    }
    for (String parameter : names.subList(from + 1, to)) {
      if (!parameter.equals(Columns.WEIGHT_DECAY)) {
        key.add(parameter);
      }
    }
    int[] keyAt = key.stream().mapToInt(names::indexOf).toArray();
    int statusAt = names.indexOf(Columns.STATUS);
    int decayAt = names.indexOf(Columns.WEIGHT_DECAY);
    int accAt = names.indexOf(Columns.TEST_ACC_NOISY);
    int replicateAt = names.indexOf(Columns.REPLICATE);
    int runIdAt = names.indexOf(Columns.RUN_ID);
    int sweepAt = names.indexOf(Columns.SWEEP);
    int noiseKey = key.indexOf(Columns.NOISE_RATE);
    int modulusKey = key.indexOf(Columns.MODULUS);
    if (noiseKey < 0 && names.contains(Columns.NOISE_RATE) || modulusKey < 0 && names.contains(Columns.MODULUS)) {
      return null; // not a parameter: Spark's plan decides what that means
    }

    // per group: per weight decay the final risks and the replicates; the interpolating runs' ids
    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    Map<List<Object>, List<Object>> interpRunGroup = new HashMap<>();
    for (Row r : runs) {
      if (r.isNullAt(statusAt) || !STATUS_OK.equals(r.getString(statusAt)) || r.isNullAt(decayAt)) {
        continue;
      }
      List<Object> k = new ArrayList<>(keyAt.length);
      for (int at : keyAt) {
        k.add(normalized(r.get(at)));
      }
      Group g = groups.computeIfAbsent(k, x -> new Group());
      double decay = (double) normalized(r.getDouble(decayAt));
      g.risks.computeIfAbsent(decay, x -> new ArrayList<>())
          .add(r.isNullAt(accAt) ? null : 1.0 - r.getDouble(accAt));
      g.replicates.add(r.get(replicateAt));
      if (decay == 0.0) {
        interpRunGroup.put(Arrays.asList(r.get(sweepAt), r.get(runIdAt)), k);
      }
    }
    // per group and step: the interpolating runs' risks along training
    int cSweepAt = curveNames.indexOf(Columns.SWEEP);
    int cRunAt = curveNames.indexOf(Columns.RUN_ID);
    int cStepAt = curveNames.indexOf(Columns.STEP);
    int cAccAt = curveNames.indexOf(Columns.TEST_ACC_NOISY);
    Map<List<Object>, Map<Object, List<Double>>> early = new HashMap<>();
    for (Row c : curves) {
      if (c.isNullAt(cSweepAt) || c.isNullAt(cRunAt)) {
        continue; // an inner join on equal values: a null never matches
      }
      List<Object> k = interpRunGroup.get(Arrays.asList(c.get(cSweepAt), c.get(cRunAt)));
      if (k == null) {
        continue;
      }
      early.computeIfAbsent(k, x -> new HashMap<>())
          .computeIfAbsent(c.get(cStepAt), x -> new ArrayList<>())
          .add(c.isNullAt(cAccAt) ? null : 1.0 - c.getDouble(cAccAt));
    }

    List<Row> out = new ArrayList<>(groups.size());
    for (Map.Entry<List<Object>, Group> e : groups.entrySet()) {
      Group g = e.getValue();
      Double riskInterp = null;
      Double riskBest = null;
      Double bestDecay = null;
      for (Map.Entry<Double, List<Double>> d : g.risks.entrySet()) {
        Double risk = sortedMean(d.getValue());
        if (d.getKey() == 0.0 && risk != null) {
          riskInterp = risk;
        }
        if (risk != null && (riskBest == null || compareDoubles(risk, riskBest) < 0
            || compareDoubles(risk, riskBest) == 0 && compareDoubles(d.getKey(), bestDecay) < 0)) {
          riskBest = risk;
          bestDecay = d.getKey();
        }
      }
      Double riskEarly = null;
      Object bestStep = null;
      Map<Object, List<Double>> steps = early.get(e.getKey());
      if (steps != null) {
        for (Map.Entry<Object, List<Double>> st : steps.entrySet()) {
          Double risk = sortedMean(st.getValue());
          if (risk != null && (riskEarly == null || compareDoubles(risk, riskEarly) < 0
              || compareDoubles(risk, riskEarly) == 0 && compareSteps(st.getKey(), bestStep) < 0)) {
            riskEarly = risk;
            bestStep = st.getKey();
          }
        }
      }
      // noise_rate, modulus and task as the group's key holds them
      List<Object> k = e.getKey();
      String task = (String) k.get(1);
      Object noise = noiseKey < 0 ? null : k.get(noiseKey);
      Double bayes = noise == null ? null : ((Number) noise).doubleValue();
      double chance = 0.5;
      Object modulus = modulusKey < 0 ? null : k.get(modulusKey);
      if (modulus != null && MODULAR_ADDITION.equals(task)) {
        double q = ((Number) modulus).doubleValue();
        if (compareDoubles(q, 0.0) > 0) {
          chance = 1.0 - 1.0 / q;
        }
      }
      String regime = null;
      if (riskInterp != null && bayes != null && compareDoubles(chance, bayes) > 0) {
        double excess = (riskInterp - bayes) / (chance - bayes);
        regime = compareDoubles(excess, cuts.benign()) <= 0 ? Values.BENIGN
            : compareDoubles(excess, cuts.catastrophic()) >= 0 ? Values.CATASTROPHIC
            : Values.TEMPERED;
      }
      List<Object> v = new ArrayList<>(e.getKey());
      v.add(g.replicates.size());
      v.add(riskInterp);
      v.add(riskBest);
      v.add(bestDecay);
      v.add(ratio(riskInterp, riskBest));
      v.add(riskEarly);
      v.add(bestStep);
      v.add(ratio(riskInterp, riskEarly));
      v.add(bayes);
      v.add(regime);
      out.add(RowFactory.create(v.toArray()));
    }
    return out;
  }

  /**
   * The schema of {@link #overfittingCostOnDriver}'s rows for a runs schema: the group key's
   * columns with their types, then the cost columns, with the types and nullability Spark gives
   * {@link #overfittingCost}'s columns for a classification sweep.
   *
   * @param runsSchema the runs table's schema
   * @param stepType the curves table's step type
   */
  public static StructType overfittingCostSchema(StructType runsSchema, DataType stepType) {
    List<StructField> f = new ArrayList<>();
    List<String> names = Arrays.asList(runsSchema.fieldNames());
    List<String> key = new ArrayList<>(List.of(Columns.SWEEP, Columns.TASK));
    for (String parameter : names.subList(names.indexOf(Columns.REPLICATE) + 1, names.indexOf(Columns.STATUS))) {
      if (!parameter.equals(Columns.WEIGHT_DECAY)) {
        key.add(parameter);
      }
    }
    for (String k : key) {
      f.add(runsSchema.apply(k));
    }
    f.add(DataTypes.createStructField(Columns.REPLICATES, DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField(Columns.RISK_INTERP, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(Columns.RISK_BEST, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(Columns.BEST_WEIGHT_DECAY,
        runsSchema.apply(Columns.WEIGHT_DECAY).dataType(), true));
    f.add(DataTypes.createStructField(Columns.COST, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(Columns.RISK_BEST_EARLY_STOP, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(Columns.BEST_STOP_STEP, stepType, true));
    f.add(DataTypes.createStructField(Columns.COST_EARLY_STOP, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(Columns.BAYES_RISK, DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField(Columns.REGIME, DataTypes.StringType, true));
    return DataTypes.createStructType(f);
  }

  /** One group's runs: risks per weight decay (keys normalized as Spark groups them). */
  private static final class Group {
    final Map<Double, List<Double>> risks = new LinkedHashMap<>();
    final Set<Object> replicates = new HashSet<>();
  }

  /** A group key value as Spark's grouping sees it: -0.0 as 0.0, every NaN as one NaN. */
  private static Object normalized(Object v) {
    if (v instanceof Double d) {
      return d == 0.0 ? 0.0 : d.isNaN() ? Double.NaN : d;
    }
    if (v instanceof Float x) {
      return x == 0.0f ? 0.0f : x.isNaN() ? Float.NaN : x;
    }
    return v;
  }

  /** Spark's ordering of doubles: equal values (0.0 and -0.0) equal, else NaN above all. */
  static int compareDoubles(double x, double y) {
    return x == y ? 0 : Double.compare(x, y);
  }

  private static int compareSteps(Object a, Object b) {
    return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
  }

  /** As {@link #mean}: the non-null values summed in ascending order from 0.0, over their count. */
  static Double sortedMean(List<Double> values) {
    double[] v = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return null;
    }
    Double[] boxed = Arrays.stream(v).boxed().toArray(Double[]::new);
    Arrays.sort(boxed, (a, b) -> compareDoubles(a, b));
    double sum = 0.0;
    for (Double x : boxed) {
      sum = sum + x;
    }
    return sum / (double) v.length;
  }

  /** {@link #ratio(Column, Column)} on values. */
  private static Double ratio(Double numerator, Double denominator) {
    if (numerator == null || denominator == null) {
      return null;
    }
    if (denominator == 0.0) {
      return numerator == 0.0 ? 1.0 : Double.POSITIVE_INFINITY;
    }
    return numerator / denominator;
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

package io.grokgrid.jobs.spec;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grid expansion: a spec becomes runs with stable ids and seeds, grouped into work units.
 *
 * <p>Seeds (README, "Randomness and identity"): the data set seed derives from (sweep seed,
 * task, the data parameters in catalog order, replicate); the init seed from (data set seed,
 * the NET parameters in catalog order: width, init_scale for the networks). Runs that differ only
 * in optimizer parameters (step size, weight decay) therefore share data and initial weights
 * (common random numbers) and are trained packed; runs differing in a MODEL parameter (the
 * leaky-ReLU slope) share data and initial weights but train in separate packs.
 *
 * <p>run_id: 16 hex digits of SHA-256 over the task, sweep seed, precision, every resolved
 * parameter and the replicate.
 */
public final class Grid {
  private Grid() {}

  /** Most runs a sweep may have. */
  public static final long MAX_RUNS = 10_000_000L;
  /** Most state rows (runs x width) one pack may hold. */
  public static final int MAX_PACK_ROWS = 4096;

  /**
   * One run, resolved.
   *
   * @param runId stable id
   * @param replicate replicate index in [0, replicates)
   * @param params every parameter of the task, in catalog order (integers as whole doubles)
   * @param datasetSeed seed of its data set
   * @param initSeed seed of its initial weights
   */
  public record RunPoint(String runId, int replicate, Map<String, Double> params, long datasetSeed,
      long initSeed) implements Serializable {}

  /**
   * Runs sharing one data set, one initialization and the model parameters, trained as one state.
   *
   * @param initSeed the seed of the shared initialization
   * @param runs the runs, differing only in optimizer parameters
   */
  public record Pack(long initSeed, List<RunPoint> runs) implements Serializable {
    /** The resolved parameters of the pack's first run (data and model ones are the pack's). */
    public Map<String, Double> params() {
      return runs.get(0).params();
    }

    /** The optimizer settings, one per run. */
    public List<Hyper> hypers() {
      List<Hyper> out = new ArrayList<>(runs.size());
      for (RunPoint r : runs) {
        out.add(new Hyper(r.params().get(Columns.STEP_SIZE), r.params().get(Columns.WEIGHT_DECAY)));
      }
      return out;
    }
  }

  /**
   * A unit of work for one Spark task: one data set (generated once) and the packs trained on it.
   *
   * @param datasetSeed the data set's seed
   * @param data the data parameters
   * @param packs the packs
   * @param cost estimated flops (for scheduling and {@code validate})
   */
  public record Unit(long datasetSeed, Map<String, Double> data, List<Pack> packs, double cost)
      implements Serializable {
    /** Number of runs in the unit. */
    public int runCount() {
      int n = 0;
      for (Pack p : packs) {
        n += p.runs().size();
      }
      return n;
    }
  }

  /** Every run of the spec, grid points in row-major order of the axes, replicates innermost. */
  public static List<RunPoint> expand(SweepSpec spec) {
    if (spec.runCount() > MAX_RUNS) {
      throw new IllegalArgumentException("the sweep has " + spec.runCount() + " runs (grid points x"
          + " replicates); at most " + MAX_RUNS + " are allowed in one sweep");
    }
    List<RunPoint> out = new ArrayList<>();
    for (Map<String, Double> point : points(spec)) {
      for (int r = 0; r < spec.replicates(); r++) {
        out.add(resolve(spec, point, r));
      }
    }
    return out;
  }

  /** The run of one resolved grid point and replicate. */
  static RunPoint resolve(SweepSpec spec, Map<String, Double> params, int replicate) {
    List<Object> dataParts = new ArrayList<>();
    dataParts.add(spec.task());
    StringBuilder id = new StringBuilder()
        .append("task=").append(spec.task())
        .append(";seed=").append(spec.seed())
        .append(";precision=").append(spec.precision().label());
    for (ParamDef d : spec.params()) {
      double v = params.get(d.name());
      id.append(';').append(d.name()).append('=').append(d.label(v));
      if (d.role() == ParamDef.Role.DATA) {
        dataParts.add(d.name());
        dataParts.add(d.isChoice() ? d.label(v) : v);
      }
    }
    id.append(";replicate=").append(replicate);
    dataParts.add(Columns.REPLICATE);
    dataParts.add(replicate);
    long dataSeed = Seeds.derive(spec.seed(), dataParts.toArray());
    List<Object> initParts = new ArrayList<>();
    for (ParamDef d : spec.params()) {
      if (d.role() == ParamDef.Role.NET) {
        initParts.add(d.name());
        initParts.add(d.isChoice() ? d.label(params.get(d.name())) : params.get(d.name()));
      }
    }
    long initSeed = Seeds.derive(dataSeed, initParts.toArray());
    return new RunPoint(Seeds.hex(id.toString(), 8), replicate, params, dataSeed, initSeed);
  }

  /** The grid points with every parameter resolved (defaults, fixed, axis values, derived). */
  static List<Map<String, Double>> points(SweepSpec spec) {
    List<Map<String, Double>> out = new ArrayList<>();
    List<String> axes = new ArrayList<>(spec.grid().keySet());
    int[] idx = new int[axes.size()];
    long total = spec.gridPoints();
    for (long c = 0; c < total; c++) {
      Map<String, Double> p = new LinkedHashMap<>();
      for (ParamDef d : spec.params()) {
        Double v = spec.fixed().get(d.name());
        int a = axes.indexOf(d.name());
        if (a >= 0) {
          v = spec.grid().get(d.name()).get(idx[a]);
        }
        if (v == null) {
          v = d.defaultValue();
        }
        p.put(d.name(), v);
      }
      if (spec.task().equals(Tasks.XOR_CLUSTERS) && p.get(Columns.SIGNAL) == null) {
        // the paper's choice r = 2.5 sqrt(p / n) (Xu et al. 2023, Figure 1)
        p.put(Columns.SIGNAL, 2.5 * Math.sqrt(p.get(Columns.DIM) / p.get(Columns.N_TRAIN)));
      }
      out.add(Collections.unmodifiableMap(p));
      for (int a = axes.size() - 1; a >= 0; a--) {
        if (++idx[a] < spec.grid().get(axes.get(a)).size()) {
          break;
        }
        idx[a] = 0;
      }
    }
    return out;
  }

  /** Builds the engine's records for every grid point, so range errors surface before any work. */
  static void validateRanges(SweepSpec spec) {
    if (spec.runCount() > MAX_RUNS) {
      throw new IllegalArgumentException("the sweep has " + spec.runCount() + " runs (grid points x"
          + " replicates); at most " + MAX_RUNS + " are allowed in one sweep");
    }
    for (Map<String, Double> p : points(spec)) {
      TaskCatalog.family(spec, p);
      new Hyper(p.get(Columns.STEP_SIZE), p.get(Columns.WEIGHT_DECAY));
    }
    MemoryPlan.check(spec, MemoryPlan.Budget.of(null));
  }

  /**
   * Groups runs into units: one per data set; within it one pack per initialization and model
   * parameters (for the networks: width, init_scale, leak), split so that no pack exceeds
   * {@link #MAX_PACK_ROWS} state rows, nor (see {@link MemoryPlan}) the memory of a task on the
   * master this JVM is configured for.
   */
  public static List<Unit> units(SweepSpec spec, List<RunPoint> runs) {
    return units(spec, runs, MemoryPlan.Budget.of(null));
  }

  /**
   * As {@link #units(SweepSpec, List)}, with packs split further when a pack of
   * {@link #MAX_PACK_ROWS} rows would not fit {@code budget} (consecutive runs; ids and seeds
   * unchanged). A run that does not fit alone stays a pack of one ({@link MemoryPlan#check}
   * refuses such specs).
   */
  public static List<Unit> units(SweepSpec spec, List<RunPoint> runs, MemoryPlan.Budget budget) {
    Map<Long, List<RunPoint>> byData = new LinkedHashMap<>();
    for (RunPoint r : runs) {
      byData.computeIfAbsent(r.datasetSeed(), k -> new ArrayList<>()).add(r);
    }
    int[] logs = LogSchedule.of(spec.steps(), spec.logPoints());
    List<Unit> out = new ArrayList<>();
    for (List<RunPoint> group : byData.values()) {
      Map<List<Object>, List<RunPoint>> byInit = new LinkedHashMap<>();
      for (RunPoint r : group) {
        List<Object> key = new ArrayList<>();
        key.add(r.initSeed());
        for (ParamDef d : spec.params()) {
          if (d.role() == ParamDef.Role.MODEL) {
            key.add(r.params().get(d.name()));
          }
        }
        byInit.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      }
      Map<String, Double> p0 = group.get(0).params();
      Map<String, Double> data = new LinkedHashMap<>();
      for (ParamDef d : spec.params()) {
        if (d.role() == ParamDef.Role.DATA) {
          data.put(d.name(), p0.get(d.name()));
        }
      }
      List<Pack> packs = new ArrayList<>();
      double cost = TaskCatalog.family(spec, p0).setupCost();
      for (List<RunPoint> same : byInit.values()) {
        RunPoint first = same.get(0);
        Family<?> family = TaskCatalog.family(spec, first.params());
        // the memory check sees the largest pack the row bound allows, not more runs than there are
        int rowBound = Math.min(same.size(), Math.max(1, MAX_PACK_ROWS / family.rowsPerRun()));
        int per = MemoryPlan.runsPerPack(family, rowBound, spec.steps(), logs.length, budget);
        double runCost = family.runCost(spec.steps(), logs.length);
        for (int i = 0; i < same.size(); i += per) {
          List<RunPoint> part = List.copyOf(same.subList(i, Math.min(same.size(), i + per)));
          packs.add(new Pack(first.initSeed(), part));
          cost += part.size() * runCost;
        }
      }
      out.add(new Unit(group.get(0).datasetSeed(), data, packs, cost));
    }
    return out;
  }

  /** The form a pack is trained in: the spec's, or the cheaper one for {@code auto}. */
  public static Form form(SweepSpec spec, Pack pack) {
    return TaskCatalog.family(spec, pack.params())
        .form(spec.steps(), LogSchedule.of(spec.steps(), spec.logPoints()).length);
  }
}

package io.grokgrid.jobs.spec;

import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.io.Serializable;
import java.util.ArrayList;
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

  /**
   * Every run of the spec, grid points in row-major order of the axes, replicates innermost. For
   * small grids (tests, benchmarks): sweeps plan through {@link Lattice} and never hold every run.
   */
  public static List<RunPoint> expand(SweepSpec spec) {
    Lattice lattice = new Lattice(spec, MemoryPlan.Budget.UNBOUNDED);
    List<RunPoint> out = new ArrayList<>();
    for (long g = 0; g < spec.gridPoints(); g++) {
      Map<String, Double> point = lattice.point(g);
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

  /**
   * Checks every grid point's parameters (range errors surface before any work) and that no run
   * overflows an int size; whether a run fits a task's memory is checked where the master is
   * known ({@code run}, {@code validate}).
   */
  static void validateRanges(SweepSpec spec) {
    Lattice lattice = new Lattice(spec, MemoryPlan.Budget.UNBOUNDED);
    lattice.checkRanges();
    lattice.plan();
  }

  /**
   * Every unit of the spec, in order, with packs cut for {@code budget} (see {@link Lattice}). For
   * small grids (tests, benchmarks): sweeps expand one unit at a time.
   */
  public static List<Unit> units(SweepSpec spec, MemoryPlan.Budget budget) {
    Lattice lattice = new Lattice(spec, budget);
    List<Unit> out = new ArrayList<>();
    for (long u = 0; u < lattice.units(); u++) {
      out.add(lattice.unit(u, null));
    }
    return out;
  }

  /** The form a pack is trained in: the spec's, or the cheaper one for {@code auto}. */
  public static Form form(SweepSpec spec, Pack pack) {
    return TaskCatalog.family(spec, pack.params())
        .form(spec.steps(), LogSchedule.of(spec.steps(), spec.logPoints()).length);
  }
}

package io.grokgrid.jobs.spec;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MemoryUse;
import io.grokgrid.engine.ParamDef;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Tasks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's runs as index arithmetic, so that neither the driver nor {@code validate} ever holds
 * every run: a ten-million-run grid is planned from counts and index ranges, and an executor
 * expands the units it is handed from their indices alone.
 *
 * <p>The grid axes split by their parameters' roles into the data axes (role DATA), the pack axes
 * (NET and MODEL) and the optimizer axes. Unit {@code u} (one data set) is data combination
 * {@code u / replicates} (row-major over the data axes in spec order) with replicate
 * {@code u % replicates}; its packs are the pack-axis combinations in row-major order, each holding
 * its optimizer-axis combinations in row-major order, cut into consecutive packs that fit
 * {@link Grid#MAX_PACK_ROWS} state rows and the task budget ({@link MemoryPlan}). This is exactly
 * the grouping of the runs of {@link Grid#expand} by data set and initialization, in the order of
 * first appearance (tested against it), so unit indices, run ids, seeds and packs are those of
 * the expanded grid.
 *
 * <p>The plan's costs are kept per data combination (costs do not depend on the replicate): the
 * only array whose size grows with the grid, 8 bytes per data combination.
 */
public final class Lattice implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SweepSpec spec;
  private final MemoryPlan.Budget budget;
  private final List<String> axes;
  private final int[] sizes;
  private final int[] dataAxes;
  private final int[] packAxes;
  private final int[] optAxes;
  private final long dataCombos;
  private final int packCombos;
  private final int optCombos;
  private final int logs;
  /** The task's parameters in catalog order; the axis of each (-1: none) and its value otherwise. */
  private final String[] names;
  private final int[] axisOf;
  private final Double[] constant;
  private final Double[][] values;
  private final boolean deriveSignal;
  /** The grid points whose runs the units hold, sorted (null: every point). */
  private long[] selected;

  /**
   * The same lattice holding only the runs at grid points {@code points} (grid point indices as
   * {@link #point} numbers them, sorted): one level of a refined sweep. Units, packs, run ids and
   * seeds are those of the whole lattice; the packs are cut before the selection, so a run is
   * trained in the pack (hence with the numbers) it has in the whole lattice, less the runs left
   * out.
   */
  public Lattice select(long[] points) {
    for (int i = 1; i < points.length; i++) {
      if (points[i] <= points[i - 1]) {
        throw new IllegalArgumentException("selected points must be sorted and distinct");
      }
    }
    Lattice l = new Lattice(spec, budget);
    l.selected = points.clone();
    return l;
  }

  /** The data combinations holding a selected point (sorted), or null when every point is. */
  public long[] selectedCombos() {
    if (selected == null) {
      return null;
    }
    int[] idx = new int[axes.size()];
    java.util.TreeSet<Long> combos = new java.util.TreeSet<>();
    for (long g : selected) {
      indices(g, idx);
      long c = 0;
      for (int a : dataAxes) {
        c = c * sizes[a] + idx[a];
      }
      combos.add(c);
    }
    return combos.stream().mapToLong(Long::longValue).toArray();
  }

  /** Grid points in the whole lattice (the product of the axes' lengths). */
  public long gridPoints() {
    long n = 1;
    for (int s : sizes) {
      n *= s;
    }
    return n;
  }

  /** The grid point index of axis indices {@code idx} (row-major over the axes in spec order). */
  public long gridIndex(int[] idx) {
    long g = 0;
    for (int a = 0; a < axes.size(); a++) {
      g = g * sizes[a] + idx[a];
    }
    return g;
  }

  private void indices(long g, int[] idx) {
    for (int a = axes.size() - 1; a >= 0; a--) {
      idx[a] = (int) (g % sizes[a]);
      g /= sizes[a];
    }
  }

  /** The lattice of {@code spec}, its packs cut for tasks with {@code budget}. */
  public Lattice(SweepSpec spec, MemoryPlan.Budget budget) {
    if (spec.runCount() > Grid.MAX_RUNS) {
      throw new IllegalArgumentException("the sweep has " + spec.runCount() + " runs (grid points x"
          + " replicates); at most " + Grid.MAX_RUNS + " are allowed in one sweep");
    }
    this.spec = spec;
    this.budget = budget;
    this.axes = List.copyOf(spec.grid().keySet());
    this.sizes = new int[axes.size()];
    List<Integer> data = new ArrayList<>();
    List<Integer> pack = new ArrayList<>();
    List<Integer> opt = new ArrayList<>();
    Map<String, ParamDef.Role> roles = new LinkedHashMap<>();
    for (ParamDef d : spec.params()) {
      roles.put(d.name(), d.role());
    }
    for (int a = 0; a < axes.size(); a++) {
      sizes[a] = spec.grid().get(axes.get(a)).size();
      switch (roles.get(axes.get(a))) {
        case DATA -> data.add(a);
        case NET, MODEL -> pack.add(a);
        case OPTIMIZER -> opt.add(a);
      }
    }
    this.dataAxes = data.stream().mapToInt(Integer::intValue).toArray();
    this.packAxes = pack.stream().mapToInt(Integer::intValue).toArray();
    this.optAxes = opt.stream().mapToInt(Integer::intValue).toArray();
    this.dataCombos = product(dataAxes);
    this.packCombos = (int) product(packAxes);
    this.optCombos = (int) product(optAxes);
    this.logs = LogSchedule.of(spec.steps(), spec.logPoints()).length;
    List<ParamDef> defs = spec.params();
    this.names = new String[defs.size()];
    this.axisOf = new int[defs.size()];
    this.constant = new Double[defs.size()];
    for (int i = 0; i < defs.size(); i++) {
      ParamDef d = defs.get(i);
      names[i] = d.name();
      axisOf[i] = axes.indexOf(d.name());
      Double v = spec.fixed().get(d.name());
      constant[i] = v != null ? v : d.defaultValue();
    }
    this.values = new Double[axes.size()][];
    for (int a = 0; a < axes.size(); a++) {
      values[a] = spec.grid().get(axes.get(a)).toArray(new Double[0]);
    }
    this.deriveSignal = spec.task().equals(Tasks.XOR_CLUSTERS);
  }

  private long product(int[] which) {
    long n = 1;
    for (int a : which) {
      n *= sizes[a];
    }
    return n;
  }

  /** The spec. */
  public SweepSpec spec() {
    return spec;
  }

  /** The task budget the packs are cut for. */
  public MemoryPlan.Budget budget() {
    return budget;
  }

  /** Number of units (data sets): data combinations x replicates. */
  public long units() {
    return dataCombos * spec.replicates();
  }

  /** Runs in every unit: the product of the pack and optimizer axes' lengths. */
  public int runsPerUnit() {
    return packCombos * optCombos;
  }

  /** Number of data combinations (units differing only in their replicate share a cost). */
  public long dataCombos() {
    return dataCombos;
  }

  /** The data combination of unit {@code u}. */
  public long combo(long unit) {
    return unit / spec.replicates();
  }

  /** Writes the axis indices of data combination {@code combo} into {@code idx}. */
  private void setData(long combo, int[] idx) {
    for (int i = dataAxes.length - 1; i >= 0; i--) {
      int a = dataAxes[i];
      idx[a] = (int) (combo % sizes[a]);
      combo /= sizes[a];
    }
  }

  private void set(int[] which, int combo, int[] idx) {
    for (int i = which.length - 1; i >= 0; i--) {
      int a = which[i];
      idx[a] = combo % sizes[a];
      combo /= sizes[a];
    }
  }

  /**
   * Every parameter of the task resolved at the axis indices {@code idx}: the axis value, else the
   * fixed value, else the default, and derived values (xor-clusters' signal).
   */
  Map<String, Double> params(int[] idx) {
    Map<String, Double> p = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      p.put(names[i], axisOf[i] >= 0 ? values[axisOf[i]][idx[axisOf[i]]] : constant[i]);
    }
    if (deriveSignal && p.get(Columns.SIGNAL) == null) {
      // the paper's choice r = 2.5 sqrt(p / n) (Xu et al. 2023, Figure 1)
      p.put(Columns.SIGNAL, 2.5 * Math.sqrt(p.get(Columns.DIM) / p.get(Columns.N_TRAIN)));
    }
    return Collections.unmodifiableMap(p);
  }

  /** The resolved parameters of grid point {@code g} (row-major over the axes in spec order). */
  public Map<String, Double> point(long g) {
    int[] idx = new int[axes.size()];
    indices(g, idx);
    return params(idx);
  }

  /** The family of pack combination {@code k} of data combination {@code c} (optimizer axes at 0). */
  private Family<?> family(long c, int k, int[] idx) {
    setData(c, idx);
    set(packAxes, k, idx);
    set(optAxes, 0, idx);
    return TaskCatalog.family(spec, params(idx));
  }

  /** Runs per pack of {@code family}: the row bound, or fewer where the budget asks. */
  private int runsPerPack(Family<?> family) {
    int rowBound = Math.min(optCombos, Math.max(1, Grid.MAX_PACK_ROWS / family.rowsPerRun()));
    return MemoryPlan.runsPerPack(family, rowBound, spec.steps(), logs, budget);
  }

  /**
   * Unit {@code u}, expanded: its runs with ids and seeds, in packs. Runs whose id is in
   * {@code skip} (sorted run ids as numbers, see {@link #idNumber}) are left out, and packs left
   * empty dropped; the packs are cut before skipping, so a resumed unit trains its missing runs
   * in the packs (hence with the numbers) they would have had.
   */
  public Grid.Unit unit(long u, long[] skip) {
    int r = (int) (u % spec.replicates());
    long c = u / spec.replicates();
    int[] idx = new int[axes.size()];
    Family<?> first = family(c, 0, idx);
    double cost = first.setupCost();
    long datasetSeed = 0;
    Map<String, Double> data = null;
    List<Grid.Pack> packs = new ArrayList<>();
    for (int k = 0; k < packCombos; k++) {
      Family<?> family = k == 0 ? first : family(c, k, idx);
      int per = runsPerPack(family);
      double runCost = family.runCost(spec.steps(), logs);
      for (int from = 0; from < optCombos; from += per) {
        List<Grid.RunPoint> part = new ArrayList<>();
        for (int q = from; q < Math.min(optCombos, from + per); q++) {
          set(optAxes, q, idx);
          if (selected != null && java.util.Arrays.binarySearch(selected, gridIndex(idx)) < 0) {
            continue;
          }
          Grid.RunPoint run = Grid.resolve(spec, params(idx), r);
          if (data == null) {
            datasetSeed = run.datasetSeed();
            data = dataParams(run.params());
          }
          if (skip == null || java.util.Arrays.binarySearch(skip, idNumber(run.runId())) < 0) {
            part.add(run);
          }
        }
        if (!part.isEmpty()) {
          packs.add(new Grid.Pack(part.get(0).initSeed(), List.copyOf(part)));
          cost += part.size() * runCost;
        }
      }
    }
    return new Grid.Unit(datasetSeed, data, packs, cost);
  }

  /** The data set seed of unit {@code u} (one run resolved, not the unit). */
  public long datasetSeed(long u) {
    int[] idx = new int[axes.size()];
    setData(u / spec.replicates(), idx);
    return Grid.resolve(spec, params(idx), (int) (u % spec.replicates())).datasetSeed();
  }

  private Map<String, Double> dataParams(Map<String, Double> p) {
    Map<String, Double> data = new LinkedHashMap<>();
    for (ParamDef d : spec.params()) {
      if (d.role() == ParamDef.Role.DATA) {
        data.put(d.name(), p.get(d.name()));
      }
    }
    return data;
  }

  /** A run id (16 hex digits) as the number it spells, the form sets of stored ids are kept in. */
  public static long idNumber(String runId) {
    return Long.parseUnsignedLong(runId, 16);
  }

  /**
   * What the planner and {@code validate} need, from one pass over the data and pack
   * combinations (never over runs): the cost of each data combination, the packs and their forms,
   * the largest pack's memory, and the refusal of a run that cannot fit a task alone.
   *
   * @param comboCost estimated flops of one unit of each data combination
   * @param packs packs over all units
   * @param forms packs by form (over all units)
   * @param largest the largest pack's memory estimate
   */
  public record Plan(double[] comboCost, long packs, Map<String, Long> forms, MemoryUse largest) {
    /** Estimated flops of unit {@code u} of a lattice with {@code replicates} replicates. */
    public double cost(long u, int replicates) {
      return comboCost[(int) (u / replicates)];
    }

    /** Estimated flops of every unit of a lattice with {@code replicates} replicates. */
    public double work(int replicates) {
      double w = 0;
      for (double c : comboCost) {
        w += c;
      }
      return w * replicates;
    }
  }

  /** The plan (one pass over data x pack combinations; refuses a run too large for a task). */
  public Plan plan() {
    if (dataCombos > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many data combinations: " + dataCombos);
    }
    double[] cost = new double[(int) dataCombos];
    long packs = 0;
    Map<String, Long> forms = new TreeMap<>();
    MemoryUse largest = null;
    int[] idx = new int[axes.size()];
    long r = spec.replicates();
    for (long c = 0; c < dataCombos; c++) {
      double unitCost = 0;
      for (int k = 0; k < packCombos; k++) {
        Family<?> family = family(c, k, idx);
        MemoryUse one = family.memory(1, spec.steps(), logs);
        if (!budget.fits(one)) {
          throw new IllegalArgumentException(MemoryPlan.refusal(spec, params(idx), one, budget));
        }
        if (k == 0) {
          unitCost += family.setupCost();
        }
        int per = runsPerPack(family);
        int full = optCombos / per;
        int rest = optCombos % per;
        long n = full + (rest > 0 ? 1 : 0);
        packs += n * r;
        forms.merge(family.form(spec.steps(), logs).label(), n * r, Long::sum);
        unitCost += optCombos * family.runCost(spec.steps(), logs);
        MemoryUse big = family.memory(full > 0 ? per : rest, spec.steps(), logs);
        if (largest == null || big.totalBytes() > largest.totalBytes()) {
          largest = big;
        }
      }
      cost[(int) c] = unitCost;
    }
    return new Plan(cost, packs, forms, largest);
  }

  /**
   * Checks the grid's parameters by building families and optimizer settings, so range errors
   * surface before any work: every data and pack combination with each value of each optimizer
   * axis (the other optimizer axes at their first value). That is every check a family makes
   * unless it relates two optimizer parameters to each other, which none does (the optimizer
   * settings, {@link io.grokgrid.engine.Hyper}, check each value alone); it costs the sum of the
   * optimizer axes' lengths per combination, not their product.
   */
  public void checkRanges() {
    try {
      java.util.stream.LongStream.range(0, dataCombos).parallel().forEach(this::checkCombo);
    } catch (RuntimeException e) {
      // again in order, so the error reported is the first in grid order, whatever the threads did
      for (long c = 0; c < dataCombos; c++) {
        checkCombo(c);
      }
      throw e;
    }
  }

  private void checkCombo(long c) {
    int[] idx = new int[axes.size()];
    setData(c, idx);
    for (int k = 0; k < packCombos; k++) {
      set(packAxes, k, idx);
      set(optAxes, 0, idx);
      check(idx);
      for (int a : optAxes) {
        for (int v = 1; v < sizes[a]; v++) {
          idx[a] = v;
          check(idx);
        }
        idx[a] = 0;
      }
    }
  }

  private void check(int[] idx) {
    Map<String, Double> p = params(idx);
    TaskCatalog.family(spec, p);
    new io.grokgrid.engine.Hyper(p.get(Columns.STEP_SIZE), p.get(Columns.WEIGHT_DECAY));
  }
}

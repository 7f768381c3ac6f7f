package io.grokgrid.jobs;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Grokking;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MathThreads;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Recipe;
import io.grokgrid.engine.RunResult;
import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.SweepSpec;
import io.grokgrid.jobs.spec.TaskCatalog;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * What an executor does with its share of units: for each unit, generate the data set once
 * (the family keeps what it derives from it, e.g. Gram matrices, for the unit's other packs),
 * train each pack, and emit one row per run. A pack that throws becomes rows with status {@code failed}; the sweep goes on.
 */
final class TrainTask implements FlatMapFunction<Iterator<BatchPlan.Slice>, Row>, Serializable {
  private static final AtomicBoolean PINNED = new AtomicBoolean();

  private final Lattice lattice;
  private final SweepSpec spec;
  private final int mathThreads;
  private final String version;
  private final boolean failFirstAttempt;
  private final int level;

  /**
   * @param mathThreads ND4J threads per task (spark.task.cpus)
   * @param failFirstAttempt test hook: the first attempt of partition 0 throws, to exercise retries
   * @param level the refinement level of every run this task trains (0 for a plain grid)
   */
  TrainTask(Lattice lattice, int mathThreads, String version, boolean failFirstAttempt, int level) {
    this.lattice = lattice;
    this.level = level;
    this.spec = lattice.spec();
    this.mathThreads = mathThreads;
    this.version = version;
    this.failFirstAttempt = failFirstAttempt;
  }

  @Override
  public Iterator<Row> call(Iterator<BatchPlan.Slice> slices) {
    Iterator<Grid.Unit> units = expand(slices);
    if (PINNED.compareAndSet(false, true)) {
      MathThreads.pin(mathThreads);
    }
    TaskContext ctx = TaskContext.get();
    if (failFirstAttempt && ctx != null && ctx.partitionId() == 0 && ctx.attemptNumber() == 0) {
      throw new IllegalStateException("injected failure of the first attempt (test hook)");
    }
    // lazily, one unit at a time: the task never holds more than one unit's results
    return new Iterator<>() {
      private Iterator<Row> current = List.<Row>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && units.hasNext()) {
          current = train(units.next()).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** The units of the slices, each expanded from its index when its turn comes. */
  private Iterator<Grid.Unit> expand(Iterator<BatchPlan.Slice> slices) {
    List<BatchPlan.Slice> all = new ArrayList<>();
    slices.forEachRemaining(all::add);
    return new Iterator<>() {
      private int slice;
      private int next;

      @Override
      public boolean hasNext() {
        while (slice < all.size() && next >= all.get(slice).units().length) {
          slice++;
          next = 0;
        }
        return slice < all.size();
      }

      @Override
      public Grid.Unit next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        BatchPlan.Slice s = all.get(slice);
        int i = next++;
        return lattice.unit(s.units()[i], s.skip()[i]);
      }
    };
  }

  List<Row> train(Grid.Unit unit) {
    return trainUnit(TaskCatalog.family(spec, unit.packs().get(0).params()), unit);
  }

  /**
   * Generates the unit's data set once (with the first pack's family: all packs of a unit share
   * the data parameters, hence the data set type) and trains every pack on it.
   */
  @SuppressWarnings("unchecked")
  private <D> List<Row> trainUnit(Family<D> first, Grid.Unit unit) {
    Recipe entry = TaskCatalog.entry(spec.task());
    List<Row> rows = new ArrayList<>();
    int[] logs = LogSchedule.of(spec.steps(), spec.logPoints());
    long t0 = System.nanoTime();
    D data = first.generate(unit.datasetSeed());
    long dataMs = (System.nanoTime() - t0) / 1_000_000;
    try {
      trainPacks(data, unit, entry, logs, dataMs, rows);
    } finally {
      // the data set's native memory goes now, not whenever the GC collects its wrappers
      if (data instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // nothing was written; the memory is then freed with the wrappers
        }
      }
    }
    return rows;
  }

  @SuppressWarnings("unchecked")
  private <D> void trainPacks(D data, Grid.Unit unit, Recipe entry, int[] logs,
      long dataMs, List<Row> rows) {
    for (Grid.Pack pack : unit.packs()) {
      long start = System.nanoTime();
      Family<D> family = (Family<D>) TaskCatalog.family(spec, pack.params());
      Form form = family.form(spec.steps(), logs.length);
      List<Hyper> hypers = pack.hypers();
      PackResult result = null;
      String failure = null;
      List<Map<String, Double>> theory = new ArrayList<>();
      try {
        result = family.train(data, pack.initSeed(), hypers, spec.steps(), logs);
        for (Hyper h : hypers) {
          theory.add(family.theory(data, h, spec.thresholds()));
        }
      } catch (RuntimeException | OutOfMemoryError e) {
        result = null;
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      long wall = (System.nanoTime() - start) / 1_000_000 + dataMs / unit.packs().size();
      long perRun = wall / pack.runs().size();
      for (int i = 0; i < pack.runs().size(); i++) {
        RunResult r = result == null ? null : result.runs().get(i);
        Grokking g = r == null || r.curve().length() == 0 ? null
            : entry.regression() ? Grokking.ofRegression(r.curve(), spec.thresholds())
            : Grokking.ofClassification(r.curve(), spec.thresholds());
        rows.add(ResultRows.row(spec, pack.runs().get(i), r, failure, g,
            result == null ? null : theory.get(i), form, family.precision().label(),
            pack.runs().size(), perRun, version, level));
      }
    }
  }
}

package io.grokgrid.jobs;

import static io.grokgrid.vocab.Columns.REFINE_LEVEL;

import io.grokgrid.engine.ParamDef;
import io.grokgrid.jobs.refine.RefineLattice;
import io.grokgrid.jobs.refine.Refinement;
import io.grokgrid.jobs.spec.Lattice;
import io.grokgrid.jobs.spec.Refine;
import io.grokgrid.jobs.spec.SweepSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The driver's side of a refined sweep: level after level, the points {@link Refinement} adds are
 * trained as one level of batches ({@link SweepJob.Run#level}, the plain grid's machinery: commit
 * protocol, exactly once), then only the outcome column (and the axis values naming the point) of
 * that level's rows is read back to decide the next level.
 *
 * <p>Resume: the refinement is recomputed from level 0 on; a level whose runs are all stored is
 * not trained again but read back, so an interrupted refinement continues at the level (and
 * within it, at the batch) it stopped. The points depend only on the outcomes, hence not on the
 * partitions, the batches or the interruptions.
 */
final class RefineDriver {
  private RefineDriver() {}

  /**
   * Trains every level; returns the runs trained by this call.
   *
   * @param finest the whole finest lattice of the sweep
   * @param plan its plan (unit costs)
   * @param stored the runs already stored
   */
  static long run(SweepJob.Run run, Lattice finest, Lattice.Plan plan, SweepDir.Stored stored) {
    SweepSpec spec = run.spec;
    Refine refine = spec.refine();
    RefineLattice geometry = new RefineLattice(spec);
    Refinement refinement = new Refinement(geometry);
    Decoder decoder = new Decoder(spec.finest(), finest);
    long worst = spec.finest().runCount();
    long trained = 0;
    long done = 0;
    long[] points = refinement.start();
    while (points.length > 0) {
      int level = refinement.level();
      long runs = points.length * (long) spec.replicates();
      if (refine.maxRuns() > 0 && done + runs > refine.maxRuns()) {
        run.out.printf(Locale.ROOT, "grokgrid: refine: stopping before level %d: its %d runs would take the sweep"
            + " past refine.max_runs (%d runs so far, max_runs %d)%n", level, runs, done, refine.maxRuns());
        break;
      }
      LevelTodo todo = LevelTodo.of(finest.select(points), plan, stored.ids());
      run.planned.addAndGet(runs);
      run.kept.addAndGet(runs - todo.runs());
      long later = refine.maxRuns() > 0 ? Math.min(refine.maxRuns(), worst) - done - runs : worst - done - runs;
      run.out.printf(Locale.ROOT, "grokgrid: refine level %d of %d: %d points x %d replicates = %d runs (%d stored);"
          + " at most %d more runs in later levels%n", level, refine.levels(), points.length, spec.replicates(),
          runs, runs - todo.runs(), Math.max(0, later));
      if (todo.runs() > 0) {
        trained += run.level(todo, todo.lattice(), level, runs);
      }
      done += runs;
      readOutcomes(run, refinement, decoder, level);
      points = refinement.next();
    }
    run.out.printf(Locale.ROOT, "grokgrid: refine: %d runs over %d levels; the full grid of the finest lattice has %d runs"
        + " (%.1f%%)%n", done, refinement.level() + 1, worst, 100.0 * done / worst);
    return trained;
  }

  /** Votes the outcome of every run of level {@code level}, read from the committed batches. */
  private static void readOutcomes(SweepJob.Run run, Refinement refinement, Decoder decoder, int level) {
    List<String> done = run.dir.committedBatches();
    List<Column> cols = new ArrayList<>();
    for (String a : decoder.axes) {
      cols.add(functions.col(a));
    }
    cols.add(functions.col(run.spec.refine().by()));
    List<Row> rows = run.spark.read().schema(ResultRows.schema(run.spec)).parquet(done.toArray(new String[0]))
        .filter(functions.col(REFINE_LEVEL).equalTo(level))
        .select(cols.toArray(new Column[0])).collectAsList();
    for (Row r : rows) {
      refinement.vote(decoder.point(r), run.spec.refine().label(r.get(decoder.axes.size())));
    }
  }

  /** A row's grid point on the finest lattice, from its axis values as the batches store them. */
  static final class Decoder {
    final List<String> axes;
    private final List<Map<Object, Integer>> index = new ArrayList<>();
    private final Lattice lattice;

    Decoder(SweepSpec finest, Lattice lattice) {
      this.lattice = lattice;
      this.axes = List.copyOf(finest.grid().keySet());
      Map<String, ParamDef> defs = new HashMap<>();
      finest.params().forEach(d -> defs.put(d.name(), d));
      for (String a : axes) {
        ParamDef d = defs.get(a);
        Map<Object, Integer> m = new HashMap<>();
        List<Double> values = finest.grid().get(a);
        for (int i = 0; i < values.size(); i++) {
          double v = values.get(i);
          // as ResultRows writes them: choices as their label, integers as int, others as double
          m.put(d.isChoice() ? d.label(v) : d.integer() ? (Object) (int) v : (Object) v, i);
        }
        index.add(m);
      }
    }

    long point(Row r) {
      int[] idx = new int[axes.size()];
      for (int a = 0; a < axes.size(); a++) {
        Integer i = index.get(a).get(r.get(a));
        if (i == null) {
          throw new IllegalStateException("a stored run's " + axes.get(a) + " = " + r.get(a)
              + " is not on the refined sweep's lattice");
        }
        idx[a] = i;
      }
      return lattice.gridIndex(idx);
    }
  }
}

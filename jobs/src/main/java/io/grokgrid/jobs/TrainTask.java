package io.grokgrid.jobs;

import io.grokgrid.engine.Dataset;
import io.grokgrid.engine.GdTrainer;
import io.grokgrid.engine.Gram;
import io.grokgrid.engine.Grokking;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MathThreads;
import io.grokgrid.engine.Net;
import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.SweepSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;

/**
 * What an executor does with its share of units: for each unit, generate the data set once, form
 * the Gram matrices once if any pack uses the dual form, train each pack, and emit one row per
 * run. A pack that throws becomes rows with status {@code failed}; the sweep goes on.
 */
final class TrainTask implements FlatMapFunction<Iterator<List<Grid.Unit>>, Row>, Serializable {
  private static final AtomicBoolean PINNED = new AtomicBoolean();

  private final SweepSpec spec;
  private final int mathThreads;
  private final String version;
  private final boolean failFirstAttempt;

  /**
   * @param mathThreads ND4J threads per task (spark.task.cpus)
   * @param failFirstAttempt test hook: the first attempt of partition 0 throws, to exercise retries
   */
  TrainTask(SweepSpec spec, int mathThreads, String version, boolean failFirstAttempt) {
    this.spec = spec;
    this.mathThreads = mathThreads;
    this.version = version;
    this.failFirstAttempt = failFirstAttempt;
  }

  @Override
  public Iterator<Row> call(Iterator<List<Grid.Unit>> slices) {
    Iterator<Grid.Unit> units = flatten(slices);
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

  private static Iterator<Grid.Unit> flatten(Iterator<List<Grid.Unit>> slices) {
    List<Grid.Unit> all = new ArrayList<>();
    slices.forEachRemaining(all::addAll);
    return all.iterator();
  }

  List<Row> train(Grid.Unit unit) {
    List<Row> rows = new ArrayList<>();
    int[] logs = LogSchedule.of(spec.steps(), spec.logPoints());
    long t0 = System.nanoTime();
    Dataset data = Grid.dataset(unit.data()).generate(unit.datasetSeed(), spec.precision());
    Gram gram = null;
    long dataMs = (System.nanoTime() - t0) / 1_000_000;
    for (Grid.Pack pack : unit.packs()) {
      long start = System.nanoTime();
      GdTrainer.Form form = Grid.form(spec, data.nTrain(), data.nTest(), data.dim(), logs.length);
      GdTrainer.PackResult result = null;
      String failure = null;
      try {
        if (form == GdTrainer.Form.DUAL && gram == null) {
          gram = Gram.of(data);
        }
        Net net = new Net(pack.width(), pack.initScale(), pack.initSeed());
        result = GdTrainer.train(data, gram, net, pack.hypers(), spec.steps(), logs, form);
      } catch (RuntimeException | OutOfMemoryError e) {
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      long wall = (System.nanoTime() - start) / 1_000_000 + dataMs / unit.packs().size();
      long perRun = wall / pack.runs().size();
      for (int i = 0; i < pack.runs().size(); i++) {
        GdTrainer.RunResult r = result == null ? null : result.runs().get(i);
        Grokking g = r == null || r.curve().length() == 0 ? null
            : Grokking.ofClassification(r.curve(), spec.thresholds());
        rows.add(ResultRows.row(spec, pack.runs().get(i), r, failure, g, form, pack.runs().size(),
            perRun, version));
      }
    }
    return rows;
  }
}

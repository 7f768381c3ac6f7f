package io.grokgrid.jobs;

import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.Lattice;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The units a sweep still has to train, without holding runs: every unit of the {@link Lattice}
 * but those whose runs are all stored (a bit each), and for units partly stored (a grid grown
 * since the last run) the stored run ids to skip. A fresh sweep is the whole index range and
 * costs nothing to build; a resume derives each unit's data set seed (one hash a unit) and
 * expands the run ids only of units whose data set has stored runs, in parallel, keeping only
 * these bits.
 */
final class Pending implements BatchPlan.Todo {
  private final Lattice lattice;
  private final Lattice.Plan plan;
  private final BitSet done;
  private final Map<Long, long[]> partial;
  private final long count;
  private final long runs;
  private final double work;

  private Pending(Lattice lattice, Lattice.Plan plan, BitSet done, Map<Long, long[]> partial) {
    this.lattice = lattice;
    this.plan = plan;
    this.done = done;
    this.partial = partial;
    long units = lattice.units();
    long c = 0;
    long r = 0;
    double w = 0;
    for (long u = next(0); u >= 0; u = next(u + 1)) {
      c++;
      r += runs(u);
      w += cost(u);
    }
    this.count = c;
    this.runs = r;
    this.work = w;
    assert units >= c;
  }

  /**
   * The pending units of {@code lattice} given the stored run ids.
   *
   * @param storedRuns the runs already stored
   */
  static Pending of(Lattice lattice, Lattice.Plan plan, SweepDir.Stored storedRuns) {
    BitSet done = new BitSet();
    Map<Long, long[]> partial = new HashMap<>();
    long[] stored = storedRuns.ids();
    long[] seeds = storedRuns.datasetSeeds();
    if (stored.length > 0) {
      int units = Math.toIntExact(lattice.units());
      // one unit's ids at a time per thread: the driver never holds every run
      long[][] found = new long[units][];
      boolean[] all = new boolean[units];
      IntStream.range(0, units).parallel().forEach(u -> {
        if (Arrays.binarySearch(seeds, lattice.datasetSeed(u)) < 0) {
          return; // no stored run was trained on this unit's data set
        }
        Grid.Unit unit = lattice.unit(u, null);
        long[] hit = new long[unit.runCount()];
        int n = 0;
        for (Grid.Pack p : unit.packs()) {
          for (Grid.RunPoint r : p.runs()) {
            long id = Lattice.idNumber(r.runId());
            if (Arrays.binarySearch(stored, id) >= 0) {
              hit[n++] = id;
            }
          }
        }
        all[u] = n == hit.length;
        if (n > 0 && n < hit.length) {
          long[] skip = Arrays.copyOf(hit, n);
          Arrays.sort(skip);
          found[u] = skip;
        }
      });
      for (int u = 0; u < units; u++) {
        if (all[u]) {
          done.set(u);
        } else if (found[u] != null) {
          partial.put((long) u, found[u]);
        }
      }
    }
    return new Pending(lattice, plan, done, partial);
  }

  /** The lattice. */
  Lattice lattice() {
    return lattice;
  }

  @Override
  public long count() {
    return count;
  }

  /** Runs still to train. */
  long runs() {
    return runs;
  }

  @Override
  public double work() {
    return work;
  }

  @Override
  public long next(long from) {
    if (from >= lattice.units()) {
      return -1;
    }
    int u = done.nextClearBit(Math.toIntExact(from));
    return u < lattice.units() ? u : -1;
  }

  @Override
  public double cost(long u) {
    double c = plan.cost(u, lattice.spec().replicates());
    long[] skip = partial.get(u);
    // a partly stored unit: its data set plus the share of runs left, near enough for scheduling
    return skip == null ? c : c * (lattice.runsPerUnit() - skip.length) / lattice.runsPerUnit();
  }

  @Override
  public int runs(long u) {
    long[] skip = partial.get(u);
    return lattice.runsPerUnit() - (skip == null ? 0 : skip.length);
  }

  @Override
  public long[] skip(long u) {
    return partial.get(u);
  }
}

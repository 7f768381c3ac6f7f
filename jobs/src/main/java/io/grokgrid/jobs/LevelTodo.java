package io.grokgrid.jobs;

import io.grokgrid.jobs.spec.Grid;
import io.grokgrid.jobs.spec.Lattice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The units one level of a refined sweep still has to train: the units of a {@link Lattice}
 * selected to the level's points ({@link Lattice#select}) that hold a selected run not yet
 * stored. Built by expanding only the units of the data combinations the level touches; each
 * pending unit keeps its stored run ids to skip (a level interrupted mid-way and resumed).
 */
final class LevelTodo implements BatchPlan.Todo {
  /** A pending unit: stored run ids to skip (sorted, or null), runs left, estimated work. */
  private record Entry(long[] skip, int runs, double cost) {}

  private final Lattice lattice;
  private final TreeMap<Long, Entry> pending;
  private final long runs;
  private final double work;

  private LevelTodo(Lattice lattice, TreeMap<Long, Entry> pending) {
    this.lattice = lattice;
    this.pending = pending;
    this.runs = pending.values().stream().mapToLong(Entry::runs).sum();
    this.work = pending.values().stream().mapToDouble(Entry::cost).sum();
  }

  /**
   * @param selected the lattice selected to the level's points
   * @param plan the whole lattice's plan (unit costs)
   * @param stored run ids already stored (sorted)
   */
  static LevelTodo of(Lattice selected, Lattice.Plan plan, long[] stored) {
    int replicates = selected.spec().replicates();
    TreeMap<Long, Entry> pending = new TreeMap<>();
    for (long c : selected.selectedCombos()) {
      for (int r = 0; r < replicates; r++) {
        long u = c * replicates + r;
        Grid.Unit unit = selected.unit(u, null);
        List<Long> hit = new ArrayList<>();
        for (Grid.Pack p : unit.packs()) {
          for (Grid.RunPoint run : p.runs()) {
            long id = Lattice.idNumber(run.runId());
            if (Arrays.binarySearch(stored, id) >= 0) {
              hit.add(id);
            }
          }
        }
        int left = unit.runCount() - hit.size();
        if (left == 0) {
          continue;
        }
        long[] skip = hit.isEmpty() ? null : hit.stream().mapToLong(Long::longValue).sorted().toArray();
        // the data set plus the share of the unit's runs left: near enough for scheduling
        double cost = plan.cost(u, replicates) * left / selected.runsPerUnit();
        pending.put(u, new Entry(skip, left, cost));
      }
    }
    return new LevelTodo(selected, pending);
  }

  /** The selected lattice the level's units come from. */
  Lattice lattice() {
    return lattice;
  }

  /** Runs still to train. */
  long runs() {
    return runs;
  }

  @Override
  public long count() {
    return pending.size();
  }

  @Override
  public double work() {
    return work;
  }

  @Override
  public long next(long from) {
    Map.Entry<Long, Entry> e = pending.ceilingEntry(from);
    return e == null ? -1 : e.getKey();
  }

  @Override
  public double cost(long u) {
    return pending.get(u).cost();
  }

  @Override
  public int runs(long u) {
    return pending.get(u).runs();
  }

  @Override
  public long[] skip(long u) {
    return pending.get(u).skip();
  }
}

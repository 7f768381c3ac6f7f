package io.grokgrid.jobs.refine;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.jobs.spec.SpecParser;
import io.grokgrid.jobs.spec.SweepSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The refinement's points from synthetic outcome maps with known boundaries (no Spark, no training). */
class RefinementTest {
  static final String SPEC = """
      name: syn
      task: ridge
      replicates: 3
      steps: 10
      log_points: 5
      fixed: {n_train: 10, dim: 40}
      grid:
        label_noise_std: [0.0, 0.5]
        step_size: {from: 0.01, to: 1.0, points: 5, scale: log}
        weight_decay: {from: 1.0e-4, to: 1.0e-2, points: 5, scale: log}
      refine: {axes: [step_size, weight_decay], by: phase, levels: 3}
      """;

  /** Outcome of replicate r at finest indices (i, j) of other-combination o. */
  interface Truth {
    String at(long o, int i, int j, int r);
  }

  /** Runs the refinement to its end, voting each run of each new point with {@code truth}. */
  static Refinement refine(RefineLattice lat, Truth truth, int replicates, long shuffleSeed, List<long[]> levels) {
    Refinement ref = new Refinement(lat);
    long[] points = ref.start();
    while (points.length > 0) {
      levels.add(points);
      List<long[]> runs = new ArrayList<>();
      for (long g : points) {
        for (int r = 0; r < replicates; r++) {
          runs.add(new long[] {g, r});
        }
      }
      Collections.shuffle(runs, new java.util.Random(shuffleSeed)); // rows come back in any order
      for (long[] run : runs) {
        long g = run[0];
        ref.vote(g, truth.at(lat.other(g), lat.index(g, 0), lat.dims() > 1 ? lat.index(g, 1) : 0, (int) run[1]));
      }
      points = ref.next();
    }
    return ref;
  }

  /** Two phase regions split by a tilted line and a disc of a third phase; a noisy replicate near the line. */
  static final Truth MAP = (o, i, j, r) -> {
    double shift = o == 0 ? 0 : 4;
    if ((i - 22) * (i - 22) + (j - 8) * (j - 8) < 30) {
      return "memorization";
    }
    double side = i + 0.6 * j - 20 - shift;
    if (r == 2 && Math.abs(side) < 1.5) {
      return "confusion"; // one replicate in three disagrees near the boundary: the majority holds
    }
    return side < 0 ? "comprehension" : "grokking";
  };

  @Test
  void refinedMapMatchesTheFullGridAtAFractionOfItsRuns() {
    SweepSpec spec = SpecParser.parse(SPEC, "syn.yaml");
    RefineLattice lat = new RefineLattice(spec);
    assertThat(lat.size(0)).isEqualTo(33);
    List<long[]> levels = new ArrayList<>();
    Refinement ref = refine(lat, MAP, 3, 1, levels);
    assertThat(levels).hasSize(4); // levels 0..3, each adding points
    assertThat(levels.get(0)).hasSize(2 * 25);
    long evaluated = levels.stream().mapToLong(l -> l.length).sum();
    int agree = 0;
    int total = 0;
    for (long o = 0; o < 2; o++) {
      for (int i = 0; i < 33; i++) {
        for (int j = 0; j < 33; j++) {
          long g = lat.point(o, new int[] {i, j});
          String majority = MAP.at(o, i, j, 0); // two of three replicates
          total++;
          agree += majority.equals(ref.predict(g)) ? 1 : 0;
        }
      }
    }
    assertThat(total).isEqualTo(2 * 33 * 33);
    assertThat((double) agree / total).isGreaterThanOrEqualTo(0.97);
    assertThat((double) evaluated / total).isLessThanOrEqualTo(0.30);
    // every evaluated point lies on its level's lattice
    for (int k = 0; k < levels.size(); k++) {
      int s = lat.spacing(k);
      for (long g : levels.get(k)) {
        assertThat(lat.index(g, 0) % s + lat.index(g, 1) % s).isZero();
        assertThat(ref.levels().get(g)).isEqualTo(k);
      }
    }
  }

  @Test
  void pointsDependOnlyOnOutcomesNotOnTheOrderRowsArrive() {
    RefineLattice lat = new RefineLattice(SpecParser.parse(SPEC, "syn.yaml"));
    List<long[]> a = new ArrayList<>();
    List<long[]> b = new ArrayList<>();
    refine(lat, MAP, 3, 1, a);
    refine(lat, MAP, 3, 99, b);
    assertThat(a).hasSameSizeAs(b);
    for (int k = 0; k < a.size(); k++) {
      assertThat(a.get(k)).containsExactly(b.get(k));
    }
  }

  @Test
  void uniformMapStopsAtLevelZero() {
    RefineLattice lat = new RefineLattice(SpecParser.parse(SPEC, "syn.yaml"));
    List<long[]> levels = new ArrayList<>();
    refine(lat, (o, i, j, r) -> "comprehension", 3, 1, levels);
    assertThat(levels).hasSize(1);
  }

  @Test
  void oneAxisFindsTheThresholdToTheLatticeResolution() {
    SweepSpec spec = SpecParser.parse(SPEC.replace("weight_decay: {from: 1.0e-4, to: 1.0e-2, points: 5, scale: log}",
        "weight_decay: [0.001]").replace("[step_size, weight_decay], by: phase, levels: 3", "[step_size], by: grokked, levels: 6"), "one.yaml");
    RefineLattice lat = new RefineLattice(spec);
    assertThat(lat.size(0)).isEqualTo(4 * 64 + 1);
    for (int threshold : new int[] {1, 77, 128, 200, 256}) {
      List<long[]> levels = new ArrayList<>();
      Refinement ref = refine(lat, (o, i, j, r) -> i >= threshold ? "true" : "false", 3, 5, levels);
      TreeSet<Integer> yes = new TreeSet<>();
      TreeSet<Integer> no = new TreeSet<>();
      ref.outcomes().forEach((g, v) -> (v.equals("true") ? yes : no).add(lat.index(g, 0)));
      // the last 'false' and the first 'true' are neighbours on the finest lattice: the threshold exactly
      assertThat(no.last()).isEqualTo(threshold - 1);
      assertThat(yes.first()).isEqualTo(threshold);
      // 5 coarse points, then 1 new point per level in the one disagreeing cell
      long evaluated = levels.stream().mapToLong(l -> l.length).sum();
      assertThat(evaluated).isEqualTo(2 * (5 + 6)); // two other-axis combinations (label_noise_std)
    }
  }

  @Test
  void eachCombinationOfTheOtherAxesIsRefinedOnItsOwn() {
    RefineLattice lat = new RefineLattice(SpecParser.parse(SPEC, "syn.yaml"));
    // only combination 1 has a boundary
    List<long[]> levels = new ArrayList<>();
    refine(lat, (o, i, j, r) -> o == 1 && i > 10 ? "grokking" : "comprehension", 3, 1, levels);
    for (int k = 1; k < levels.size(); k++) {
      assertThat(Arrays.stream(levels.get(k)).map(lat::other).distinct().toArray()).containsExactly(1L);
    }
    assertThat(levels).hasSize(4);
  }

  @Test
  void tiedPointSplitsItsCells() {
    RefineLattice lat = new RefineLattice(SpecParser.parse(SPEC.replace("replicates: 3", "replicates: 2"), "syn.yaml"));
    List<long[]> levels = new ArrayList<>();
    // one coarse point with one replicate each way; every other point agrees
    refine(lat, (o, i, j, r) -> o == 0 && i == 16 && j == 16 && r == 1 ? "grokking" : "comprehension", 2, 1, levels);
    assertThat(levels).hasSizeGreaterThan(1);
    // the four cells around (16, 16) split: 4 * 5 new points, less the shared ones: a 5 x 5 block minus 9 coarse
    assertThat(levels.get(1)).hasSize(25 - 9);
  }

  @Test
  void latticeIndexArithmeticRoundTrips() {
    RefineLattice lat = new RefineLattice(SpecParser.parse(SPEC, "syn.yaml"));
    SplittableRandom rnd = new SplittableRandom(3);
    for (int n = 0; n < 200; n++) {
      long o = rnd.nextInt(2);
      int[] idx = {rnd.nextInt(33), rnd.nextInt(33)};
      long g = lat.point(o, idx);
      assertThat(lat.other(g)).isEqualTo(o);
      assertThat(lat.index(g, 0)).isEqualTo(idx[0]);
      assertThat(lat.index(g, 1)).isEqualTo(idx[1]);
      // row-major over (label_noise_std, step_size, weight_decay), as Lattice numbers grid points
      assertThat(g).isEqualTo(o * 33 * 33 + idx[0] * 33L + idx[1]);
    }
  }
}

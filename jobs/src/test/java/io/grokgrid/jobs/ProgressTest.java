package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The ETA from work, against hand-computed cases. */
class ProgressTest {
  @Test
  void etaIsTheWorkLeftOverTheFinishedTasksRate() {
    // 70 units of work left; recent tasks worth 30 took 15 task-seconds on 2 slots: 4 per second
    // of wall time, 70 left -> 17.5 s, however long the start-up before them took
    assertThat(Progress.etaSeconds(70, 30, 15, 2)).isCloseTo(17.5, within(1e-12));
    // a costly unit counts for its work, not as one run: the same 30 done by one task in 15 s
    // or by ten tasks of 1.5 s each give the same rate (bursts of ends change nothing)
    assertThat(Progress.etaSeconds(70, 30, 15, 1)).isCloseTo(35.0, within(1e-12));
    assertThat(Progress.etaSeconds(0, 100, 40, 2)).isZero();
  }

  @Test
  void noEstimateBeforeATaskWithWorkEnds() {
    assertThat(Progress.etaSeconds(100, 0, 5, 2)).isNaN();
    assertThat(Progress.etaSeconds(100, 10, 0, 2)).isNaN();
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertThat(Progress.duration(59.4)).isEqualTo("59s");
    assertThat(Progress.duration(61)).isEqualTo("1m01s");
    assertThat(Progress.duration(3 * 3600 + 42 * 60)).isEqualTo("3h42m");
  }
}

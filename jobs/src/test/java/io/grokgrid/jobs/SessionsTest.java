package io.grokgrid.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Session settings that can be checked without starting Spark. */
class SessionsTest {
  @Test
  void taskSlotsOfLocalMasters() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(Sessions.localSlots("local")).isEqualTo(1);
    assertThat(Sessions.localSlots("local[3]")).isEqualTo(3);
    assertThat(Sessions.localSlots("local[2,2]")).isEqualTo(2);
    assertThat(Sessions.localSlots("local[*]")).isEqualTo(cores);
    assertThat(Sessions.localSlots("local[*,4]")).isEqualTo(cores);
    assertThat(Sessions.localSlots("local-cluster[2,1,1024]")).isEqualTo(cores);
  }

  @Test
  void aLocalSessionNeedsALocalMaster() {
    assertThatThrownBy(() -> Sessions.local("spark://127.0.0.1:7077", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a local session needs a local[...] master, got spark://127.0.0.1:7077");
  }

  @Test
  void anUnreachableOrMalformedMasterIsRefusedBeforeSparkStarts() {
    // port 1 on the loopback: nothing listens there, the connection is refused
    assertThatThrownBy(() -> Sessions.requireReachable("spark://127.0.0.1:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no Spark master answers at spark://127.0.0.1:1"
            + " (start one, e.g. cluster-configs/local-cluster start, or check --master)");
    assertThatThrownBy(() -> Sessions.requireReachable("spark://127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--master must be spark://HOST:PORT[,HOST:PORT...], got spark://127.0.0.1");
  }
}

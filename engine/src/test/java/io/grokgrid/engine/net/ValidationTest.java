package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.MathThreads;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.Thresholds;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad parameters fail at the boundary with IllegalArgumentException and a one-line message that
 * names the spec key, the rule and the value (house style); the messages are asserted verbatim.
 */
class ValidationTest {

  @Test
  void xorClustersParameters() {
    assertThatIllegalArgumentException().isThrownBy(() -> new XorClusters(200, 200, 40000, 35.0, 0.5))
        .withMessage("noise_rate must be in [0, 0.5), got 0.5");
    assertThatIllegalArgumentException().isThrownBy(() -> new XorClusters(200, 200, 40000, 35.0, -0.01))
        .withMessage("noise_rate must be in [0, 0.5), got -0.01");
    assertThatIllegalArgumentException().isThrownBy(() -> new XorClusters(200, 200, 40000, 35.0, Double.NaN))
        .withMessage("noise_rate must be in [0, 0.5), got NaN");
    assertThatIllegalArgumentException().isThrownBy(() -> new XorClusters(0, 200, 40000, 35.0, 0.05))
        .withMessage("n_train must be an integer in [1, 1000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new XorClusters(200, 0, 40000, 35.0, 0.05))
        .withMessage("n_test must be an integer in [1, 1000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new XorClusters(200, 200, 1, 35.0, 0.05))
        .withMessage("dim must be an integer in [2, 100000000], got 1");
    assertThatIllegalArgumentException().isThrownBy(() -> new XorClusters(200, 200, 40000, -1.0, 0.05))
        .withMessage("signal must be a finite number >= 0, got -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new XorClusters(200, 200, 40000, Double.POSITIVE_INFINITY, 0.05))
        .withMessage("signal must be a finite number >= 0, got Infinity");
    // the edges of the allowed ranges are accepted
    assertThatNoException().isThrownBy(() -> new XorClusters(1, 1, 2, 0.0, 0.0));
    assertThatNoException().isThrownBy(() -> new XorClusters(1, 1, 2, 0.0, 0.4999));
  }

  @Test
  void netParameters() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Net(-1, 1e-15, 0))
        .withMessage("width must be an integer in [1, 10000000], got -1");
    assertThatIllegalArgumentException().isThrownBy(() -> new Net(0, 1e-15, 0))
        .withMessage("width must be an integer in [1, 10000000], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new Net(10, -1e-15, 0))
        .withMessage("init_scale must be a finite number >= 0, got -1.0E-15");
    assertThatIllegalArgumentException().isThrownBy(() -> new Net(10, Double.NaN, 0))
        .withMessage("init_scale must be a finite number >= 0, got NaN");
    assertThatNoException().isThrownBy(() -> new Net(1, 0.0, 0));
  }

  @Test
  void hyperParameters() {
    assertThatIllegalArgumentException().isThrownBy(() -> new Hyper(0.0, 0.0))
        .withMessage("step_size must be a finite number > 0, got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new Hyper(-1e-12, 0.0))
        .withMessage("step_size must be a finite number > 0, got -1.0E-12");
    assertThatIllegalArgumentException().isThrownBy(() -> new Hyper(Double.POSITIVE_INFINITY, 0.0))
        .withMessage("step_size must be a finite number > 0, got Infinity");
    assertThatIllegalArgumentException().isThrownBy(() -> new Hyper(1e-12, -0.5))
        .withMessage("weight_decay must be a finite number >= 0, got -0.5");
    assertThatIllegalArgumentException().isThrownBy(() -> new Hyper(1e-12, Double.NaN))
        .withMessage("weight_decay must be a finite number >= 0, got NaN");
    assertThat(new Hyper(0.1, 2.0).shrink()).isEqualTo(1.0 - 0.1 * 2.0);
  }

  @Test
  void thresholds() {
    // the documented range (0, 1]: 0 itself is refused, 1 accepted
    assertThatIllegalArgumentException().isThrownBy(() -> new Thresholds(0.0, 0.95, 10.0))
        .withMessage("thresholds.fit must be in (0, 1], got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> new Thresholds(1.01, 0.95, 10.0))
        .withMessage("thresholds.fit must be in (0, 1], got 1.01");
    assertThatIllegalArgumentException().isThrownBy(() -> new Thresholds(1.0, 1.5, 10.0))
        .withMessage("thresholds.gen must be in (0, 1], got 1.5");
    assertThatIllegalArgumentException().isThrownBy(() -> new Thresholds(1.0, -0.5, 10.0))
        .withMessage("thresholds.gen must be in (0, 1], got -0.5");
    assertThatIllegalArgumentException().isThrownBy(() -> new Thresholds(1.0, 0.95, 0.5))
        .withMessage("thresholds.grok_ratio must be a finite number >= 1, got 0.5");
    assertThat(Thresholds.DEFAULT).isEqualTo(new Thresholds(1.0, 0.95, 10.0));
    assertThatNoException().isThrownBy(() -> new Thresholds(Double.MIN_VALUE, 1.0, 1.0));
  }

  @Test
  void logScheduleArguments() {
    assertThatIllegalArgumentException().isThrownBy(() -> LogSchedule.of(-1, 20))
        .withMessage("steps must be an integer in [0, 2147483646], got -1");
    assertThatIllegalArgumentException().isThrownBy(() -> LogSchedule.of(100, 1))
        .withMessage("log_points must be an integer in [2, 1000000], got 1");
    assertThatIllegalArgumentException().isThrownBy(() -> LogSchedule.of(100, 1_000_001))
        .withMessage("log_points must be an integer in [2, 1000000], got 1000001");
  }

  @Test
  void theMaskFormIsRefusedWhereItCannotRun() {
    XorClusters task = new XorClusters(10, 10, 20, 3.0, 0.1);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new NetFamily(task, 8, 0.1, 0.0, "dual-mask", Precision.FLOAT64, List.of()))
        .withMessage("form dual-mask needs precision float32, got float64");
    assertThatNoException().isThrownBy(() -> new NetFamily(task, 8, 0.1, 0.0, "dual-mask", Precision.FLOAT32, List.of()));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new io.grokgrid.engine.ridge.Ridge(20, 50, 0.1, 0.0, "dual-mask"))
        .withMessage("form dual-mask is the two-layer networks' mask kernel; task ridge takes auto, primal or dual");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new NetFamily(task, 8, 0.1, 0.0, "primal-mask", Precision.FLOAT64, List.of()))
        .withMessage("form primal-mask needs precision float32, got float64");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new io.grokgrid.engine.ridge.Ridge(20, 50, 0.1, 0.0, "primal-mask"))
        .withMessage("form primal-mask is the two-layer networks' mask kernel; task ridge takes auto, primal or dual");
    assertThat(Form.DUAL_MASK.allows(Precision.FLOAT32)).isTrue();
    assertThat(Form.DUAL_MASK.allows(Precision.FLOAT64)).isFalse();
    assertThat(Form.PRIMAL_MASK.allows(Precision.FLOAT32)).isTrue();
    assertThat(Form.PRIMAL_MASK.allows(Precision.FLOAT64)).isFalse();
    assertThat(Form.DUAL.allows(Precision.FLOAT64)).isTrue();
  }

  @Test
  void precisionAndFormNames() {
    assertThatIllegalArgumentException().isThrownBy(() -> Precision.parse("float16"))
        .withMessage("precision must be one of [float32, float64], got float16");
    assertThatIllegalArgumentException().isThrownBy(() -> Form.parse("x"))
        .withMessage("form must be one of [auto, primal, dual, dual-mask, primal-mask], got x");
    // parse and label round-trip
    for (Precision p : Precision.values()) {
      assertThat(Precision.parse(p.label())).isEqualTo(p);
    }
    for (Form f : Form.values()) {
      assertThat(Form.parse(f.label())).isEqualTo(f);
    }
    assertThat(Form.DUAL.label()).isEqualTo("dual");
    assertThat(Precision.FLOAT32.label()).isEqualTo("float32");
  }

  @Test
  void trainArguments() {
    Dataset d = new XorClusters(4, 4, 3, 1.0, 0.0).generate(1, Precision.FLOAT32);
    Net net = new Net(2, 1.0, 1);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GdTrainer.train(d, null, net, List.of(), 5, new int[] {0, 5}, Form.PRIMAL))
        .withMessage("a pack needs at least one run");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GdTrainer.train(d, null, net, List.of(new Hyper(0.1, 0)), 5, new int[] {0, 4}, Form.PRIMAL))
        .withMessage("log steps must be increasing within [0, 5] and end at 5, got [0, 4]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GdTrainer.train(d, null, net, List.of(new Hyper(0.1, 0)), 5, new int[0], Form.DUAL))
        .withMessage("log steps must be increasing within [0, 5] and end at 5, got []");
  }

  /**
   * Engine bug: train() checks only that the log steps end at T. Repeated, decreasing or
   * out-of-range steps make the logging cursor stall, and the curve silently stops early:
   * {0, 0, 5} logs only step 0, {0, 3, 2, 5} logs 0 and 3, {0, 7, 5} logs 0, {-1, 5} logs nothing.
   */
  @Test
  void trainRefusesLogStepsThatAreNotIncreasingWithinRange() {
    Dataset d = new XorClusters(4, 4, 3, 1.0, 0.0).generate(1, Precision.FLOAT32);
    Net net = new Net(2, 1.0, 1);
    for (int[] logs : new int[][] {{0, 0, 5}, {0, 3, 2, 5}, {0, 7, 5}, {-1, 5}}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> GdTrainer.train(d, null, net, List.of(new Hyper(0.1, 0)), 5, logs, Form.PRIMAL))
          .withMessageStartingWith("log steps must");
    }
  }

  @Test
  void mathThreads() {
    assertThatIllegalArgumentException().isThrownBy(() -> MathThreads.pin(0))
        .withMessage("math_threads must be an integer in [1, 4096], got 0");
  }
}

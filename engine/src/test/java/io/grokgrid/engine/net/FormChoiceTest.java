package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.Precision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flop model behind {@link GdTrainer#chooseForm}, checked against its closed forms. */
class FormChoiceTest {

  @Test
  void costsAreTheDocumentedClosedForms() {
    int n = 200;
    int nt = 150;
    int p = 40000;
    int steps = 50;
    int logs = 51;
    // primal: a step is P = W X^T and W -= D X (2 n p each); a log adds W X_test^T
    double primal = steps * 4.0 * n * p + logs * 2.0 * nt * p;
    // dual: W0 X^T and W0 X_test^T once, P -= D K per step, C K_test and <C K, C> per log
    double dual = 2.0 * (n + nt) * p + steps * 2.0 * n * n + logs * (2.0 * n * nt + 2.0 * n * n);
    assertThat(GdTrainer.cost(Form.PRIMAL, 1000, n, nt, p, steps, logs)).isEqualTo(primal);
    assertThat(GdTrainer.cost(Form.DUAL, 1000, n, nt, p, steps, logs)).isEqualTo(dual);
    // mask: the dual's set-up; per step, per row, 50 lookups of a 208-column row, 1/1000 of the
    // 16 x 50 table rows and 8 operations per entry, at 4.3 flops each; per log the test GEMM
    double mask = 2.0 * (n + nt) * p + steps * 4.3 * (50 * 208 * (1 + 16.0 / 1000) + 8 * 208)
        + logs * 2.0 * n * nt;
    assertThat(GdTrainer.cost(Form.DUAL_MASK, 1000, n, nt, p, steps, logs)).isCloseTo(mask, within(1e-6 * mask));
    // primal mask: the forward GEMM 2 n p; the backward's 50 lookups of a 40000-column row,
    // 1/1000 of the tables, 4 operations per entry and n mask bits, at 3.7 flops each
    double primalMask = steps * (2.0 * n * p + 3.7 * (50 * 40000 * (1 + 16.0 / 1000) + 4 * 40000 + n))
        + logs * 2.0 * nt * p;
    assertThat(GdTrainer.cost(Form.PRIMAL_MASK, 1000, n, nt, p, steps, logs))
        .isCloseTo(primalMask, within(1e-6 * primalMask));
  }

  @Test
  void chooseFormPicksTheCheaper() {
    Precision f32 = Precision.FLOAT32;
    Precision f64 = Precision.FLOAT64;
    // Figure 1: p = 40000 >> n = 200, m = 1000: the Gram form, by table lookups in float32
    assertThat(GdTrainer.chooseForm(1000, 200, 200, 40000, 5000, 200, f32)).isEqualTo(Form.DUAL_MASK);
    assertThat(GdTrainer.chooseForm(1000, 200, 200, 40000, 5000, 200, f64)).isEqualTo(Form.DUAL);
    // many-small's width 20: the tables (one set per run) cost more than the lookups save
    assertThat(GdTrainer.chooseForm(20, 100, 100, 2000, 1000, 30, f32)).isEqualTo(Form.DUAL);
    // p < n: the primal form
    assertThat(GdTrainer.chooseForm(20, 1000, 100, 50, 1000, 30, f32)).isEqualTo(Form.PRIMAL);
    // p << n at width 1000: the primal form with the backward product by table lookups (per
    // row and step 2 n p + 3.7 x 7,158 = 66.5 k against the dense 4 n p = 80 k and the dual
    // mask form's 4.3 x 43,840 = 189 k), float32 only
    assertThat(GdTrainer.chooseForm(1000, 400, 100, 50, 1000, 30, f32)).isEqualTo(Form.PRIMAL_MASK);
    assertThat(GdTrainer.chooseForm(1000, 400, 100, 50, 1000, 30, f64)).isEqualTo(Form.PRIMAL);
    // n = 1000 > 512: the tables outgrow L2 and the operation counts double:
    // 400 k + 2 x 3.7 x 54,664 = 805 k against 800 k, the dense form
    assertThat(GdTrainer.cost(Form.PRIMAL_MASK, 1000, 1000, 100, 200, 1, 0))
        .isCloseTo(2.0 * 1000 * 200 + 7.4 * (250 * 208 * (1 + 16.0 / 1000) + 4 * 208 + 1000), within(1e-6));
    assertThat(GdTrainer.chooseForm(1000, 1000, 100, 200, 1000, 30, f32)).isEqualTo(Form.PRIMAL);
    // many-small (m = 20, n = 100, p = 50): 10,000 + 3.7 x 3,236 > 20,000, the dense form
    assertThat(GdTrainer.chooseForm(20, 100, 100, 50, 1000, 50, f32)).isEqualTo(Form.PRIMAL);
    // no steps and no logs: the dual's set-up is pure overhead
    assertThat(GdTrainer.chooseForm(20, 10, 10, 100, 0, 1, f32)).isEqualTo(Form.PRIMAL);
    for (int p : new int[] {10, 100, 1000, 10000}) {
      for (int m : new int[] {20, 1000}) {
        double primal = GdTrainer.cost(Form.PRIMAL, m, 100, 100, p, 200, 30);
        double dual = GdTrainer.cost(Form.DUAL, m, 100, 100, p, 200, 30);
        double mask = GdTrainer.cost(Form.DUAL_MASK, m, 100, 100, p, 200, 30);
        double primalMask = GdTrainer.cost(Form.PRIMAL_MASK, m, 100, 100, p, 200, 30);
        Form cheapest = Form.PRIMAL;
        double best = primal;
        for (Form f : List.of(Form.DUAL, Form.DUAL_MASK, Form.PRIMAL_MASK)) {
          double c = f == Form.DUAL ? dual : f == Form.DUAL_MASK ? mask : primalMask;
          if (c < best) {
            cheapest = f;
            best = c;
          }
        }
        assertThat(GdTrainer.chooseForm(m, 100, 100, p, 200, 30, f32)).isEqualTo(cheapest);
        assertThat(GdTrainer.chooseForm(m, 100, 100, p, 200, 30, f64)).isEqualTo(dual < primal ? Form.DUAL : Form.PRIMAL);
      }
    }
  }

  @Test
  void reportedFlopsFollowTheForms() {
    // p >> n: the dual pack must report (and spend) far fewer flops than the primal one
    Dataset d = new XorClusters(10, 10, 2000, 5.0, 0.0).generate(1, Precision.FLOAT32);
    Net net = new Net(4, 1e-3, 1);
    int steps = 20;
    int[] logs = LogSchedule.of(steps, 12);
    List<Hyper> hypers = List.of(new Hyper(1e-3, 0.0), new Hyper(2e-3, 0.0));
    double primal = GdTrainer.train(d, null, net, hypers, steps, logs, Form.PRIMAL).flops();
    double dual = GdTrainer.train(d, null, net, hypers, steps, logs, Form.DUAL).flops();
    // the primal spends at least its model per state row (k m rows)
    assertThat(primal).isGreaterThanOrEqualTo(2 * 4 * GdTrainer.cost(Form.PRIMAL, 4, 10, 10, 2000, steps, logs.length));
    assertThat(dual).isLessThan(primal / 10);
    assertThat(dual).isPositive();
  }
}

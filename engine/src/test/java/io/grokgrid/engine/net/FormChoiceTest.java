package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(GdTrainer.cost(Form.PRIMAL, n, nt, p, steps, logs)).isEqualTo(primal);
    assertThat(GdTrainer.cost(Form.DUAL, n, nt, p, steps, logs)).isEqualTo(dual);
  }

  @Test
  void chooseFormPicksTheCheaper() {
    // Figure 1: p = 40000 >> n = 200: the Gram form
    assertThat(GdTrainer.chooseForm(200, 200, 40000, 50, 51)).isEqualTo(Form.DUAL);
    // p < n: the primal form
    assertThat(GdTrainer.chooseForm(1000, 100, 50, 1000, 30)).isEqualTo(Form.PRIMAL);
    // no steps and no logs: the dual's set-up is pure overhead
    assertThat(GdTrainer.chooseForm(10, 10, 100, 0, 1)).isEqualTo(Form.PRIMAL);
    for (int p : new int[] {10, 100, 1000, 10000}) {
      double primal = GdTrainer.cost(Form.PRIMAL, 100, 100, p, 200, 30);
      double dual = GdTrainer.cost(Form.DUAL, 100, 100, p, 200, 30);
      assertThat(GdTrainer.chooseForm(100, 100, p, 200, 30)).isEqualTo(dual < primal ? Form.DUAL : Form.PRIMAL);
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
    assertThat(primal).isGreaterThanOrEqualTo(2 * 4 * GdTrainer.cost(Form.PRIMAL, 10, 10, 2000, steps, logs.length));
    assertThat(dual).isLessThan(primal / 10);
    assertThat(dual).isPositive();
  }
}

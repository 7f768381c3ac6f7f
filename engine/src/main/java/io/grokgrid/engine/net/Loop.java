package io.grokgrid.engine.net;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.RunResult;
import java.util.ArrayList;
import java.util.Arrays;
import io.grokgrid.engine.Metrics;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GD loop of one pack: forward pass, divergence check, metrics at logged steps, loss
 * derivative, backward pass, state update. One instance per {@link GdTrainer#train} call.
 */
final class Loop {
  private final Pack pk;
  private final List<Hyper> hypers;
  private final int steps;
  private final int[] logSteps;
  private final int k;
  private final int n;
  private final double[] y;
  private final double[] yTestClean;
  private final double[] yTestNoisy;
  private final State state;
  private final Form form;
  private final double[] coef;
  private final double[] shrink;
  /** -coef[r] / n, the factor of run r's loss derivatives. */
  private final double[] scaled;
  private final boolean float32;
  private final LossDerivative derivative = LossDerivative.best();

  private final Metrics<NetStep> metrics;
  private final double signal;
  private final Span span;
  private final double[] a;
  private final double[][] kktStart;

  Loop(Dataset d, Gram gram, Net net, List<Hyper> hypers, int steps, int[] logSteps, Form form,
      Metrics<NetStep> metrics, double signal, Span span) {
    this.pk = new Pack(d, net, hypers);
    this.metrics = metrics;
    this.signal = signal;
    this.span = !NetFamily.needsSpan(metrics) ? null : span != null ? span : Span.of(d.xTrain());
    this.a = net.outputWeights();
    this.kktStart = new double[hypers.size()][];
    boolean g0 = NetFamily.needsWeightGram(metrics);
    this.hypers = List.copyOf(hypers);
    this.steps = steps;
    this.logSteps = logSteps.clone();
    this.form = form;
    this.k = pk.k;
    this.n = pk.n;
    this.y = d.yTrain().toDoubleVector();
    this.yTestClean = d.yTestClean().toDoubleVector();
    this.yTestNoisy = d.yTestNoisy().toDoubleVector();
    this.coef = new double[k];
    this.shrink = new double[k];
    this.scaled = new double[k];
    this.float32 = pk.type == org.nd4j.linalg.api.buffer.DataType.FLOAT;
    for (int r = 0; r < k; r++) {
      coef[r] = hypers.get(r).stepSize();
      shrink[r] = hypers.get(r).shrink();
    }
    this.state = switch (form) {
      case PRIMAL -> new PrimalState(pk, this.span);
      case PRIMAL_MASK -> new PrimalState(pk, this.span, MaskKernel.best());
      case DUAL -> new DualState(pk, gram == null ? Gram.of(d) : gram, g0 ? this.span : null);
      case DUAL_MASK -> new MaskDualState(pk, gram == null ? Gram.of(d) : gram, MaskKernel.best(),
          g0 ? this.span : null);
    };
  }

  PackResult run() {
    Curve.Builder[] curves = metrics.builders(k, logSteps.length);
    boolean[] alive = new boolean[k];
    Arrays.fill(alive, true);
    int[] stepsDone = new int[k];
    String[] detail = new String[k];
    int liveCount = k;
    double[] f = new double[k * n];
    double[] g = new double[k * n];
    double[] blockSum = new double[k];
    int li = 0;
    for (int t = 0; t <= steps && liveCount > 0; t++) {
      state.trainOutputs(f, blockSum);
      for (int r = 0; r < k; r++) {
        if (alive[r] && !Double.isFinite(blockSum[r])) {
          alive[r] = false;
          liveCount--;
          stepsDone[r] = t;
          detail[r] = "non-finite training outputs or weights at step " + t;
          state.zero(r);
          coef[r] = 0.0;
          shrink[r] = 1.0;
          Arrays.fill(f, r * n, (r + 1) * n, 0.0);
        }
      }
      if (li < logSteps.length && t == logSteps[li]) {
        log(t, f, alive, curves);
        li++;
      }
      if (t == steps || liveCount == 0) {
        break;
      }
      outputGradient(f, g);
      state.step(g, shrink);
    }
    List<RunResult> out = new ArrayList<>(k);
    for (int r = 0; r < k; r++) {
      Curve c = curves[r].build();
      out.add(alive[r] ? RunResult.ok(hypers.get(r), c, steps)
          : RunResult.diverged(hypers.get(r), c, stepsDone[r], detail[r]));
    }
    return new PackResult(form, out, state.flops());
  }

  /**
   * g[r, i] = step size of run r times dL/df_i = -(1/n) y_i sigmoid(-y_i f_i). Float32 packs
   * round it to float ({@link LossDerivative}: their states read it as float, and the vector
   * version's exponentials are ~5x cheaper); float64 packs keep it whole.
   */
  private void outputGradient(double[] f, double[] g) {
    for (int r = 0; r < k; r++) {
      scaled[r] = -coef[r] / n;
    }
    if (float32) {
      derivative.float32(f, y, scaled, k, n, g);
      return;
    }
    for (int r = 0; r < k; r++) {
      // one division per example, not two
      double c = scaled[r];
      for (int i = 0; i < n; i++) {
        double z = y[i] * f[r * n + i];
        g[r * n + i] = c * y[i] / (1.0 + Math.exp(z));
      }
    }
  }

  /** The loss gradient at W = w (m x p), through the same passes as a training step. */
  INDArray gradientAt(INDArray w) {
    PrimalState primal = (PrimalState) state;
    primal.w.assign(w);
    double[] f = new double[n];
    double[] g = new double[n];
    primal.trainOutputs(f, new double[1]);
    outputGradient(f, g);
    return Nd4j.gemm(primal.derivative(g, shrink), pk.d.xTrain(), false, false);
  }


  /** Records every declared metric of the live runs at logged step t. */
  private void log(int t, double[] f, boolean[] alive, Curve.Builder[] curves) {
    double[] ft = new double[k * pk.nt];
    pk.passes.forward(state.testPre(), pk.nt, ft, new double[k], false);
    NetGeometry geometry = span == null ? null
        : new NetGeometry(k, pk.m, n, pk.nt, a, pk.net.leak(), signal, span, state, kktStart);
    NetStep view = new NetStep(n, pk.nt, f, ft, state.weightNormSq(), y, yTestClean, yTestNoisy,
        geometry);
    for (int r = 0; r < k; r++) {
      if (alive[r]) {
        metrics.record(view, r, t, curves[r]);
      }
      if (geometry != null) {
        geometry.release(r);
      }
    }
  }
}

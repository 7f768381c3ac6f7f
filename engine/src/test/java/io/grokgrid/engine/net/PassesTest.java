package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The elementwise passes against a direct computation: the outputs and the loss-derivative matrix
 * D read the pre-activations the last keeping forward pass was given (not a test-set pass made
 * between), and the mask forms' loaded rows are those pre-activations.
 */
class PassesTest {
  @ParameterizedTest
  @ValueSource(ints = {4, 5})
  void backwardAndLoadedRowsReadTheKeptPreActivations(int m) {
    // m even and odd: the forward pass takes hidden units two at a time
    int k = 3;
    int n = 9;
    int nt = 5;
    SplittableRandom rnd = new SplittableRandom(8);
    double[] a = new double[m];
    for (int j = 0; j < m; j++) {
      a[j] = (j % 2 == 0 ? 1 : -1) / Math.sqrt(m);
    }
    for (double leak : new double[] {0.0, 0.1}) {
      Passes passes = Passes.of(DataType.FLOAT, k, m, n, a, leak);
      float[] pv = new float[k * m * n];
      for (int q = 0; q < pv.length; q++) {
        pv[q] = (float) rnd.nextGaussian();
      }
      INDArray pre = Nd4j.create(pv, new long[] {(long) k * m, n}, 'c');
      double[] f = new double[k * n];
      double[] sums = new double[k];
      passes.forward(pre, n, f, sums, true);
      // a test-set pass in between, as at a logged step
      INDArray test = Nd4j.rand(DataType.FLOAT, (long) k * m, nt).subi(0.5);
      passes.forward(test, nt, new double[k * nt], new double[k], false);
      double[] g = new double[k * n];
      for (int q = 0; q < g.length; q++) {
        g[q] = rnd.nextGaussian() * 1e-3;
      }
      INDArray d = Nd4j.create(DataType.FLOAT, (long) k * m, n);
      passes.backward(g, new double[] {1.0, 1.0, 1.0}, false, d);
      float[] dv = d.data().asFloat();
      for (int j = 0; j < m; j++) {
        assertThat(passes.loadedRow(j)).containsExactly(java.util.Arrays.copyOfRange(pv, j * k * n, (j + 1) * k * n));
        for (int r = 0; r < k; r++) {
          for (int i = 0; i < n; i++) {
            int at = (j * k + r) * n + i;
            float slope = pv[at] > 0 ? 1f : (float) leak;
            assertThat(dv[at]).as("leak %s D[%d,%d]", leak, j * k + r, i)
                .isEqualTo((float) a[j] * (float) g[r * n + i] * slope);
          }
        }
      }
      for (int r = 0; r < k; r++) {
        assertThat(sums[r]).isZero();
        for (int i = 0; i < n; i++) {
          float out = 0f;
          for (int j = 0; j < m; j++) {
            float x = pv[(j * k + r) * n + i];
            out += (float) a[j] * (x > 0 ? x : (float) leak * x);
          }
          // the same float operations in the same order (units j = 0 .. m - 1): equal exactly
          assertThat(f[r * n + i]).isEqualTo((double) out);
        }
      }
    }
  }

  @Test
  void backwardClearingGivesTheSameDAndZeroesWhatItRead() {
    int k = 3;
    int m = 5;
    int n = 7;
    SplittableRandom rnd = new SplittableRandom(21);
    double[] a = new double[m];
    for (int j = 0; j < m; j++) {
      a[j] = (j % 2 == 0 ? 1 : -1) / Math.sqrt(m);
    }
    double[] g = new double[k * n];
    for (int q = 0; q < g.length; q++) {
      g[q] = rnd.nextGaussian() * 1e-2;
    }
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (double leak : new double[] {0.0, 0.2}) {
        double[] pv = new double[k * m * n];
        for (int q = 0; q < pv.length; q++) {
          pv[q] = rnd.nextGaussian();
        }
        INDArray pre = Nd4j.create(pv, new long[] {(long) k * m, n}, 'c').castTo(type);
        INDArray same = pre.dup();
        Passes plain = Passes.of(type, k, m, n, a, leak);
        plain.forward(same, n, new double[k * n], new double[k], true);
        INDArray d = Nd4j.create(type, (long) k * m, n);
        plain.backward(g, new double[] {1.0, 1.0, 1.0}, false, d);

        Passes clearing = Passes.of(type, k, m, n, a, leak);
        clearing.forward(pre, n, new double[k * n], new double[k], true);
        INDArray dc = Nd4j.create(type, (long) k * m, n);
        boolean zeroed = clearing.backwardClearing(g, dc);
        assertThat(dc.data().asDouble()).as("%s leak %s", type, leak).containsExactly(d.data().asDouble());
        if (type == DataType.FLOAT) {
          assertThat(zeroed).isTrue();
          assertThat(pre.data().asDouble()).containsOnly(0.0);
          // what was zeroed is no longer this step's pre-activations
          org.assertj.core.api.Assertions.assertThatThrownBy(() -> clearing.loadedRow(0))
              .isInstanceOf(IllegalStateException.class);
        } else {
          assertThat(zeroed).isFalse();
          assertThat(pre.data().asDouble()).containsExactly(same.data().asDouble());
        }
      }
    }
  }

  @Test
  void anOverflowingOutputMarksItsRunNonFinite() {
    // every pre-activation finite, the outputs' float sum overflows for run 1 only
    int k = 2;
    int m = 2;
    int n = 3;
    double[] a = {1.0, 1.0};
    float[] pv = new float[k * m * n];
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < n; i++) {
        pv[(j * k + 1) * n + i] = 3e38f;
        pv[(j * k) * n + i] = 1f;
      }
    }
    Passes passes = Passes.of(DataType.FLOAT, k, m, n, a);
    double[] sums = new double[k];
    passes.forward(Nd4j.create(pv, new long[] {(long) k * m, n}, 'c'), n, new double[k * n], sums, true);
    assertThat(sums[0]).isZero();
    assertThat(sums[1]).isNaN();
  }
}

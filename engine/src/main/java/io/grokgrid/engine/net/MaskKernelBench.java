package io.grokgrid.engine.net;

import io.grokgrid.engine.MathThreads;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times one dual step of one run (m hidden units, n training examples, float32, one thread) both
 * ways: the mask kernel's fused step, and the dense step it replaces (the GEMM D K through
 * OpenBLAS plus the elementwise passes that make D and the outputs). Effective GFLOP/s count the
 * dense product's 2 m n^2 flops for both. For {@code grokgrid bench mask-kernel}.
 */
public final class MaskKernelBench {
  private MaskKernelBench() {}

  /** Times each way for about {@code seconds} (after a warm-up of the same length). */
  public static Map<String, Object> measure(int m, int n, double seconds) {
    MathThreads.pin(1);
    SplittableRandom rng = new SplittableRandom(m * 31L + n);
    MaskRun run = new MaskRun(m, n);
    float[] k = new float[n * run.stride];
    float[] g = new float[run.stride];
    double[] a = new double[m];
    float[] af = new float[m];
    for (int j = 0; j < m; j++) {
      a[j] = (rng.nextBoolean() ? 1 : -1) / Math.sqrt(m);
      af[j] = (float) a[j];
      for (int i = 0; i < n; i++) {
        run.p[j * run.stride + i] = (float) rng.nextGaussian();
      }
    }
    for (int i = 0; i < n; i++) {
      g[i] = (float) (rng.nextGaussian() * 1e-6);
      for (int c = 0; c < n; c++) {
        k[i * run.stride + c] = (float) rng.nextGaussian();
      }
    }
    MaskKernel kernel = MaskKernel.best();
    float[] tab = new float[MaskKernel.tableSize(n)];
    float[] u = new float[run.stride];
    Runnable mask = () -> {
      kernel.step(run, af, 0f, k, g, 1f, tab, u);
      run.swapBits();
    };
    INDArray kNd = Nd4j.rand(DataType.FLOAT, n, n);
    INDArray p = Nd4j.rand(DataType.FLOAT, m, n).subi(0.5);
    INDArray d = Nd4j.create(DataType.FLOAT, m, n);
    Passes passes = Passes.of(DataType.FLOAT, 1, m, n, a);
    double[] f = new double[n];
    double[] gd = new double[n];
    for (int i = 0; i < n; i++) {
      gd[i] = g[i];
    }
    double[] sums = new double[1];
    double[] shrink = {1.0};
    Runnable gemm = () -> Blas.gemm(d, kNd, p, false, false, -1.0, 1.0);
    Runnable dense = () -> {
      passes.forward(p, n, f, sums, true);
      passes.backward(gd, shrink, true, d);
      Blas.gemm(d, kNd, p, false, false, -1.0, 1.0);
    };
    double flops = 2.0 * m * n * n;
    double tMask = seconds(mask, seconds);
    double tGemm = seconds(gemm, seconds);
    double tDense = seconds(dense, seconds);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("m", m);
    out.put("n", n);
    out.put("kernel", kernel.name());
    out.put("mask_step_ms", round(tMask * 1e3));
    out.put("mask_gflop_per_s", round(flops / tMask / 1e9));
    out.put("dense_gemm_ms", round(tGemm * 1e3));
    out.put("dense_gemm_gflop_per_s", round(flops / tGemm / 1e9));
    out.put("dense_step_ms", round(tDense * 1e3));
    out.put("dense_step_gflop_per_s", round(flops / tDense / 1e9));
    out.put("speedup_vs_dense_step", round(tDense / tMask));
    return out;
  }

  /**
   * Times the primal form's backward update of one run (m hidden units, n training examples,
   * p inputs, float32, one thread) both ways: the mask kernel's {@link MaskKernel#update} (with
   * the mask bits and the copy of W back to ND4J that the primal mask step makes), and the dense
   * one (the elementwise pass that makes D, then the GEMM W <- W - D X). Effective GFLOP/s count
   * the dense product's 2 m n p flops for both.
   */
  public static Map<String, Object> measurePrimal(int m, int n, int p, double seconds) {
    MathThreads.pin(1);
    SplittableRandom rng = new SplittableRandom(m * 131L + n * 7L + p);
    int xs = (p + MaskRun.PAD - 1) / MaskRun.PAD * MaskRun.PAD;
    int words = (n + 63) / 64;
    double[] a = new double[m];
    float[] af = new float[m];
    for (int j = 0; j < m; j++) {
      a[j] = (rng.nextBoolean() ? 1 : -1) / Math.sqrt(m);
      af[j] = (float) a[j];
    }
    INDArray x = Nd4j.rand(DataType.FLOAT, n, p).subi(0.5);
    INDArray w = Nd4j.rand(DataType.FLOAT, m, p).subi(0.5);
    INDArray pre = Nd4j.rand(DataType.FLOAT, m, n).subi(0.5);
    INDArray d = Nd4j.create(DataType.FLOAT, m, n);
    float[] xj = new float[n * xs];
    float[] xf = x.data().asFloat();
    for (int i = 0; i < n; i++) {
      System.arraycopy(xf, i * p, xj, i * xs, p);
    }
    float[] wj = new float[m * xs];
    double[] g = new double[n];
    float[] gf = new float[n];
    for (int i = 0; i < n; i++) {
      g[i] = rng.nextGaussian() * 1e-6;
      gf[i] = (float) g[i];
    }
    Passes passes = Passes.of(DataType.FLOAT, 1, m, n, a);
    passes.forward(pre, n, new double[n], new double[1], true);
    long[] bits = new long[m * words];
    float[] tab = new float[MaskKernel.tableSize(n)];
    float[] u = new float[xs];
    MaskKernel kernel = MaskKernel.best();
    java.nio.FloatBuffer wBuf = w.data().asNioFloat();
    Runnable mask = () -> {
      for (int j = 0; j < m; j++) {
        kernel.maskBits(passes.loadedRow(j), 0, n, bits, j * words);
      }
      kernel.update(bits, words, m, n, af, 0f, xj, xs, gf, 1f, wj, 0, xs, tab, u);
      for (int row = 0; row < m; row++) {
        wBuf.put(row * p, wj, row * xs, p);
      }
    };
    double[] shrink = {1.0};
    Runnable dense = () -> {
      passes.backward(g, shrink, false, d);
      Blas.gemm(d, x, w, false, false, -1.0, 1.0);
    };
    double flops = 2.0 * m * n * p;
    double tMask = seconds(mask, seconds);
    double tDense = seconds(dense, seconds);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("m", m);
    out.put("n", n);
    out.put("p", p);
    out.put("mask_update_ms", round(tMask * 1e3));
    out.put("mask_gflop_per_s", round(flops / tMask / 1e9));
    out.put("dense_update_ms", round(tDense * 1e3));
    out.put("dense_gflop_per_s", round(flops / tDense / 1e9));
    out.put("speedup_vs_dense", round(tDense / tMask));
    return out;
  }

  /** Seconds per call: warm up for {@code budget} seconds, then average over as long again. */
  private static double seconds(Runnable r, double budget) {
    long end = System.nanoTime() + (long) (budget * 1e9);
    while (System.nanoTime() < end) {
      r.run();
    }
    int calls = 0;
    long t0 = System.nanoTime();
    end = t0 + (long) (budget * 1e9);
    long t;
    do {
      r.run();
      calls++;
      t = System.nanoTime();
    } while (t < end);
    return (t - t0) / 1e9 / calls;
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}

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

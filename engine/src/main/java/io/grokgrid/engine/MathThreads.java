package io.grokgrid.engine;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Pins ND4J's math threads (its OpenMP pool and OpenBLAS). Inside a Spark task one thread per
 * task core is right: Spark already runs one task per core, and a second level of threads would
 * oversubscribe them. Set {@code OMP_NUM_THREADS} and {@code OPENBLAS_NUM_THREADS} in the
 * environment too, so the native pools start at that size.
 */
public final class MathThreads {
  private MathThreads() {}

  /** Sets ND4J's and OpenBLAS's thread counts for this JVM; threads >= 1. */
  public static synchronized void pin(int threads) {
    Check.intIn("math_threads", threads, 1, 4096);
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }
}

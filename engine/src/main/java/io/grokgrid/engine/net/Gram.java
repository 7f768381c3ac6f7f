package io.grokgrid.engine.net;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inner products of a data set's inputs, computed once per data set and shared by every run
 * trained in the dual form on it.
 *
 * @param train K = X X^T, n x n
 * @param trainTest X X_test^T, n x n_test
 */
public record Gram(INDArray train, INDArray trainTest) {
  /** Computes both products (2 n (n + n_test) p flops). */
  public static Gram of(Dataset d) {
    INDArray x = d.xTrain();
    return new Gram(Nd4j.gemm(x, x, false, true), Nd4j.gemm(x, d.xTest(), false, true));
  }
}

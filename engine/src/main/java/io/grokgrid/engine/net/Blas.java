package io.grokgrid.engine.net;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * C = alpha op(A) op(B) + beta C straight through OpenBLAS's cblas_sgemm / cblas_dgemm on the
 * arrays' native memory. {@code Nd4j.gemm} runs the same BLAS routine but as an ND4J custom op:
 * an op context, shape buffers and deallocator entries per call, shared state two training
 * threads then contend on. At many-small's size (three GEMMs of ~10 M multiply-adds per step)
 * that machinery costs about as much as the arithmetic's tail. Arrays that are not dense,
 * c-ordered, offset-free float or double (views, say) go through {@code Nd4j.gemm} instead.
 */
final class Blas {
  private Blas() {}

  private static boolean plain(INDArray x, DataType type) {
    return x.dataType() == type && !x.isView() && x.ordering() == 'c' && x.offset() == 0
        && x.rank() == 2;
  }

  /** C = alpha op(A) op(B) + beta C, with op the transpose where asked. */
  static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB,
      double alpha, double beta) {
    DataType t = c.dataType();
    if (!(t == DataType.FLOAT || t == DataType.DOUBLE) || !plain(a, t) || !plain(b, t) || !plain(c, t)) {
      Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
      return;
    }
    int m = (int) c.rows();
    int n = (int) c.columns();
    int k = (int) (transA ? a.rows() : a.columns());
    if ((transA ? a.columns() : a.rows()) != m || (transB ? b.rows() : b.columns()) != n
        || (transB ? b.columns() : b.rows()) != k) {
      throw new IllegalArgumentException("gemm shapes do not match: " + a.shapeInfoToString()
          + " x " + b.shapeInfoToString() + " -> " + c.shapeInfoToString());
    }
    int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int lda = (int) a.columns();
    int ldb = (int) b.columns();
    if (t == DataType.FLOAT) {
      openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, (float) alpha,
          new FloatPointer(a.data().addressPointer()), lda,
          new FloatPointer(b.data().addressPointer()), ldb, (float) beta,
          new FloatPointer(c.data().addressPointer()), n);
    } else {
      openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, alpha,
          new DoublePointer(a.data().addressPointer()), lda,
          new DoublePointer(b.data().addressPointer()), ldb, beta,
          new DoublePointer(c.data().addressPointer()), n);
    }
  }
}

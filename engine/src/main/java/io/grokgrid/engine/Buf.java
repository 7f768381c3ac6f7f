package io.grokgrid.engine;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to the native memory of a dense, c-ordered ND4J array without copying. The
 * trainer's elementwise passes run through this in plain Java: one fused loop over an m x n
 * matrix costs less than the dozen ND4J calls it replaces, whose per-call overhead dominates at
 * these sizes.
 */
abstract class Buf {
  abstract double get(int i);

  abstract void set(int i, double v);

  static Buf of(INDArray a) {
    if (a.isView() || a.ordering() != 'c' || a.offset() != 0) {
      throw new IllegalArgumentException("Buf needs a dense c-ordered array, got " + a.shapeInfoToString());
    }
    if (a.dataType() == DataType.FLOAT) {
      return new F32(a.data().asNioFloat());
    }
    if (a.dataType() == DataType.DOUBLE) {
      return new F64(a.data().asNioDouble());
    }
    throw new IllegalArgumentException("Buf supports FLOAT and DOUBLE, got " + a.dataType());
  }

  private static final class F32 extends Buf {
    private final FloatBuffer b;

    F32(FloatBuffer b) {
      this.b = b;
    }

    @Override
    double get(int i) {
      return b.get(i);
    }

    @Override
    void set(int i, double v) {
      b.put(i, (float) v);
    }
  }

  private static final class F64 extends Buf {
    private final DoubleBuffer b;

    F64(DoubleBuffer b) {
      this.b = b;
    }

    @Override
    double get(int i) {
      return b.get(i);
    }

    @Override
    void set(int i, double v) {
      b.put(i, v);
    }
  }
}

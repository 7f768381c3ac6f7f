package io.grokgrid.engine.net;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReluSlopes} on the JDK's Vector API (incubating in Java 17: needs
 * {@code --add-modules jdk.incubator.vector}); loaded by {@link ReluSlopes#best} only when that
 * module is present. The slope is chosen by lane masks (p > 0: 1; p NaN: NaN; else leak), the
 * tail of a stretch the scalar way.
 */
final class VectorReluSlopes extends ReluSlopes {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  @Override
  void scale(float[] p, float a, float[] g, float leak, float[] d, int len) {
    FloatVector one = FloatVector.broadcast(F, 1f);
    FloatVector lk = FloatVector.broadcast(F, leak);
    FloatVector nan = FloatVector.broadcast(F, Float.NaN);
    int upper = F.loopBound(len);
    int q = 0;
    for (; q < upper; q += F.length()) {
      FloatVector x = FloatVector.fromArray(F, p, q);
      VectorMask<Float> positive = x.compare(VectorOperators.GT, 0f);
      VectorMask<Float> unordered = x.compare(VectorOperators.NE, x);
      FloatVector slope = lk.blend(one, positive).blend(nan, unordered);
      FloatVector.fromArray(F, g, q).mul(a).mul(slope).intoArray(d, q);
    }
    for (; q < len; q++) {
      float x = p[q];
      float slope = x > 0f ? 1f : x != x ? Float.NaN : leak;
      d[q] = a * g[q] * slope;
    }
  }

  @Override
  String name() {
    return "vector-" + F.vectorBitSize();
  }
}

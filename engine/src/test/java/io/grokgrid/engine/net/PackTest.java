package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-run row scaling of a pack's state (the weight decay's shrink when runs differ in it)
 * against ND4J's broadcast multiply by the per-row column, and the row norms against ND4J's
 * {@code norm2(1)}, both of which they replaced: equal bit for bit in both precisions, over values
 * that round differently (subnormals, huge, +-0, NaN, +-Inf).
 */
class PackTest {
  private static Pack pack(Precision precision, int k) {
    Dataset d = new XorClusters(7, 5, 3, 1.0, 0.1).generate(11, precision);
    List<Hyper> hypers = new ArrayList<>();
    for (int r = 0; r < k; r++) {
      hypers.add(new Hyper(0.1, 0.01 * r));
    }
    return new Pack(d, new Net(4, 0.1, 3), hypers);
  }

  private static INDArray awkward(DataType type, long rows, long cols, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE * 3, Double.MIN_VALUE * 7, 3.4e38, -1.7e308, 1e-40};
    double[] v = new double[(int) (rows * cols)];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 5 == 0 ? special[rnd.nextInt(special.length)] : rnd.nextGaussian() * Math.exp(rnd.nextDouble(-30, 30));
    }
    return Nd4j.create(v, new long[] {rows, cols}, 'c').castTo(type);
  }

  @Test
  void scaleRowsEqualsTheBroadcastMultiplyBitForBit() {
    for (Precision precision : Precision.values()) {
      for (int k : new int[] {1, 3, 10}) {
        Pack pk = pack(precision, k);
        double[] shrink = new double[k];
        SplittableRandom rnd = new SplittableRandom(k);
        for (int r = 0; r < k; r++) {
          shrink[r] = r == 0 ? 1.0 : r == 1 ? 0.0 : 1.0 - rnd.nextDouble() * 1e-3;
        }
        for (int cols : new int[] {1, 5, 17, 64}) {
          INDArray a = awkward(pk.type, (long) k * pk.m, cols, 31L * k + cols);
          INDArray expected = a.dup().muliColumnVector(pk.perRowColumn(shrink));
          pk.scaleRows(a, shrink);
          assertThat(a.data().asBytes()).as("%s k=%d cols=%d", precision, k, cols)
              .isEqualTo(expected.data().asBytes());
          // the factors change in place (a run diverged: its shrink becomes 1): not a stale copy
          shrink[k - 1] = 0.5;
          INDArray again = expected.dup().muliColumnVector(pk.perRowColumn(shrink));
          pk.scaleRows(expected, shrink);
          assertThat(expected.data().asBytes()).as("%s k=%d cols=%d, changed", precision, k, cols)
              .isEqualTo(again.data().asBytes());
          shrink[k - 1] = k == 1 ? 1.0 : 1.0 - 1e-4;
        }
      }
    }
  }

  @Test
  void rowNormsEqualNd4jsNorm2BitForBit() {
    for (Precision precision : Precision.values()) {
      Pack pk = pack(precision, 2);
      SplittableRandom rnd = new SplittableRandom(5);
      // rows not a multiple of four; rows of ordinary Gaussians at several scales, where the
      // order and precision of the additions show in the last bits, and awkward rows
      for (int[] shape : new int[][] {{1, 1}, {3, 7}, {8, 50}, {13, 64}, {2000, 50}, {6, 4097}}) {
        int rows = shape[0];
        int cols = shape[1];
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
          v[i] = rnd.nextGaussian() * Math.pow(10, (i / cols) % 7 - 3);
        }
        INDArray plain = Nd4j.create(v, new long[] {rows, cols}, 'c').castTo(pk.type);
        for (INDArray a : List.of(plain, awkward(pk.type, rows, cols, rows * 7L + cols))) {
          double[] expected = a.norm2(1).toDoubleVector();
          double[] got = pk.rowNorms(a);
          for (int row = 0; row < rows; row++) {
            assertThat(Double.doubleToLongBits(got[row])).as("%s %dx%d row %d: %s vs ND4J %s",
                precision, rows, cols, row, got[row], expected[row])
                .isEqualTo(Double.doubleToLongBits(expected[row]));
          }
        }
      }
    }
  }
}

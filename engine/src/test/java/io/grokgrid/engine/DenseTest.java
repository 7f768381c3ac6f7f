package io.grokgrid.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Java paths of {@link Dense} against the native ones they stand in for. */
class DenseTest {

  /**
   * Householder + implicit QL against LAPACK's dsyevd on random symmetric matrices (indefinite,
   * positive semi-definite of low rank, diagonal, with repeated eigenvalues) up to the switch:
   * both are backward stable, so they agree to a few eps |A|_2; 1e-12 |A|_F is loose.
   */
  @Test
  void javaEigenvaluesEqualLapacks() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int n : new int[] {1, 2, 3, 7, 20, 33, 64}) {
      for (int kind = 0; kind < 4; kind++) {
        double[] a = new double[n * n];
        int rank = Math.max(1, n / 3);
        double[] b = new double[n * rank];
        for (int i = 0; i < b.length; i++) {
          b[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
          for (int j = 0; j <= i; j++) {
            double v = switch (kind) {
              case 0 -> rng.nextGaussian();
              case 1 -> {
                double s = 0;
                for (int k = 0; k < rank; k++) {
                  s += b[i * rank + k] * b[j * rank + k];
                }
                yield s;
              }
              case 2 -> i == j ? i % 3 : 0.0;
              default -> i == j ? 2.0 : 1.0;
            };
            a[i * n + j] = v;
            a[j * n + i] = v;
          }
        }
        double frob = 0;
        for (double v : a) {
          frob += v * v;
        }
        double[] java = Dense.eigenvaluesOf(a, n);
        double[] lapack = Dense.symmetricEigenvalues(a, n);
        for (int i = 0; i < n; i++) {
          assertThat(java[i]).as("n %d kind %d value %d", n, kind, i)
              .isCloseTo(lapack[i], within(1e-12 * Math.sqrt(frob) + 1e-300));
        }
      }
    }
  }

  /** The two-stage LAPACK route (n >= 500) against the one-stage one. */
  @Test
  void twoStageEigenvaluesEqualOneStage() {
    int n = Dense.TWO_STAGE + 13;
    SplittableRandom rng = new SplittableRandom(8);
    double[] b = rng.doubles((long) n * n).toArray();
    double[] a = new double[n * n];
    Dense.gemm(false, true, n, n, n, 1.0, b, b, 0.0, a);
    double[] two = Dense.symmetricEigenvalues(a, n);
    double[] v = a.clone();
    double[] one = Dense.symmetricEigen(v, n);
    double top = one[n - 1];
    for (int i = 0; i < n; i++) {
      assertThat(two[i]).isCloseTo(one[i], within(1e-12 * top));
    }
  }

  /** The Java loops of {@link Dense#multiply} against cblas_dgemm, all four transpositions. */
  @Test
  void smallProductsEqualBlas() {
    SplittableRandom rng = new SplittableRandom(6);
    int m = 7;
    int n = 5;
    int k = 9;
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] a = rng.doubles(m * k).toArray();
        double[] b = rng.doubles(k * n).toArray();
        double[] c1 = rng.doubles(m * n).toArray();
        double[] c2 = c1.clone();
        Dense.multiply(ta, tb, m, n, k, 0.7, a, b, 0.3, c1);
        Dense.gemm(ta, tb, m, n, k, 0.7, a, b, 0.3, c2);
        for (int i = 0; i < m * n; i++) {
          assertThat(c1[i]).isCloseTo(c2[i], within(1e-14));
        }
      }
    }
  }
}

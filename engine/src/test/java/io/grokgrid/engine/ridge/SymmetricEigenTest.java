package io.grokgrid.engine.ridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

  /**
   * The tridiagonal Toeplitz matrix with a on the diagonal and b beside it has eigenvalues
   * a + 2 b cos(k pi / (n + 1)), k = 1..n (closed form). Jacobi stops when the off-diagonal mass
   * is below 1e-32 |A|_F^2, so each eigenvalue is within about 1e-16 |A|_F ~ 1e-14 here (|A|_F < 60
   * at n = 40); 1e-11 leaves a margin for rounding over the sweeps.
   */
  @Test
  void tridiagonalToeplitzMatchesItsClosedForm() {
    int n = 40;
    double a = 2.5;
    double b = -1.2;
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = a;
      if (i + 1 < n) {
        m[i][i + 1] = b;
        m[i + 1][i] = b;
      }
    }
    double[] expected = new double[n];
    for (int k = 1; k <= n; k++) {
      expected[k - 1] = a + 2 * b * Math.cos(k * Math.PI / (n + 1));
    }
    Arrays.sort(expected);
    SymmetricEigen e = SymmetricEigen.of(m);
    for (int i = 0; i < n; i++) {
      assertThat(e.values()[i]).isCloseTo(expected[i], offset(1e-11));
    }
  }

  /** A random Gram matrix is rebuilt from its decomposition and the vectors are orthonormal. */
  @Test
  void reconstructsARandomGramMatrix() {
    int n = 30;
    int p = 20; // rank 20 < 30: ten zero eigenvalues
    SplittableRandom r = new SplittableRandom(3);
    double[][] x = new double[n][p];
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        row[j] = r.nextGaussian();
      }
    }
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int l = 0; l < p; l++) {
          k[i][j] += x[i][l] * x[j][l];
        }
      }
    }
    SymmetricEigen e = SymmetricEigen.of(k);
    double[][] v = e.vectors();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double rebuilt = 0.0;
        double gram = 0.0;
        for (int l = 0; l < n; l++) {
          rebuilt += v[i][l] * e.values()[l] * v[j][l];
          gram += v[l][i] * v[l][j];
        }
        // entries of K are O(p) = O(20); float64 rounding over n terms stays below 1e-11
        assertThat(rebuilt).isCloseTo(k[i][j], offset(1e-10));
        assertThat(gram).isCloseTo(i == j ? 1.0 : 0.0, offset(1e-12));
      }
    }
    for (int i = 0; i < n - p; i++) {
      assertThat(Math.abs(e.values()[i])).isLessThan(1e-10);
    }
    assertThat(e.values()[n - p]).isGreaterThan(1e-3);
  }

  @Test
  void refusesANonSquareMatrix() {
    assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}, {3}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("matrix must be square, got row 1 of length 1 in a 2-row matrix");
  }
}

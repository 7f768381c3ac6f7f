package io.grokgrid.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grokgrid.engine.Curve;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.LogSchedule;
import io.grokgrid.engine.Precision;
import io.grokgrid.engine.RunResult;
import io.grokgrid.engine.Seeds;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Same seeds, same numbers (bit for bit); other seeds, other numbers; seed derivation is pinned. */
class DeterminismTest {
  private static final XorClusters TASK = new XorClusters(16, 20, 40, 4.0, 0.1);
  private static final List<Hyper> HYPERS = List.of(new Hyper(0.01, 0.0), new Hyper(0.02, 0.1));
  private static final int STEPS = 15;
  private static final int[] LOGS = LogSchedule.of(STEPS, 12);

  private static List<Curve> curves(long dataSeed, long initSeed, Form form, Precision precision) {
    Dataset d = TASK.generate(dataSeed, precision);
    Net net = new Net(8, 0.1, initSeed);
    return GdTrainer.train(d, null, net, HYPERS, STEPS, LOGS, form).runs().stream()
        .map(RunResult::curve).toList();
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void sameSeedsGiveBitIdenticalCurves(Form form) {
    for (Precision precision : Precision.values()) {
      if (!form.allows(precision)) {
        continue;
      }
      List<Curve> first = curves(11, 12, form, precision);
      List<Curve> second = curves(11, 12, form, precision);
      // Curve.equals compares every array exactly
      assertThat(second).isEqualTo(first);
      assertThat(first.get(0).length()).isEqualTo(LOGS.length);
    }
  }

  @ParameterizedTest
  @EnumSource(Form.class)
  void anotherDataSeedOrInitSeedGivesAnotherCurve(Form form) {
    List<Curve> base = curves(11, 12, form, Precision.FLOAT32);
    List<Curve> otherData = curves(13, 12, form, Precision.FLOAT32);
    List<Curve> otherInit = curves(11, 14, form, Precision.FLOAT32);
    for (int r = 0; r < HYPERS.size(); r++) {
      assertThat(otherData.get(r)).isNotEqualTo(base.get(r));
      assertThat(otherInit.get(r)).isNotEqualTo(base.get(r));
      // not just a last-bit difference: already the loss at initialization moves
      assertThat(otherData.get(r).trainLoss()[0]).isNotCloseTo(base.get(r).trainLoss()[0],
          within(1e-6));
      assertThat(otherInit.get(r).trainLoss()[0]).isNotCloseTo(base.get(r).trainLoss()[0],
          within(1e-6));
    }
  }

  @Test
  void deriveIsStableAndSeparatesItsParts() {
    assertThat(Seeds.derive(7, "a", 1)).isEqualTo(Seeds.derive(7, "a", 1));
    assertThat(Seeds.derive(7, "a", 1)).isNotEqualTo(Seeds.derive(7, "a", 2));
    assertThat(Seeds.derive(7, "a", 1)).isNotEqualTo(Seeds.derive(8, "a", 1));
    assertThat(Seeds.derive(7, "a", 1)).isNotEqualTo(Seeds.derive(7, "b", 1));
    assertThat(Seeds.derive(7, "a", 1)).isNotEqualTo(Seeds.derive(7, 1, "a"));
    // the separator keeps part boundaries: ("a1") is not ("a", 1)
    assertThat(Seeds.derive(7, "a1")).isNotEqualTo(Seeds.derive(7, "a", 1));
    // integral numbers of any boxed type are the same part
    assertThat(Seeds.derive(7, "a", 1)).isEqualTo(Seeds.derive(7, "a", 1L));
    assertThat(Seeds.derive(7, "a", (short) 1)).isEqualTo(Seeds.derive(7, "a", 1L));
  }

  @Test
  void doublesAreCanonicalizedToTheirShortestRoundTripText() {
    // a value read from a spec as "1e-12" and one written as 1.0E-12 are the same seed part
    assertThat(Seeds.derive(7, Double.parseDouble("1e-12"))).isEqualTo(Seeds.derive(7, 1.0E-12));
    assertThat(Seeds.derive(7, Double.parseDouble("0.000000000001"))).isEqualTo(Seeds.derive(7, 1e-12));
    assertThat(Seeds.canonical(1e-12)).isEqualTo("1.0E-12");
    assertThat(Seeds.derive(7, 1e-12)).isEqualTo(Seeds.derive(7, "1.0E-12"));
    assertThat(Seeds.derive(7, 1e-12)).isNotEqualTo(Seeds.derive(7, 1e-13));
  }

  /**
   * The derivation is part of every stored result's identity: pin it to an independent SHA-256
   * of the documented text (parent, then 0x1f and each part) and to a literal.
   */
  @Test
  void deriveIsTheDocumentedSha256Prefix() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest("7\u001fa\u001f1".getBytes(StandardCharsets.UTF_8));
    long expected = ByteBuffer.wrap(digest, 0, 8).getLong();
    assertThat(Seeds.derive(7, "a", 1)).isEqualTo(expected).isEqualTo(6278540509412467596L);
    assertThat(Seeds.hex("grokgrid", 8)).isEqualTo("1f2c61d450bd3e7b");
  }

  @Test
  void initialWeightsFollowTheDocumentedChunkSeeds() {
    // p = 2500 spans three chunks, the last one partial
    Net net = new Net(3, 0.7, 42);
    int dim = 2500;
    double[][] expected = Reference.initialWeights(net, dim);
    double[][] w64 = net.initialWeights(dim, DataType.DOUBLE).toDoubleMatrix();
    for (int j = 0; j < 3; j++) {
      assertThat(w64[j]).containsExactly(expected[j]);
    }
    float[][] w32 = net.initialWeights(dim, DataType.FLOAT).toFloatMatrix();
    for (int j = 0; j < 3; j++) {
      for (int l = 0; l < dim; l++) {
        assertThat(w32[j][l]).isEqualTo((float) expected[j][l]);
      }
    }
    assertThat(Net.chunks(dim)).isEqualTo(3);
    assertThat(Net.chunks(Net.CHUNK)).isEqualTo(1);
    assertThat(Net.chunks(Net.CHUNK + 1)).isEqualTo(2);
    // a full chunk depends only on its own seed: at p = 2048 the two full chunks are the first
    // 2048 columns of the p = 2500 matrix
    double[][] narrow = net.initialWeights(2 * Net.CHUNK, DataType.DOUBLE).toDoubleMatrix();
    for (int j = 0; j < 3; j++) {
      assertThat(narrow[j]).containsExactly(Arrays.copyOf(expected[j], 2 * Net.CHUNK));
    }
    assertThat(net.initialChunk(dim, 2, DataType.DOUBLE).shape()).containsExactly(3, dim - 2 * Net.CHUNK);
  }

  @Test
  void outputWeightsAreSignsOverRootWidthFromTheirOwnSeed() {
    Net net = new Net(400, 1e-15, 5);
    double[] a = net.outputWeights();
    assertThat(a).containsExactly(Reference.outputWeights(net));
    double mag = 1.0 / Math.sqrt(400);
    assertThat(Reference.boxed(a)).allMatch(v -> v == mag || v == -mag);
    long positive = Arrays.stream(a).filter(v -> v > 0).count();
    // Binomial(400, 1/2): mean 200, sd 10; 5 sd
    assertThat(positive).isBetween(150L, 250L);
    // the init scale does not enter the output weights
    assertThat(new Net(400, 3.0, 5).outputWeights()).containsExactly(a);
  }
}

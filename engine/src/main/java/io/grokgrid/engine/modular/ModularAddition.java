package io.grokgrid.engine.modular;

import io.grokgrid.engine.Check;
import io.grokgrid.engine.Seeds;
import io.grokgrid.vocab.Columns;
import java.util.SplittableRandom;

/**
 * The modular-addition task of Power et al. 2022 ("Grokking: generalization beyond overfitting on
 * small algorithmic datasets"), as used with MLPs by Gromov 2023 and Liu et al. 2022
 * (README, "Task `modular-addition`").
 *
 * <p>The examples are all q^2 pairs (a, b) in Z_q x Z_q with clean label (a + b) mod q. A random
 * {@code train_fraction} of the pairs (round(train_fraction * q^2) of them) is the training set,
 * the others the test set. With label-noise rate eta each example's observed label is, with
 * probability eta, replaced by a uniformly random class different from the clean one; training
 * uses the observed labels; both clean and noisy test labels are kept.
 *
 * <p>Seed semantics: {@link #generate} shuffles the pair indices a*q + b with a Fisher-Yates
 * shuffle drawn from {@code Seeds.derive(seed, "split")} and takes the first n_train as the
 * training set (in shuffled order); the label noise of the training set is drawn from
 * {@code Seeds.derive(seed, "noise-train")} and of the test set from
 * {@code Seeds.derive(seed, "noise-test")}, one draw per example in order (a uniform for the flip,
 * then, for flipped ones, the replacement class). So the split does not depend on the noise rate,
 * and with eta = 0 no random number decides a label.
 *
 * @param modulus q >= 2, also the number of classes; the input has 2q one-hot coordinates
 * @param trainFraction fraction of the q^2 pairs used for training, in (0, 1); at least one pair
 *     must land in each of the two sets
 * @param noiseRate eta in [0, 1), the probability that an observed label is replaced by a
 *     uniformly random other class (so it is wrong with probability eta)
 */
record ModularAddition(int modulus, double trainFraction, double noiseRate)
    implements java.io.Serializable {

  /** Largest modulus accepted: q^2 pairs must stay well inside an int array. */
  public static final int MAX_MODULUS = 4096;

  /** Validates every parameter; messages name the spec key. */
  public ModularAddition {
    Check.intIn(Columns.MODULUS, modulus, 2, MAX_MODULUS);
    Check.leftOpen(ModularFamily.TRAIN_FRACTION, trainFraction, 0.0, 1.0);
    Check.halfOpen(Columns.NOISE_RATE, noiseRate, 0.0, 1.0);
    long pairs = (long) modulus * modulus;
    long n = Math.round(trainFraction * pairs);
    if (n < 1 || n >= pairs) {
      throw new IllegalArgumentException("train_fraction must leave at least one pair in the train and"
          + " the test set, got " + Check.num(trainFraction) + " of " + pairs + " pairs (modulus "
          + modulus + ")");
    }
  }

  /** Number of training pairs, round(train_fraction * q^2). */
  public int nTrain() {
    return (int) Math.round(trainFraction * modulus * modulus);
  }

  /** Number of test pairs, q^2 - n_train. */
  public int nTest() {
    return modulus * modulus - nTrain();
  }

  /** The split and the labels drawn from {@code seed} (see the class comment). */
  public ModularData generate(long seed) {
    int q = modulus;
    int pairs = q * q;
    int[] order = new int[pairs];
    for (int i = 0; i < pairs; i++) {
      order[i] = i;
    }
    SplittableRandom split = new SplittableRandom(Seeds.derive(seed, "split"));
    for (int i = pairs - 1; i > 0; i--) {
      int j = split.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    int n = nTrain();
    int nt = pairs - n;
    int[] trainA = new int[n];
    int[] trainB = new int[n];
    int[] trainClean = new int[n];
    int[] testA = new int[nt];
    int[] testB = new int[nt];
    int[] testClean = new int[nt];
    for (int i = 0; i < pairs; i++) {
      int a = order[i] / q;
      int b = order[i] % q;
      if (i < n) {
        trainA[i] = a;
        trainB[i] = b;
        trainClean[i] = (a + b) % q;
      } else {
        testA[i - n] = a;
        testB[i - n] = b;
        testClean[i - n] = (a + b) % q;
      }
    }
    int[] trainLabel = noisy(trainClean, Seeds.derive(seed, "noise-train"));
    int[] testNoisy = noisy(testClean, Seeds.derive(seed, "noise-test"));
    return new ModularData(q, trainA, trainB, trainLabel, trainClean, testA, testB, testClean, testNoisy);
  }

  private int[] noisy(int[] clean, long seed) {
    int[] out = clean.clone();
    if (noiseRate == 0.0) {
      return out;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < out.length; i++) {
      if (rng.nextDouble() < noiseRate) {
        // uniform over the q - 1 other classes
        int other = rng.nextInt(modulus - 1);
        out[i] = other >= clean[i] ? other + 1 : other;
      }
    }
    return out;
  }
}

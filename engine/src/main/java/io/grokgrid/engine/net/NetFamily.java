package io.grokgrid.engine.net;

import io.grokgrid.engine.Family;
import io.grokgrid.engine.Form;
import io.grokgrid.engine.Hyper;
import io.grokgrid.engine.Metric;
import io.grokgrid.engine.Metrics;
import io.grokgrid.engine.PackResult;
import io.grokgrid.engine.Precision;
import io.grokgrid.vocab.Columns;
import io.grokgrid.vocab.Values;
import java.util.List;

/**
 * The two-layer network families: {@code xor-clusters} (Xu et al., arXiv 2310.02541; plain ReLU)
 * and {@code gaussian-mixture} (Frei et al., COLT 2023; leaky ReLU), both trained by
 * {@link GdTrainer} on the mean logistic loss. The data set carries its Gram matrices, formed once
 * on first use by a dual-form pack and shared by the others.
 *
 * @param task the data recipe
 * @param width m, hidden units
 * @param initScale omega, initial weight std
 * @param leak leaky-ReLU slope for negative inputs, in [0, 1) (0: ReLU)
 * @param formChoice {@code auto} (the cheaper by flop count), {@code primal} or {@code dual}
 * @param precision float32 or float64
 */
record NetFamily(BinaryTask task, int width, double initScale, double leak, String formChoice,
    Precision precision) implements Family<NetFamily.Data> {

  /** Validates width, scale, leak and form (the task validated itself). */
  public NetFamily {
    new Net(width, initScale, 0L, leak);
    Form.checkChoice(formChoice);
  }

  /**
   * The metrics both families record at every logged step: the mean logistic loss and the
   * accuracy on the observed training labels, the mean logistic loss on the noisy test labels,
   * the accuracies on the clean and the noisy test labels, and |W|_F.
   */
  static final Metrics<NetStep> METRICS = new Metrics<>(
      Metric.scalar(Columns.TRAIN_LOSS, (s, r) -> NetStep.logisticLoss(s.f(), r, s.n(), s.y())),
      Metric.scalar(Columns.TRAIN_ACC, (s, r) -> NetStep.accuracy(s.f(), r, s.n(), s.y())),
      Metric.scalar(Columns.TEST_LOSS, (s, r) -> NetStep.logisticLoss(s.ft(), r, s.nt(), s.yTestNoisy())),
      Metric.scalar(Columns.TEST_ACC, (s, r) -> NetStep.accuracy(s.ft(), r, s.nt(), s.yTestClean())),
      Metric.scalar(Columns.TEST_ACC_NOISY, (s, r) -> NetStep.accuracy(s.ft(), r, s.nt(), s.yTestNoisy())),
      Metric.scalar(Columns.WEIGHT_NORM, (s, r) -> Math.sqrt(Math.max(0.0, s.weightNormSq()[r]))));

  /** A drawn data set and, once a dual pack needed them, its Gram matrices. */
  public static final class Data implements AutoCloseable {
    private final Dataset dataset;
    private Gram gram;

    /** Frees the data set's and the Gram matrices' native memory; see {@link Dataset#close}. */
    @Override
    public void close() {
      dataset.close();
      if (gram != null) {
        Dataset.release(gram.train(), gram.trainTest());
      }
    }

    Data(Dataset dataset) {
      this.dataset = dataset;
    }

    /** The data set. */
    public Dataset dataset() {
      return dataset;
    }

    Gram gram() {
      if (gram == null) {
        gram = Gram.of(dataset);
      }
      return gram;
    }
  }

  @Override
  public Data generate(long seed) {
    return new Data(task.generate(seed, precision));
  }

  @Override
  public PackResult train(Data data, long initSeed, List<Hyper> hypers, int steps,
      int[] logSteps) {
    Form form = form(steps, logSteps.length);
    Net net = new Net(width, initScale, initSeed, leak);
    return GdTrainer.train(data.dataset(), form == Form.DUAL ? data.gram() : null, net,
        hypers, steps, logSteps, form);
  }

  @Override
  public Form form(int steps, int logs) {
    BinaryTask s = task;
    return formChoice.equals(Values.AUTO)
        ? GdTrainer.chooseForm(s.nTrain(), s.nTest(), s.dim(), steps, logs)
        : Form.parse(formChoice);
  }

  @Override
  public double setupCost() {
    BinaryTask s = task;
    return 2.0 * (s.nTrain() + s.nTest()) * s.dim();
  }

  @Override
  public double runCost(int steps, int logs) {
    BinaryTask s = task;
    return (double) width * GdTrainer.cost(form(steps, logs), s.nTrain(), s.nTest(), s.dim(), steps, logs);
  }

  @Override
  public int rowsPerRun() {
    return width;
  }
}

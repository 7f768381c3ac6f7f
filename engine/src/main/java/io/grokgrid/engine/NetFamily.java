package io.grokgrid.engine;

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
public record NetFamily(BinaryTask task, int width, double initScale, double leak, String formChoice,
    Precision precision) implements Family<NetFamily.Data> {

  /** Validates width, scale, leak and form (the task validated itself). */
  public NetFamily {
    new Net(width, initScale, 0L, leak);
    if (!List.of("auto", "primal", "dual").contains(formChoice)) {
      throw new IllegalArgumentException("form must be one of [auto, primal, dual], got " + formChoice);
    }
  }

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
  public GdTrainer.PackResult train(Data data, long initSeed, List<Hyper> hypers, int steps,
      int[] logSteps) {
    GdTrainer.Form form = form(steps, logSteps.length);
    Net net = new Net(width, initScale, initSeed, leak);
    return GdTrainer.train(data.dataset(), form == GdTrainer.Form.DUAL ? data.gram() : null, net,
        hypers, steps, logSteps, form);
  }

  @Override
  public GdTrainer.Form form(int steps, int logs) {
    BinaryTask s = task;
    return formChoice.equals("auto")
        ? GdTrainer.chooseForm(s.nTrain(), s.nTest(), s.dim(), steps, logs)
        : GdTrainer.Form.parse(formChoice);
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

/**
 * The {@code modular-addition} family (README, "Task `modular-addition`"; Power et al. 2022, Gromov 2023, Liu
 * et al. 2022): one-hot pairs (a, b) in Z_q x Z_q labelled (a + b) mod q, a two-layer ReLU MLP with
 * both layers trained, q-way cross-entropy, full-batch GD or AdamW.
 *
 * <p>Use: {@code ModularData d = new ModularAddition(q, trainFraction, noiseRate).generate(dataSeed);}
 * then {@code List<RunResult> runs = ModularTrainer.train(d, new ModularNet(width,
 * initScale, initSeed), Optimizer.parse("adamw"), hypers, steps, LogSchedule.of(steps, points));}.
 * Each result carries an {@link io.grokgrid.engine.Curve} (train_loss, train_acc, test_loss,
 * test_acc on clean labels, test_acc_noisy, weight_norm of both layers), so
 * {@link io.grokgrid.engine.Grokking#ofClassification} applies unchanged.
 * {@link io.grokgrid.engine.modular.ModularTrainer#cost} estimates flops for batching.
 */
package io.grokgrid.engine.modular;

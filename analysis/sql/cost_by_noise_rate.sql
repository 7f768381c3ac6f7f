-- Cost of overfitting by noise rate (Zhou et al. 2023; regimes after Mallinar et al. 2022):
-- risk of the interpolating model (weight_decay = 0) over the best weight decay's risk, and over
-- the best early-stopping step's risk, with the Bayes risk and the regime.
-- Axes of xor-clusters; for another task replace width, dim, step_size with its parameters.
--   grokgrid sql --file analysis/sql/cost_by_noise_rate.sql results/quickstart
SELECT width, dim, step_size, noise_rate, replicates,
       bayes_risk, risk_interp, risk_best, best_weight_decay, cost,
       risk_best_early_stop, best_stop_step, cost_early_stop, regime
FROM overfitting_cost
ORDER BY width, dim, step_size, noise_rate

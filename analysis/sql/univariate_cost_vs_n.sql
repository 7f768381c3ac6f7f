-- Tempered vs catastrophic (Joshi, Vardi, Srebro 2023) for univariate-regression sweeps: per n,
-- the median over replicates of the L2 and L1 test risks of the final model, as multiples of the
-- Bayes risks for Gaussian noise (sigma^2 for L2, sigma sqrt(2/pi) for L1). Medians, because the
-- per-dataset L2 risk of an interpolant is heavy-tailed (its mean is dominated by rare spikes).
-- The last two columns are the log-log slopes of the median costs over n.
--   grokgrid sql --file analysis/sql/univariate_cost_vs_n.sql results/univariate-min-norm
WITH per_n AS (
  SELECT solver, weight_decay, label_noise_std, n_train, count(*) AS runs,
         percentile(test_loss, 0.5) / (label_noise_std * label_noise_std) AS cost_l2,
         percentile(test_loss_l1, 0.5) / (label_noise_std * sqrt(2 / pi())) AS cost_l1
  FROM runs
  WHERE task = 'univariate-regression' AND status = 'ok' AND label_noise_std > 0
  GROUP BY solver, weight_decay, label_noise_std, n_train
)
SELECT solver, weight_decay, label_noise_std, n_train, runs,
       round(cost_l2, 4) AS median_cost_l2, round(cost_l1, 4) AS median_cost_l1,
       round(regr_slope(ln(cost_l2), ln(n_train)) OVER (PARTITION BY solver, weight_decay, label_noise_std), 4) AS slope_l2,
       round(regr_slope(ln(cost_l1), ln(n_train)) OVER (PARTITION BY solver, weight_decay, label_noise_std), 4) AS slope_l1
FROM per_n
ORDER BY solver, weight_decay, label_noise_std, n_train

-- The cost of overfitting of kernel-ridge sweeps against n (Zhou, Simon, Vardi, Srebro 2023;
-- Mallinar et al. 2022): per group and n, the median over replicates of the per-dataset cost
-- (test risk at weight_decay 0 over the least test risk over the grid's deltas), the cost of
-- the overfitting_cost table (risks averaged over replicates first), the eigenframework's cost
-- (ef_cost of the grokking table) and the log-log slopes of the three over n. Medians, because
-- per-dataset costs are heavy-tailed for fast-decaying spectra.
--   grokgrid sql --file analysis/sql/krr_cost_vs_n.sql results/krr-cost results/gaussian-kernel
-- decay is read only by spectrum power and exp_rate only by exp; both are kept as columns.
WITH per_rep AS (
  SELECT r.sweep, r.design, r.spectrum, r.decay, r.exp_rate, r.target, r.label_noise_std, r.dim, r.bandwidth,
         r.bandwidth_exponent, r.n_train, r.replicate,
         max(CASE WHEN r.weight_decay = 0 THEN r.test_loss END) / min(r.test_loss) AS cost,
         max(CASE WHEN r.weight_decay = 0 THEN r.test_loss END) AS risk_interp,
         avg(g.ef_cost) AS ef_cost
  FROM runs r JOIN grokking g ON r.sweep = g.sweep AND r.run_id = g.run_id
  WHERE r.task = 'kernel-ridge' AND r.status = 'ok'
  GROUP BY r.sweep, r.design, r.spectrum, r.decay, r.exp_rate, r.target, r.label_noise_std, r.dim,
           r.bandwidth, r.bandwidth_exponent, r.n_train, r.replicate
), per_n AS (
  SELECT p.sweep, p.design, p.spectrum, p.decay, p.exp_rate, p.target, p.label_noise_std, p.dim, p.bandwidth,
         p.bandwidth_exponent, p.n_train, count(*) AS replicates,
         percentile(p.cost, 0.5) AS median_cost, avg(p.ef_cost) AS ef_cost,
         percentile(p.risk_interp, 0.5) / (p.label_noise_std * p.label_noise_std) AS median_risk_over_bayes,
         first(o.cost) AS table_cost
  FROM per_rep p JOIN overfitting_cost o
    ON p.sweep = o.sweep AND p.n_train = o.n_train AND p.spectrum = o.spectrum AND p.decay = o.decay
       AND p.exp_rate = o.exp_rate
       AND p.design = o.design AND p.bandwidth = o.bandwidth
       AND p.bandwidth_exponent = o.bandwidth_exponent AND p.target = o.target
  GROUP BY p.sweep, p.design, p.spectrum, p.decay, p.exp_rate, p.target, p.label_noise_std, p.dim, p.bandwidth,
           p.bandwidth_exponent, p.n_train
)
SELECT sweep, design, spectrum, decay, exp_rate, bandwidth, bandwidth_exponent, n_train, replicates,
       round(median_cost, 4) AS median_cost, round(table_cost, 4) AS table_cost,
       round(ef_cost, 4) AS ef_cost, round(median_risk_over_bayes, 4) AS risk_interp_over_bayes,
       round(regr_slope(ln(median_cost), ln(n_train)) OVER w, 4) AS slope_median,
       round(regr_slope(ln(table_cost), ln(n_train)) OVER w, 4) AS slope_table,
       round(regr_slope(ln(ef_cost), ln(n_train)) OVER w, 4) AS slope_ef
FROM per_n
WINDOW w AS (PARTITION BY sweep, design, spectrum, decay, exp_rate, target, bandwidth, bandwidth_exponent)
ORDER BY sweep, design, spectrum, decay, exp_rate, bandwidth, bandwidth_exponent, n_train

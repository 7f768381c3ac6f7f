-- Phase table: per grid point, how many runs land in each phase (after Liu et al. 2022), the
-- most common phase (ties go to the alphabetically first, as on the phase diagram), and the
-- median grokking times in steps.
-- Axes of xor-clusters (noise_rate, width, dim, step_size, weight_decay); for another task
-- replace them with its parameters in SELECT, GROUP BY and ORDER BY.
--   grokgrid sql --file analysis/sql/phase_table.sql results/quickstart
SELECT g.noise_rate, g.width, g.dim, g.step_size, g.weight_decay,
       count(*)                                  AS runs,
       count_if(r.status <> 'ok')                AS not_ok,
       count_if(g.phase = 'comprehension')       AS comprehension,
       count_if(g.phase = 'grokking')            AS grokking,
       count_if(g.phase = 'memorization')        AS memorization,
       count_if(g.phase = 'confusion')           AS confusion,
       mode(g.phase, true)                       AS typical_phase,  -- ties: first alphabetically
       percentile(g.t_fit, 0.5)                  AS median_t_fit,
       percentile(g.t_gen, 0.5)                  AS median_t_gen,
       percentile(g.delay, 0.5)                  AS median_delay
FROM grokking g JOIN runs r ON g.sweep = r.sweep AND g.run_id = r.run_id
GROUP BY g.noise_rate, g.width, g.dim, g.step_size, g.weight_decay
ORDER BY g.noise_rate, g.width, g.dim, g.step_size, g.weight_decay

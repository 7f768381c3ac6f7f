-- Median grokking delay (t_gen - t_fit, in steps) for each value of each axis, pooled over the
-- other axes and the replicates; runs whose delay is undefined (never fit or never generalize)
-- count in `runs` but not in the percentiles.
-- Axes of xor-clusters; for another task list its parameters in the stack(...) instead.
--   grokgrid sql --file analysis/sql/median_delay_by_axis.sql results/quickstart
SELECT axis, value,
       count(*)                            AS runs,
       count(delay)                        AS runs_with_delay,
       percentile(delay, 0.2)              AS p20_delay,
       percentile(delay, 0.5)              AS median_delay,
       percentile(delay, 0.8)              AS p80_delay,
       avg(CAST(grokked AS INT))           AS share_grokked
FROM grokking
LATERAL VIEW stack(5,
    'noise_rate',   CAST(noise_rate AS DOUBLE),
    'width',        CAST(width AS DOUBLE),
    'dim',          CAST(dim AS DOUBLE),
    'step_size',    CAST(step_size AS DOUBLE),
    'weight_decay', CAST(weight_decay AS DOUBLE)) axes AS axis, value
GROUP BY axis, value
ORDER BY axis, value

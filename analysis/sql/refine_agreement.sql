-- How well a refined phase map reproduces the full grid of its finest resolution (README,
-- "Refined phase maps"): over two sweep directories, the full grid's and the refined sweep's
-- (the one with refine_level > 0), the share of the full grid's points whose majority phase the
-- refined map gives, and the share of the full grid's runs the refined sweep took. The refined
-- map's phase at a point is the majority phase of its nearest evaluated point (distance in
-- lattice steps; among equally near ones the most common, ties to the alphabetically first), so
-- inside a cell whose corners agree it is theirs. Majorities over replicates tie to the
-- alphabetically first, as on the phase diagram. The same rule as MapAgreement in the tests.
-- Axes step_size x weight_decay, no other varying axis; for others replace the two names.
--   grokgrid sql FULL_DIR REFINED_DIR --file analysis/sql/refine_agreement.sql
WITH kinds AS (
  SELECT sweep, max(refine_level) > 0 AS refined FROM grokking GROUP BY sweep
), points AS (
  SELECT k.refined, g.step_size AS x, g.weight_decay AS y, mode(coalesce(g.phase, 'none'), true) AS phase
  FROM grokking g JOIN kinds k ON g.sweep = k.sweep
  GROUP BY k.refined, g.step_size, g.weight_decay
), full_x AS (
  SELECT DISTINCT x FROM points WHERE NOT refined
), full_y AS (
  SELECT DISTINCT y FROM points WHERE NOT refined
), xs AS (  -- the lattice index of each value: how many values lie below it
  SELECT a.x, count(b.x) - 1 AS i FROM full_x a JOIN full_x b ON b.x <= a.x GROUP BY a.x
), ys AS (
  SELECT a.y, count(b.y) - 1 AS j FROM full_y a JOIN full_y b ON b.y <= a.y GROUP BY a.y
), lattice AS (
  SELECT p.refined, xs.i, ys.j, p.phase FROM points p JOIN xs ON p.x = xs.x JOIN ys ON p.y = ys.y
), pairs AS (
  SELECT f.i, f.j, f.phase AS full_phase, r.phase AS refined_phase,
         (f.i - r.i) * (f.i - r.i) + (f.j - r.j) * (f.j - r.j) AS d
  FROM lattice f CROSS JOIN lattice r
  WHERE NOT f.refined AND r.refined
), nearest AS (
  SELECT i, j, full_phase, refined_phase
  FROM (SELECT *, min(d) OVER (PARTITION BY i, j) AS d_min FROM pairs)
  WHERE d = d_min
), predicted AS (
  SELECT i, j, first(full_phase) AS full_phase, mode(refined_phase, true) AS refined_phase
  FROM nearest GROUP BY i, j
), run_counts AS (
  SELECT count_if(k.refined) AS refined_runs, count_if(NOT k.refined) AS full_runs
  FROM runs r JOIN kinds k ON r.sweep = k.sweep
)
SELECT count(*)                                                   AS full_points,
       count_if(full_phase = refined_phase)                       AS agreeing_points,
       round(100.0 * count_if(full_phase = refined_phase) / count(*), 2) AS agreement_pct,
       first(refined_runs)                                        AS refined_runs,
       first(full_runs)                                           AS full_runs,
       round(100.0 * first(refined_runs) / first(full_runs), 2)   AS run_share_pct
FROM predicted CROSS JOIN run_counts

-- High-value accounts at risk: accounts in the highest bracket now or at the previous period whose
-- revenue contracted or churned, or whose T12M fell year over year, in the most recent monthly snapshot.
-- The highest bracket is rank 0 in segment_kpis, so renamed brackets need no change here.
WITH latest AS (
  SELECT max(period) AS period
  FROM portfolio_kpis -- complete snapshots only: a run writes portfolio_kpis last and removes it first
  WHERE cadence = 'monthly'
),
top_segment AS (
  SELECT k.segment
  FROM segment_kpis AS k
  JOIN latest AS l ON k.period = l.period
  WHERE k.cadence = 'monthly'
    AND k.rank = 0
)
SELECT
  a.period,
  a.account_id,
  a.account_name,
  a.owner_email,
  a.segment,
  a.previous_segment,
  a.revenue_t12m,
  a.previous_revenue_t12m,
  a.movement,
  a.movement_amount,
  a.growth_yoy,
  a.recency_days
FROM account_segments AS a
JOIN latest AS l ON a.period = l.period
WHERE a.cadence = 'monthly'
  AND (a.segment IN (SELECT segment FROM top_segment) OR a.previous_segment IN (SELECT segment FROM top_segment))
  AND (a.movement IN ('contraction', 'churn') OR a.growth_yoy < 0)
ORDER BY a.movement_amount, a.account_id

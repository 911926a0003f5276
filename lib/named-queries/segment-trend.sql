-- Segment trend: accounts and T12M revenue of every segment over the last 24 monthly snapshots.
WITH periods AS (
  SELECT DISTINCT period
  FROM portfolio_kpis -- complete snapshots only: a run writes portfolio_kpis last and removes it first
  WHERE cadence = 'monthly'
  ORDER BY period DESC
  LIMIT 24
)
SELECT
  k.period,
  k.segment,
  k.accounts,
  k.revenue_t12m,
  k.revenue_share,
  k.growth_yoy
FROM segment_kpis AS k
JOIN periods AS p ON k.period = p.period
WHERE k.cadence = 'monthly'
ORDER BY k.period, k.rank

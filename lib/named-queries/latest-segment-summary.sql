-- Latest segment summary: each segment of the most recent monthly snapshot, highest bracket first.
-- For the quarterly view, replace 'monthly' with 'quarterly' in both places.
WITH latest AS (
  SELECT max(period) AS period
  FROM portfolio_kpis -- complete snapshots only: a run writes portfolio_kpis last and removes it first
  WHERE cadence = 'monthly'
)
SELECT
  k.period,
  k.segment,
  k.accounts,
  k.revenue_t12m,
  k.revenue_share,
  k.arpa,
  k.growth_yoy,
  k.retention_nrr,
  k.retention_grr,
  k.accounts_in,
  k.accounts_out
FROM segment_kpis AS k
JOIN latest AS l ON k.period = l.period
WHERE k.cadence = 'monthly'
ORDER BY k.rank
